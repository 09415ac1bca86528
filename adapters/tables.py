"""Reading the secretariat's spreadsheets (.xlsx, .csv) into rows: the title block above the
header is kept as text, the header is found by its labels (`adapters.headers`), and every value
keeps its row number and column letter for error messages."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula

from domain.columns import Column
from domain.importers import ImportFailed, ImportProblem, Row, Table
from adapters.headers import (
    Header,
    HeaderNotFound,
    Merge,
    as_date,
    excel_date_text,
    find_header,
    header_problem,
)


_FORMULA_FIX_XLSX = ("công thức chưa có giá trị lưu kèm (tệp do một chương trình tạo ra, chưa "
                     "từng mở bằng Excel): hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại, "
                     "hoặc dán giá trị thay cho công thức")
_FORMULA_FIX_CSV = "không nhận công thức: hãy dán giá trị"


def read_table(
    path: Path,
    columns: Sequence[Column],
    mapping: Mapping[str, str] | None = None,
    mapping_source: str = "--columns",
) -> Table:
    """`mapping` (column key → letter) places columns whose label the synonyms do not know."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFailed([ImportProblem(str(path), None, None, None, "không tìm thấy tệp")])
    merged: list[str] = []
    formats: dict[tuple[int, int], str] = {}
    computed: list[tuple[int, int]] = []
    if suffix == ".xlsx":
        raw, merged, formats, computed = _xlsx_rows(path)
    elif suffix == ".csv":
        raw = _csv_rows(path)
    else:
        raise ImportFailed(
            [ImportProblem(path.name, None, None, suffix, "chỉ đọc được tệp .xlsx hoặc .csv")]
        )
    merges = [Merge.parse(ranged) for ranged in merged]
    try:
        header = find_header(raw, merges, columns, mapping or {}, mapping_source)
    except HeaderNotFound as error:
        raise ImportFailed([header_problem(path.name, error)]) from None
    table = _table(path, raw, header, columns, formats, computed)
    problems = _cell_problems(table, header.last_row, merged, raw if suffix == ".csv" else None)
    if problems:
        raise ImportFailed(problems)
    return table


def _cell_problems(
    table: Table, header_row: int, merged: list[str], csv_rows: list[tuple[Any, ...]] | None
) -> list[ImportProblem]:
    """What the importers cannot read safely: a formula with no value stored with it (a CSV
    never has one) or whose stored value is an Excel error (#REF!, #N/A…), a merged cell below the header (only its first cell holds the
    value; a merge within one row, such as a group's title, loses nothing), a CSV row with
    fewer cells than the header (a file cut short)."""
    problems = []
    width = len(csv_rows[header_row - 1]) if csv_rows else None
    for ranged in merged:
        bounds = Merge.parse(ranged)
        if bounds.max_row > header_row and bounds.max_row > bounds.min_row:
            problems.append(ImportProblem(
                table.file, max(bounds.min_row, header_row + 1), ranged, None,
                "ô gộp trong vùng dữ liệu: hãy bỏ gộp và điền giá trị vào từng ô",
            ))
    for row in table.rows:
        cells = len(csv_rows[row.number - 1]) if csv_rows else None
        if width is not None and cells < width:
            problems.append(ImportProblem(
                table.file, row.number, None, None,
                f"dòng chỉ có {cells} ô, dòng tiêu đề có {width}: tệp bị cắt cụt?",
            ))
        for key, value in row.values.items():
            where = f"{table.letters[key]} ({table.labels[key]})"
            if isinstance(value, str) and value.startswith("="):
                problems.append(ImportProblem(
                    table.file, row.number, where, value,
                    _FORMULA_FIX_CSV if csv_rows else _FORMULA_FIX_XLSX,
                ))
            elif value in ERROR_CODES:
                problems.append(ImportProblem(
                    table.file, row.number, where, value,
                    "công thức báo lỗi trong Excel: hãy sửa công thức rồi lưu lại",
                ))
    return problems


