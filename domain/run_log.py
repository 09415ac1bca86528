"""What one flow run delivered, read back from the outbox's events: the rows of the run's
artifacts in the Prefect UI (who got which items, with which Message-ID, and what failed)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from domain.events import EventName
from domain.models import Event, LadderEntry, Notice, NoticeEntry, TrackedItem

_OUTCOMES = {
    EventName.NOTICE_SENT: "đã gửi",
    EventName.NOTICE_DEFERRED: "tạm hoãn",
    EventName.NOTICE_FAILED: "lỗi",
}


@dataclass(frozen=True)
class DeliveredNotice:
    recipient: str
    unit_code: str | None
    rungs: tuple[str, ...]
    item_codes: tuple[str, ...]
    message_id: str | None
    outcome: str  # "đã gửi" | "tạm hoãn" | "lỗi"
    server_reply: str | None

    @property
    def failed(self) -> bool:
        return self.outcome != _OUTCOMES[EventName.NOTICE_SENT]


def run_notices(session: Session, flow_run_id: str) -> list[DeliveredNotice]:
    """Each notice the run tried to deliver, with its latest outcome in that run."""
    attempts = session.execute(
        select(Event.notice_id, Event.name, Notice)
        .join(Notice, Notice.id == Event.notice_id)
        .where(Event.flow_run_id == flow_run_id, Event.name.in_([str(n) for n in _OUTCOMES]))
        .order_by(Event.id)
    ).all()
    latest = {notice_id: (name, notice) for notice_id, name, notice in attempts}
    carried: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for notice_id, rung, code in session.execute(
        select(NoticeEntry.notice_id, LadderEntry.rung, TrackedItem.code)
        .join(LadderEntry, LadderEntry.id == NoticeEntry.ledger_id)
        .join(TrackedItem, TrackedItem.id == LadderEntry.item_id)
        .where(NoticeEntry.notice_id.in_(list(latest)))
        .order_by(TrackedItem.scope, TrackedItem.position)
    ):
        carried[notice_id].append((rung, code))
    return [
        DeliveredNotice(
            recipient=notice.recipient,
            unit_code=notice.recipient_unit_code,
            rungs=tuple(sorted({rung for rung, _ in carried[notice_id]})),
            item_codes=tuple(dict.fromkeys(code for _, code in carried[notice_id])),
            message_id=notice.message_id,
            outcome=_OUTCOMES[EventName(name)],
            server_reply=None if name == EventName.NOTICE_SENT else notice.last_error,
        )
        for notice_id, (name, notice) in latest.items()
    ]
