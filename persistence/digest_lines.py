"""A digest's lines read back from the ledgers, the items (and inspection targets) and what was
sent before."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.digest_lines import DigestLine, DigestView, ItemSource, SentBefore, TargetLine
from domain.ladder import RungKind, parse_rung
from domain.models import (
    Finding,
    Inspection,
    InspectionPlan,
    InspectionTarget,
    LadderEntry,
    Notice,
    NoticeEntry,
    Plan,
    Submission,
    TargetLadderEntry,
    TrackedItem,
)
from domain.recipients import UnitTree
from domain.occurrences import OBLIGATIONS_SCOPE
from domain.states import InspectionMode, NoticeState, SourceKind, SubmissionKind, TargetTrack
from persistence.db import one_of


# What a digest line shows of its item.
_ITEM_COLUMNS = (TrackedItem.id, TrackedItem.code, TrackedItem.content, TrackedItem.unit_code,
                 TrackedItem.deadline_text, TrackedItem.original_due_date, TrackedItem.plan_code,
                 TrackedItem.finding_code, TrackedItem.scope, TrackedItem.position,
                 TrackedItem.occurrence_of, TrackedItem.reopened_on)
_IN_CHUNK = 5000  # item ids per IN list, under SQLite's limit on bound parameters


@dataclass(frozen=True, slots=True)
class PlannedEntry:
    """A line a check would add to a digest, before anything is written: (notice, role, rung,
    due date) of an item, as a notice entry joined to its ledger row reads back."""

    notice_id: int
    role: str
    rung: str
    due_date: date
    item_id: int


@dataclass(frozen=True, slots=True)
class PlannedTarget:
    """A line a check would add to a digest about an inspection target: (notice, role, track,
    rung, day counted from) of the target, as its ledger row reads back."""

    notice_id: int
    role: str
    track: str
    rung: str
    due_date: date
    target_id: int


def digest_views(
    session: Session, notices: Sequence[Notice], calendar: WorkingCalendar, tree: UnitTree
) -> list[DigestView]:
    """The sealed-to-be digests' lines, read in three simple lookups by key (entries by
    notice, their ledger rows by id, then the items): as one join, PostgreSQL's planner hashed
    the whole ledger for every batch of digests, its estimate of the entries being too high
    to follow the index for each."""
    entries = session.execute(
        select(NoticeEntry.notice_id, NoticeEntry.role, NoticeEntry.ledger_id)
        .where(one_of(session, NoticeEntry.notice_id, [n.id for n in notices]))
        .order_by(NoticeEntry.id)
    ).all()
    ids = [entry.ledger_id for entry in entries]
    rungs = {}
    for start in range(0, len(ids), _IN_CHUNK):
        rungs.update((row.id, row) for row in session.execute(
            select(LadderEntry.id, LadderEntry.rung, LadderEntry.due_date, LadderEntry.item_id)
            .where(one_of(session, LadderEntry.id, ids[start:start + _IN_CHUNK]))))
    targets = [PlannedTarget(*row) for row in session.execute(
        select(TargetLadderEntry.notice_id, TargetLadderEntry.role, TargetLadderEntry.track,
               TargetLadderEntry.rung, TargetLadderEntry.due_date, TargetLadderEntry.target_id)
        .where(one_of(session, TargetLadderEntry.notice_id, [n.id for n in notices]))
        .order_by(TargetLadderEntry.id))]
    return planned_views(session, notices, [
        PlannedEntry(entry.notice_id, entry.role, rungs[entry.ledger_id].rung,
                     rungs[entry.ledger_id].due_date, rungs[entry.ledger_id].item_id)
        for entry in entries
    ] + targets, calendar, tree)


def planned_views(
    session: Session, notices: Sequence, entries: Sequence[PlannedEntry | PlannedTarget],
    calendar: WorkingCalendar, tree: UnitTree,
) -> list[DigestView]:
    """The digests of `notices` (or of objects with the same attributes: a check's plan held in
    memory) with the lines `entries` give them, read from the items (and targets) alone."""
    by_item: dict[int, list[PlannedEntry]] = defaultdict(list)
    targets: list[PlannedTarget] = []
    for entry in entries:
        if isinstance(entry, PlannedTarget):
            targets.append(entry)
        else:
            by_item[entry.item_id].append(entry)
    rows, item_ids = [], list(by_item)
    for start in range(0, len(item_ids), _IN_CHUNK):
        rows += session.execute(
            select(*_ITEM_COLUMNS)
            .where(one_of(session, TrackedItem.id, item_ids[start:start + _IN_CHUNK]))
            .order_by(TrackedItem.id)).all()
    # Each entry with its item, in the order of the items' units, scopes and positions, sorted
    # here rather than by the database: a digest planned in memory and the same digest sealed
    # then list the same order whatever the database's collation.
    lines = sorted(((entry, row) for row in rows for entry in by_item[row.id]),
                   key=lambda line: (line[1].unit_code, line[1].scope, line[1].position))
    return _views(session, lines, notices, calendar, tree,
                  _target_lines(session, targets, notices, calendar, tree) if targets else {})


def _target_lines(
    session: Session, entries: Sequence[PlannedTarget], notices: Sequence,
    calendar: WorkingCalendar, tree: UnitTree,
) -> dict[int, tuple[TargetLine, ...]]:
    """Each notice's inspection targets, by plan and position, read in one query (a check's
    targets are tens to hundreds)."""
    rows = {row.id: row for row in session.execute(
        select(InspectionTarget.id, InspectionTarget.plan_code, InspectionTarget.unit_code,
               InspectionTarget.mode, InspectionTarget.position, InspectionTarget.window_text,
               InspectionTarget.window_opens, InspectionTarget.window_closes,
               InspectionTarget.inspected_from, InspectionTarget.inspected_to,
               InspectionPlan.title)
        .join(InspectionPlan, InspectionPlan.code == InspectionTarget.plan_code)
        .where(one_of(session, InspectionTarget.id, {e.target_id for e in entries})))}
    checked = {n.id: n.check_date for n in notices}
    by_notice: dict[int, list[TargetLine]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (rows[e.target_id].plan_code,
                                                rows[e.target_id].position)):
        row, day = rows[entry.target_id], checked[entry.notice_id]
        by_notice[entry.notice_id].append(TargetLine(
            plan_code=row.plan_code, plan_title=row.title, unit_code=row.unit_code,
            unit_name=tree.responsible(row.unit_code).name, mode=InspectionMode(row.mode),
            track=TargetTrack(entry.track), role=entry.role, due=entry.due_date,
            window_text=row.window_text, window_opens=row.window_opens,
            window_closes=row.window_closes, inspected_from=row.inspected_from,
            inspected_to=row.inspected_to,
            remaining_days=calendar.remaining(day, entry.due_date),
            overdue_days=calendar.overdue(entry.due_date, day)))
    return {notice_id: tuple(lines) for notice_id, lines in by_notice.items()}


def _views(
    session: Session, lines: Sequence[tuple[PlannedEntry, Row]], notices: Sequence,
    calendar: WorkingCalendar, tree: UnitTree, targets: dict[int, tuple[TargetLine, ...]],
) -> list[DigestView]:
    items = {row.id: row for _, row in lines}
    sources = _sources(session, list(items.values()))
    history = sent_before(session, list(items), [n.id for n in notices], tree)
    acknowledged = _acknowledged_on(session, list(items))
    by_notice: dict[int, list[DigestLine]] = defaultdict(list)
    checked = {n.id: n.check_date for n in notices}
    recipients = {n.id: n.recipient.lower() for n in notices}
    for entry, row in lines:
        unit = tree.responsible(row.unit_code)
        day = checked[entry.notice_id]
        earlier = tuple(history.get(row.id, ()))
        kind = parse_rung(entry.rung)[0]
        by_notice[entry.notice_id].append(
            DigestLine(
                code=row.code,
                content=row.content,
                source=sources[row.id],
                unit_code=unit.code,
                unit_name=unit.name,
                deadline_text=row.deadline_text,
                due=entry.due_date,
                original_due=row.original_due_date
                if row.original_due_date != entry.due_date
                else None,
                rung=entry.rung,
                kind=kind,
                role=entry.role,
                remaining_days=calendar.remaining(day, entry.due_date),
                overdue_days=calendar.overdue(entry.due_date, day),
                earlier=earlier,
                escalation_round=1 + sum(
                    sent.kind is RungKind.ESCALATION
                    and sent.recipient.lower() == recipients[entry.notice_id]
                    for sent in earlier
                ) if kind is RungKind.ESCALATION else 0,
                acknowledged_on=acknowledged.get(row.id),
                reopened=row.reopened_on is not None,
            )
        )
    return [
        DigestView(
            notice_id=notice.id,
            check_date=notice.check_date,
            recipient=notice.recipient,
            recipient_unit=tree.units.get(notice.recipient_unit_code or ""),
            cc=tuple(notice.cc),
            lines=tuple(by_notice[notice.id]),
            targets=targets.get(notice.id, ()),
        )
        for notice in notices
    ]


def _sources(session: Session, items: Sequence[Row]) -> dict[int, ItemSource]:
    """Each item's plan, inspection or report obligation; `items` are rows of
    `_ITEM_COLUMNS`."""
    plans = {
        code: ItemSource(title, decision)
        for code, title, decision in session.execute(
            select(Plan.code, Plan.title, Plan.decision_number)
            .where(Plan.code.in_({i.plan_code for i in items if i.plan_code}))
        )
    }
    inspections = dict(
        session.execute(
            select(Finding.code, Inspection.name)
            .join(Inspection, Inspection.id == Finding.inspection_id)
            .where(Finding.code.in_({i.finding_code for i in items if i.finding_code}))
        ).all()
    )
    return {item.id: _source(item, plans, inspections) for item in items}


def _source(item: Row, plans: dict[str, ItemSource], inspections: dict[str, str]) -> ItemSource:
    if item.plan_code in plans:
        return plans[item.plan_code]
    if item.finding_code is not None:
        return ItemSource(inspections.get(item.finding_code, item.scope),
                          kind=SourceKind.INSPECTION)
    if item.scope == OBLIGATIONS_SCOPE:
        return ItemSource(item.content, kind=SourceKind.OBLIGATION)
    return ItemSource(item.scope)  # a plan not (yet) in the database: its code


def sent_before(
    session: Session, item_ids: list[int], notice_ids: list[int], tree: UnitTree
) -> dict[int, list[SentBefore]]:
    """For each item, the notices already sent about it, oldest first."""
    rows = session.execute(
        select(LadderEntry.item_id, LadderEntry.rung, Notice.check_date, Notice.recipient,
               Notice.recipient_unit_code)
        .join(NoticeEntry, NoticeEntry.ledger_id == LadderEntry.id)
        .join(Notice, Notice.id == NoticeEntry.notice_id)
        .where(one_of(session, LadderEntry.item_id, item_ids))
        .where(Notice.state == NoticeState.SENT)
        .where(Notice.id.not_in(notice_ids))
        .order_by(Notice.check_date, Notice.id)
    )
    history: dict[int, list[SentBefore]] = defaultdict(list)
    for item_id, rung, check_date, recipient, unit_code in rows:
        history[item_id].append(
            SentBefore(rung, check_date, recipient, tree.units.get(unit_code or "")))
    return history


def _acknowledged_on(session: Session, item_ids: list[int]) -> dict[int, date]:
    """The day each item's unit last acknowledged receiving its notice (đã nhận)."""
    rows = session.execute(
        select(Submission.item_id, Submission.submitted_on)
        .where(one_of(session, Submission.item_id, item_ids),
               Submission.kind == SubmissionKind.ACKNOWLEDGEMENT)
        .order_by(Submission.submitted_at)
    )
    return {item_id: day for item_id, day in rows}
