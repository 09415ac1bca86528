"""Importing the units, the plan and the inspection findings as the secretariat keeps them.

Every row is checked first and every problem collected (file, row, column, value, what is
wrong); only when there are none is anything written, in one transaction. A re-import updates
by code and duplicates nothing; completions and extensions recorded here are never undone by an
older spreadsheet."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# The column tables live with their synonyms; importing code reaches them from here too.
from domain.columns import (  # noqa: F401
    FINDING_COLUMNS,
    PLAN_COLUMNS,
    REPORT_COLUMNS,
    UNIT_COLUMNS,
)
from domain.deadlines import normalise
from domain.states import DeadlineKind
from domain.tracking import Origin, completion_date_problem
from domain.unit_kinds import UnitKindReading


@dataclass(frozen=True)
class ImportProblem:
    file: str
    row: int | None
    column: str | None  # "F (Thời gian hoàn thành)"
    value: Any
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        shown = f" [giá trị: {_shown(self.value)}]" if self.value not in (None, "") else ""
        return f"{', '.join(where)}: {self.message}{shown}"


def _shown(value: Any) -> str:
    """A cell's value as the officer sees it: a date as 15/07/2021, never datetime(…)."""
    if isinstance(value, datetime):
        value = value.date()
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else repr(value)


class ImportFailed(Exception):
    def __init__(self, problems: Sequence[ImportProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Table:
    file: str
    title_lines: list[str]
    letters: dict[str, str]
    labels: dict[str, str]
    rows: list[Row]
    # How the file was read (columns used and ignored, rows skipped), for the import summary.
    reading: list[str] = field(default_factory=list)


_DONE_WORDS = {"hoan thanh", "da hoan thanh", "da thuc hien", "da xong", "xong"}
_OPEN_WORDS = {"dang thuc hien", "chua thuc hien", "chua hoan thanh", "chua trien khai",
               "dang trien khai", "chua bat dau", "dang lam", "chua xong", "qua han",
               "dang thuc hien qua han", "dang thuc hien trong han", "tiep tuc thuc hien"}

_DAY = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


def is_status_word(value: Any) -> bool:
    """A cell of a status column: "Hoàn thành", "Đang thực hiện", …"""
    return isinstance(value, str) and normalise(value) in _DONE_WORDS | _OPEN_WORDS


def is_date_cell(value: Any) -> bool:
    """A cell of a date column: an Excel date, or a date typed DD/MM/YYYY."""
    return isinstance(value, date) or (isinstance(value, str) and bool(_DAY.fullmatch(value)))


@dataclass
class RowChecker:
    """Collects problems for one table, with the column shown as `F (Thời gian hoàn thành)`."""

    table: Table
    problems: list[ImportProblem] = field(default_factory=list)

    def column(self, key: str) -> str:
        return f"{self.table.letters.get(key, '?')} ({self.table.labels.get(key, key)})"

    def fail(self, row: Row | None, key: str | None, value: Any, message: str) -> None:
        column = None if key is None else self.column(key)
        number = row.number if row else None
        self.problems.append(ImportProblem(self.table.file, number, column, value, message))

    def text(self, row: Row, key: str, *, required: bool = True) -> str | None:
        value = row.values.get(key)
        text = None if value is None else str(value).strip() or None
        if text is None and required:
            self.fail(row, key, value, "ô này không được để trống")
        return text

    def day(self, row: Row, key: str) -> date | None:
        value = row.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        match = _DAY.fullmatch(str(value))
        if match:
            try:
                return date(int(match[3]), int(match[2]), int(match[1]))
            except ValueError:
                self.fail(row, key, value, "ngày không có thật")
                return None
        self.fail(row, key, value, "cần ngày dạng DD/MM/YYYY")
        return None

    def raise_if_any(self) -> None:
        if self.problems:
            raise ImportFailed(self.problems)


@dataclass(frozen=True)
class CellReading:
    """How one deadline cell was read: what the import says, and what its dry run lists."""

    file: str
    row: int
    column: str  # "F (Thời gian hoàn thành)"
    text: str
    kind: str  # a DeadlineKind value
    reading: str  # "30/06/2022", "chưa xác định thời hạn (…)"
    plain: bool  # read by one of the plain forms


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    readings: tuple[CellReading, ...] = ()  # each deadline cell and how it was read
    # How the file was read and what was taken from where, one statement a line.
    reading: tuple[str, ...] = ()
    unit_kinds: tuple[UnitKindReading, ...] = ()  # a units file: each unit's kind, and whence

    def event_data(self) -> dict[str, Any]:
        """What the import's `import.completed` event records."""
        data = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "reading": list(self.reading)}
        if self.unit_kinds:
            data["unit_kinds"] = dict(Counter(r.kind.value for r in self.unit_kinds))
        return data

    @property
    def kinds(self) -> Counter:
        """How many deadlines of each kind the file holds."""
        return Counter(reading.kind for reading in self.readings)

    @property
    def undetermined(self) -> list[CellReading]:
        return [r for r in self.readings if r.kind == DeadlineKind.UNDETERMINED]


def completion_from(check: RowChecker, row: Row, today: date | None = None,
                    origin: Origin = Origin()) -> date | None:
    """Completion date from "Trạng thái" and "Ngày hoàn thành", which must agree; a day after
    `today` or before the item existed (`origin`: its plan, its inspection's conclusion) is
    refused."""
    state = check.text(row, "state", required=False)
    completed = check.day(row, "completed_on")
    word = normalise(state) if state else None
    if word is not None and word not in _DONE_WORDS | _OPEN_WORDS:
        check.fail(row, "state", state, "trạng thái không rõ: cần Hoàn thành, Đã hoàn thành, "
                   "Đang thực hiện, Đang triển khai, Chưa thực hiện…")
    elif word in _DONE_WORDS and row.values.get("completed_on") is None:
        check.fail(row, "completed_on", None, "đã hoàn thành nhưng thiếu ngày hoàn thành")
    elif word in _OPEN_WORDS and completed is not None:
        check.fail(row, "state", state, "có ngày hoàn thành nhưng trạng thái chưa hoàn thành")
    if completed is not None and (problem := completion_date_problem(completed, today, origin)):
        check.fail(row, "completed_on", row.values.get("completed_on"), problem)
    return completed


def assign_changes(target: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Set the values that differ; return them (old → new) for the history."""
    changes = {}
    for key, value in values.items():
        old = getattr(target, key)
        if old != value:
            changes[key] = [_plain(old), _plain(value)]
            setattr(target, key, value)
    return changes


def cell_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
