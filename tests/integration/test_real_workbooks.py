"""Workbooks shaped like the ones secretariats publish — a heading and title block over several
rows, "TT", two-row headers with merged group labels, a row of column numbers, header synonyms,
numbering that restarts in each group, deadlines typed as Excel dates, lead units named in words
— import without --year, each task with its code, unit, due date and status, and say how they
were read. Built with openpyxl the way a province's CCHC plan appendix is laid out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import select

from domain.models import Inspection, Plan, TrackedItem
from persistence.unit_of_work import UnitOfWork
from tests.conftest import EXAMPLES

# A province's units, with the names its plans write and its groups (see README: units file).
PROVINCE_UNITS = """\
Mã đơn vị,Tên đơn vị,Đơn vị cấp trên,Chức danh người đứng đầu,Email người đứng đầu,Email đầu mối CCHC,Tên khác,Nhóm
TINH-DB,UBND tỉnh Điện Biên,,Chủ tịch UBND tỉnh,chutich@dienbien.example,,,
SNV,Sở Nội vụ,TINH-DB,Giám đốc Sở Nội vụ,gd@snv.dienbien.example,,,"Các sở, ban, ngành = Các sở, ban, ngành tỉnh"
STP,Sở Tư pháp,TINH-DB,Giám đốc Sở Tư pháp,gd@stp.dienbien.example,,,"Các sở, ban, ngành"
SGTVT,Sở Giao thông vận tải,TINH-DB,Giám đốc Sở Giao thông vận tải,gd@sgtvt.dienbien.example,,Sở GTVT,"Các sở, ban, ngành"
VPUB,Văn phòng UBND tỉnh,TINH-DB,Chánh Văn phòng,cvp@dienbien.example,,,"Các sở, ban, ngành"
H-MN,UBND huyện Mường Nhé,TINH-DB,Chủ tịch UBND huyện,ct@muongnhe.example,,,"UBND các huyện, thị xã, thành phố = UBND cấp huyện"
H-TG,UBND huyện Tuần Giáo,TINH-DB,Chủ tịch UBND huyện,ct@tuangiao.example,,,"UBND cấp huyện"
"""

HEADING = [["ỦY BAN NHÂN DÂN", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
           ["TỈNH ĐIỆN BIÊN", None, None, None, "Độc lập - Tự do - Hạnh phúc"]]
TITLE = [["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"]]
HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm",
          "Thời gian hoàn thành", "Trạng thái", "Ngày hoàn thành"]


@dataclass
class Task:
    number: str
    lead: str  # as the cell writes it
    deadline: object
    state: str
    done: datetime | None
    # What the import must make of it.
    code: str = ""
    unit: str = ""
    due: date | None = None
    fields: dict = field(default_factory=dict)


def tasks() -> list[tuple[str, str, list[Task]]]:
    """Two groups of two tasks: one done on 20/01/2022, the rest open."""
    return [
        ("I", "Công tác chỉ đạo, điều hành cải cách hành chính", [
            Task("1", "SNV", "Tháng 01/2022", "Hoàn thành", datetime(2022, 1, 20),
                 code="1.1", unit="SNV", due=date(2022, 1, 31)),
            Task("2", "Sở Nội vụ", "Quý II/2022", "Đang thực hiện", None,
                 code="1.2", unit="SNV", due=date(2022, 6, 30)),
        ]),
        ("II", "Cải cách thể chế", [
            Task("1", "Sở Tư pháp", "Tháng 6/2022", "Chưa thực hiện", None,
                 code="2.1", unit="STP", due=date(2022, 6, 30)),
            Task("2", "Sở Giao thông vận tải", "15/07/2022", "Đang triển khai", None,
                 code="2.2", unit="SGTVT", due=date(2022, 7, 15)),
        ]),
    ]


def plan_workbook(path: Path, *, heading=HEADING, title=TITLE, header=(HEADER,),
                  merges=(), numbers_row=False, restart=False, extra=None,
                  date_formats=None) -> Path:
    """A plan sheet: heading, title block, one blank row, the header (one or two rows), maybe a
    row of column numbers, then the groups and their tasks."""
    book = Workbook()
    sheet = book.active
    for row in [*heading, *title, []]:
        sheet.append(row)
    top = len(heading) + len(title) + 2  # the blank row counts, though max_row does not
    for row in header:
        sheet.append(list(row))
    if numbers_row:
        sheet.append([f"({n})" for n in range(1, len(header[0]) + 1)])
    for numeral, title_text, group in tasks():
        sheet.append([numeral, title_text])
        for task in group:
            number = task.number if restart else f"{numeral_to_arabic(numeral)}.{task.number}"
            cells = [number, f"Nhiệm vụ {task.code}", task.lead, None, "Báo cáo",
                     task.deadline, task.state, task.done]
            if extra:
                cells.append(extra)
            sheet.append(cells)
            if date_formats and task.code in date_formats:
                value, number_format = date_formats[task.code]
                cell = sheet.cell(sheet.max_row, 6, value)
                cell.number_format = number_format
    for merge in merges:
        sheet.merge_cells(merge.format(top=top, below=top + 1))
    book.save(path)
    return path


def numeral_to_arabic(numeral: str) -> int:
    return {"I": 1, "II": 2}[numeral]


LAYOUTS = {
    "TT and lead units by code or name": {},
    "two-row header with merges, status under a merged 'Kết quả thực hiện'": {
        "header": (
            ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm",
             "Thời gian hoàn thành", "Kết quả thực hiện", None],
            [None, None, None, None, None, None, "Trạng thái", "Ngày hoàn thành"],
        ),
        "merges": ("A{top}:A{below}", "B{top}:B{below}", "C{top}:C{below}", "D{top}:D{below}",
                   "E{top}:E{below}", "F{top}:F{below}", "G{top}:H{top}"),
    },
    "a row of column numbers under the header": {"numbers_row": True},
    "header synonyms and an extra column": {
        "header": (["Số thứ tự", "Nội dung công việc", "Cơ quan, đơn vị\nchủ trì",
                    "Đơn vị phối hợp", "Kết quả, sản phẩm", "Thời hạn hoàn thành",
                    "Tình hình thực hiện", "Ngày hoàn thành", "Ghi chú"],),
        "extra": "đã giao",
    },
    "numbering that restarts in each group": {"restart": True},
    "title over two rows and the plan it is attached to in words": {
        "title": [["KẾ HOẠCH"], ["Cải cách hành chính năm 2022"],
                  ["(Kèm theo Kế hoạch số 4289/KH-UBND ngày 21 tháng 12 năm 2021 của UBND tỉnh)"]],
    },
    "deadlines typed as Excel dates, no year in the title": {
        "title": [["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH"]],
        "date_formats": {"1.1": (datetime(2022, 1, 31), '"Tháng "m/yyyy'),
                         "2.2": (datetime(2022, 7, 15), "dd/mm/yyyy")},
    },
}


@pytest.fixture
def province(cchc, tmp_path):
    units = tmp_path / "units-dien-bien.csv"
    units.write_text(PROVINCE_UNITS, encoding="utf-8")
    code, output = cchc("import", "units", str(units))
    assert code == 0, output
    return cchc


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_published_layout_imports_every_task_right_without_year_and_twice_adds_nothing(
    province, engine, tmp_path, layout
):
    options = LAYOUTS[layout]
    path = plan_workbook(tmp_path / "ke-hoach-2022.xlsx", **options)
    code, output = province("import", "plan", str(path))
    assert code == 0, output
    flat = " ".join(output.split())
    assert "4 mới" in flat and "cột C" in flat and "→ đơn vị chủ trì" in flat
    with UnitOfWork(engine).reading() as session:
        items = {i.code: i for i in session.exec(select(TrackedItem))}
        plan = session.exec(select(Plan)).one()
    restart = options.get("restart", False)
    expected = {
        (f"{numeral}.{t.number}" if restart else t.code): t
        for numeral, _, group in tasks() for t in group
    }
    assert set(items) == set(expected)
    for code_, task in expected.items():
        item = items[code_]
        assert (item.unit_code, item.due_date, item.completed_on) == (
            task.unit, task.due, task.done.date() if task.done else None), code_
    assert plan.year == 2022 and plan.owner_unit_code == "TINH-DB"
    code, output = province("import", "plan", str(path))
    assert code == 0 and "0 mới" in output and "4 không đổi" in output, output


def test_a_two_row_header_says_how_it_was_read_and_takes_the_status_under_the_merge(
    province, tmp_path
):
    path = plan_workbook(tmp_path / "two-rows.xlsx",
                         **LAYOUTS["two-row header with merges, status under a merged "
                                   "'Kết quả thực hiện'"])
    code, output = province("import", "plan", str(path))
    flat = " ".join(output.split())
    assert code == 0, output
    assert "tiêu đề cột ở hai dòng 5–6" in flat
    assert "cột G 'Kết quả thực hiện / Trạng thái' → trạng thái" in flat
    assert "cột H 'Kết quả thực hiện / Ngày hoàn thành' → ngày hoàn thành" in flat


def test_the_summary_names_ignored_columns_skipped_rows_and_the_title_block(province, tmp_path):
    path = plan_workbook(tmp_path / "synonyms.xlsx", numbers_row=True,
                         **LAYOUTS["header synonyms and an extra column"])
    code, output = province("import", "plan", str(path))
    flat = " ".join(output.split())
    assert code == 0, output
    assert "cột F 'Thời hạn hoàn thành' → thời hạn" in flat
    assert "bỏ qua cột I 'Ghi chú'" in flat
    assert "dòng 6: dòng đánh số cột" in flat
    assert "dòng 7, 10: tiêu đề nhóm I, II" in flat
    assert "đơn vị ban hành (từ tiêu đề): TINH-DB" in flat and "năm 2022 (từ tiêu đề)" in flat
    assert "'Sở Giao thông vận tải' → SGTVT" in flat


def test_group_headings_merged_across_the_row_are_read_as_headings(province, engine, tmp_path):
    from openpyxl import load_workbook

    path = plan_workbook(tmp_path / "merged-groups.xlsx")
    book = load_workbook(path)
    book.active.merge_cells("B6:H6")
    book.active.merge_cells("B9:H9")
    book.save(path)
    code, output = province("import", "plan", str(path))
    assert code == 0 and "4 mới" in output, output


def test_restarting_numbers_become_group_scoped_codes_and_the_summary_says_so(province, tmp_path):
    path = plan_workbook(tmp_path / "restart.xlsx", restart=True)
    code, output = province("import", "plan", str(path))
    assert code == 0 and "mã nhiệm vụ ghi kèm số nhóm (vd. II.1)" in " ".join(output.split())


def test_a_title_over_two_rows_and_a_reference_in_words_make_the_plan_identity(
    province, engine, tmp_path
):
    path = plan_workbook(tmp_path / "title.xlsx",
                         **LAYOUTS["title over two rows and the plan it is attached to in words"])
    assert province("import", "plan", str(path))[0] == 0
    with UnitOfWork(engine).reading() as session:
        plan = session.exec(select(Plan)).one()
    assert (plan.code, plan.title, plan.decision_number, plan.decision_date) == (
        "KH-2022", "KẾ HOẠCH Cải cách hành chính năm 2022", "4289/KH-UBND", date(2021, 12, 21))


def test_date_cells_read_as_the_officer_sees_them_and_the_year_comes_from_the_deadlines(
    province, engine, tmp_path
):
    path = plan_workbook(tmp_path / "dates.xlsx",
                         **LAYOUTS["deadlines typed as Excel dates, no year in the title"])
    code, output = province("import", "plan", str(path))
    assert code == 0, output
    flat = " ".join(output.split())
    assert "mọi thời hạn đều thuộc năm 2022" in flat
    assert "đọc như Excel hiển thị: dòng 7 'Tháng 1/2022', dòng 11 '15/07/2022'" in flat
    with UnitOfWork(engine).reading() as session:
        texts = {i.code: i.deadline_text for i in session.exec(select(TrackedItem))}
    assert texts["1.1"] == "Tháng 1/2022" and texts["2.2"] == "15/07/2022"


def test_year_given_on_the_command_line_wins_over_the_deadlines(province, engine, tmp_path):
    path = plan_workbook(tmp_path / "dates.xlsx",
                         **LAYOUTS["deadlines typed as Excel dates, no year in the title"])
    code, output = province("import", "plan", str(path), "--year", "2023")
    assert code == 0 and "năm 2023 (theo --year)" in output, output
    with UnitOfWork(engine).reading() as session:
        assert session.exec(select(Plan)).one().code == "KH-2023"


def test_a_missing_column_is_named_with_the_labels_seen(province, tmp_path):
    header = [label if label != "Thời gian hoàn thành" else "Hạn chót" for label in HEADER]
    path = plan_workbook(tmp_path / "custom.xlsx", header=(header,))
    code, output = province("import", "plan", str(path))
    flat = " ".join(output.split())
    assert code == 1
    assert "thiếu cột: Thời gian hoàn thành (thoi_han)" in flat
    assert "F 'Hạn chót'" in flat and "A 'TT'" in flat and "Traceback" not in output


def test_an_explicit_column_mapping_places_a_custom_column(province, engine, tmp_path):
    header = [label if label != "Thời gian hoàn thành" else "Hạn chót" for label in HEADER]
    path = plan_workbook(tmp_path / "custom.xlsx", header=(header,))
    code, output = province("import", "plan", str(path), "--columns", "thoi_han=F")
    assert code == 0, output
    assert "cột F 'Hạn chót' → thời hạn (theo --columns)" in " ".join(output.split())
    code, output = province("import", "plan", str(path), "--columns", "han_chot=F")
    assert code == 1 and "không có cột 'han_chot'" in output


def test_the_policy_can_name_a_custom_column(province, engine, tmp_path, monkeypatch):
    policy = tmp_path / "policy.toml"
    policy.write_text('[import.columns]\nthoi_han = "F"\n', encoding="utf-8")
    monkeypatch.setenv("CCHC_POLICY_FILE", str(policy))
    header = [label if label != "Thời gian hoàn thành" else "Hạn chót" for label in HEADER]
    path = plan_workbook(tmp_path / "custom.xlsx", header=(header,))
    code, output = province("import", "plan", str(path))
    assert code == 0, output
    assert "(theo chính sách [import.columns])" in " ".join(output.split())


def test_two_columns_read_as_the_same_thing_are_refused_not_guessed(province, tmp_path):
    header = [*HEADER, "Thời hạn"]
    path = plan_workbook(tmp_path / "twice.xlsx", header=(header,), extra="Quý I/2022")
    code, output = province("import", "plan", str(path))
    flat = " ".join(output.split())
    assert code == 1 and "hai cột cùng được hiểu là thời hạn" in flat and "thoi_han" in flat


def test_an_unknown_lead_or_status_is_refused_with_the_closest_units(province, tmp_path):
    book_path = plan_workbook(tmp_path / "wrong.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(book_path)
    sheet = book.active
    sheet["C7"] = "Sở Giao thông"  # row of 1.1
    sheet["G8"] = "Sắp xong"  # row of 1.2
    book.save(book_path)
    code, output = province("import", "plan", str(book_path))
    flat = " ".join(output.split())
    assert code == 1
    assert "dòng 7, cột C" in flat and "gần nhất: SGTVT (Sở Giao thông vận tải)" in flat
    assert "dòng 8, cột G" in flat and "trạng thái không rõ" in flat


def test_the_excel_hint_is_given_only_when_excel_turned_1_10_into_1_1(province, tmp_path):
    path = plan_workbook(tmp_path / "excel.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.active
    sheet["A7"], sheet["A8"] = 1.1, 1.1  # 1.1 and 1.10, typed as numbers
    book.save(path)
    code, output = province("import", "plan", str(path))
    assert code == 1 and "1.10 ≠ 1.1" in output
    sheet["A7"], sheet["A8"] = "1.2", "1.2"  # a plain repeat, as text
    book.save(path)
    code, output = province("import", "plan", str(path))
    assert code == 1 and "trùng với dòng 7" in output and "1.10" not in output


# --- A task given to a unit group fans out to its members --------------------------------

def commune_plan(path: Path) -> Path:
    """The city's plan with a task for every commune and ward, as real plans write it."""
    book = Workbook()
    sheet = book.active
    for row in (["UBND THÀNH PHỐ SƠN LA"], ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021"], [],
                HEADER, ["I", "Cải cách thủ tục hành chính"],
                ["1.1", "Rà soát thủ tục hành chính", "Phòng Nội vụ thành phố", None, "Báo cáo",
                 "Tháng 6/2021", "Đang thực hiện", None],
                ["1.2", "Niêm yết công khai thủ tục hành chính", "UBND các xã, phường", None,
                 "Báo cáo", "Tháng 6/2021", "Đang thực hiện", None]):
        sheet.append(row)
    book.save(path)
    return path


