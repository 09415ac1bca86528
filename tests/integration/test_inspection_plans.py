"""`cchc import inspections`: a district's plan of inspections, from a workbook shaped like a real
one or a CSV, into a real database — all of it, or, when a row is wrong, nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlmodel import select

from domain.models import Event, InspectionPlan, InspectionTarget
from persistence.unit_of_work import UnitOfWork
from tests.database_dump import dump
from tests.inspection_files import (
    BY_REPORT,
    COMMUNES,
    COMMUNES_GROUP,
    DIRECT,
    HEADER,
    OFFICES,
    OFFICES_GROUP,
    TOWN,
    write_plan_csv,
    write_plan_xlsx,
    write_units,
)

OFFICE_CODES = {code for code, _ in OFFICES}


@pytest.fixture
def district(cchc, tmp_path):
    code, output = cchc("import", "units", str(write_units(tmp_path / "units.csv")))
    assert code == 0, output
    return cchc


def targets(engine, plan: str = "KHKT-2019") -> dict[str, InspectionTarget]:
    with UnitOfWork(engine).reading() as session:
        return {t.unit_code: t for t in session.exec(
            select(InspectionTarget).where(InspectionTarget.plan_code == plan))}


def flat(output: str) -> str:
    return " ".join(output.split())


def test_a_districts_plan_imports_12_direct_and_13_by_report_from_its_workbook(
        district, engine, tmp_path):
    code, output = district("import", "inspections", str(write_plan_xlsx(tmp_path / "kh.xlsx")))
    assert code == 0, output
    said = flat(output)
    assert "25 mới, 0 cập nhật, 0 không đổi (đơn vị được kiểm tra: 12 trực tiếp, 13 qua báo cáo)" \
        in said
    assert "văn bản ban hành: 53/QĐ-UBND ngày 07/01/2019" in said
    assert "đơn vị ban hành (từ tiêu đề): H-MS" in said
    with UnitOfWork(engine).reading() as session:
        plan = session.get(InspectionPlan, "KHKT-2019")
    assert (plan.title, plan.year, plan.decision_number, plan.decision_date) == (
        "KẾ HOẠCH Kiểm tra công tác cải cách hành chính năm 2019", 2019, "53/QĐ-UBND",
        date(2019, 1, 7))
    assert (plan.issuing_unit_code, plan.owner_unit_code) == ("H-MS", "H-MS")
    assert plan.topics.startswith("Công tác chỉ đạo, điều hành CCHC")
    held = targets(engine)
    kinds = Counter((t.mode, "office" if u in OFFICE_CODES else "commune")
                    for u, t in held.items())
    assert kinds == {("direct", "office"): 6, ("direct", "commune"): 6,
                     ("by_report", "office"): 6, ("by_report", "commune"): 7}
    assert held[TOWN[0]].mode == "direct" and {t.state for t in held.values()} == {"planned"}
    commune = held[COMMUNES[0][0]]
    assert (commune.window_text, commune.window_opens, commune.window_closes) == (
        "Từ 23 đến 25/9/2019", date(2019, 9, 23), date(2019, 9, 25))
    office = held[OFFICES[-1][0]]
    assert (office.window_text, office.window_opens, office.window_closes) == (
        "Trước 30/6", None, date(2019, 6, 30))
    assert [t.unit_code for t in sorted(held.values(), key=lambda t: t.position)][:2] == [
        "P-NV", "P-TP"]


def test_a_dry_run_says_what_it_would_import_and_writes_nothing(district, engine, tmp_path):
    before = dump(engine)
    code, output = district("import", "inspections", str(write_plan_xlsx(tmp_path / "kh.xlsx")),
                            "--dry-run")
    assert code == 0 and "12 trực tiếp, 13 qua báo cáo" in flat(output)
    assert dump(engine) == before


def test_a_csv_plan_with_section_headings_fans_a_group_out_to_its_units(
        district, engine, tmp_path):
    plan = write_plan_csv(tmp_path / "kh.csv", [
        ["TT", "Đối tượng kiểm tra", "Thời gian dự kiến", "Thành phần đoàn"],
        ["A", "KIỂM TRA TRỰC TIẾP", "", ""],
        ["1", OFFICES_GROUP, "Quý III", "Phòng Nội vụ chủ trì"],
        ["B", "KIỂM TRA QUA BÁO CÁO", "", ""],
        ["1", COMMUNES_GROUP, "Trước 15/11", "Phòng Nội vụ chủ trì"],
    ])
    code, output = district("import", "inspections", str(plan), "--year", "2019", "--code",
                            "KT-MS-2019", "--owner", "P-NV")
    assert code == 0, output
    said = flat(output)
    assert "12 trực tiếp, 13 qua báo cáo" in said
    assert f"dòng 3 '{OFFICES_GROUP}' → 12 đơn vị" in said
    assert "dòng 2 'A KIỂM TRA TRỰC TIẾP': tiêu đề mục" in said
    held = targets(engine, "KT-MS-2019")
    assert {u for u, t in held.items() if t.mode == "direct"} == OFFICE_CODES
    assert held["X-CL"].window_closes == date(2019, 11, 15)
    with UnitOfWork(engine).reading() as session:
        stored = session.get(InspectionPlan, "KT-MS-2019")
        imported = session.exec(select(Event).where(Event.name == "import.completed")).all()
    assert (stored.owner_unit_code, stored.issuing_unit_code) == ("P-NV", None)
    assert stored.inspecting_body == "Phòng Nội vụ chủ trì"
    recorded = imported[-1].data
    assert {key: recorded[key] for key in ("what", "plan", "direct", "by_report", "created")} \
        == {"what": "inspections", "plan": "KT-MS-2019", "direct": 12, "by_report": 13,
            "created": 25}


def test_a_reimport_updates_the_plans_cells_and_keeps_what_was_recorded(
        district, engine, tmp_path):
    workbook = write_plan_xlsx(tmp_path / "kh.xlsx")
    assert district("import", "inspections", str(workbook))[0] == 0
    code, output = district("inspection", "done", "P-NV", "--plan", "KHKT-2019", "--on",
                            "20/05/2019")
    assert code == 0, output
    moved = [(name, mode, "Quý III" if name == "Phòng Nội vụ" else window)
             for name, mode, window in [*DIRECT, *BY_REPORT] if name != "Phòng Y tế"]
    code, output = district("import", "inspections", str(write_plan_xlsx(tmp_path / "kh2.xlsx",
                                                                          moved)))
    assert code == 0, output
    said = flat(output)
    assert "0 mới, 1 cập nhật, 23 không đổi" in said
    assert "tệp không còn ghi P-YT: giữ trong kế hoạch" in said
    held = targets(engine)
    assert (held["P-NV"].window_text, held["P-NV"].state) == ("Quý III", "inspected")
    assert held["P-NV"].inspected_from == date(2019, 5, 20) and "P-YT" in held


def test_each_bad_row_is_named_and_nothing_is_written(cchc, engine, tmp_path):
    # A second "Phòng Y tế" makes that name ambiguous.
    units = write_units(tmp_path / "units.csv", extra=[["P-YT2", "Phòng Y tế", "H-MS"]])
    assert cchc("import", "units", str(units))[0] == 0
    rows = [*DIRECT[:3], ("Phòng Quản lý đô thị", "Trực tiếp", "Quý II"),
            ("Phòng Y tế", "Qua báo cáo", "Quý II"), ("Phòng Nội vụ", "Qua báo cáo", "Quý III"),
            (COMMUNES[0][1], "Trực tuyến", "Quý III"), (COMMUNES[1][1], "Qua báo cáo", "Hằng quý"),
            (COMMUNES[2][1], "Qua báo cáo", "Quý V")]
    before = dump(engine)
    code, output = cchc("import", "inspections", str(write_plan_xlsx(tmp_path / "kh.xlsx", rows)))
    assert code == 1
    said = flat(output)
    assert "Không nhập gì cả: 6 lỗi" in said
    assert "kh.xlsx, dòng 11, cột B (Đơn vị được kiểm tra): không có đơn vị" in said
    assert "dòng 12, cột B (Đơn vị được kiểm tra): tên này trùng với nhiều đơn vị" in said
    assert "dòng 13, cột B (Đơn vị được kiểm tra): đơn vị P-NV đã có trong kế hoạch ở dòng 8" \
        in said
    assert "dòng 14, cột C (Hình thức kiểm tra): hình thức kiểm tra không rõ" in said
    assert "dòng 15, cột D (Thời gian): thời gian kiểm tra “Hằng quý” là định kỳ" in said
    assert "dòng 16, cột D (Thời gian): không có quý V" in said
    assert dump(engine) == before


def test_a_plan_without_a_mode_or_a_known_owner_is_refused(district, engine, tmp_path):
    before = dump(engine)
    headerless = [HEADER[:2] + HEADER[3:], ["1", "Phòng Nội vụ", "Quý II", "Nội dung"]]
    code, output = district("import", "inspections",
                            str(write_plan_csv(tmp_path / "kh.csv", headerless)),
                            "--year", "2019", "--owner", "KHONG-CO")
    said = flat(output)
    assert code == 1 and "kh.csv: --owner: không có đơn vị mang mã này [giá trị: 'KHONG-CO']" \
        in said
    assert "kh.csv, dòng 2: thiếu hình thức kiểm tra" in said
    assert dump(engine) == before
