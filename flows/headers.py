"""Finding a sheet's header the way a person does: labels matched against the synonyms of
`domain.columns`, a two-row header (a merged group label over its sub-labels) read as one, a row
of column numbers under it skipped, and every column said — used for what, or ignored."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from domain.columns import Column, header_key, label_index
from domain.importers import ImportProblem

# How far down a title block may reach before the header row.
HEADER_SEARCH_ROWS = 30
_COLUMN_NUMBER = re.compile(r"\(?\s*\d{1,2}\s*\)?")


@dataclass(frozen=True)
class Header:
    first_row: int  # 1-based rows of the sheet
    last_row: int  # the last header row, or the column-number row under it
    positions: dict[str, int]  # column key → 0-based position
    labels: dict[int, str]  # position → the label as written ("Kết quả thực hiện / Trạng thái")
    reading: list[str]


@dataclass(frozen=True)
class Merge:
    min_col: int
    min_row: int
    max_col: int
    max_row: int

    @classmethod
    def parse(cls, ranged: str) -> Merge:
        return cls(*range_boundaries(ranged))

    @property
    def horizontal(self) -> bool:
        return self.max_col > self.min_col


class HeaderNotFound(Exception):
    def __init__(self, problem_text: str) -> None:
        super().__init__(problem_text)
        self.text = problem_text


def find_header(
    raw: Sequence[tuple[Any, ...]],
    merges: Sequence[Merge],
    columns: Sequence[Column],
    mapping: Mapping[str, str],
    mapping_source: str,
) -> Header:
    """The first row (with the one under it, when that holds sub-labels) that places every
    required column; a missing column is named with the labels seen on the likeliest row."""
    index = label_index(columns)
    fixed = {key: column_index_from_string(letter) - 1 for key, letter in mapping.items()}
    best: tuple[int, int] | None = None  # (labels recognised, row) for the error message
    for i in range(min(len(raw), HEADER_SEARCH_ROWS)):
        top = _filled(raw, merges, i)
        if not any(header_key(t) in index for t in top if t) and not any(
            p < len(top) and top[p] for p in fixed.values()
        ):
            continue
        sub = raw[i + 1] if i + 1 < len(raw) else ()
        two_rows = _is_sub_row(top, sub, merges, i, index)
        labels, grouped = _labels(top, sub if two_rows else (), merges, i)
        found, duplicates = _place(labels, grouped, index, fixed)
        recognised = len(found)
        if best is None or recognised > best[0]:
            best = (recognised, i)
        missing = [c for c in columns if c.required and c.key not in found]
        if missing:
            continue
        if duplicates:
            raise HeaderNotFound("; ".join(duplicates))
        last = i + (2 if two_rows else 1)
        reading = []
        if two_rows:
            reading.append(f"tiêu đề cột ở hai dòng {i + 1}–{i + 2} (ô gộp của tiêu đề không "
                           "phải dữ liệu)")
        by_key = {c.key: c for c in columns}
        for key, position in sorted(found.items(), key=lambda kv: kv[1]):
            how = f" (theo {mapping_source})" if key in fixed else ""
            reading.append(f"cột {get_column_letter(position + 1)} '{labels.get(position, '')}'"
                           f" → {by_key[key].role}{how}")
        used = set(found.values())
        ignored = [f"{get_column_letter(p + 1)} '{text}'" for p, text in sorted(labels.items())
                   if p not in used]
        if ignored:
            reading.append("bỏ qua cột " + ", ".join(ignored) + " (không thuộc các cột đã biết)")
        if last < len(raw) and _is_column_numbers(raw[last]):
            last += 1
            reading.append(f"dòng {last}: dòng đánh số cột (1), (2)… → bỏ qua")
        return Header(i + 1, last, found, labels, reading)
    expected = ", ".join(f"{c.label} ({c.short})" for c in columns if c.required)
    if best is not None and best[0]:
        i = best[1]
        sub = raw[i + 1] if i + 1 < len(raw) else ()
        top = _filled(raw, merges, i)
        labels, _ = _labels(top, sub if _is_sub_row(top, sub, merges, i, index) else (), merges, i)
        found, _ = _place(labels, set(), index, fixed)
        absent = [f"{c.label} ({c.short})" for c in columns if c.required and c.key not in found]
        shown = ", ".join(f"{get_column_letter(p + 1)} '{t}'" for p, t in sorted(labels.items()))
        raise HeaderNotFound(
            f"dòng tiêu đề {i + 1} thiếu cột: {', '.join(absent)}; các cột đã thấy: {shown}. "
            "Nếu tên cột khác, hãy chỉ rõ bằng --columns (vd. --columns \"thoi_han=F\")"
        )
    raise HeaderNotFound(f"không tìm thấy dòng tiêu đề có đủ các cột: {expected}")


def header_problem(file: str, error: HeaderNotFound) -> ImportProblem:
    return ImportProblem(file, None, None, None, error.text)


def _filled(raw: Sequence[tuple[Any, ...]], merges: Sequence[Merge], i: int) -> list[Any]:
    """Row i with each merged cell's value spread over the cells it covers (a group label
    over its columns, a label merged down from the row above)."""
    cells = list(raw[i])
    for merge in merges:
        if merge.min_row <= i + 1 <= merge.max_row:
            value = raw[merge.min_row - 1][merge.min_col - 1]
            for col in range(merge.min_col - 1, merge.max_col):
                while len(cells) <= col:
                    cells.append(None)
                cells[col] = value
    return cells


def _group_positions(merges: Sequence[Merge], i: int) -> set[int]:
    """Positions under a label merged across several columns of row i."""
    return {col for m in merges if m.horizontal and m.min_row == i + 1 and m.max_row == i + 1
            for col in range(m.min_col - 1, m.max_col)}


def _is_sub_row(top: list[Any], sub: tuple[Any, ...], merges: Sequence[Merge], i: int,
                index: Mapping[str, Column]) -> bool:
    """The row under a header is part of it when it holds text under a group label, or a
    known label where the row above has none it recognises."""
    grouped = _group_positions(merges, i)
    for p, cell in enumerate(sub):
        if not _text(cell) or _is_column_numbers(sub):
            continue
        above = top[p] if p < len(top) else None
        if p in grouped or (header_key(cell) in index and header_key(above or "") not in index):
            return True
    return False


def _labels(top: list[Any], sub: tuple[Any, ...], merges: Sequence[Merge], i: int
            ) -> tuple[dict[int, str], set[int]]:
    """Each position's label as written; and the positions whose label is a sub-label under a
    group (the group's text alone does not name them)."""
    group_cols = _group_positions(merges, i)
    labels: dict[int, str] = {}
    grouped: set[int] = set()
    for p in range(max(len(top), len(sub))):
        above = _text(top[p]) if p < len(top) else ""
        below = _text(sub[p]) if p < len(sub) else ""
        if below and above and above != below:
            labels[p] = f"{above} / {below}"
            grouped.add(p)
        elif below or above:
            labels[p] = below or above
            if below and p in group_cols:
                grouped.add(p)
    return labels, grouped


def _place(labels: Mapping[int, str], grouped: set[int], index: Mapping[str, Column],
           fixed: Mapping[str, int]) -> tuple[dict[str, int], list[str]]:
    """Column key → position; and, when two columns read as the same thing, what to say."""
    found = dict(fixed)
    taken = set(fixed.values())
    duplicates = []
    for p, label in sorted(labels.items()):
        if p in taken:
            continue
        column = _column_for(label, p in grouped, index)
        if column is None or column.key in fixed:
            continue
        if column.key in found:
            first = found[column.key]
            duplicates.append(
                f"hai cột cùng được hiểu là {column.role}: {get_column_letter(first + 1)} "
                f"'{labels[first]}' và {get_column_letter(p + 1)} '{label}' — hãy chỉ rõ bằng "
                f"--columns \"{column.short}=<cột>\""
            )
            continue
        found[column.key] = p
    return found, duplicates


def _column_for(label: str, grouped: bool, index: Mapping[str, Column]) -> Column | None:
    """A sub-label names its column, alone or read with its group ("Thời gian" / "Hoàn
    thành"); a group label alone names none of the columns under it."""
    if not grouped:
        return index.get(header_key(label))
    group, _, sub = label.rpartition(" / ")
    return index.get(header_key(sub)) or index.get(header_key(f"{group} {sub}"))


def _is_column_numbers(cells: tuple[Any, ...]) -> bool:
    texts = [_text(c) for c in cells if _text(c)]
    return len(texts) >= 2 and all(_COLUMN_NUMBER.fullmatch(t) for t in texts)


def excel_date_text(value: date, number_format: str) -> str:
    """A date cell as the officer sees it in Excel: `"Tháng "m/yyyy` → "Tháng 7/2021",
    `dd/mm/yyyy` → "15/07/2021"; Excel's built-in short date shows as dd/mm/yyyy, the
    Vietnamese locale's."""
    section = re.sub(r"\[[^\]]*\]", "", number_format.split(";")[0])
    if section.strip().lower() in ("", "general", "mm-dd-yy", "m/d/yyyy", "d-mmm-yy"):
        return f"{value:%d/%m/%Y}"
    out = []
    for token in re.finditer(r'"([^"]*)"|\\(.)|(y+|m+|d+|h+|s+)|(.)', section, re.IGNORECASE):
        literal, escaped, code, other = token.groups()
        if literal is not None or escaped is not None:
            out.append(literal if literal is not None else escaped)
        elif code:
            kind, width = code[0].lower(), len(code)
            number = {"y": value.year, "m": value.month, "d": value.day}.get(kind)
            if kind == "y":
                out.append(f"{value.year:04d}" if width > 2 else f"{value.year % 100:02d}")
            elif number is not None:
                out.append(f"{number:02d}" if width == 2 else str(number))
        elif other not in ("_", "*"):
            out.append(other)
    return "".join(out).strip() or f"{value:%d/%m/%Y}"


def as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())
