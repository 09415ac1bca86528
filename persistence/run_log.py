"""The engine's own run history: what each flow run sent, and its end, read and written."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from domain.events import EventName, RunFinished, RungReached
from domain.models import Event, LadderEntry, Notice, NoticeEntry, TrackedItem
from domain.run_log import OUTCOME_EVENTS, DeliveredNotice, RunRecord
from domain.states import DeliveryState
from persistence.events import record, recorded


def run_notices(session: Session, flow_run_id: str) -> list[DeliveredNotice]:
    """Each notice the run tried to deliver, with its latest outcome in that run."""
    attempts = session.execute(
        select(Event.notice_id, Event.name, Notice)
        .join(Notice, Notice.id == Event.notice_id)
        .where(Event.flow_run_id == flow_run_id, Event.name.in_([str(n) for n in OUTCOME_EVENTS]))
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
            outcome=OUTCOME_EVENTS[EventName(name)],
            server_reply=None if name == EventName.NOTICE_SENT else notice.last_error,
            sent_at=notice.sent_at if name == EventName.NOTICE_SENT else None,
        )
        for notice_id, (name, notice) in latest.items()
    ]


def run_counts(session: Session, flow_run_id: str) -> dict[str, object]:
    """What the run did, from its own events: e-mails by outcome, rungs reached by rung."""
    outcomes = Counter(notice.outcome for notice in run_notices(session, flow_run_id))
    summaries = session.exec(
        select(func.count()).select_from(Event).where(
            Event.flow_run_id == flow_run_id, Event.name == EventName.SUMMARY_SENT.value)
    ).scalar_one()
    rungs = Counter(reached.rung for reached in recorded(
        session, RungReached, Event.flow_run_id == flow_run_id))
    return {
        "emails_sent": outcomes[DeliveryState.SENT] + summaries,
        "emails_failed": outcomes[DeliveryState.FAILED],
        "emails_deferred": outcomes[DeliveryState.DEFERRED],
        "rungs": dict(sorted(rungs.items())),
    }


def record_run_end(
    session: Session,
    *,
    flow_run_id: str,
    flow: str,
    name: str,
    as_of: date | None,
    state: str,
    started: datetime | None,
    ended: datetime | None,
) -> None:
    """Write the run's `run.finished` event, with the counts its events add up to."""
    event = record(session, RunFinished(check_date=as_of, flow=flow, run=name, state=state,
                                        started=started, ended=ended,
                                        **run_counts(session, flow_run_id)))
    event.flow_run_id = flow_run_id


def recent_runs(session: Session, limit: int) -> list[RunRecord]:
    """The latest finished runs, newest first."""
    return [
        RunRecord(name=run.run, flow=run.flow, as_of=run.check_date, state=run.state,
                  started=run.started, ended=run.ended, emails_sent=run.emails_sent,
                  emails_failed=run.emails_failed, emails_deferred=run.emails_deferred,
                  rungs=run.rungs)
        for run in recorded(session, RunFinished, newest_first=True, limit=limit)
    ]
