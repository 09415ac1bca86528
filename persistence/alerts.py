"""The secretariat's alert: the moment items are escalated, one e-mail to the secretariat listing
every escalation of the past week it has not yet been told about — those without anyone to
receive them included — and the inspection targets it is to be told of (a window passed with
no inspection recorded, a conclusion awaited). Triggered by Prefect on `cchc.item.escalated`,
and by the check itself when it has targets to tell of; however often it runs, each
escalation and each target's rung is alerted once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from domain.events import NoticeQueued
from domain.ladder import Track
from domain.models import LadderEntry, Notice, NoticeEntry, TargetLadderEntry
from domain.states import LedgerState, NoticeState, RecipientRole
from persistence.events import record

# The outbox partition of alerts, so a check's sealing and theirs never mix.
ALERT_PARTITION = "@secretariat"
# Escalations older than this were in the E-rung digests the secretariat is copied on.
ALERT_WINDOW = timedelta(days=7)


def collect_alert(session: Session, secretariat_email: str, as_of: date) -> int | None:
    """Gather the escalations not yet alerted, and the inspection targets the secretariat is
    to be told of (`persistence/target_ladder.py`), into one notice to the secretariat (to be
    sealed and sent like a digest); its id, or None when there is nothing new."""
    alerted = select(NoticeEntry.ledger_id).where(NoticeEntry.role == RecipientRole.SECRETARIAT)
    ledger_ids = session.exec(
        select(LadderEntry.id)
        .where(LadderEntry.track == Track.ESCALATION.value)
        .where(LadderEntry.state.in_([LedgerState.QUEUED, LedgerState.UNADDRESSED]))
        .where(LadderEntry.check_date.between(as_of - ALERT_WINDOW, as_of))
        .where(LadderEntry.id.not_in(alerted))
        .order_by(LadderEntry.id)
    ).scalars().all()
    target_ids = session.exec(
        select(TargetLadderEntry.id)
        .where(TargetLadderEntry.role == RecipientRole.SECRETARIAT,
               TargetLadderEntry.state == LedgerState.QUEUED,
               TargetLadderEntry.notice_id.is_(None))
        .where(TargetLadderEntry.check_date.between(as_of - ALERT_WINDOW, as_of))
        .order_by(TargetLadderEntry.id)
    ).scalars().all()
    if not ledger_ids and not target_ids:
        return None
    parts = []  # the escalations' range of ids as before, then the targets' rows
    if ledger_ids:
        parts.append(f"{ledger_ids[0]}-{ledger_ids[-1]}")
    if target_ids:
        parts.append(f"t{target_ids[0]}-{target_ids[-1]}")
    notice = Notice(key=f"alert:{as_of.isoformat()}:{':'.join(parts)}", check_date=as_of, recipient=secretariat_email,
                    partition=ALERT_PARTITION, state=NoticeState.COLLECTING)
    session.add(notice)
    session.flush()
    session.add_all(
        NoticeEntry(notice_id=notice.id, ledger_id=ledger_id, role=RecipientRole.SECRETARIAT)
        for ledger_id in ledger_ids
    )
    if target_ids:
        session.execute(update(TargetLadderEntry).where(TargetLadderEntry.id.in_(target_ids))
                        .values(notice_id=notice.id))
    record(session, NoticeQueued(notice_id=notice.id, check_date=as_of, to=secretariat_email))
    return notice.id
