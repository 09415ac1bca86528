"""Events written in the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from domain.events import EventName, event_row
from domain.models import Event


def record(session: Session, name: EventName, **fields: Any) -> Event:
    event = Event(**event_row(name, **fields))
    session.add(event)
    return event
