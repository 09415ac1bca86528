"""Reading a plan's rows as a person does: the task numbers as written (and what Excel did to
them), numbering that restarts in each group, and the lead cell as a unit or a unit group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.importers import Row, RowChecker
from domain.unit_names import Lead, UnitDirectory, UnknownUnit


@dataclass(frozen=True)
class TaskRow:
    row: Row
    number: str | None
    group: str | None  # the numeral of the group it sits under
    typed_as_number: bool  # Excel holds it as a number: 1.10 has become 1.1


def number_text(value: Any) -> tuple[str | None, bool]:
    """The number as written, and whether Excel holds it as a number (1 → "1", 1.1 → "1.1")."""
    if value is None:
        return None, False
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), False
    text = str(value).strip()
    return text or None, isinstance(value, float)


def numbering_restarts(rows: list[TaskRow]) -> bool:
    """Numbers that repeat from one group to the next (I: 1, 2; II: 1, 2) are scoped by it."""
    groups_of: dict[str, set[str | None]] = {}
    for task in rows:
        if task.number is not None:
            groups_of.setdefault(task.number, set()).add(task.group)
    return any(len(groups) > 1 for groups in groups_of.values())


def excel_ate_a_zero(task: TaskRow, rows: list[TaskRow]) -> bool:
    """Whether a repeated number is Excel's doing: a number cell (1.10 stored as 1.1), or an
    "x.1" that follows "x.9" in its group."""
    if task.typed_as_number:
        return True
    before = [t.number for t in rows[: rows.index(task)] if t.group == task.group and t.number]
    head, _, tail = (task.number or "").rpartition(".")
    return bool(before) and tail == "1" and before[-1] == f"{head}.9"


def lead_of(check: RowChecker, row: Row, directory: UnitDirectory, key: str = "unit",
            *, group_allowed: bool = True, unknown_hint: str = "") -> Lead | None:
    """The unit (or the group's members) a cell names; a problem for the cell otherwise, with
    `unknown_hint` when it names no unit at all."""
    text = check.text(row, key, required=key == "unit")
    if text is None:
        return None
    try:
        lead = directory.lead(text)
    except UnknownUnit as error:
        check.fail(row, key, text, str(error) + ("" if error.ambiguous else unknown_hint))
        return None
    if lead.group is not None and not group_allowed:
        check.fail(row, key, text, "cần một đơn vị, không phải một nhóm đơn vị")
        return None
    if not lead.codes:
        check.fail(row, key, text, f"nhóm '{lead.group}' chưa có đơn vị nào")
        return None
    return lead
