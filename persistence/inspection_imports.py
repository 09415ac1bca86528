"""Importing a plan of inspections (kế hoạch kiểm tra): the plan from its title block, one
target per unit from its rows (`domain/inspection_rows.py`), all or nothing. A re-import updates
each target's mode, window and topics by its unit and leaves what was recorded of it (visit,
conclusion, dropped) as it is."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session, select

from domain.importers import RowChecker, Table, assign_changes
from domain.inspection_rows import TargetRow, read_targets
from domain.events import InspectionPlanImported
from domain.inspections import InspectionImportSummary
from domain.models import InspectionPlan, InspectionTarget, Unit
from domain.plan_header import PlanHeader
from domain.states import InspectionMode, TargetState
from persistence.events import record
from persistence.unit_directory import load_directory, read_plan_header

_IDENTITY_WORDS = {"year": "năm", "title": "tiêu đề", "decision_number": "số quyết định",
                   "decision_date": "ngày quyết định", "issuing_unit_code": "đơn vị ban hành",
                   "owner_unit_code": "cơ quan thường trực", "inspecting_body": "đơn vị chủ trì",
                   "topics": "nội dung kiểm tra"}


def import_inspection_plan(
    session: Session, table: Table, *, code: str | None = None, year: int | None = None,
    owner: str | None = None,
) -> InspectionImportSummary:
    """`code`: the plan's (default KHKT-<year>); `owner`: the secretariat's unit keeping it
    (default: the unit the title block names as issuing it)."""
    header = read_plan_header(session, table, year=year)
    header = replace(header, code=code or f"KHKT-{header.year}")
    check = RowChecker(table)
    if owner is not None and session.get(Unit, owner) is None:
        check.fail(None, None, owner, "--owner: không có đơn vị mang mã này")
    directory = load_directory(session, owner or header.owner_unit_code)
    read = read_targets(check, table, directory, header.year)
    if not read.targets and not check.problems:
        check.fail(None, None, None, "tệp không có đơn vị được kiểm tra nào")
    check.raise_if_any()
    plan, said = _plan_identity(session, header, owner, read.targets)
    counts, kept = _upsert_targets(session, plan.code, read.targets)
    by_mode = Counter(t.mode for t in read.targets)
    reading = [*table.reading, *header.reading, *said, *read.reading]
    if kept:
        reading.append(f"tệp không còn ghi {', '.join(kept)}: giữ trong kế hoạch (đưa ra bằng "
                       "`cchc inspection drop`)")
    summary = InspectionImportSummary(
        *counts, readings=tuple(read.readings), reading=tuple(reading),
        by_mode=tuple((mode, by_mode[mode]) for mode in InspectionMode if by_mode[mode]))
    record(session, InspectionPlanImported(
        file=table.file, plan=plan.code, direct=by_mode[InspectionMode.DIRECT],
        by_report=by_mode[InspectionMode.BY_REPORT], **summary.event_data()))
    return summary


def _common(values: list[str | None]) -> str | None:
    """The one value every row gives, if they all give the same."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def _plan_identity(session: Session, header: PlanHeader, owner: str | None,
                   targets: list[TargetRow]) -> tuple[InspectionPlan, list[str]]:
    """The plan row, with what the file says of it: what it does not say is kept, what it
    changes is said."""
    values = {"year": header.year, "title": header.title,
              "decision_number": header.decision_number, "decision_date": header.decision_date,
              "issuing_unit_code": header.owner_unit_code,
              "owner_unit_code": owner or header.owner_unit_code,
              "inspecting_body": _common([t.body for t in targets]),
              "topics": _common([t.topics for t in targets])}
    said = {key: value for key, value in values.items() if value is not None}
    plan = session.get(InspectionPlan, header.code)
    if plan is None:
        title = f"Kế hoạch kiểm tra công tác cải cách hành chính năm {header.year}"
        plan = InspectionPlan(code=header.code, year=header.year, title=header.title or title)
        assign_changes(plan, said)
        session.add(plan)
        session.flush()
        return plan, [f"kế hoạch kiểm tra mới {plan.code}"]
    changes = assign_changes(plan, said)
    session.add(plan)
    return plan, [f"kế hoạch kiểm tra {plan.code}: {_IDENTITY_WORDS[key]} {_shown(old)} → "
                  f"{_shown(new)}" for key, (old, new) in changes.items()]


def _shown(value: Any) -> str:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            pass
    return "(trống)" if value is None else f"'{value}'"


def _upsert_targets(session: Session, plan_code: str, targets: list[TargetRow]
                    ) -> tuple[tuple[int, int, int], list[str]]:
    """(created, updated, unchanged), and the units the plan holds that the file no longer
    lists (kept: only dropping one says why it goes)."""
    existing = {t.unit_code: t for t in session.exec(
        select(InspectionTarget).where(InspectionTarget.plan_code == plan_code))}
    created = updated = unchanged = 0
    for position, row in enumerate(targets):
        fields = {"mode": row.mode.value, "window_text": row.window.text,
                  "window_opens": row.window.opens, "window_closes": row.window.closes,
                  "topics": row.topics, "inspecting_body": row.body}
        target = existing.pop(row.unit_code, None)
        if target is None:
            session.add(InspectionTarget(plan_code=plan_code, unit_code=row.unit_code,
                                         position=position, state=TargetState.PLANNED.value,
                                         **fields))
            created += 1
            continue
        target.position = position  # its place moves when a unit joins a group: no change
        if assign_changes(target, fields):
            updated += 1
        else:
            unchanged += 1
        session.add(target)
    session.flush()
    kept = [code for code, t in existing.items() if t.state != TargetState.DROPPED]
    return (created, updated, unchanged), kept
