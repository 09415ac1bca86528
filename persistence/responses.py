"""The reads and writes behind the units' pages and the secretariat's review: submissions and
decisions (each with its event), logins and their sessions, revoked links and rate limits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select
from sqlmodel import Session

from domain.addresses import folded
from domain.decisions import Decision
from domain.digest_lines import SentBefore
from domain.events import DomainEvent, LinksRevoked, UserAdded, UserDisabled
from domain.ladder import Track
from domain.models import (
    LadderEntry,
    LinkRevocation,
    RateLimit,
    Submission,
    TrackedItem,
    WebSession,
    WebUser,
)
from domain.recipients import UnitTree
from domain.responses import Reviewed
from domain.states import DeadlineKind, SubmissionState
from persistence.digest_lines import sent_before
from persistence.events import apply, record
from persistence.outbox import as_utc
from persistence.tracking import store as store_item


def add_submission(session: Session, submitted: Decision) -> tuple[Submission, bool]:
    """Store what a unit sent (`domain/responses.py: report`) and its event, which names the
    new row; when one with the same `dedup_key` is already there (the same report sent twice,
    or a report already waiting), return that one, unwritten."""
    key = submitted.changes.get("dedup_key")
    if key is not None:
        existing = session.exec(
            select(Submission).where(Submission.dedup_key == key)).scalars().first()
        if existing is not None:
            return existing, False
    submission = Submission(**submitted.changes)
    session.add(submission)
    session.flush()
    for event in submitted.events:
        record(session, replace(event, submission=submission.id))
    return submission, True


def with_item(session: Session, submission_id: int) -> tuple[Submission, TrackedItem] | None:
    """A submission and its item."""
    row = session.execute(
        select(Submission, TrackedItem).join(TrackedItem, TrackedItem.id == Submission.item_id)
        .where(Submission.id == submission_id)
    ).first()
    return tuple(row) if row else None


def store_review(session: Session, submission: Submission, item: TrackedItem,
                 reviewed: Reviewed) -> None:
    """Store a decision on a submission: its item's change first, then the submission's."""
    store_item(session, item, reviewed.item)
    apply(session, submission, reviewed.submission)


def review_queue(session: Session) -> list[tuple[Submission, TrackedItem]]:
    """Completion reports and extension requests waiting, oldest first."""
    return [tuple(row) for row in session.execute(
        select(Submission, TrackedItem).join(TrackedItem, TrackedItem.id == Submission.item_id)
        .where(Submission.state == SubmissionState.PENDING)
        .order_by(Submission.submitted_at, Submission.id)
    )]


def recently_recorded(session: Session, limit: int) -> list[tuple[Submission, TrackedItem]]:
    """The latest progress notes and acknowledgements (nothing to decide: to be seen)."""
    return [tuple(row) for row in session.execute(
        select(Submission, TrackedItem).join(TrackedItem, TrackedItem.id == Submission.item_id)
        .where(Submission.state == SubmissionState.RECORDED)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc()).limit(limit)
    )]


def undetermined(session: Session) -> Sequence[TrackedItem]:
    """Open items whose deadline names no date (chưa xác định thời hạn), to be given one."""
    return session.exec(
        select(TrackedItem).where(TrackedItem.deadline_kind == DeadlineKind.UNDETERMINED,
                                  TrackedItem.completed_on.is_(None))
        .order_by(TrackedItem.scope, TrackedItem.position)
    ).scalars().all()


def open_items_of(session: Session, unit_codes: Collection[str]) -> Sequence[TrackedItem]:
    """Items not completed of the units `unit_codes` (a recurring task as a whole excluded: its
    periods are the items)."""
    return session.exec(
        select(TrackedItem).where(TrackedItem.unit_code.in_(list(unit_codes)),
                                  TrackedItem.completed_on.is_(None),
                                  TrackedItem.deadline_kind != DeadlineKind.RECURRING)
        .order_by(TrackedItem.scope, TrackedItem.position, TrackedItem.id)
    ).scalars().all()


def escalated_items(session: Session, unit_codes: Collection[str]) -> Sequence[TrackedItem]:
    """Open items of `unit_codes` the ladder has escalated (reported to a supervisor)."""
    # Looked up per item of these units: `id IN (every escalated item)` read the whole
    # ledger's escalations at every page.
    escalated = exists().where(LadderEntry.item_id == TrackedItem.id,
                               LadderEntry.track == Track.ESCALATION)
    return session.exec(
        select(TrackedItem).where(TrackedItem.unit_code.in_(list(unit_codes)),
                                  TrackedItem.completed_on.is_(None), escalated)
        .order_by(TrackedItem.unit_code, TrackedItem.scope, TrackedItem.position)
    ).scalars().all()


def submissions_of(session: Session, item_ids: Collection[int]) -> dict[int, list[Submission]]:
    found: dict[int, list[Submission]] = defaultdict(list)
    for submission in session.exec(
        select(Submission).where(Submission.item_id.in_(list(item_ids)))
        .order_by(Submission.submitted_at, Submission.id)
    ).scalars():
        found[submission.item_id].append(submission)
    return found


def sent_about(session: Session, item_ids: Collection[int], tree: UnitTree
               ) -> dict[int, list[SentBefore]]:
    """For each item, the e-mails already sent about it, oldest first (as digests tell them)."""
    return sent_before(session, list(item_ids), [], tree)


def attachment(session: Session, submission_id: int) -> Submission | None:
    found = session.get(Submission, submission_id)
    return found if found is not None and found.attachment_file else None


# Logins, revoked links, rate limits.

def save_user(session: Session, name: str, password_hash: str) -> bool:
    """Store a login (or its new password, which enables it again and ends its sessions);
    True when it is new."""
    user = session.get(WebUser, name)
    created = user is None
    user = user or WebUser(name=name, password_hash=password_hash)
    user.password_hash, user.disabled_at = password_hash, None
    session.add(user)
    end_sessions(session, name)
    record(session, UserAdded(user=name, new=created))
    return created


def set_password(session: Session, name: str, password_hash: str) -> bool:
    """A login's new password, ending its sessions; False when there is no such login."""
    def change(user: WebUser) -> None:
        user.password_hash = password_hash

    return _change_user(session, name, change, UserAdded(user=name, new=False))


