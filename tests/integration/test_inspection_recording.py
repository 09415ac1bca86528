"""`cchc inspection done|conclude|add|drop`, `cchc explain UNIT --plan CODE` and `cchc history
inspection` on a district's imported plan of inspections, through the command line: what each
records, and each refusal, which names the option and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from domain.models import Event, Finding, Inspection, InspectionTarget, TrackedItem
from flows.publishing import prefect_event
from persistence.events import typed
from persistence.unit_of_work import UnitOfWork
from tests.database_dump import dump
from tests.inspection_files import COMMUNES, write_plan_csv, write_plan_xlsx, write_units

PLAN = ("--plan", "KHKT-2019")


@pytest.fixture
def planned(cchc, tmp_path, monkeypatch):
    from cli.shared import console

    monkeypatch.setattr(console, "width", 400)  # a history's rows unwrapped
    for kind, path in (("units", write_units(tmp_path / "units.csv")),
                       ("inspections", write_plan_xlsx(tmp_path / "kh.xlsx"))):
        code, output = cchc("import", kind, str(path))
        assert code == 0, output
    return cchc


def said(cchc, *args: str) -> str:
    code, output = cchc(*args)
    assert code == 0, output
    return " ".join(output.split())


def refused(cchc, engine, *args: str) -> str:
    before = dump(engine)
    code, output = cchc(*args)
    assert code != 0, output
    assert dump(engine) == before
    return " ".join(output.split())


def target(engine, unit: str) -> InspectionTarget:
    with UnitOfWork(engine).reading() as session:
        return session.exec(select(InspectionTarget).where(
            InspectionTarget.unit_code == unit)).one()


def findings_file(tmp_path):
    return write_plan_csv(tmp_path / "tontai.csv", [
        ["Mã", "Tồn tại, hạn chế", "Đơn vị chịu trách nhiệm", "Yêu cầu khắc phục", "Thời hạn"],
        ["KT-MS-01", "Chưa niêm yết đầy đủ thủ tục hành chính", "", "Niêm yết đầy đủ",
         "15 ngày làm việc"],
        ["KT-MS-02", "Hồ sơ một cửa lưu trữ chưa khoa học", "UBND các xã, thị trấn",
         "Sắp xếp lại hồ sơ", "Quý IV/2019"],
    ])


def test_a_visit_then_a_conclusion_with_findings_track_their_remediation(
        planned, engine, tmp_path):
    assert ("Đã ghi nhận kiểm tra trực tiếp X-CB (UBND xã Chiềng Ban), kế hoạch KHKT-2019: từ "
            "23/09/2019 đến 25/09/2019.") in said(planned, "inspection", "done", "X-CB", *PLAN,
                                                  "--on", "23/09/2019-25/09/2019")
    output = said(planned, "inspection", "conclude", "UBND xã Chiềng Ban", *PLAN, "--doc",
                  "Thông báo số 45/TB-UBND", "--on", "04/10/2019", "--findings",
                  str(findings_file(tmp_path)))
    assert ("kết luận kiểm tra X-CB (UBND xã Chiềng Ban), kế hoạch KHKT-2019: Thông báo số "
            "45/TB-UBND ngày 04/10/2019, có tồn tại, hạn chế.") in output
    assert "Đã nhập tontai.csv: 14 mới" in output
    assert "dòng 2: không ghi đơn vị → đơn vị được kiểm tra X-CB" in output
    assert "tồn tại KT-MS-02 giao 'UBND các xã, thị trấn' → 13 đơn vị" in output
    concluded = target(engine, "X-CB")
    assert (concluded.state, concluded.has_findings) == ("concluded", True)
    with UnitOfWork(engine).reading() as session:
        inspection = session.get(Inspection, concluded.inspection_id)
        items = session.exec(select(TrackedItem).join(
            Finding, Finding.code == TrackedItem.finding_code)
            .where(Finding.inspection_id == inspection.id)).all()
    assert (inspection.name, inspection.concluded_on, inspection.concluded_by_unit_code) == (
        "Thông báo số 45/TB-UBND", date(2019, 10, 4), "H-MS")
    by_code = {item.code: item for item in items}
    assert len(by_code) == 14 and by_code["KT-MS-01"].unit_code == "X-CB"
    assert by_code["KT-MS-01"].due_date == date(2019, 10, 25)  # 15 working days after 04/10
    assert by_code["KT-MS-02/X-CL"].unit_code == "X-CL"


def test_explain_and_history_answer_for_a_target(planned, engine, tmp_path):
    said(planned, "inspection", "done", "X-CB", *PLAN, "--on", "23/09/2019-25/09/2019")
    said(planned, "inspection", "conclude", "X-CB", *PLAN, "--doc", "Thông báo số 45/TB-UBND",
         "--on", "04/10/2019", "--findings", str(findings_file(tmp_path)))
    explained = said(planned, "explain", "X-CB", *PLAN, "--as-of", "01/11/2019")
    for line in ("[KHKT-2019] X-CB (UBND xã Chiềng Ban)",
                 "Hình thức: kiểm tra trực tiếp. Thời gian: “Từ 23 đến 25/9/2019” (từ "
                 "23/09/2019 đến 25/09/2019).",
                 "Tình trạng ngày 01/11/2019: đã có kết luận.",
                 "Đã kiểm tra: từ 23/09/2019 đến 25/09/2019.",
                 "Kết luận: Thông báo số 45/TB-UBND ngày 04/10/2019 của H-MS, có tồn tại, hạn "
                 "chế.",
                 "Nhiệm vụ khắc phục (14):",
                 "KT-MS-01 (X-CB), hạn 25/10/2019: đang thực hiện quá hạn — Niêm yết đầy đủ"):
        assert line in explained
    history = said(planned, "history", "inspection", "X-CB", *PLAN)
    assert "Lịch sử kiểm tra X-CB (KHKT-2019)" in history
    assert "đã kiểm tra" in history and "trong thời gian dự kiến" in history
    assert "kết luận kiểm tra" in history and "Thông báo số 45/TB-UBND ngày 04/10/2019" in history


def test_a_report_reviewed_and_a_conclusion_without_findings(planned, engine):
    commune = COMMUNES[-1][0]
    assert "kiểm tra qua báo cáo X-CL (UBND xã Chiềng Lương), kế hoạch KHKT-2019: báo cáo " \
        "nhận ngày 02/07/2019, xem xét ngày 10/07/2019." in said(
            planned, "inspection", "done", commune, *PLAN, "--on", "02/07/2019 - 10/07/2019")
    assert "không có tồn tại, hạn chế" in said(
        planned, "inspection", "conclude", commune, *PLAN, "--doc", "Thông báo số 50/TB-UBND",
        "--on", "15/07/2019", "--no-findings")
    concluded = target(engine, commune)
    assert (concluded.state, concluded.has_findings) == ("concluded", False)
    assert (concluded.inspected_from, concluded.inspected_to) == (date(2019, 7, 2),
                                                                    date(2019, 7, 10))
    with UnitOfWork(engine).reading() as session:
        events = list(session.exec(select(Event).order_by(Event.id)))[-2:]
    # Published to Prefect's event stream as the target's events.
    published = [prefect_event(typed(row), row.occurred_at, None) for row in events]
    assert [p["event"] for p in published] == ["cchc.inspection.done",
                                               "cchc.inspection.concluded"]
    assert published[1]["resource"]["prefect.resource.id"] == "cchc.inspection.KHKT-2019.X-CL"
    assert published[1]["payload"]["doc"] == "Thông báo số 50/TB-UBND"


def test_a_target_is_dropped_then_added_back_with_each_reason(planned, engine):
    assert "Đã đưa P-YT (Phòng Y tế) ra khỏi kế hoạch KHKT-2019; lý do: Sáp nhập." in said(
        planned, "inspection", "drop", "P-YT", *PLAN, "--reason", "Sáp nhập")
    dropped = target(engine, "P-YT")
    assert (dropped.state, dropped.dropped_reason) == ("dropped", "Sáp nhập")
    assert "kiểm tra qua báo cáo, thời gian “Quý IV” (từ 01/10/2019 đến 31/12/2019); lý do: " \
        "Theo chỉ đạo." in said(planned, "inspection", "add", "Phòng Y tế", *PLAN, "--mode",
                                "Qua báo cáo", "--window", "Quý IV", "--reason", "Theo chỉ đạo")
    back = target(engine, "P-YT")
    assert (back.state, back.mode, back.added_reason, back.dropped_on) == (
        "planned", "by_report", "Theo chỉ đạo", None)
    history = said(planned, "history", "inspection", "P-YT", *PLAN)
    assert "đưa đơn vị ra khỏi kế hoạch kiểm tra" in history
    assert "thêm đơn vị vào kế hoạch kiểm tra" in history


@pytest.mark.parametrize(("args", "message"), [
    (("done", "X-CB", *PLAN, "--on", "06/01/2019"),
     "--on: ngày kiểm tra 06/01/2019 trước ngày quyết định phê duyệt kế hoạch 07/01/2019"),
    (("done", "X-CB", *PLAN, "--on", "01/01/2099"), "--on: ngày kiểm tra 01/01/2099 là ngày "
                                                    "trong tương lai"),
    (("done", "X-CB", *PLAN, "--on", "25/09/2019-23/09/2019"), "--on: ngày cuối 23/09/2019"),
    (("done", "X-XX", *PLAN, "--on", "23/09/2019"), "“X-XX”: không có đơn vị"),
    (("done", "UBND các xã, thị trấn", *PLAN, "--on", "23/09/2019"), "là một nhóm đơn vị"),
    (("done", "X-CB", "--plan", "KHKT-2020", "--on", "23/09/2019"),
     "--plan: không có kế hoạch kiểm tra mã KHKT-2020"),
    (("conclude", "X-CB", *PLAN, "--doc", "TB 1", "--on", "04/10/2019", "--findings", "f.csv"),
     "--findings: đơn vị X-CB (kế hoạch KHKT-2019) chưa được ghi nhận đã kiểm tra"),
    (("conclude", "X-CB", *PLAN, "--doc", "TB 1", "--on", "04/10/2019"),
     "cần đúng một trong --findings TỆP"),
    (("add", "X-CB", *PLAN, "--mode", "Trực tiếp", "--reason", "Lý do"),
     "đơn vị X-CB đã có trong kế hoạch KHKT-2019"),
    (("add", "TT-HL", *PLAN, "--mode", "Trực tuyến", "--reason", "Lý do"), "--mode: hình thức"),
    (("drop", "X-CB", *PLAN, "--reason", " "), "--reason: cần nêu lý do"),
])
def test_a_refused_command_names_its_option_and_writes_nothing(planned, engine, tmp_path, args,
                                                                message):
    findings_file(tmp_path).rename(tmp_path / "f.csv")
    assert message in refused(planned, engine, "inspection", *args)


def test_a_conclusion_before_its_visit_twice_or_with_a_bad_findings_file_is_refused(
        planned, engine, tmp_path):
    said(planned, "inspection", "done", "X-CB", *PLAN, "--on", "23/09/2019-25/09/2019")
    conclude = ("inspection", "conclude", "X-CB", *PLAN, "--doc", "Thông báo số 45/TB-UBND")
    assert "--on: ngày kết luận 24/09/2019 trước ngày kiểm tra 25/09/2019" in refused(
        planned, engine, *conclude, "--on", "24/09/2019", "--no-findings")
    bad = write_plan_csv(tmp_path / "bad.csv", [
        ["Mã", "Tồn tại, hạn chế", "Đơn vị chịu trách nhiệm", "Yêu cầu khắc phục", "Thời hạn",
         "Ngày kết luận"],
        ["KT-MS-01", "Chưa niêm yết", "PHONG-LA", "Niêm yết", "Quý IV/2019", "05/10/2019"],
    ])
    output = refused(planned, engine, *conclude, "--on", "04/10/2019", "--findings", str(bad))
    assert "Không nhập gì cả: 2 lỗi" in output
    assert "bad.csv, dòng 2, cột F (Ngày kết luận): khác ngày kết luận đang ghi" in output
    said(planned, *conclude, "--on", "04/10/2019", "--no-findings")
    assert "--doc: đơn vị X-CB (kế hoạch KHKT-2019) đã có kết luận" in refused(
        planned, engine, *conclude, "--on", "04/10/2019", "--no-findings")
    said(planned, "inspection", "done", "X-CM", *PLAN, "--on", "23/09/2019-25/09/2019")
    assert "--on: văn bản “Thông báo số 45/TB-UBND” đã được ghi với ngày kết luận 04/10/2019" \
        in refused(planned, engine, "inspection", "conclude", "X-CM", *PLAN, "--doc",
                   "Thông báo số 45/TB-UBND", "--on", "05/10/2019", "--no-findings")
