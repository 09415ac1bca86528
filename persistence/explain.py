"""The reads behind "why did (or didn't) they get it?": an item's ladder on a day, as facts
(`domain/explanation.py`), and its timeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.events import DomainEvent
from domain.explanation import (
    ChainOfCommand,
    Explanation,
    ExtensionFact,
    NoticeFact,
    RecordedRung,
    SubmissionFact,
    TrackFacts,
    UnrecordedRung,
    chain_of_command,
)
from domain.ladder import Track, next_rung, passed_before, reached
from domain.models import (
    Event,
    Extension,
    LadderEntry,
    Notice,
    NoticeEntry,
    TrackedItem,
)
from domain.policy import Policy
from domain.recipients import delivery_for
from domain.states import LedgerState, NoticeState, SubmissionKind, SubmissionState
from domain.status import status_of
from persistence.events import typed
from persistence.ledger import escalation_organisation, item_authority, load_unit_tree
from persistence.responses import submissions_of


def explanation(
    session: Session, item: TrackedItem, as_of: date, calendar: WorkingCalendar, policy: Policy,
) -> Explanation:
    """The facts of the item on `as_of`: its status and extensions, then per track what was
    reached, sent, skipped or pending, and what comes next."""
    facts = _item_facts(session, item, as_of, calendar, policy)
    if facts.status.is_done or facts.paused:  # what was sent, and nothing more for now
        queued = session.exec(
            select(LadderEntry)
            .where(LadderEntry.item_id == item.id, LadderEntry.state == LedgerState.QUEUED)
            .order_by(LadderEntry.id)
        ).scalars().all()
        return replace(facts, sent=tuple(_recorded(session, entry) for entry in queued))
    if item.due_date is None:
        return facts
    chain, tracks = _ladder(session, item, as_of, calendar, policy)
    return replace(facts, day_off=not calendar.is_working_day(as_of),
                   holiday=calendar.holiday_name(as_of), chain=chain, tracks=tracks)


def _item_facts(
    session: Session, item: TrackedItem, as_of: date, calendar: WorkingCalendar, policy: Policy,
) -> Explanation:
    """The item itself on `as_of`: its status, its extensions, its completion and what its
    unit sent back that bears on the ladder."""
    status = status_of(due=item.due_date, opens=item.opens_on, completed_on=item.completed_on,
                       extended=item.extended, as_of=as_of, calendar=calendar,
                       due_soon_days=policy.due_soon_days, reopened_on=item.reopened_on,
                       first_due=item.due_when_reopened)
    return Explanation(
        code=item.code, content=item.content, unit_code=item.unit_code,
        deadline_text=item.deadline_text, due=item.due_date, as_of=as_of, status=status,
        extensions=tuple(
            ExtensionFact(e.previous_due, e.new_due, e.reason, e.approved_by)
            for e in session.exec(
                select(Extension).where(Extension.item_id == item.id).order_by(Extension.id)
            ).scalars()
        ),
        completed_on=item.completed_on,
        submissions=tuple(
            SubmissionFact(SubmissionKind(x.kind), SubmissionState(x.state), x.submitted_at,
                           x.submitted_by, x.completed_on, x.doc_number, x.proposed_due,
                           x.pauses_ladder)
            for x in submissions_of(session, [item.id]).get(item.id, [])
            if x.kind == SubmissionKind.ACKNOWLEDGEMENT or x.state == SubmissionState.PENDING
        ),
    )


def _ladder(
    session: Session, item: TrackedItem, as_of: date, calendar: WorkingCalendar, policy: Policy,
) -> tuple[ChainOfCommand, tuple[TrackFacts, ...]]:
    """Who the item's escalations go to, and per track the rungs recorded under its current
    due date, the one reached on `as_of` and not recorded (where it would go), and the next."""
    tree = load_unit_tree(session)
    assigned_by, plan_owner = item_authority(session, item.id)
    organisation = escalation_organisation(session, policy, tree)(plan_owner)
    chain = chain_of_command(tree, item.unit_code, policy, organisation=organisation,
                             assigned_by=assigned_by)
    tracks = []
    for track in Track:
        entries = session.exec(
            select(LadderEntry)
            .where(LadderEntry.item_id == item.id, LadderEntry.track == track.value,
                   LadderEntry.due_date == item.due_date, LadderEntry.check_date <= as_of)
            .order_by(LadderEntry.id)
        ).scalars().all()
        current = reached(track, item.due_date, as_of, calendar, policy)
        recorded = {entry.rung for entry in entries}
        unrecorded = None
        if current is not None and current.name not in recorded:
            passed = [r for r in passed_before(track, current, policy) if r.name not in recorded]
            delivery = delivery_for(tree, item.unit_code, current, policy,
                                    organisation=organisation, assigned_by=assigned_by,
                                    passed_over=passed)
            unrecorded = UnrecordedRung(current.name, delivery,
                                        chain.why_not if track is Track.ESCALATION else None)
        tracks.append(TrackFacts(
            track, tuple(_recorded(session, entry) for entry in entries), unrecorded,
            reached_any=current is not None or bool(entries),
            upcoming=next_rung(track, item.due_date, as_of, calendar, policy),
        ))
    return chain, tuple(tracks)


def _recorded(session: Session, entry: LadderEntry) -> RecordedRung:
    notices = () if entry.state != LedgerState.QUEUED else tuple(
        NoticeFact(NoticeState(n.state), n.recipient, tuple(n.cc or ()), n.sent_at, n.message_id,
                   n.attempts, n.last_error, n.next_attempt_at)
        for n in session.exec(
            select(Notice).join(NoticeEntry, NoticeEntry.notice_id == Notice.id)
            .where(NoticeEntry.ledger_id == entry.id).order_by(Notice.id)
        ).scalars()
    )
    return RecordedRung(entry.rung, LedgerState(entry.state), entry.check_date, entry.reason,
                        notices)


def item_timeline(session: Session, item: TrackedItem) -> list[tuple[datetime, DomainEvent]]:
    """Every event about the item, and about the notices that carried it, oldest first: when
    it was recorded, and what."""
    notice_ids = select(NoticeEntry.notice_id).join(
        LadderEntry, LadderEntry.id == NoticeEntry.ledger_id
    ).where(LadderEntry.item_id == item.id)
    rows = session.exec(
        select(Event)
        .where(or_(Event.item_id == item.id, Event.notice_id.in_(notice_ids)))
        .order_by(Event.occurred_at, Event.id)
    ).scalars()
    return [(row.occurred_at, typed(row)) for row in rows]
