"""The engine's own record of its flow runs: what one run delivered, read back from the
outbox's events (the rows of the run's artifacts in the Prefect UI: who got which items, with
which Message-ID, and what failed), and one `run.finished` event per run with its state and
counts, which `cchc history` reads without Prefect."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.events import EventName
from domain.states import DeliveryState

# The events that record a delivery attempt, and the state each one leaves the notice in.
OUTCOME_EVENTS = {
    EventName.NOTICE_SENT: DeliveryState.SENT,
    EventName.NOTICE_DEFERRED: DeliveryState.DEFERRED,
    EventName.NOTICE_FAILED: DeliveryState.FAILED,
}


@dataclass(frozen=True)
class DeliveredNotice:
    recipient: str
    unit_code: str | None
    rungs: tuple[str, ...]
    item_codes: tuple[str, ...]
    message_id: str | None
    outcome: DeliveryState
    server_reply: str | None

    sent_at: datetime | None = None

    @property
    def failed(self) -> bool:
        return self.outcome is not DeliveryState.SENT


@dataclass(frozen=True)
class RunRecord:
    """One finished flow run, as `cchc history` shows it."""

    name: str
    flow: str
    as_of: date | None
    state: str  # Prefect's state name: Completed, Failed, Crashed, Cancelled
    started: datetime | None
    ended: datetime | None
    emails_sent: int = 0
    emails_failed: int = 0
    emails_deferred: int = 0
    rungs: dict[str, int] = field(default_factory=dict)  # rung reached → items

    @property
    def rungs_reached(self) -> int:
        return sum(self.rungs.values())
