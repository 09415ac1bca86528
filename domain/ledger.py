"""The check's records: streaming the open items, writing the ladder's decisions to the ledger,
gathering them into one digest notice per recipient, and reading a digest back for rendering."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, or_, select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.events import EventName, record
from domain.ladder import Decision, Rung, RungKind, Track, decide
from domain.models import (
    Finding,
    Inspection,
    LadderEntry,
    Notice,
    NoticeEntry,
    Plan,
    TrackedItem,
    Unit,
)
from domain.policy import Policy
from domain.recipients import Delivery, UnitInfo, UnitTree, deliveries


@dataclass(frozen=True)
class OpenItem:
    id: int
    code: str
    unit_code: str
    due_date: date


def open_items_query(as_of: date):
    """Items with a due date and not completed on `as_of`, in id order (a stable stream)."""
    return (
        select(TrackedItem.id, TrackedItem.code, TrackedItem.unit_code, TrackedItem.due_date)
        .where(TrackedItem.due_date.is_not(None))
        .where(or_(TrackedItem.completed_on.is_(None), TrackedItem.completed_on > as_of))
        .order_by(TrackedItem.id)
    )


def stream_open_items(engine: Engine, as_of: date, batch_size: int) -> Iterator[list[OpenItem]]:
    """Open items in batches, read with a server-side cursor: never the whole table in memory."""
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=batch_size).execute(
            open_items_query(as_of)
        )
        for rows in result.partitions():
            yield [OpenItem(*row) for row in rows]


def load_unit_tree(session: Session) -> UnitTree:
    return UnitTree(
        UnitInfo(
            code=u.code,
            name=u.name,
            parent=u.parent_code,
            head_title=u.head_title,
            head_email=u.head_email,
            focal_email=u.focal_email,
            active=u.active,
            successor=u.successor_code,
        )
        for u in session.exec(select(Unit)).scalars()
    )


@dataclass
class BatchOutcome:
    queued: int = 0
    skipped: int = 0
    unaddressed: int = 0
    new_notices: int = 0


def record_batch(
    session: Session,
    items: Sequence[OpenItem],
    *,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
    tree: UnitTree,
) -> BatchOutcome:
    """Apply the ladder to a batch and write its ledger rows, notices and events (the caller
    commits them as one transaction)."""
    outcome = BatchOutcome()
    recorded = _recorded(session, items)
    notices: dict[str, Notice] = {}
    for item in items:
        for decision in decide(item.due_date, as_of, calendar, policy, recorded[item.id]):
            _record_decision(session, item, decision, as_of, policy, tree, notices, outcome)
    return outcome


def _recorded(session: Session, items: Sequence[OpenItem]) -> dict[int, set[tuple[Track, str]]]:
    due = {item.id: item.due_date for item in items}
    rows = session.exec(
        select(LadderEntry.item_id, LadderEntry.track, LadderEntry.rung, LadderEntry.due_date)
        .where(LadderEntry.item_id.in_(due))
    )
    recorded: dict[int, set[tuple[Track, str]]] = defaultdict(set)
    for item_id, track, rung, due_date in rows:
        if due_date == due[item_id]:  # an extension re-arms the ladder under the new date
            recorded[item_id].add((Track(track), rung))
    return recorded


def _record_decision(
    session: Session,
    item: OpenItem,
    decision: Decision,
    as_of: date,
    policy: Policy,
    tree: UnitTree,
    notices: dict[str, Notice],
    outcome: BatchOutcome,
) -> None:
    rung = decision.send
    for skipped in decision.skip:
        session.add(_entry(item, skipped, as_of, "skipped", f"đã có bậc mới hơn: {rung.name}"))
    outcome.skipped += len(decision.skip)
    targets = deliveries(tree, item.unit_code, rung, policy)
    entry = _entry(item, rung, as_of, "queued" if targets else "unaddressed",
                   None if targets else "không có địa chỉ e-mail người nhận")
    session.add(entry)
    session.flush()
    record(
        session,
        EventName.RUNG_REACHED,
        item_id=item.id,
        check_date=as_of,
        code=item.code,
        rung=rung.name,
        track=rung.track.value,
        kind=rung.kind.value,
        level=rung.level,
        unit=tree.responsible(item.unit_code).code,
        due=item.due_date.isoformat(),
        skipped=[r.name for r in decision.skip],
    )
    if not targets:
        outcome.unaddressed += 1
        return
    outcome.queued += 1
    for target in targets:
        notice = _notice_for(session, target, as_of, notices, outcome)
        session.add(NoticeEntry(notice_id=notice.id, ledger_id=entry.id, role=target.role))


def _entry(item: OpenItem, rung: Rung, as_of: date, state: str, reason: str | None):
    return LadderEntry(
        item_id=item.id,
        track=rung.track.value,
        rung=rung.name,
        due_date=item.due_date,
        check_date=as_of,
        state=state,
        reason=reason,
    )


def notice_key(as_of: date, recipient: str) -> str:
    """One digest per recipient per check day."""
    return f"{as_of.isoformat()}:{recipient.lower()}"


def _notice_for(
    session: Session,
    target: Delivery,
    as_of: date,
    cache: dict[str, Notice],
    outcome: BatchOutcome,
) -> Notice:
    key = notice_key(as_of, target.to)
    notice = cache.get(key) or session.exec(select(Notice).where(Notice.key == key)).scalar()
    if notice is None:
        notice = Notice(key=key, check_date=as_of, recipient=target.to,
                        recipient_unit_code=target.unit.code, cc=list(target.cc))
        session.add(notice)
        session.flush()
        record(session, EventName.NOTICE_QUEUED, notice_id=notice.id, check_date=as_of,
               to=target.to, unit=target.unit.code)
        outcome.new_notices += 1
    elif set(target.cc) - set(notice.cc):
        notice.cc = sorted(set(notice.cc) | set(target.cc))
        session.add(notice)
    cache[key] = notice
    return notice


@dataclass(frozen=True)
class DigestLine:
    """One item in a digest, with what the recipient needs to act on it."""

    code: str
    content: str
    source: str  # the plan or the inspection it comes from
    unit_code: str
    unit_name: str
    deadline_text: str
    due: date
    original_due: date | None
    rung: str
    kind: RungKind
    role: str
    remaining_days: int
    overdue_days: int
    earlier: tuple[str, ...]  # notices already sent about it ("R3 02/02/2024 → …")


@dataclass(frozen=True)
class DigestView:
    notice_id: int
    check_date: date
    recipient: str
    recipient_unit: UnitInfo | None
    cc: tuple[str, ...]
    lines: tuple[DigestLine, ...]


def digest_view(
    session: Session, notice: Notice, calendar: WorkingCalendar, tree: UnitTree
) -> DigestView:
    rows = session.exec(
        select(NoticeEntry.role, LadderEntry, TrackedItem)
        .join(LadderEntry, LadderEntry.id == NoticeEntry.ledger_id)
        .join(TrackedItem, TrackedItem.id == LadderEntry.item_id)
        .where(NoticeEntry.notice_id == notice.id)
        .order_by(TrackedItem.unit_code, TrackedItem.scope, TrackedItem.position)
    ).all()
    sources = _sources(session, [item for _, _, item in rows])
    history = _sent_before(session, [item.id for _, _, item in rows], notice.id)
    lines = []
    for role, entry, item in rows:
        unit = tree.responsible(item.unit_code)
        lines.append(
            DigestLine(
                code=item.code,
                content=item.content,
                source=sources[item.id],
                unit_code=unit.code,
                unit_name=unit.name,
                deadline_text=item.deadline_text,
                due=entry.due_date,
                original_due=item.original_due_date
                if item.original_due_date != entry.due_date
                else None,
                rung=entry.rung,
                kind=_kind(entry.rung),
                role=role,
                remaining_days=calendar.remaining(notice.check_date, entry.due_date),
                overdue_days=calendar.overdue(entry.due_date, notice.check_date),
                earlier=tuple(history.get(item.id, ())),
            )
        )
    return DigestView(
        notice_id=notice.id,
        check_date=notice.check_date,
        recipient=notice.recipient,
        recipient_unit=tree.units.get(notice.recipient_unit_code or ""),
        cc=tuple(notice.cc),
        lines=tuple(lines),
    )


def _kind(rung: str) -> RungKind:
    if rung.startswith("E"):
        return RungKind.ESCALATION
    if rung.startswith("O"):
        return RungKind.OVERDUE
    return RungKind.DUE if rung == "R0" else RungKind.REMINDER


def _sources(session: Session, items: Sequence[TrackedItem]) -> dict[int, str]:
    plans = {p.code: p for p in session.exec(select(Plan)).scalars()}
    findings = {
        code: name
        for code, name in session.exec(
            select(Finding.code, Inspection.name).join(
                Inspection, Inspection.id == Finding.inspection_id
            ).where(Finding.code.in_({i.finding_code for i in items if i.finding_code}))
        )
    }
    out = {}
    for item in items:
        if item.plan_code and item.plan_code in plans:
            plan = plans[item.plan_code]
            out[item.id] = plan.title + (f" ({plan.decision_number})" if plan.decision_number else "")
        else:
            out[item.id] = f"Kết luận kiểm tra: {findings.get(item.finding_code, item.scope)}"
    return out


def _sent_before(session: Session, item_ids: list[int], notice_id: int) -> dict[int, list[str]]:
    """For each item, the notices already sent about it: "O4 20/02/2024 → a@x (Message-ID)"."""
    rows = session.exec(
        select(LadderEntry.item_id, LadderEntry.rung, Notice.check_date, Notice.recipient)
        .join(NoticeEntry, NoticeEntry.ledger_id == LadderEntry.id)
        .join(Notice, Notice.id == NoticeEntry.notice_id)
        .where(LadderEntry.item_id.in_(item_ids))
        .where(Notice.state == "sent")
        .where(Notice.id != notice_id)
        .order_by(Notice.check_date, Notice.id)
    )
    history: dict[int, list[str]] = defaultdict(list)
    for item_id, rung, check_date, recipient in rows:
        history[item_id].append(f"{rung} {check_date:%d/%m/%Y} → {recipient}")
    return history