def test_a_task_given_to_the_communes_is_one_item_per_commune_and_counted_once(
    cchc, engine, tmp_path
):
    assert cchc("import", "units", str(EXAMPLES / "units.csv"))[0] == 0
    path = commune_plan(tmp_path / "communes.xlsx")
    code, output = cchc("import", "plan", str(path))
    assert code == 0 and "5 mới" in output, output
    assert "nhiệm vụ 1.2 giao 'UBND các xã, phường' → 4 đơn vị" in " ".join(output.split())
    with UnitOfWork(engine).reading() as session:
        items = {i.code: i for i in session.exec(select(TrackedItem))}
    assert set(items) == {"1.1", "1.2/P-CL", "1.2/P-TH", "1.2/X-CX", "1.2/X-HL"}
    assert items["1.1"].unit_code == "PNV"
    assert {items[c].unit_code for c in items if c.startswith("1.2/")} == {
        "P-CL", "P-TH", "X-CX", "X-HL"}

    assert cchc("task", "done", "1.2/X-CX", "--on", "10/06/2021")[0] == 0
    code, output = cchc("status", "--as-of", "15/06/2021", "--json")
    report = json.loads(output)
    assert report["tasks"]["total"] == 2 and report["tasks"]["done"] == 0
    assert report["shared_tasks"] == [{"code": "1.2", "group": "UBND các xã, phường",
                                       "units_done": 1, "units_total": 4}]
    by_unit = {u["unit"]: u for u in report["by_unit"]}
    assert by_unit["X-CX"]["done"] == 1 and by_unit["P-TH"]["total"] == 1
    code, output = cchc("status", "--as-of", "15/06/2021")
    assert "1.2 (UBND các xã, phường): 1/4 đơn vị hoàn thành" in " ".join(output.split())

    code, output = cchc("import", "plan", str(path))
    assert code == 0 and "0 mới" in output and "5 không đổi" in output, output