def _xlsx_rows(path: Path) -> tuple[
    list[tuple[Any, ...]], list[str], dict[tuple[int, int], str], list[tuple[int, int]]
]:
    """The first sheet's values, its merged ranges, the number format of each date cell
    (0-based row, column) and the formula cells read as their stored values. A formula reads
    as the value Excel stored with it when the file was last saved; one with no stored value
    (a file written by a program and never opened) reads as its text "=…", so that it can be
    refused."""
    # Not read-only: only a full load knows the merged cells.
    workbook = _open_workbook(path, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        rows, formats, formulas = [], {}, []
        for r, cells in enumerate(sheet.iter_rows()):
            rows.append(tuple(cell.value for cell in cells))
            for c, cell in enumerate(cells):
                if cell.data_type == "f":
                    formulas.append((r, c))
                # A formula's stored value may be a date, shown by its cell's format too.
                if cell.data_type == "f" or as_date(cell.value) is not None:
                    formats[r, c] = cell.number_format
        merged = [str(ranged) for ranged in sheet.merged_cells.ranges]
    finally:
        workbook.close()
    if formulas:
        rows = _stored_values(path, rows, formulas)
    computed = [(r, c) for r, c in formulas if not str(rows[r][c]).startswith("=")]
    return rows, merged, formats, computed


def _stored_values(path: Path, rows: list[tuple[Any, ...]], formulas: list[tuple[int, int]]
                   ) -> list[tuple[Any, ...]]:
    """Each formula cell replaced by the value stored with it, or by its text when none is."""
    stored = _open_workbook(path, data_only=True)
    try:
        sheet = stored.worksheets[0]
        cells = [list(row) for row in rows]
        for r, c in formulas:
            value = sheet.cell(r + 1, c + 1).value
            if value is None:
                # An array formula comes back as an object holding its text.
                text = cells[r][c].text if isinstance(cells[r][c], ArrayFormula) else cells[r][c]
                value = f"={str(text).lstrip('=')}"
            cells[r][c] = value
        return [tuple(row) for row in cells]
    finally:
        stored.close()


def _open_workbook(path: Path, *, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=data_only)
    except Exception as error:  # openpyxl raises several types for a damaged file
        raise ImportFailed([ImportProblem(
            path.name, None, None, None,
            "không mở được tệp Excel: tệp này không phải tệp Excel .xlsx (hoặc đã bị hỏng); "
            "hãy mở bằng Excel và lưu lại dạng Sổ làm việc Excel (.xlsx)",
        )]) from error


def _csv_rows(path: Path) -> list[tuple[Any, ...]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(
            [ImportProblem(path.name, line, None, None, "tệp CSV phải được lưu với mã UTF-8")]
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        return [tuple(row) for row in reader]
    except csv.Error as error:
        # strict: a quote left open at the end means the file was cut short
        raise ImportFailed([ImportProblem(
            path.name, reader.line_num, None, None,
            f"tệp CSV hỏng hoặc bị cắt cụt ({error})",
        )]) from error


def _table(
    path: Path,
    raw: list[tuple[Any, ...]],
    header: Header,
    columns: Sequence[Column],
    formats: Mapping[tuple[int, int], str],
    computed: Sequence[tuple[int, int]],
) -> Table:
    found = header.positions
    rows = []
    dates_read = []
    for number, cells in enumerate(raw[header.last_row:], start=header.last_row + 1):
        if not any(_text(c) for c in cells):
            continue
        values = _pick(cells, found)
        # A deadline typed as a date cell reads as the text the officer sees in Excel.
        day = as_date(values.get("deadline"))
        if day is not None:
            values["deadline"] = excel_date_text(day, formats.get((number - 1, found["deadline"]),
                                                                  "General"))
            dates_read.append(f"dòng {number} '{values['deadline']}'")
        rows.append(Row(number, values))
    reading = list(header.reading)
    if dates_read:
        reading.append(f"thời hạn nhập dạng ngày của Excel, đọc như Excel hiển thị: "
                       f"{', '.join(dates_read)}")
    by_column = Counter(c for r, c in computed if r >= header.last_row
                        and c in found.values())
    if by_column:
        reading.append("ô công thức, đọc theo giá trị Excel đã tính và lưu kèm: " + ", ".join(
            f"cột {get_column_letter(c + 1)} {count} ô" for c, count in sorted(by_column.items())))
    return Table(
        file=path.name,
        # A title typed over two lines in one cell is one line of text.
        title_lines=[" ".join(_text(c).split()) for row in raw[: header.first_row - 1]
                     for c in row if _text(c)],
        letters={key: get_column_letter(pos + 1) for key, pos in found.items()},
        labels={c.key: header.labels.get(found[c.key], c.label) if c.key in found else c.label
                for c in columns},
        rows=rows,
        reading=reading,
    )


def _pick(cells: tuple[Any, ...], found: Mapping[str, int]) -> dict[str, Any]:
    values = {}
    for key, position in found.items():
        value = cells[position] if position < len(cells) else None
        values[key] = value.strip() or None if isinstance(value, str) else value
    return values


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
