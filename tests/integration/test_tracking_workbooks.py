"""Tracking workbooks as secretariats keep them (bảng theo dõi tiến độ nhiệm vụ): rows numbered
by formulas Excel has computed, a deadline not set yet, labels that add words to a synonym, a
group label left over two columns, units the units file lacks, partners with their role in
brackets — each imported as a person reads it, and the import says so."""

from __future__ import annotations

import re
import shlex
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook
from sqlmodel import select

from domain.models import TrackedItem
from persistence.unit_of_work import UnitOfWork
from tests.integration.test_import_and_status import _fingerprint
from tests.integration.test_real_workbooks import HEADING, PROVINCE_UNITS  # noqa: F401
from tests.integration.test_real_workbooks import province  # noqa: F401  (the fixture)

TITLE = "BẢNG THEO DÕI TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"
LABELS = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
          "Thời gian hoàn thành", "Tình hình thực hiện", "Ngày hoàn thành", "Ghi chú"]
# Tasks as the rows under the header write them: lead, partners, deadline, status, done on.
TASKS = [
    ("Sở Nội vụ", None, "Quý I/2022", "Hoàn thành", datetime(2022, 3, 20)),
    ("Sở Tư pháp", "Sở Nội vụ", "Tháng 6/2022", "Đang thực hiện", None),
    ("Sở Giao thông vận tải", None, "30/09/2022", "Chưa thực hiện", None),
]
FIRST = 6  # the first task's row: heading (2), title, blank, header


def tracking_workbook(path: Path, *, labels=LABELS, tasks=TASKS, formulas=False,
                      title=TITLE) -> Path:
    """Heading, title, a blank row, a one-row header, then the tasks; numbered 1, 2, 3 or,
    with `formulas`, "=A6+1" below the first as Excel users write it."""
    book = Workbook()
    sheet = book.active
    for row in [*HEADING, [title], []]:
        sheet.append(row)
    sheet.append(list(labels))
    for n, (lead, partners, deadline, state, done) in enumerate(tasks, start=1):
        number = f"=A{FIRST + n - 2}+1" if formulas and n > 1 else n
        sheet.append([number, f"Nhiệm vụ số {n}", lead, partners, deadline, state, done, None])
    book.save(path)
    return path


