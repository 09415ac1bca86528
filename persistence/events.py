"""Events written in the same transaction as the change they describe."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from domain.decisions import Decision
from domain.events import DomainEvent, EventName
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


def summary_sent(session: Session, as_of: date, recipient: str) -> bool:
    """Whether the weekly summary of `as_of` was already recorded as sent to `recipient`."""
    sent = session.exec(
        select(Event.data).where(Event.name == EventName.SUMMARY_SENT.value,
                                 Event.check_date == as_of)
    ).scalars()
    return any(data.get("recipient") == recipient for data in sent)
