"""Events written in the same transaction as the change they describe."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import Row, select
from sqlmodel import Session, SQLModel

from domain.decisions import Decision
from domain.events import DomainEvent, SummarySent, parse
from domain.models import Event
from persistence.unit_of_work import mark_events_recorded


def record(session: Session, event: DomainEvent) -> Event:
    row = Event(**event.row())
    session.add(row)
    mark_events_recorded(session)
    return row


def apply(session: Session, row: SQLModel, decision: Decision) -> None:
    """Store what a decision decided about `row`: its changed fields, then its events."""
    for column, value in decision.changes.items():
        setattr(row, column, value)
    session.add(row)
    for event in decision.events:
        record(session, event)


def typed(row: Event | Row) -> DomainEvent:
    """A stored event (a row, or its `_STORED` columns) as its value: what history, `explain`,
    run history and publishing read, never the row's JSON."""
    return parse(row.name, row.data, item_id=row.item_id, notice_id=row.notice_id,
                 check_date=row.check_date)


# The columns an event is read back from: a run's counts read thousands, no ORM object needed.
_STORED = (Event.name, Event.data, Event.item_id, Event.notice_id, Event.check_date)
Kind = TypeVar("Kind", bound=DomainEvent)


def recorded(session: Session, kind: type[Kind], *where: Any, newest_first: bool = False,
             limit: int | None = None) -> list[Kind]:
    """The events of one kind matching `where`, as values, in the order they were recorded."""
    rows = session.execute(
        select(*_STORED).where(Event.name == kind.name.value, *where)
        .order_by(Event.id.desc() if newest_first else Event.id).limit(limit)
    )
    return [cast(Kind, typed(row)) for row in rows]


def summary_sent(session: Session, as_of: date, recipient: str) -> bool:
    """Whether the weekly summary of `as_of` was already recorded as sent to `recipient`."""
    return any(sent.recipient == recipient
               for sent in recorded(session, SummarySent, Event.check_date == as_of))