def store_values(path: Path, values: dict[str, object]) -> Path:
    """The workbook as Excel saves it: each formula cell named keeps its formula and gains the
    value Excel computed for it (openpyxl writes formulas with no value)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for ref, value in values.items():
        kind = ' t="str"' if isinstance(value, str) else ""
        kind = ' t="e"' if str(value).startswith("#") else kind  # an error Excel computed
        sheet, count = re.subn(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>',
                               rf'<c r="{ref}"\1{kind}><f>\2</f><v>{escape(str(value))}</v>',
                               sheet)
        assert count == 1, ref
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def items(engine) -> dict[str, TrackedItem]:
    with UnitOfWork(engine).reading() as session:
        return {i.code: i for i in session.exec(select(TrackedItem))}


def flat(output: str) -> str:
    return " ".join(output.split())


# --- 5. Formulas with the values Excel stored ---------------------------------------------

def test_rows_numbered_and_deadlines_computed_by_formulas_read_the_values_excel_stored(
    province, engine, tmp_path
):
    path = tracking_workbook(tmp_path / "theo-doi.xlsx", formulas=True)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active["E8"] = '="Quý "&"III/2022"'  # a deadline the sheet computes
    book.save(path)
    store_values(path, {"A7": 2, "A8": 3, "E8": "Quý III/2022"})
    code, output = province("import", "plan", str(path))
    assert code == 0, output
    assert ("ô công thức, đọc theo giá trị Excel đã tính và lưu kèm: cột A 2 ô, cột E 1 ô"
            in flat(output))
    found = items(engine)
    assert set(found) == {"1", "2", "3"}
    assert found["3"].deadline_text == "Quý III/2022" and found["3"].unit_code == "SGTVT"


def test_a_formula_no_program_has_computed_is_refused_by_its_cells_with_the_fix(
    province, database_url, tmp_path
):
    path = tracking_workbook(tmp_path / "xuat-tu-phan-mem.xlsx", formulas=True)
    before = _fingerprint(database_url)
    code, output = province("import", "plan", str(path))
    said = flat(output)
    assert code == 1
    assert "dòng 7, cột A (STT)" in said and "dòng 8, cột A (STT)" in said
    assert "mở tệp bằng Excel hoặc LibreOffice rồi lưu lại" in said
    assert _fingerprint(database_url) == before


def test_a_formula_excel_computed_as_an_error_is_refused_by_its_cell(province, tmp_path):
    path = store_values(tracking_workbook(tmp_path / "loi.xlsx", formulas=True),
                        {"A7": 2, "A8": "#REF!"})
    code, output = province("import", "plan", str(path))
    assert code == 1
    assert "dòng 8, cột A (STT): công thức báo lỗi trong Excel" in flat(output)
    assert "dòng 7" not in output


# --- 6. A blank deadline cell is a deadline not set yet ----------------------------------

def test_a_blank_deadline_is_imported_as_undetermined_with_its_row_and_strict_refuses_it(
    province, engine, database_url, tmp_path
):
    tasks = [*TASKS[:2], ("Sở Giao thông vận tải", None, None, "Chưa thực hiện", None)]
    path = tracking_workbook(tmp_path / "chua-co-han.xlsx", tasks=tasks)
    before = _fingerprint(database_url)
    code, output = province("import", "plan", str(path), "--strict")
    assert code == 1 and "dòng 8, cột E (Thời gian hoàn thành)" in flat(output)
    assert _fingerprint(database_url) == before
    code, output = province("import", "plan", str(path))
    assert code == 0, output
    assert ("chua-co-han.xlsx, dòng 8, cột E (Thời gian hoàn thành): (ô trống) → chưa xác định "
            "thời hạn") in flat(output)
    item = items(engine)["3"]
    assert (item.deadline_kind, item.due_date) == ("undetermined", None)


# --- 7. A label that adds words to a synonym ----------------------------------------------

@pytest.mark.parametrize(("label", "synonym"), [
    ("Ngày dự kiến trình ban hành", "Ngày dự kiến trình"),
    ("Thời hạn hoàn thành dự kiến", "Thời hạn hoàn thành"),
    ("Thời gian hoàn thành (dự kiến)", "Thời gian hoàn thành"),
])
def test_a_label_that_starts_with_a_synonym_and_adds_words_is_that_column(
    province, engine, tmp_path, label, synonym
):
    labels = [label if text == "Thời gian hoàn thành" else text for text in LABELS]
    path = tracking_workbook(tmp_path / "du-kien.xlsx", labels=labels)
    code, output = province("import", "plan", str(path))
    assert code == 0, output
    assert f"cột E '{label}' → thời hạn (nhãn '{synonym}' có thêm chữ)" in flat(output)
    assert items(engine)["2"].deadline_text == "Tháng 6/2022"


# --- 8. One group label left over two columns ---------------------------------------------

def group_label_over_two_columns(path: Path, tasks=TASKS) -> Path:
    """"Kết quả thực hiện" merged over F:G, the sub-labels under it deleted; every other label
    merged down over both header rows."""
    labels = [*LABELS[:5], "Kết quả thực hiện", None, "Ghi chú"]
    tracking_workbook(path, labels=labels, tasks=[])
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.active
    sheet.append([])  # the emptied sub-label row
    for n, (lead, partners, deadline, state, done) in enumerate(tasks, start=1):
        sheet.append([n, f"Nhiệm vụ số {n}", lead, partners, deadline, state, done, None])
    for letter in "ABCDEH":
        sheet.merge_cells(f"{letter}5:{letter}6")
    sheet.merge_cells("F5:G5")
    book.save(path)
    return path


def test_one_label_over_a_status_and_a_date_column_is_told_apart_by_their_cells(
    province, engine, tmp_path
):
    path = group_label_over_two_columns(tmp_path / "ket-qua.xlsx")
    code, output = province("import", "plan", str(path))
    said = flat(output)
    assert code == 0, output
    assert "cột F, G cùng mang tiêu đề gộp 'Kết quả thực hiện': phân biệt theo nội dung" in said
    assert "cột F 'Kết quả thực hiện' → trạng thái (theo nội dung: chữ chỉ trạng thái)" in said
    assert "cột G 'Kết quả thực hiện' → ngày hoàn thành (theo nội dung: ngày)" in said
    assert items(engine)["1"].completed_on == datetime(2022, 3, 20).date()


def test_when_the_cells_cannot_tell_the_suggested_columns_work_as_printed(
    province, engine, tmp_path
):
    not_started = [(lead, partners, deadline, None, None)
                   for lead, partners, deadline, _, _ in TASKS]
    path = group_label_over_two_columns(tmp_path / "chua-bao-cao.xlsx", tasks=not_started)
    code, output = province("import", "plan", str(path))
    assert code == 1
    suggested = re.search(r'--columns "[^"]+"', flat(output))
    assert suggested and "trang_thai=F" in suggested[0] and "ngay_hoan_thanh=G" in suggested[0]
    code, output = province("import", "plan", str(path), *shlex.split(suggested[0]))
    assert code == 0, output
    assert set(items(engine)) == {"1", "2", "3"}


# --- 9. Units the units file lacks ---------------------------------------------------------

def test_skip_unknown_units_imports_the_secretariats_own_rows_and_lists_the_others(
    province, engine, database_url, tmp_path
):
    tasks = [*TASKS, ("Ban Pháp chế HĐND tỉnh", None, "Quý II/2022", None, None),
             ("Ngân hàng Nhà nước chi nhánh tỉnh Điện Biên", None, "Quý IV/2022", None, None)]
    path = tracking_workbook(tmp_path / "toan-tinh.xlsx", tasks=tasks)
    before = _fingerprint(database_url)
    code, output = province("import", "plan", str(path))
    assert code == 1 and "dòng 9, cột C" in flat(output) and "dòng 10, cột C" in flat(output)
    assert "nhập với --skip-unknown-units để bỏ qua dòng" in flat(output)
    assert _fingerprint(database_url) == before
    code, output = province("import", "plan", str(path), "--skip-unknown-units")
    assert code == 0, output
    assert ("bỏ qua 2 dòng giao cho đơn vị không có trong danh sách đơn vị "
            "(--skip-unknown-units): dòng 9 'Ban Pháp chế HĐND tỉnh', dòng 10 'Ngân hàng Nhà "
            "nước chi nhánh tỉnh Điện Biên'") in flat(output)
    assert set(items(engine)) == {"1", "2", "3"}


# --- 10. A partner with its role in brackets ----------------------------------------------

def test_a_partner_with_its_role_in_brackets_is_the_unit_and_unmatched_partners_are_named(
    province, engine, tmp_path
):
    tasks = [("Sở Nội vụ", "Sở Tư pháp (thẩm định), Sở Giao thông vận tải (góp ý)",
              "Quý II/2022", None, None),
             ("Sở Nội vụ", "Hội Luật gia tỉnh", "Quý III/2022", None, None)]
    path = tracking_workbook(tmp_path / "phoi-hop.xlsx", tasks=tasks)
    code, output = province("import", "plan", str(path))
    said = flat(output)
    assert code == 0, output
    assert ("'Sở Tư pháp (thẩm định), Sở Giao thông vận tải (góp ý)' → STP (thẩm định), "
            "SGTVT (góp ý)") in said
    assert "đơn vị phối hợp không khớp đơn vị nào (giữ như ghi): 'Hội Luật gia tỉnh'" in said
    found = items(engine)
    assert found["1"].partner_codes == ["STP", "SGTVT"]
    assert found["1"].cooperating == "Sở Tư pháp (thẩm định), Sở Giao thông vận tải (góp ý)"


# --- 11. The import says what its dry run says --------------------------------------------

def test_the_import_prints_what_its_dry_run_prints_on_one_line_each(province, tmp_path):
    tasks = [*TASKS[:2], ("Sở Giao thông vận tải", None, "Quý IV/2022\n(báo cáo năm)",
                          None, None),
             ("Sở Nội vụ", None, "Theo kế hoạch", None, None)]
    path = tracking_workbook(tmp_path / "theo-doi.xlsx", tasks=tasks,
                             title="KẾ HOẠCH\nCải cách hành chính năm 2022")
    code, preview = province("import", "plan", str(path), "--dry-run")
    assert code == 0, preview
    code, output = province("import", "plan", str(path))
    assert code == 0, output
    shared = preview[preview.index("Thời hạn theo loại"):]
    assert "Theo kế hoạch → chưa xác định thời hạn" in flat(shared) and shared in output
    # Cells and titles typed over two lines in one cell are printed on one.
    assert "cột E (Thời gian hoàn thành): Quý IV/2022 (báo cáo năm) → 31/12/2022" in flat(output)
    assert "tiêu đề: 'KẾ HOẠCH Cải cách hành chính năm 2022'" in flat(output)
    assert "Quý IV/2022\n(" not in output and "KẾ HOẠCH\nCải" not in output
