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

from sqlmodel import Session, select

from domain.addresses import AddressError, validate_address

# The column tables live with their synonyms; importing code reaches them from here too.
from domain.columns import (  # noqa: F401
    FINDING_COLUMNS,
    PLAN_COLUMNS,
    REPORT_COLUMNS,
    UNIT_COLUMNS,
)
from domain.deadlines import DeadlineKind, normalise
from domain.events import EventName, record
from domain.models import Unit
from domain.unit_groups import declared_groups, save_groups
from domain.unit_names import split_names


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
        match = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", str(value))
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

    def __str__(self) -> str:
        return f"{self.file}, dòng {self.row}, cột {self.column}: {self.text!r} → {self.reading}"


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int
    readings: tuple[CellReading, ...] = ()  # each deadline cell and how it was read
    # How the file was read and what was taken from where, one statement a line.
    reading: tuple[str, ...] = ()

    def __str__(self) -> str:
        counts = f"{self.created} mới, {self.updated} cập nhật, {self.unchanged} không đổi"
        return "\n".join([counts, *(f"  • {line}" for line in self.reading)])

    @property
    def kinds(self) -> Counter:
        """How many deadlines of each kind the file holds."""
        return Counter(reading.kind for reading in self.readings)

    @property
    def undetermined(self) -> list[CellReading]:
        return [r for r in self.readings if r.kind == DeadlineKind.UNDETERMINED]


def completion_from(check: RowChecker, row: Row) -> date | None:
    """Completion date from "Trạng thái" and "Ngày hoàn thành", which must agree."""
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
    return completed


def import_units(session: Session, table: Table) -> ImportSummary:
    check = RowChecker(table)
    known = {u.code: u for u in session.exec(select(Unit))}
    seen: dict[str, Row] = {}
    parsed: list[dict[str, Any]] = []
    for row in table.rows:
        code = check.text(row, "code")
        name = check.text(row, "name")
        if code in seen:
            check.fail(row, "code", code, f"mã đơn vị trùng với dòng {seen[code].number}")
        elif code:
            seen[code] = row
        values = {
            "code": code,
            "name": name,
            "parent_code": check.text(row, "parent", required=False),
            "head_title": check.text(row, "head_title", required=False),
            "head_email": _email(check, row, "head_email"),
            "focal_email": _email(check, row, "focal_email"),
            "active": _active(check, row),
            "successor_code": check.text(row, "successor", required=False),
            "other_names": "; ".join(split_names(check.text(row, "other_names", required=False)))
            or None,
        }
        # A file without the reorganisation or the other-names columns leaves what the
        # database knows alone.
        for key, field_name in (("active", "active"), ("successor", "successor_code"),
                                ("other_names", "other_names")):
            if key not in table.letters and values["code"] in known:
                values[field_name] = getattr(known[values["code"]], field_name)
        parsed.append({"row": row, **values})
    codes = set(seen) | set(known)
    for values in parsed:
        for key, field_name in (("parent", "parent_code"), ("successor", "successor_code")):
            target = values[field_name]
            if target and target not in codes:
                check.fail(values["row"], key, target, "không có đơn vị mang mã này")
        if values["successor_code"] and values["active"]:
            check.fail(values["row"], "successor", values["successor_code"],
                       "chỉ đơn vị đã giải thể mới có đơn vị kế thừa")
    _refuse_cycles(check, parsed, known)
    check.raise_if_any()

    parents = _parent_map(parsed, known)
    created = updated = unchanged = 0
    # Parents first and successors last, so foreign keys hold at every insert.
    for values in sorted(parsed, key=lambda v: _depth(v["code"], parents)):
        del values["row"]
        successor = values.pop("successor_code")
        unit = known.get(values["code"])
        if unit is None:
            unit = known[values["code"]] = Unit(**values)
            session.add(unit)
            created += 1
        elif assign_changes(unit, values):
            updated += 1
        else:
            unchanged += 1
        values["successor_code"] = successor
    session.flush()
    for values in parsed:
        unit = known[values["code"]]
        if unit.successor_code != values["successor_code"]:
            unit.successor_code = values["successor_code"]
            session.add(unit)
    session.flush()
    reading = list(table.reading)
    if "groups" in table.letters:
        groups = declared_groups(
            (v["code"], _cell_text(row.values.get("groups"))) for v, row in zip(parsed, table.rows))
        reading += save_groups(session, groups, {v["code"] for v in parsed})
    summary = ImportSummary(created, updated, unchanged, reading=tuple(reading))
    record(session, EventName.IMPORTED, file=table.file, what="units", summary=str(summary))
    return summary


def assign_changes(target: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Set the values that differ; return them (old → new) for the history."""
    changes = {}
    for key, value in values.items():
        old = getattr(target, key)
        if old != value:
            changes[key] = [_plain(old), _plain(value)]
            setattr(target, key, value)
    return changes


def _cell_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _email(check: RowChecker, row: Row, key: str) -> str | None:
    text = check.text(row, key, required=False)
    if text:
        try:
            validate_address(text)
        except AddressError as error:
            check.fail(row, key, text, f"địa chỉ e-mail không hợp lệ: {error.reason}")
    return text


def _active(check: RowChecker, row: Row) -> bool:
    text = check.text(row, "active", required=False)
    if text is None:
        return True
    word = normalise(text)
    if word in ("co", "x", "1", "con hoat dong"):
        return True
    if word in ("khong", "0", "da giai the", "giai the"):
        return False
    check.fail(row, "active", text, "cần Có hoặc Không")
    return True


def _parent_map(parsed: list[dict[str, Any]], known: dict[str, Unit]) -> dict[str, str | None]:
    parents = {code: unit.parent_code for code, unit in known.items()}
    parents.update({v["code"]: v["parent_code"] for v in parsed if v["code"]})
    return parents


def _refuse_cycles(check: RowChecker, parsed: list[dict[str, Any]], known: dict[str, Unit]) -> None:
    parents = _parent_map(parsed, known)
    for values in parsed:
        code, steps = values["code"], 0
        current = parents.get(code)
        while current is not None and steps <= len(parents):
            if current == code:
                check.fail(values["row"], "parent", values["parent_code"],
                           "cây đơn vị bị vòng: đơn vị là cấp trên của chính nó")
                break
            current, steps = parents.get(current), steps + 1


def _depth(code: str, parents: dict[str, str | None]) -> int:
    depth = 0
    while (code := parents.get(code)) is not None:
        depth += 1
    return depth
