"""The inspection section through the commands, on a district shaped like the account: 12
specialised offices and 13 communes and towns in one plan, 12 direct and 13 by report,
imported from a real-shaped workbook; once each target is recorded, `cchc status` says those
numbers in words and in --json, by mode and by kind; `cchc inspections` lists each target with
its conclusion and what became of its findings (remedied on time, late, open, evaluated đạt or
chưa đạt); the reports carry the section; a database without an inspection plan shows none."""

from __future__ import annotations

import json
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlmodel import select

from cli.shared import load_settings
from domain.models import TrackedItem
from domain.responses import Scope
from domain.states import SubmissionKind
from flows.application import build_application
from flows.responses import Actor, confirm_report, return_report, submit
from notifications.reports import summary_email
from persistence.reports import status_report
from tests.conftest import EXAMPLES
from tests.inspection_files import COMMUNES, OFFICES, TOWN, write_plan_xlsx, write_units

ACCOUNT = ("Đến ngày 31/12/2019, đã thực hiện công tác kiểm tra theo kế hoạch tại 12 phòng ban "
           "chuyên môn thuộc huyện và 13 xã, thị trấn. Trong đó: Kiểm tra trực tiếp tại 5 xã và 1 "
           "thị trấn; 6 cơ quan chuyên môn. Kiểm tra qua báo cáo của 7 xã và 6 cơ quan chuyên "
           "môn.")
# When each target was inspected: the direct offices in June, the by-report offices' reports
# received and reviewed in late June, the direct communes on the team's three days in
# September, the by-report communes' in September, the town in October.
VISITS = ([(code, "10/06/2019") for code, _ in OFFICES[:6]]
          + [(code, "20/06/2019-28/06/2019") for code, _ in OFFICES[6:]]
          + [(code, "23/09/2019-25/09/2019") for code, _ in COMMUNES[:5]]
          + [(code, "16/09/2019-20/09/2019") for code, _ in COMMUNES[5:]]
          + [(TOWN[0], "15/10/2019")])
FINDINGS = """\
Mã,"Tồn tại, hạn chế",Yêu cầu khắc phục,Thời hạn,Trạng thái,Ngày hoàn thành
CB-01,Chưa niêm yết thủ tục hành chính,Niêm yết đầy đủ,Trước 31/10/2019,Đang thực hiện,
CB-02,Hồ sơ một cửa chưa đầy đủ,Bổ sung sổ theo dõi,Trước 31/10/2019,Đang thực hiện,
CB-03,Chưa công khai kết quả giải quyết,Công khai kết quả,Trước 31/10/2019,Hoàn thành,05/11/2019
"""


def _said(output: str) -> str:
    return " ".join(output.split())  # the terminal wraps long lines


def _district(cchc, tmp_path) -> None:
    for kind, path in (("units", write_units(tmp_path / "don-vi.csv")),
                       ("inspections", write_plan_xlsx(tmp_path / "ke-hoach-kiem-tra.xlsx"))):
        code, output = cchc("import", kind, str(path))
        assert code == 0, output


def _record_every_visit(cchc) -> None:
    for unit, days in VISITS:
        code, output = cchc("inspection", "done", unit, "--plan", "KHKT-2019", "--on", days)
        assert code == 0, output


def test_the_district_of_the_account_is_said_in_words_and_in_json_by_mode_and_kind(
    cchc, tmp_path
):
    _district(cchc, tmp_path)
    _record_every_visit(cchc)
    code, output = cchc("status", "--as-of", "31/12/2019")
    assert code == 0, output
    assert ACCOUNT in _said(output)
    # Midway, only what was done by then: the offices, in both modes.
    code, output = cchc("status", "--as-of", "30/06/2019")
    assert ("Đến ngày 30/06/2019, đã thực hiện công tác kiểm tra theo kế hoạch tại 12 phòng ban "
            "chuyên môn thuộc huyện. Trong đó: Kiểm tra trực tiếp tại 6 cơ quan chuyên môn. Kiểm "
            "tra qua báo cáo của 6 cơ quan chuyên môn.") in _said(output)
    assert "Chưa kiểm tra: 13 đơn vị." in _said(output)

    code, output = cchc("status", "--as-of", "31/12/2019", "--json")
    section = json.loads(output)["inspection_plan"]
    assert section["code"] == "KHKT-2019" and section["decision"] == "53/QĐ-UBND"
    assert section["decision_date"] == "2019-01-07"
    assert section["totals"] | {"remediation": None} == {
        "planned": 25, "inspected": 25, "concluded": 0, "with_findings": 0,
        "not_inspected": 0, "window_passed": 0, "dropped": 0, "remediation": None}
    assert section["by_mode"]["direct"] == {"planned": 12, "inspected": 12, "by_unit_kind": {
        "office": {"planned": 6, "inspected": 6}, "commune": {"planned": 5, "inspected": 5},
        "township": {"planned": 1, "inspected": 1}}}
    assert section["by_mode"]["by_report"] == {"planned": 13, "inspected": 13, "by_unit_kind": {
        "office": {"planned": 6, "inspected": 6}, "commune": {"planned": 7, "inspected": 7}}}
    assert section["by_kind"]["by_unit_kind"] == {
        "office": {"planned": 12, "inspected": 12}, "commune": {"planned": 12, "inspected": 12},
        "township": {"planned": 1, "inspected": 1}}
    units_inspected = section["indicators"][0]
    assert units_inspected | {"unit_kinds": None} == {
        "kind": "plan_units_inspected", "done": 25, "total": 25, "rate": 100.0,
        "rate_text": "100,0%", "year": 2019, "meets_bar": True, "unit_kinds": None,
        "direct": 12}


