"""The outbox's life cycle: a digest is collected during a check, sealed with its rendered text,
claimed by one sender, then marked sent, deferred (transient failure) or failed (permanent).

Claims are safe under concurrent senders: on PostgreSQL rows are locked with SKIP LOCKED, and
everywhere the claiming UPDATE re-checks the state, so a row is claimed once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Row, and_, bindparam, or_, select, update
from sqlmodel import Session

from domain.events import NoticeDeferred, NoticeFailed, NoticeQueued, NoticeSent
from domain.models import Notice, utcnow
from domain.states import NoticeState
from persistence.events import record

# The outbox partition of the e-mails the web pages queue (decisions, fresh links) and of the
# review digest: the web process sends them itself, without waiting for a check.
WEB_PARTITION = "web"


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` transient failures: 1, 2, 4 … minutes, at
    most 2 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def collecting(session: Session, limit: int | None, partition: str = "") -> Sequence[Row]:
    """The digests being collected: what rendering one reads of its notice (id, check date,
    recipient, their unit, copies), as rows rather than ORM objects, thousands a country's
    check."""
    return session.connection().execute(
        select(Notice.id, Notice.check_date, Notice.recipient, Notice.recipient_unit_code,
               Notice.cc)
        # The state written into the statement, so that PostgreSQL's cached generic plan can
        # still use the partial index of collecting digests (ix_notice_collecting).
        .where(Notice.state == bindparam("collecting", NoticeState.COLLECTING.value,
                                         literal_execute=True))
        .where(Notice.partition == partition)
        .order_by(Notice.id)
        .limit(limit)
    ).all()


def seal(session: Session, rendered: Sequence[tuple[int, str, str, str]]) -> None:
    """Give collected digests their rendered (notice id, subject, text, html) and queue them,
    in one statement."""
    table = Notice.__table__
    now = utcnow()
    session.connection().execute(
        update(table).where(table.c.id == bindparam("notice_id")).values(
            subject=bindparam("subject"), text_body=bindparam("text"), html_body=bindparam("html"),
            state=NoticeState.PENDING, next_attempt_at=now,
        ),
        [{"notice_id": i, "subject": s, "text": t, "html": h} for i, s, t, h in rendered],
    )


def claim(
    session: Session,
    token: str,
    limit: int,
    *,
    now: datetime,
    lease: timedelta,
    retry_deferred_before: datetime | None = None,
    partition: str | None = None,
) -> list[Notice]:
    """Mark up to `limit` sendable notices as ours (of `partition` only, when given); returns
    them. A notice claimed more than `lease` ago belongs to a sender that died before marking
    it, and is claimed again.

    A deferred notice waits out its backoff, unless `retry_deferred_before` is given (a person
    asked to send now): then notices last tried before that moment go at once."""
    due = or_(Notice.next_attempt_at.is_(None), Notice.next_attempt_at <= now)
    if retry_deferred_before is not None:
        due = or_(due, Notice.claimed_at.is_(None), Notice.claimed_at < retry_deferred_before)
    ready = and_(Notice.state == NoticeState.PENDING, due)
    abandoned = and_(Notice.state == NoticeState.SENDING, Notice.claimed_at < now - lease)
    candidates = select(Notice.id).where(or_(ready, abandoned))
    if partition is not None:
        candidates = candidates.where(Notice.partition == partition)
    candidates = candidates.order_by(Notice.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.exec(candidates).scalars())
    if not ids:
        return []
    session.exec(
        update(Notice)
        .where(Notice.id.in_(ids))
        .where(or_(Notice.state == NoticeState.PENDING, abandoned))
        .values(state=NoticeState.SENDING, claim_token=token, claimed_at=now, attempts=Notice.attempts + 1)
    )
    return list(
        session.exec(select(Notice).where(Notice.claim_token == token, Notice.state == NoticeState.SENDING))
        .scalars()
    )


def mark_sent(session: Session, notice: Notice, message_id: str, *, now: datetime) -> None:
    notice.state, notice.message_id, notice.sent_at, notice.last_error = NoticeState.SENT, message_id, now, None
    session.add(notice)
    record(session, NoticeSent(notice_id=notice.id, check_date=notice.check_date,
                               to=notice.recipient, cc=notice.cc, message_id=message_id,
                               attempts=notice.attempts))


def mark_transient(
    session: Session, notice: Notice, reply: str, *, now: datetime, max_age: timedelta
) -> bool:
    """Defer the notice for another try after its backoff; once it has waited `max_age` since
    it was queued, mark it failed instead. Returns whether it failed."""
    if now - as_utc(notice.created_at) >= max_age:
        hours = int(max_age.total_seconds() // 3600)
        mark_failed(session, notice, f"chưa gửi được sau {hours} giờ, {notice.attempts} lần thử; "
                                     f"lần cuối: {reply}")
        return True
    notice.state, notice.last_error = NoticeState.PENDING, reply
    notice.next_attempt_at = now + backoff(notice.attempts)
    session.add(notice)
    record(session, NoticeDeferred(notice_id=notice.id, check_date=notice.check_date,
                                   to=notice.recipient, reply=reply, attempts=notice.attempts,
                                   next_attempt_at=notice.next_attempt_at))
    return False


def as_utc(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were written in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def mark_failed(session: Session, notice: Notice, reply: str) -> None:
    notice.state, notice.last_error = NoticeState.FAILED, reply
    session.add(notice)
    record(session, NoticeFailed(notice_id=notice.id, check_date=notice.check_date,
                                 to=notice.recipient, reply=reply, attempts=notice.attempts))


def by_id(session: Session, ids: Sequence[int]) -> dict[int, Notice]:
    return {n.id: n for n in session.exec(select(Notice).where(Notice.id.in_(ids))).scalars()}


def queue_message(
    session: Session, *, key: str, day: date, recipient: str, unit_code: str | None,
    subject: str, text: str, html: str, cc: Sequence[str] = (),
) -> Notice | None:
    """Queue an e-mail rendered already (a decision told to a unit, a fresh link, the review
    digest), ready to send; None when one with the same `key` is queued already (once only)."""
    if session.exec(select(Notice.id).where(Notice.key == key)).first() is not None:
        return None
    notice = Notice(key=key, check_date=day, recipient=recipient, recipient_unit_code=unit_code,
                    partition=WEB_PARTITION, cc=list(cc), subject=subject, text_body=text,
                    html_body=html, state=NoticeState.PENDING, next_attempt_at=utcnow())
    session.add(notice)
    session.flush()
    record(session, NoticeQueued(notice_id=notice.id, check_date=day, to=recipient,
                                 cc=tuple(cc)))
    return notice
