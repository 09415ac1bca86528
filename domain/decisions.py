"""What a decision returns: the fields it changes on the row it decides about, and the events it
causes. Decisions are pure functions over values (`domain/tracking.py`, `domain/responses.py`,
…); persistence applies the result in the caller's unit of work (`persistence/events.py:
apply`), so a rule is read and tested without a database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.events import DomainEvent


@dataclass(frozen=True)
class Decision:
    changes: dict[str, Any] = field(default_factory=dict)  # column → its new value
    events: tuple[DomainEvent, ...] = ()

    def then(self, other: Decision) -> Decision:
        """This decision followed by `other` on the same row (a confirmation that completes)."""
        return Decision({**self.changes, **other.changes}, self.events + other.events)