def _evaluate() -> None:
    """X-CB's head reports CB-01 and CB-02 done through the page; the secretariat confirms the
    first (đạt) and returns the second (chưa đạt, a new deadline)."""
    app = build_application(load_settings())
    with app.uow.reading() as session:
        ids = {i.code: i.id for i in session.exec(select(TrackedItem))}
    scope = Scope("x-cb@maison.example", frozenset({"X-CB"}))
    actor = Actor("x-cb@maison.example", None)
    decided = []
    for code, day in (("CB-01", "25/10/2019"), ("CB-02", "30/10/2019")):
        submission, _ = submit(app, scope, ids[code], SubmissionKind.COMPLETION,
                               {"completed_on": day, "doc_number": f"{code}/BC-UBND",
                                "doc_date": day}, actor)
        decided.append(submission.id)
    secretariat = Actor("thuongtruc", None)
    confirm_report(app, secretariat, decided[0])
    # Returned today: its new deadline is a day to come.
    new_due = app.today() + timedelta(days=30)
    return_report(app, secretariat, decided[1], {"comment": "Chưa bổ sung sổ theo dõi",
                                                 "new_due": f"{new_due:%d/%m/%Y}"})


def test_a_conclusion_its_findings_and_their_remediation_are_listed_per_target(
    cchc, tmp_path
):
    _district(cchc, tmp_path)
    _record_every_visit(cchc)
    (tmp_path / "ton-tai.csv").write_text(FINDINGS, encoding="utf-8")
    code, output = cchc("inspection", "conclude", "X-CB", "--plan", "KHKT-2019", "--doc",
                        "Thông báo số 215/TB-UBND", "--on", "10/10/2019", "--findings",
                        str(tmp_path / "ton-tai.csv"))
    assert code == 0, output
    code, output = cchc("inspection", "conclude", "X-CM", "--plan", "KHKT-2019", "--doc",
                        "Thông báo số 216/TB-UBND", "--on", "10/10/2019", "--no-findings")
    assert code == 0, output
    _evaluate()

    # Today: CB-01 reported done on 25/10/2019 and confirmed (đạt), CB-02 reported, returned
    # and reopened (chưa đạt), CB-03 done on 05/11/2019, after its deadline.
    code, output = cchc("inspections")
    assert code == 0, output
    said = _said(output)
    assert ("X-CB (UBND xã Chiềng Ban, xã) · trực tiếp, Từ 23 đến 25/9/2019 · đã có kết luận · "
            "kiểm tra 23/09/2019–25/09/2019 · kết luận: Thông báo số 215/TB-UBND (10/10/2019) · "
            "3 tồn tại, 3 nhiệm vụ khắc phục: hoàn thành đúng hạn 1, quá hạn 1, chưa hoàn thành "
            "1; đạt 1, chưa đạt 1") in said
    assert "X-CM (UBND xã Chiềng Mung, xã) · trực tiếp, Từ 23 đến 25/9/2019 · đã có kết luận" \
           in said and "không có tồn tại, hạn chế" in said
    assert ("Đã có kết luận kiểm tra: 2/25 đơn vị đã kiểm tra (1 có tồn tại, hạn chế); chưa có "
            "kết luận:") in said
    assert ("Tồn tại, hạn chế theo kết luận kiểm tra: 3 tồn tại, 3 nhiệm vụ khắc phục — hoàn "
            "thành đúng hạn 1, hoàn thành quá hạn 1, chưa hoàn thành 1 (quá hạn 1); đánh giá đạt "
            "1, chưa đạt 1.") in said

    code, output = cchc("inspections", "--plan", "KHKT-2019", "--json")
    document = json.loads(output)
    assert document["schema"] == "cchc.inspections/1"
    [plan] = document["plans"]
    target = next(t for t in plan["targets"] if t["unit"] == "X-CB")
    assert target["conclusion"] == {"document": "Thông báo số 215/TB-UBND",
                                    "date": "2019-10-10", "by": "H-MS"}
    assert target["remediation"] == {
        "findings": 3, "items": 3, "done_on_time": 1, "done_late": 1, "open": 1,
        "overdue": 1, "evaluated_passed": 1, "evaluated_failed": 1}
    assert (target["unit_kind"], target["mode"], target["inspected_from"]) == (
        "commune", "direct", "2019-09-23")
    assert plan["indicators"][1] | {"unit_kinds": None} == {
        "kind": "plan_findings_handled", "done": 2, "total": 3, "rate": 66.7,
        "rate_text": "66,7%", "year": None, "meets_bar": None, "unit_kinds": None,
        "direct": None}
    # Before the conclusion, its findings were not the target's yet.
    code, output = cchc("inspections", "--plan", "KHKT-2019", "--as-of", "09/10/2019", "--json")
    early = next(t for t in json.loads(output)["plans"][0]["targets"] if t["unit"] == "X-CB")
    assert early["state"] == "inspected" and early["conclusion"] is None
    assert cchc("inspections", "--plan", "KHKT-2020")[0] == 1


