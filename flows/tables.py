"""Reading the secretariat's spreadsheets (.xlsx, .csv) into rows: the title block above the
header is kept as text, the header row is found by its labels (case, accents and spacing do
not matter), and every value keeps its row number and column letter for error messages."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula

from domain.deadlines import normalise
from domain.importers import Column, ImportFailed, ImportProblem, Row, Table

# How far down a title block may reach before the header row.
_HEADER_SEARCH_ROWS = 30


def read_table(path: Path, columns: Sequence[Column]) -> Table:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFailed([ImportProblem(str(path), None, None, None, "không tìm thấy tệp")])
    merged: list[str] = []
    if suffix == ".xlsx":
        raw, merged = _xlsx_rows(path)
    elif suffix == ".csv":
        raw = _csv_rows(path)
    else:
        raise ImportFailed(
            [ImportProblem(path.name, None, None, suffix, "chỉ đọc được tệp .xlsx hoặc .csv")]
        )
    table, header_row = _locate(path, raw, columns)
    problems = _cell_problems(table, header_row, merged, raw if suffix == ".csv" else None)
    if problems:
        raise ImportFailed(problems)
    return table


def _cell_problems(
    table: Table, header_row: int, merged: list[str], csv_rows: list[tuple[Any, ...]] | None
) -> list[ImportProblem]:
    """What the importers cannot read safely: a formula (its value is whatever Excel last
    computed, if anything), a merged cell below the header (only its first cell holds the
    value), a CSV row with fewer cells than the header (a file cut short)."""
    problems = []
    width = len(csv_rows[header_row - 1]) if csv_rows else None
    for ranged in merged:
        bounds = range_boundaries(ranged)
        if bounds[3] > header_row:
            problems.append(ImportProblem(
                table.file, max(bounds[1], header_row + 1), ranged, None,
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
            if isinstance(value, str) and value.startswith("="):
                problems.append(ImportProblem(
                    table.file, row.number, f"{table.letters[key]} ({table.labels[key]})", value,
                    "không nhận công thức: hãy dán giá trị",
                ))
    return problems


def _xlsx_rows(path: Path) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The first sheet's values (a formula as its text "=…", so that it can be refused) and
    its merged ranges."""
    from openpyxl import load_workbook

    try:
        # Not read-only: only a full load knows the merged cells.
        workbook = load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises several types for a damaged file
        raise ImportFailed(
            [ImportProblem(path.name, None, None, None, f"không mở được tệp Excel: {error}")]
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = [tuple(_formula_text(v) for v in row) for row in sheet.iter_rows(values_only=True)]
        return rows, [str(merged) for merged in sheet.merged_cells.ranges]
    finally:
        workbook.close()


def _formula_text(value: Any) -> Any:
    # An array formula comes back as an object holding its text.
    return f"={value.text.lstrip('=')}" if isinstance(value, ArrayFormula) else value


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


def _locate(
    path: Path, raw: list[tuple[Any, ...]], columns: Sequence[Column]
) -> tuple[Table, int]:
    """The table below the header row, and the header row's number."""
    wanted = {normalise(label): column for column in columns for label in column.labels}
    for index, cells in enumerate(raw[:_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, cell in enumerate(cells):
            column = wanted.get(normalise(str(cell))) if cell is not None else None
            if column is not None and column.key not in found:
                found[column.key] = position
        if all(c.key in found for c in columns if c.required):
            title = [_text(c) for row in raw[:index] for c in row if _text(c)]
            table = Table(
                file=path.name,
                title_lines=title,
                letters={key: get_column_letter(pos + 1) for key, pos in found.items()},
                labels={c.key: c.label for c in columns},
                rows=[
                    Row(number, _pick(cells, found))
                    for number, cells in enumerate(raw[index + 1 :], start=index + 2)
                    if any(_text(c) for c in cells)
                ],
            )
            return table, index + 1
    expected = ", ".join(c.label for c in columns if c.required)
    raise ImportFailed(
        [
            ImportProblem(
                path.name,
                None,
                None,
                None,
                f"không tìm thấy dòng tiêu đề có đủ các cột: {expected}",
            )
        ]
    )


def _pick(cells: tuple[Any, ...], found: Mapping[str, int]) -> dict[str, Any]:
    values = {}
    for key, position in found.items():
        value = cells[position] if position < len(cells) else None
        values[key] = value.strip() or None if isinstance(value, str) else value
    return values


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