def test_partner_cells_name_the_units_they_can_and_keep_the_rest_as_written(cchc, tmp_path):
    assert cchc("import", "units", str(EXAMPLES / "units.csv"))[0] == 0
    book = Workbook()
    for row in (["UBND THÀNH PHỐ SƠN LA"], ["KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021"], [], HEADER,
                ["I", "Cải cách thủ tục hành chính"],
                ["1.1", "Rà soát thủ tục hành chính", "PNV",
                 "Phòng Tư pháp, Công an thành phố", "Báo cáo", "Tháng 6/2021", None, None],
                ["1.2", "Tập huấn nghiệp vụ", "PNV", "UBND các xã, phường", "Lớp tập huấn",
                 "Tháng 9/2021", None, None]):
        book.active.append(row)
    book.save(tmp_path / "partners.xlsx")
    code, output = cchc("import", "plan", str(tmp_path / "partners.xlsx"))
    assert code == 0, output
    assert ("'Phòng Tư pháp, Công an thành phố' → PTP (giữ như ghi: Công an thành phố)"
            in " ".join(output.split()))
    code, output = cchc("items", "--json")
    partners = {i["code"]: i["partners"] for i in json.loads(output)["items"]}
    assert partners["1.1"] == ["PTP"]
    assert sorted(partners["1.2"]) == ["P-CL", "P-TH", "X-CX", "X-HL"]