def disable_user(session: Session, name: str, now: datetime) -> bool:
    """A login that logs in no more, its sessions ended; False when there is no such login."""
    def change(user: WebUser) -> None:
        user.disabled_at = user.disabled_at or now

    return _change_user(session, name, change, UserDisabled(user=name))


def _change_user(session: Session, name: str, change, event: DomainEvent) -> bool:
    user = session.get(WebUser, name)
    if user is None:
        return False
    change(user)
    session.add(user)
    end_sessions(session, name)
    record(session, event)
    return True


def users(session: Session) -> list[tuple[str, bool, datetime]]:
    """Every login: (name, whether it is active, when it was created), by name."""
    return [(user.name, user.disabled_at is None, user.created_at) for user in
            session.exec(select(WebUser).order_by(WebUser.name)).scalars()]


def password_hash(session: Session, name: str) -> str | None:
    """The hash of an active login's password (a disabled one has none to match)."""
    user = session.get(WebUser, name)
    return user.password_hash if user and user.disabled_at is None else None


def start_session(session: Session, user: str, id_hash: str, now: datetime,
                  expired_before: datetime) -> None:
    """A session of `user`; theirs started before `expired_before` are dropped meanwhile."""
    session.exec(delete(WebSession).where(WebSession.user == user,
                                          WebSession.started_at < expired_before))
    session.add(WebSession(id_hash=id_hash, user=user, started_at=now))


def session_user(session: Session, id_hash: str, expired_before: datetime) -> str | None:
    """The active login whose session this is, if it still lives."""
    return session.execute(
        select(WebSession.user).join(WebUser, WebUser.name == WebSession.user)
        .where(WebSession.id_hash == id_hash, WebSession.started_at >= expired_before,
               WebUser.disabled_at.is_(None))
    ).scalar_one_or_none()


def end_session(session: Session, id_hash: str) -> None:
    session.exec(delete(WebSession).where(WebSession.id_hash == id_hash))


def end_sessions(session: Session, user: str) -> None:
    session.exec(delete(WebSession).where(WebSession.user == user))


def revoked_before(session: Session, recipient: str) -> datetime | None:
    row = session.get(LinkRevocation, folded(recipient))
    return row.revoked_before if row else None


def revoke_links(session: Session, recipient: str, now: datetime, by: str) -> None:
    recipient = folded(recipient)
    row = session.get(LinkRevocation, recipient) or LinkRevocation(
        recipient=recipient, revoked_before=now)
    row.revoked_before = now
    session.add(row)
    record(session, LinksRevoked(recipient=recipient, by=by))


def limited(session: Session, key: str, now: datetime, *, limit: int,
            window: timedelta) -> bool:
    """Whether `key` has used up its `limit` attempts of the current `window`."""
    row = session.get(RateLimit, key)
    return row is not None and now - as_utc(row.window_start) < window and row.count >= limit


def count_attempt(session: Session, key: str, now: datetime, window: timedelta) -> None:
    """Count one attempt of `key` (a failed login, a link asked for) in its window."""
    row = session.get(RateLimit, key)
    if row is None or now - as_utc(row.window_start) >= window:
        row = row or RateLimit(key=key, window_start=now)
        row.window_start, row.count = now, 0
    row.count += 1
    session.add(row)


def clear_attempts(session: Session, keys: Collection[str]) -> None:
    session.exec(delete(RateLimit).where(RateLimit.key.in_(list(keys))))
