"""The items `cchc items` lists, read with their status."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.models import TrackedItem
from domain.policy import Policy
from domain.tallies import ItemLine, item_line
from persistence.ledger import load_unit_tree


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
