"""Finding a sheet's header the way a person does: labels matched against the synonyms of
`domain.columns`, a two-row header (a merged group label over its sub-labels) read as one, a row
of column numbers under it skipped, and every column said — used for what, or ignored."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from domain.columns import Column, column_for_label, header_key, label_index
from domain.importers import ImportProblem, is_date_cell, is_status_word

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
    """The first row (with the one under it, when that holds sub-labels or the row's labels are
    merged down into it) that places every required column; a missing column is named with the
    labels seen on the likeliest row."""
    index = label_index(columns)
    fixed = {key: column_index_from_string(letter) - 1 for key, letter in mapping.items()}
    best: tuple[int, int] | None = None  # (labels recognised, row) for the error message
    for i in range(min(len(raw), HEADER_SEARCH_ROWS)):
        top = _filled(raw, merges, i)
        if not any(column_for_label(t, index) for t in top if t) and not any(
            p < len(top) and top[p] for p in fixed.values()
        ):
            continue
        two_rows, labels, grouped = _header_labels(raw, merges, i, index)
        placed = _place(labels, grouped, index, fixed)
        if best is None or len(placed.found) > best[0]:
            best = (len(placed.found), i)
        if any(c.required and c.key not in placed.found for c in columns):
            continue
        last = i + (2 if two_rows else 1)
        placed, refusals = _by_content(placed, raw[last:], labels,
                                       _group_positions(merges, i), columns)
        if refusals:
            raise HeaderNotFound("; ".join(refusals))
        return _header(raw, i, last, two_rows, labels, placed, columns,
                       {key: f" (theo {mapping_source})" for key in fixed})
    expected = ", ".join(f"{c.label} ({c.short})" for c in columns if c.required)
    if best is not None and best[0]:
        i = best[1]
        _, labels, grouped = _header_labels(raw, merges, i, index)
        found = _place(labels, grouped, index, fixed).found
        absent = [f"{c.label} ({c.short})" for c in columns if c.required and c.key not in found]
        shown = ", ".join(f"{get_column_letter(p + 1)} '{t}'" for p, t in sorted(labels.items()))
        raise HeaderNotFound(
            f"dòng tiêu đề {i + 1} thiếu cột: {', '.join(absent)}; các cột đã thấy: {shown}. "
            "Nếu tên cột khác, hãy chỉ rõ bằng --columns (vd. --columns \"thoi_han=F\")"
        )
    raise HeaderNotFound(f"không tìm thấy dòng tiêu đề có đủ các cột: {expected}")


def _header_labels(raw: Sequence[tuple[Any, ...]], merges: Sequence[Merge], i: int,
                   index: Mapping[str, Column]) -> tuple[bool, dict[int, str], set[int]]:
    """Whether the header at row i spans two rows, its labels and its grouped positions."""
    top = _filled(raw, merges, i)
    sub = raw[i + 1] if i + 1 < len(raw) else ()
    # Sub-labels deleted under a group label leave the header's merges reaching down.
    two_rows = _is_sub_row(top, sub, merges, i, index) or _merged_down(merges, i)
    labels, grouped = _labels(top, sub if two_rows else (), merges, i)
    return two_rows, labels, grouped


def _header(raw: Sequence[tuple[Any, ...]], i: int, last: int, two_rows: bool,
            labels: Mapping[int, str], placed: Placed, columns: Sequence[Column],
            how: Mapping[str, str]) -> Header:
    """The header found at row i, with what its reading says."""
    reading = []
    if two_rows:
        reading.append(f"tiêu đề cột ở hai dòng {i + 1}–{i + 2} (ô gộp của tiêu đề không "
                       "phải dữ liệu)")
    reading += placed.said
    by_key = {c.key: c for c in columns}
    for key, position in sorted(placed.found.items(), key=lambda kv: kv[1]):
        why = how.get(key) or placed.notes.get(position, "")
        reading.append(f"cột {get_column_letter(position + 1)} '{labels.get(position, '')}'"
                       f" → {by_key[key].role}{why}")
    used = set(placed.found.values())
    ignored = [f"{get_column_letter(p + 1)} '{text}'" for p, text in sorted(labels.items())
               if p not in used]
    if ignored:
        reading.append("bỏ qua cột " + ", ".join(ignored) + " (không thuộc các cột đã biết)")
    if last < len(raw) and _is_column_numbers(raw[last]):
        last += 1
        reading.append(f"dòng {last}: dòng đánh số cột (1), (2)… → bỏ qua")
    return Header(i + 1, last, placed.found, dict(labels), reading)


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


@dataclass(frozen=True)
class Clash:
    """Two columns read as the same thing."""

    column: Column
    first: int
    second: int


@dataclass(frozen=True)
class Placed:
    found: dict[str, int]  # column key → position
    clashes: list[Clash]
    notes: dict[int, str]  # position → how its label was read, when not as a synonym
    said: list[str] = field(default_factory=list)


def _place(labels: Mapping[int, str], grouped: set[int], index: Mapping[str, Column],
           fixed: Mapping[str, int]) -> Placed:
    """Column key → position, a label as written winning over one that only starts with a
    synonym; and the columns read as the same thing."""
    found = dict(fixed)
    taken = set(fixed.values())
    matches = {p: match for p, label in sorted(labels.items()) if p not in taken
               and (match := _column_for(label, p in grouped, index)) is not None}
    clashes: list[Clash] = []
    notes: dict[int, str] = {}
    for exact in (True, False):
        for p, (column, synonym) in matches.items():
            if (synonym is None) != exact or column.key in fixed:
                continue
            if column.key in found:
                # A longer label beside the synonym itself is another column, ignored.
                if exact or found[column.key] in notes:
                    clashes.append(Clash(column, found[column.key], p))
                continue
            found[column.key] = p
            if synonym is not None:
                notes[p] = f" (nhãn '{synonym}' có thêm chữ)"
    return Placed(found, clashes, notes)


def _by_content(placed: Placed, data: Sequence[tuple[Any, ...]], labels: Mapping[int, str],
                group: set[int], columns: Sequence[Column]) -> tuple[Placed, list[str]]:
    """Two columns under one merged label, their sub-labels deleted, told apart by what their
    cells hold (status words, dates); refused with every column to name when they cannot be.
    Any other clash is refused as it is. The columns placed, and what to refuse with."""
    found, notes, said, refusals = dict(placed.found), dict(placed.notes), list(placed.said), []
    for clash in placed.clashes:
        positions = (clash.first, clash.second)
        if not (set(positions) <= group and labels[clash.first] == labels[clash.second]
                and clash.column.key in _CONTENT):
            refusals.append(_clash_text(clash, labels))
            continue
        keys = [clash.column.key, *(k for k in _CONTENT if k != clash.column.key
                                    and k not in found and k in {c.key for c in columns})][:2]
        kinds = {p: _content_key(data, p) for p in positions}
        decided = [kind for kind in kinds.values() if kind]
        letters = [get_column_letter(p + 1) for p in positions]
        if len(keys) < 2 or not decided or len(set(decided)) < len(decided) or not set(
                decided) <= set(keys):
            shorts = {c.key: c.short for c in columns}
            named = ",".join(f"{shorts[k]}={letter}"
                             for k, letter in zip(keys, letters, strict=False))
            refusals.append(
                f"cột {', '.join(letters)} cùng mang tiêu đề gộp '{labels[clash.first]}' và nội "
                f"dung các ô không cho biết cột nào là gì — hãy chỉ rõ bằng --columns \"{named}\""
                " (đổi chữ cột nếu ngược lại)")
            continue
        left = [key for key in keys if key not in decided]
        for p, key in kinds.items():
            # An empty column beside one told by its cells is the other one.
            found[key or left[0]] = p
            notes[p] = (f" (theo nội dung: {_CONTENT[key][1]})" if key
                        else " (theo nội dung của cột bên cạnh)")
        said.append(f"cột {', '.join(letters)} cùng mang tiêu đề gộp '{labels[clash.first]}': "
                    "phân biệt theo nội dung các ô")
    return Placed(found, [], notes, said), refusals


def _content_key(data: Sequence[tuple[Any, ...]], position: int) -> str | None:
    """The column whose cells every filled cell at `position` looks like, if any."""
    rows = data[1:] if data and _is_column_numbers(data[0]) else data
    cells = [row[position] for row in rows if position < len(row) and _text(row[position])]
    return next((key for key, (test, _) in _CONTENT.items()
                 if cells and all(test(cell) for cell in cells)), None)


# Columns told apart by their cells, and the word that says how.
_CONTENT = {"state": (is_status_word, "chữ chỉ trạng thái"),
            "completed_on": (is_date_cell, "ngày")}


def _clash_text(clash: Clash, labels: Mapping[int, str]) -> str:
    column = clash.column
    return (f"hai cột cùng được hiểu là {column.role}: {get_column_letter(clash.first + 1)} "
            f"'{labels[clash.first]}' và {get_column_letter(clash.second + 1)} "
            f"'{labels[clash.second]}' — hãy chỉ rõ bằng --columns \"{column.short}=<cột>\"")


def _column_for(label: str, grouped: bool, index: Mapping[str, Column]
                ) -> tuple[Column, str | None] | None:
    """A sub-label names its column, alone or read with its group ("Thời gian" / "Hoàn
    thành"); a group label alone names none of the columns under it."""
    if not grouped:
        return column_for_label(label, index)
    group, _, sub = label.rpartition(" / ")
    return column_for_label(sub, index) or column_for_label(f"{group} {sub}", index)


def _merged_down(merges: Sequence[Merge], i: int) -> bool:
    """Whether labels of row i are merged down into the row under it."""
    return any(m.min_row == i + 1 and m.max_row == i + 2 for m in merges)


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