def test_a_unit_added_to_the_group_gets_its_item_on_the_next_import(cchc, engine, tmp_path):
    assert cchc("import", "units", str(EXAMPLES / "units.csv"))[0] == 0
    path = commune_plan(tmp_path / "communes.xlsx")
    assert cchc("import", "plan", str(path))[0] == 0
    units = tmp_path / "units-more.csv"
    units.write_text(
        (EXAMPLES / "units.csv").read_text(encoding="utf-8")
        + 'X-CN,UBND xã Chiềng Ngần,TP-SL,Chủ tịch UBND xã Chiềng Ngần,'
          'chutich@chiengngan.example,,,"UBND cấp xã"\n', encoding="utf-8")
    assert cchc("import", "units", str(units))[0] == 0
    code, output = cchc("import", "plan", str(path))
    assert code == 0 and "1 mới" in output and "5 không đổi" in output, output
    with UnitOfWork(engine).reading() as session:
        item = session.exec(select(TrackedItem).where(TrackedItem.code == "1.2/X-CN")).one()
    assert (item.unit_code, item.task_code, item.due_date) == ("X-CN", "1.2", date(2021, 6, 30))


def test_each_commune_of_a_shared_task_is_reminded_on_its_own(engine, database_url, tmp_path,
                                                              cchc):
    import logging

    from flows import checking

    from flows.application import build_application
    from flows.settings import Settings

    assert cchc("import", "units", str(EXAMPLES / "units.csv"))[0] == 0
    assert cchc("import", "plan", str(commune_plan(tmp_path / "communes.xlsx")))[0] == 0
    settings = Settings(database_url=database_url, maildir=tmp_path / "outbox",
                        policy_file=EXAMPLES / "policy.toml")
    app = build_application(settings, engine=engine)
    checking.sweep_and_seal(app, date(2021, 7, 2), logging.getLogger("test"))
    checking.dispatch(app, logging.getLogger("test"))
    mails = [p.read_text(encoding="utf-8") for p in (tmp_path / "outbox").rglob("*.eml")]
    for head in ("chutich@tohieu.tpsonla.sonla.example", "chutich@chiengxom.tpsonla.sonla.example",
                 "chutich@chiengle.tpsonla.sonla.example", "chutich@huala.tpsonla.sonla.example"):
        assert any(f"To: {head}" in mail for mail in mails), head


