"""Every tracked item with its deadline as read and its status on a day: what `cchc items`
lists, so the secretariat can check how each cell of its plan was understood."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.deadlines import DeadlineKind
from domain.ledger import load_unit_tree
from domain.models import TrackedItem
from domain.policy import Policy
from domain.tallies import ItemLine, item_line

SCHEMA = "cchc.items/1"


def item_lines(
    session: Session,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
    *,
    plan: str | None = None,
    unit: str | None = None,
) -> Iterator[ItemLine]:
    """The items of `plan` (default: every plan and the findings register), of `unit` and the
    units under it (default: every unit), in plan order."""
    # Ties broken by creation: a recurring task, then its periods in date order.
    query = select(TrackedItem).order_by(TrackedItem.scope, TrackedItem.position,
                                         TrackedItem.id)
    if plan:
        query = query.where(TrackedItem.scope == plan)
    if unit:
        query = query.where(TrackedItem.unit_code.in_(load_unit_tree(session).subtree(unit)))
    for item in session.exec(query.execution_options(yield_per=1000)).scalars():
        yield item_line(item, as_of, calendar, policy)


def item_dict(line: ItemLine) -> dict[str, Any]:
    """One item in the `cchc.items/1` schema (README: `cchc items --json`)."""
    return {
        "code": line.code,
        "kind": line.kind,
        "source": line.scope,
        "content": line.content,
        "unit": line.unit_code,
        "deadline_text": line.deadline_text,
        "deadline_kind": DeadlineKind(line.deadline_kind).shown,
        "deadline_rule": line.deadline_rule,
        "due_date": _iso(line.due),
        "original_due_date": _iso(line.original_due),
        "opens_on": _iso(line.opens),
        "status": line.status.value,
        "status_text": line.status.label,
        "completed_on": _iso(line.completed_on),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
