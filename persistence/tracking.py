"""What a person's change to one item needs from the database, and its storing: the item found
by its code, what the database knows around it (its open periods, its origin, its plan's
year), and a decision of `domain/tracking.py` (completing, extending, giving a date, reopening,
correcting a completion's date, reopening after an evaluation) stored with its events."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from domain import tracking as rules
from domain.decisions import Decision
from domain.events import ItemExtended
from domain.models import Extension, Finding, Inspection, Plan, TrackedItem
from domain.states import ItemKind
from domain.tracking import ItemError, Origin
from persistence.events import apply


def find_item(session: Session, code: str, scope: str | None = None) -> TrackedItem:
    query = select(TrackedItem).where(TrackedItem.code == code)
    if scope:
        query = query.where(TrackedItem.scope == scope)
    items = session.exec(query).scalars().all()
    if not items:
        raise ItemError(f"không có nhiệm vụ mã {code}" + (f" trong {scope}" if scope else ""))
    if len(items) > 1:
        scopes = ", ".join(sorted(i.scope for i in items))
        raise ItemError(f"mã {code} có ở nhiều nơi ({scopes}): hãy chỉ rõ bằng --plan")
    return items[0]


def open_periods(session: Session, item: TrackedItem) -> list[str]:
    """A recurring task's periods not yet done, in date order (none for any other item)."""
    if not rules.is_recurring_parent(item):
        return []
    return list(session.exec(
        select(TrackedItem.code).where(TrackedItem.scope == item.scope,
                                       TrackedItem.occurrence_of == item.code,
                                       TrackedItem.completed_on.is_(None))
        .order_by(TrackedItem.due_date, TrackedItem.code)
    ).scalars())


def origin(session: Session, item: TrackedItem) -> Origin:
    """The days the item's plan began, its inspection concluded, its period opened."""
    plan = session.get(Plan, item.plan_code) if item.plan_code else None
    concluded = session.exec(
        select(Inspection.concluded_on).join(Finding, Finding.inspection_id == Inspection.id)
        .where(Finding.code == item.finding_code)).scalars().first() if item.finding_code else None
    opens = item.opens_on if item.kind == ItemKind.PERIODIC else None
    return Origin(rules.plan_start(plan.year, plan.decision_date) if plan else None, concluded,
                  opens)


def plan_year(session: Session, item: TrackedItem) -> int | None:
    """The year of the item's plan, in which a recurring rule given to it is read."""
    plan = session.get(Plan, item.plan_code) if item.plan_code else None
    return plan.year if plan else None


def store(session: Session, item: TrackedItem, decision: Decision) -> None:
    """Store a decision of `domain/tracking.py` about `item`: its fields and events, and for
    an extension its row of the extension table too."""
    apply(session, item, decision)
    session.add_all([Extension(item_id=event.item_id, previous_due=event.previous_due,
                               new_due=event.new_due, reason=event.reason,
                               approved_by=event.approved_by)
                     for event in decision.events if isinstance(event, ItemExtended)])