def test_every_report_format_carries_the_section(cchc, tmp_path):
    _district(cchc, tmp_path)
    _record_every_visit(cchc)
    for suffix in ("md", "html", "xlsx"):
        code, output = cchc("report", "--as-of", "31/12/2019", "--out",
                            str(tmp_path / f"bao-cao.{suffix}"))
        assert code == 0, output
    for suffix in ("md", "html"):
        text = (tmp_path / f"bao-cao.{suffix}").read_text(encoding="utf-8")
        assert ACCOUNT in " ".join(text.split())
        assert "Kế hoạch kiểm tra KHKT-2019: đơn vị được kiểm tra" in text
        assert "Tỷ lệ phòng ban chuyên môn và xã, phường, thị trấn được kiểm tra" in text
    book = load_workbook(tmp_path / "bao-cao.xlsx")
    assert ACCOUNT in [row[0] for row in book["Tổng hợp"].iter_rows(values_only=True)]
    targets = list(book["Kiểm tra"].iter_rows(values_only=True))
    assert len(targets) == 26 and targets[1][:3] == ("P-NV — Phòng Nội vụ", "phòng", "trực tiếp")
    # The weekly summary is the same report, e-mailed.
    settings = load_settings()
    with build_application(settings).uow.reading() as session:
        email = summary_email(status_report(session, date(2019, 12, 31), settings.calendar,
                                            settings.policy))
    assert ACCOUNT in " ".join(email.text.split()) and ACCOUNT in " ".join(email.html.split())


def test_without_an_inspection_plan_nothing_of_it_is_said(loaded):
    code, output = loaded("status", "--as-of", "25/06/2021")
    assert code == 0 and "Kế hoạch kiểm tra" not in output and "36/70" in output
    code, output = loaded("status", "--as-of", "25/06/2021", "--json")
    assert "inspection_plan" not in json.loads(output)
    code, output = loaded("report", "--as-of", "25/06/2021")
    assert "Kế hoạch kiểm tra" not in output and "Tỷ lệ phòng ban" not in output
    code, output = loaded("inspections", "--as-of", "25/06/2021")
    assert code == 0 and "chưa có kế hoạch kiểm tra nào" in output


def test_the_examples_conclusion_takes_the_findings_the_register_holds_and_no_figure_moves(
    loaded
):
    before = loaded("status", "--as-of", "25/06/2021", "--json")[1]
    for args in (("import", "inspections", str(EXAMPLES / "inspections-2019.xlsx")),
                 ("inspection", "done", "TP-SL", "--plan", "KHKT-2019", "--on",
                  "23/09/2019-25/09/2019"),
                 ("inspection", "conclude", "TP-SL", "--plan", "KHKT-2019", "--on", "04/10/2019",
                  "--doc", "Đoàn kiểm tra liên ngành về CCHC của tỉnh, 23-25/9/2019")):
        code, output = loaded(*args)
        assert code == 0, output
    code, output = loaded("inspections", "--as-of", "25/06/2021", "--json")
    [plan] = json.loads(output)["plans"]
    city = plan["targets"][0]
    assert (city["unit"], city["state"], city["has_findings"]) == ("TP-SL", "concluded", True)
    # KT19-01 … 05, addressed to the ward, the commune and two of the city's offices.
    assert city["remediation"] == {"findings": 5, "items": 5, "done_on_time": 3, "done_late": 1,
                                   "open": 1, "overdue": 1, "evaluated_passed": 0,
                                   "evaluated_failed": 0}
    assert [i["done"] for i in plan["indicators"]] == [1, 4]
    after = json.loads(loaded("status", "--as-of", "25/06/2021", "--json")[1])
    assert after.pop("inspection_plan")["code"] == "KHKT-2019"
    assert after == json.loads(before)
    assert after["tasks"]["rate_all_text"] == "51,4%"