# --- A re-import never blanks what the file does not carry --------------------------------

def test_the_csv_after_the_xlsx_keeps_the_plans_title_decision_date_and_owner(loaded, engine):
    code, output = loaded("import", "plan", str(EXAMPLES / "plan-2021.csv"), "--year", "2021")
    assert code == 0, output
    assert "tệp không ghi tiêu đề, số văn bản, ngày văn bản, đơn vị ban hành — giữ như đã có" in (
        " ".join(output.split()))
    with UnitOfWork(engine).reading() as session:
        plan = session.get(Plan, "KH-2021")
    assert (plan.title, plan.decision_number, plan.decision_date, plan.owner_unit_code) == (
        "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2021", "32/QĐ-UBND", date(2021, 1, 7), "TP-SL")


def test_what_a_reimport_changes_in_the_plans_identity_is_said(loaded, engine, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(EXAMPLES / "plan-2021.xlsx")
    book.active["A3"] = "(Ban hành kèm theo Quyết định số 45/QĐ-UBND ngày 15/01/2021)"
    book.save(tmp_path / "plan-amended.xlsx")
    code, output = loaded("import", "plan", str(tmp_path / "plan-amended.xlsx"))
    flat = " ".join(output.split())
    assert code == 0, output
    assert "số văn bản '32/QĐ-UBND' → '45/QĐ-UBND'" in flat
    assert "ngày văn bản 07/01/2021 → 15/01/2021" in flat


# --- Findings files -----------------------------------------------------------------------

def test_a_findings_sheet_with_synonyms_unit_names_and_the_concluding_authority(
    cchc, engine, tmp_path
):
    assert cchc("import", "units", str(EXAMPLES / "units.csv"))[0] == 0
    book = Workbook()
    sheet = book.active
    for row in (["TỔNG HỢP TỒN TẠI, HẠN CHẾ QUA KIỂM TRA CCHC"], [],
                ["Mã tồn tại", "Đoàn kiểm tra", "Ngày kết luận", "Tồn tại", "Đơn vị khắc phục",
                 "Kiến nghị khắc phục", "Thời hạn khắc phục", "Tình hình khắc phục",
                 "Ngày hoàn thành", "Cơ quan kết luận"],
                ["KT22-01", "Đoàn kiểm tra CCHC năm 2022", datetime(2022, 5, 4),
                 "Chưa niêm yết TTHC", "UBND phường Tô Hiệu", "Niêm yết đầy đủ",
                 "15 ngày làm việc", "Đã hoàn thành", datetime(2022, 5, 20),
                 "UBND thành phố Sơn La"],
                ["KT22-02", "Đoàn kiểm tra CCHC năm 2022", datetime(2022, 5, 4),
                 "Hồ sơ trễ hạn", "Văn phòng UBND thành phố", "Chấn chỉnh", "Quý III/2022",
                 "Đang thực hiện", None, "UBND thành phố Sơn La"]):
        sheet.append(row)
    book.save(tmp_path / "ket-luan.xlsx")
    code, output = cchc("import", "findings", str(tmp_path / "ket-luan.xlsx"))
    assert code == 0, output
    assert "cột J 'Cơ quan kết luận' → cơ quan kết luận" in " ".join(output.split())
    with UnitOfWork(engine).reading() as session:
        items = {i.code: i for i in session.exec(select(TrackedItem))}
        inspection = session.exec(select(Inspection)).one()
    assert (items["KT22-01"].unit_code, items["KT22-01"].completed_on) == ("P-TH", date(2022, 5, 20))
    assert (items["KT22-02"].unit_code, items["KT22-02"].due_date) == ("VP", date(2022, 9, 30))
    assert inspection.concluded_by_unit_code == "TP-SL"
