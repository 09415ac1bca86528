"""Reading a plan of inspections' rows as a person does: one target per unit, a unit group's
row fanned out to its members ("UBND các xã, thị trấn" → one target each), the mode from its
cell or from the section heading above ("A. KIỂM TRA TRỰC TIẾP"), the window by the plans'
deadline grammar; every problem collected with its row and column."""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.importers import CellReading, Row, RowChecker, Table
from domain.inspections import InspectionError, Window, mode_in_heading, read_mode, read_window
from domain.plan_rows import lead_of, number_text
from domain.states import InspectionMode
from domain.unit_names import UnitDirectory

# A section's numbering: a Roman numeral or a capital letter, alone or before its title.
_SECTION = re.compile(r"(?:[IVX]+|[A-DĐ])(?:[.):]|\s|$)")


@dataclass(frozen=True)
class TargetRow:
    row: int
    unit_code: str
    mode: InspectionMode
    window: Window
    topics: str | None
    body: str | None
    group: str | None  # the unit group the row named, when it fanned out


@dataclass
class TargetReading:
    targets: list[TargetRow]
    readings: list[CellReading]  # each window cell and how it was read
    reading: list[str]  # how the rows were read, one statement a line


def read_targets(check: RowChecker, table: Table, directory: UnitDirectory,
                 year: int) -> TargetReading:
    result = TargetReading([], [], [])
    section: InspectionMode | None = None
    seen: dict[str, int] = {}
    named: dict[str, str] = {}
    for row in table.rows:
        if (heading := _heading(row)) is not None:
            section = heading or section
            if heading:
                result.reading.append(f"dòng {row.number} '{_row_text(row)}': tiêu đề mục, "
                                      "hình thức kiểm tra của các dòng dưới")
            continue
        lead = lead_of(check, row, directory)
        mode = _mode(check, row, section)
        window = _window(check, row, year, result.readings)
        if lead is None or mode is None or window is None:
            continue
        if lead.group is not None:
            result.reading.append(f"dòng {row.number} '{lead.group}' → {len(lead.codes)} đơn "
                                  f"vị: {', '.join(lead.codes)}")
        elif lead.by_name:
            named[check.text(row, "unit") or ""] = lead.codes[0]
        for code in lead.codes:
            if code in seen:
                check.fail(row, "unit", row.values.get("unit"),
                           f"đơn vị {code} đã có trong kế hoạch ở dòng {seen[code]}")
                continue
            seen[code] = row.number
            result.targets.append(TargetRow(
                row.number, code, mode, window, check.text(row, "topics", required=False),
                check.text(row, "body", required=False), lead.group))
    if named:
        result.reading.append("đơn vị ghi bằng tên: " + "; ".join(
            f"'{text}' → {code}" for text, code in named.items()))
    return result


def _row_text(row: Row) -> str:
    return " ".join(" ".join(str(v).split()) for v in row.values.values() if v not in (None, ""))


def _heading(row: Row) -> InspectionMode | bool | None:
    """A section heading: the mode it names, False for one naming none ("I. CẤP XÃ"); None
    for a target's row."""
    number, _ = number_text(row.values.get("number"))
    cells_empty = not any(row.values.get(key) for key in ("mode", "deadline"))
    named = mode_in_heading(_row_text(row))
    if number and _SECTION.match(number) and not number[0].isdigit():
        return named or False
    if cells_empty and named is not None:
        return named
    return None


def _mode(check: RowChecker, row: Row, section: InspectionMode | None) -> InspectionMode | None:
    text = check.text(row, "mode", required=False)
    if text is None:
        if section is None:
            check.fail(row, "mode" if "mode" in check.table.letters else None, None,
                       "thiếu hình thức kiểm tra (Trực tiếp hoặc Qua báo cáo), trong ô hay ở "
                       "tiêu đề mục phía trên")
        return section
    mode = read_mode(text)
    if mode is None:
        check.fail(row, "mode", text, "hình thức kiểm tra không rõ: cần Trực tiếp, Kiểm tra "
                   "trực tiếp, Qua báo cáo, Kiểm tra qua báo cáo hoặc Gián tiếp")
    return mode


def _window(check: RowChecker, row: Row, year: int,
            readings: list[CellReading]) -> Window | None:
    text = check.text(row, "deadline", required=False)
    try:
        window = read_window(text, year)
    except InspectionError as error:
        check.fail(row, "deadline", text, str(error))
        return None
    if window.deadline is not None:
        deadline = window.deadline
        readings.append(CellReading(check.table.file, row.number, check.column("deadline"),
                                    deadline.text, deadline.kind.value, deadline.reading(),
                                    deadline.plain))
    return window
