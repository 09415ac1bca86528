"""Reading the secretariat's spreadsheets (.xlsx, .csv) into rows: the title block above the
header is kept as text, the header row is found by its labels (case, accents and spacing do
not matter), and every value keeps its row number and column letter for error messages."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from domain.deadlines import normalise
from domain.importers import Column, ImportFailed, ImportProblem, Row, Table

# How far down a title block may reach before the header row.
_HEADER_SEARCH_ROWS = 30


def read_table(path: Path, columns: Sequence[Column]) -> Table:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFailed([ImportProblem(str(path), None, None, None, "không tìm thấy tệp")])
    if suffix == ".xlsx":
        raw = _xlsx_rows(path)
    elif suffix == ".csv":
        raw = _csv_rows(path)
    else:
        raise ImportFailed(
            [ImportProblem(path.name, None, None, suffix, "chỉ đọc được tệp .xlsx hoặc .csv")]
        )
    return _locate(path, raw, columns)


def _xlsx_rows(path: Path) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several types for a damaged file
        raise ImportFailed(
            [ImportProblem(path.name, None, None, None, f"không mở được tệp Excel: {error}")]
        ) from error
    try:
        return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _csv_rows(path: Path) -> list[tuple[Any, ...]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [tuple(row) for row in csv.reader(handle)]
    except UnicodeDecodeError as error:
        raise ImportFailed(
            [ImportProblem(path.name, None, None, None, "tệp CSV phải được lưu với mã UTF-8")]
        ) from error


def _locate(path: Path, raw: list[tuple[Any, ...]], columns: Sequence[Column]) -> Table:
    wanted = {normalise(label): column for column in columns for label in column.labels}
    for index, cells in enumerate(raw[:_HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, cell in enumerate(cells):
            column = wanted.get(normalise(str(cell))) if cell is not None else None
            if column is not None and column.key not in found:
                found[column.key] = position
        if all(c.key in found for c in columns if c.required):
            title = [_text(c) for row in raw[:index] for c in row if _text(c)]
            return Table(
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
