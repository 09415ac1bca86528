"""The check's records: streaming the open items, writing the ladder's decisions to the ledger
and gathering them into one digest notice per recipient."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    CompoundSelect,
    Date,
    Select,
    String,
    and_,
    bindparam,
    column,
    exists,
    false,
    func,
    or_,
    select,
    text,
    union,
    update,
    values,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.events import NoticeQueued
from domain.ladder import Track
from domain.models import (
    Event,
    Finding,
    Inspection,
    LadderEntry,
    Notice,
    NoticeEntry,
    Plan,
    Submission,
    TrackedItem,
    Unit,
    utcnow,
)
from domain.planning import (
    BatchPlan,
    OpenItem,
    digest_recipients,
    ledger_key,
    notice_key,
    plan_batch,
)
from domain.policy import Policy, PolicyError
from domain.recipients import (
    Delivery,
    UnitInfo,
    UnitTree,
)
from domain.states import DeadlineKind, NoticeState, SubmissionState
from persistence.db import one_of
from persistence.digest_lines import PlannedEntry, PlannedTarget
from persistence.unit_of_work import UnitOfWork, mark_events_recorded


def open_items_query(
    as_of: date, units: Collection[str] | None = None, due_before: date | None = None
):
    """Items with a due date and not completed on `as_of` (of `units` only, when given; due
    before `due_before` only, when given), in order of due date and id: a stable stream that
    the due-date index delivers without reading the items out of reach. Each row says whether
    a completion report awaits review (`OpenItem.awaiting_review`): the ladder decides what
    that means."""
    query = (
        _with_authority(select(TrackedItem.id, TrackedItem.code, TrackedItem.unit_code,
                               TrackedItem.due_date, *_AUTHORITY, _AWAITING_REVIEW))
        .where(TrackedItem.due_date.is_not(None))
        # A recurring task is reminded through each period's occurrence, never as a whole.
        .where(TrackedItem.deadline_kind != DeadlineKind.RECURRING)
        .where(or_(TrackedItem.completed_on.is_(None), TrackedItem.completed_on > as_of))
        .order_by(TrackedItem.due_date, TrackedItem.id)
    )
    if due_before is not None:
        query = query.where(TrackedItem.due_date < due_before)
    return query if units is None else query.where(TrackedItem.unit_code.in_(units))


# Who assigned an item (a plan's issuing unit, else the inspection's concluding unit) and its
# plan's issuing unit: what its escalation's ceiling and organisation are decided from.
_AUTHORITY = (func.coalesce(Plan.owner_unit_code, Inspection.concluded_by_unit_code),
              Plan.owner_unit_code)


# The few items whose report waits: read once per query and looked up by hash, rather than
# probed for each of the items in reach.
_AWAITING_REVIEW = TrackedItem.id.in_(
    select(Submission.item_id).where(Submission.pauses_ladder,
                                     Submission.state == SubmissionState.PENDING)
).label("awaiting_review")


def _with_authority(query):
    return (query.outerjoin(Plan, Plan.code == TrackedItem.plan_code)
            .outerjoin(Finding, Finding.code == TrackedItem.finding_code)
            .outerjoin(Inspection, Inspection.id == Finding.inspection_id))


def item_authority(session: Session, item_id: int) -> tuple[str | None, str | None]:
    """(assigned by, plan owner) of one item, as the check reads them."""
    query = _with_authority(select(*_AUTHORITY).select_from(TrackedItem))
    return tuple(session.execute(query.where(TrackedItem.id == item_id)).one())


def open_items_by_due_date(
    uow: UnitOfWork, as_of: date, units: Collection[str] | None, due_before: date
) -> dict[tuple[date, bool], int]:
    """How many open items (of `units`) fall due on each date before `due_before`, by due date
    and whether a completion report awaits review."""
    items = open_items_query(as_of, units, due_before).order_by(None).subquery()
    with uow.engine.connect() as connection:
        return {(due, bool(waiting)): count for due, waiting, count in connection.execute(
            select(items.c.due_date, items.c.awaiting_review, func.count())
            .group_by(items.c.due_date, items.c.awaiting_review))}


def stream_open_items(
    uow: UnitOfWork,
    as_of: date,
    batch_size: int,
    units: Collection[str] | None = None,
    due_before: date | None = None,
    reached: Mapping[date, tuple[str | None, str | None]] | None = None,
) -> Iterator[list[OpenItem]]:
    """Open items in batches, read with a server-side cursor: never the whole table in memory.
    With `reached` (for each due date, the rungs reached on `as_of` as
    `domain.ladder.rungs_reached` names them), only the items due on those dates that may move:
    those whose ledger lacks one of their date's rungs. The others, most of a daily check's
    items in reach, would be read with all their ledger rows only for the ladder to find
    nothing to do."""
    query = open_items_query(as_of, units, due_before)
    if reached is not None:
        rungs = [(due, *names) for due, names in reached.items() if any(names)]
        if not rungs:
            return
        query = _moving_only(query, rungs)
    with uow.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        # The planners are told to use the indexes they have. SQLite would index the whole
        # items table afresh for the join with the rungs. PostgreSQL plans with statistics from
        # before the check, which writes the ledger this query reads while it streams: on a
        # first check they call the ledger empty, and it scanned the growing ledger for each
        # item (5 minutes at a million items).
        if reached is not None:
            connection.exec_driver_sql("PRAGMA automatic_index = OFF" if sqlite
                                       else "SET LOCAL enable_seqscan = off")
        try:
            result = connection.execution_options(
                stream_results=True, yield_per=batch_size).execute(query)
            for rows in result.partitions():
                yield [OpenItem(*row) for row in rows]
        finally:
            if reached is not None and sqlite:  # the connection goes back to the pool
                connection.exec_driver_sql("PRAGMA automatic_index = ON")


def _moving_only(query: Select, rungs: list[tuple[date, str | None, str | None]]) -> Select:
    """`query` (of items) narrowed to the items that lack, under their due date, the rung of a
    track that `rungs` (due date, unit rung, escalation rung) says is reached."""
    reached = values(column("due_date", Date), column("unit_rung", String),
                     column("escalation_rung", String), name="reached").data(rungs).cte()

    def lacks(track: Track, rung: ColumnElement) -> ColumnElement[bool]:
        return and_(rung.is_not(None), ~exists().where(
            LadderEntry.item_id == TrackedItem.id, LadderEntry.track == track.value,
            LadderEntry.rung == rung, LadderEntry.due_date == TrackedItem.due_date,
        ).correlate_except(LadderEntry))

    return query.join(reached, reached.c.due_date == TrackedItem.due_date).where(or_(
        lacks(Track.UNIT, reached.c.unit_rung),
        lacks(Track.ESCALATION, reached.c.escalation_rung)))


UNIT_COLUMNS = (Unit.code, Unit.name, Unit.parent_code, Unit.head_title, Unit.head_email,
                Unit.focal_email, Unit.active, Unit.successor_code)


def load_unit_tree(session: Session) -> UnitTree:
    return UnitTree(UnitInfo(*row) for row in session.execute(select(*UNIT_COLUMNS)))


def _units_around_query() -> CompoundSelect:
    # Each part read whole by index (a parent's children, a unit's parent, the dissolved
    # units): `code IN (their codes)` made PostgreSQL hash them against a scan of every unit.
    def columns(unit) -> tuple:
        return tuple(getattr(unit, c.key) for c in UNIT_COLUMNS)

    codes = bindparam("codes", expanding=True)
    above = select(*UNIT_COLUMNS).where(Unit.code.in_(codes)).cte("above", recursive=True)
    parent = aliased(Unit)
    above = above.union(select(*columns(parent)).join(above, parent.code == above.c.parent_code))
    below = select(*UNIT_COLUMNS).where(Unit.code.in_(codes)).cte("below", recursive=True)
    child = aliased(Unit)
    below = below.union(select(*columns(child)).join(below, child.parent_code == below.c.code))
    # By code, from the few the index finds: SQLite's statistics make `active = 0` look like
    # every unit (one distinct value), and it would scan them all for their columns.
    dissolved = aliased(Unit)
    codes_of_dissolved = union(select(dissolved.code).where(dissolved.active == false()),
                               select(dissolved.successor_code)
                               .where(dissolved.active == false()))
    return union(select(*above.c), select(*below.c),
                 select(*UNIT_COLUMNS).where(Unit.code.in_(codes_of_dissolved)))


_UNITS_AROUND = _units_around_query()  # built once: a page asks for it at every request


def units_around(session: Session, codes: Collection[str]) -> UnitTree:
    """The part of the tree a page about `codes` reads, in one query: those units, every unit
    above and below them, and every dissolved unit with its successors. Of these units and the
    units `codes` answer for or supervise, `responsible`, `subtree` and `in_scope` say what
    they say of the whole tree (a province's ten thousand units, which a page would otherwise
    read and build at every request)."""
    return UnitTree(UnitInfo(*row) for row in session.execute(
        _UNITS_AROUND, {"codes": list(codes)}))


def escalation_organisation(
    session: Session, policy: Policy, tree: UnitTree
) -> Callable[[str | None], str | None]:
    """For the issuing unit of an item's plan, the organisation its escalation stays within:
    the policy's `secretariat.organisation`; else that plan's issuing unit; else (remediation
    items) the latest plan's issuing unit; else None (the root of the unit's tree)."""
    named = policy.organisation
    if named is not None:
        if named not in tree.units:
            raise PolicyError("tệp chính sách", "secretariat.organisation",
                              f"không có đơn vị mã {named} trong danh sách đơn vị")
        return lambda plan_owner: named
    latest = session.execute(
        select(Plan.owner_unit_code).where(Plan.owner_unit_code.is_not(None))
        .order_by(Plan.year.desc(), Plan.code.desc()).limit(1)
    ).scalar()
    return lambda plan_owner: plan_owner or latest


@dataclass
class CheckDigests:
    """What one check knows of the digests it collects, so that its later batches and its
    sealing need not read back what it wrote: the digest it found or created for each address
    (id and copies), and the lines of those it created. Valid under the check's lock, which
    keeps any other writer out of its digests."""

    collecting: dict[str, tuple[int, set[str]]] = field(default_factory=dict)
    # An item's line, or an inspection target's (`persistence/target_ladder.py`).
    lines: dict[int, list[PlannedEntry | PlannedTarget]] = field(default_factory=dict)


@dataclass
class BatchOutcome:
    queued: int = 0
    skipped: int = 0
    unaddressed: int = 0
    escalated: int = 0
    new_notices: int = 0
    alerts: int = 0  # inspection targets' rows waiting for the secretariat's alert


def plan_for(
    session: Session,
    items: Sequence[OpenItem],
    *,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
    tree: UnitTree,
) -> BatchPlan:
    """The batch's plan, given what the ledger already holds for its items."""
    return plan_batch(items, _recorded(session, items), as_of=as_of, calendar=calendar,
                      policy=policy, tree=tree,
                      organisation_of=escalation_organisation(session, policy, tree))


def record_batch(
    session: Session,
    items: Sequence[OpenItem],
    *,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
    tree: UnitTree,
    partition: str = "",
    digests: CheckDigests | None = None,
) -> BatchOutcome:
    """Plan a batch and write it (the caller's transaction commits it)."""
    plan = plan_for(session, items, as_of=as_of, calendar=calendar, policy=policy, tree=tree)
    return write_plan(session, plan, as_of=as_of, partition=partition,
                      digests=CheckDigests() if digests is None else digests)


def write_plan(
    session: Session, plan: BatchPlan, *, as_of: date, partition: str, digests: CheckDigests
) -> BatchOutcome:
    """Write a batch's ledger rows, notices and events with a few bulk statements, noting in
    `digests` what the rest of the check needs of them. A check of one unit subtree
    (`partition`) collects its own digests, so checks of different subtrees never share one."""
    outcome = BatchOutcome(queued=plan.queued, skipped=plan.skipped,
                           unaddressed=plan.unaddressed, escalated=plan.escalated)
    if not plan.ledger:
        return outcome
    entries, events = plan.ledger, list(plan.events)
    _insert_rows(session, LadderEntry, entries)
    ledger_ids = _ledger_ids(session, [entries[index] for index, _ in plan.deliveries])
    collecting_notices(
        session, [t for _, t in plan.deliveries], as_of, partition, events, outcome, digests
    )
    links = []
    for index, target in plan.deliveries:
        row = entries[index]
        notice_id = digests.collecting[target.to.lower()][0]
        links.append({"notice_id": notice_id, "ledger_id": ledger_ids[ledger_key(row)],
                      "role": target.role})
        if notice_id in digests.lines:
            digests.lines[notice_id].append(PlannedEntry(
                notice_id, target.role, row["rung"], row["due_date"], row["item_id"]))
    if links:
        _insert_rows(session, NoticeEntry, links)
    _insert_rows(session, Event, events)
    mark_events_recorded(session)
    return outcome


def refresh_statistics(session: Session, written: int) -> None:
    """On PostgreSQL, ANALYZE the tables a check has grown by more than a fifth (`written`
    ledger rows): with the statistics of before, the planner reads the digests' lines by
    hashing the whole ledger, once per batch of digests sealed, instead of following the
    indexes. ANALYZE samples, so its cost does not grow with the tables."""
    if session.get_bind().dialect.name != "postgresql":
        return
    known = session.execute(
        text("SELECT reltuples FROM pg_class WHERE relname = 'ladderentry'")).scalar()
    if written > 0.2 * max(known or 0, 0):
        session.execute(text("ANALYZE ladderentry, noticeentry, notice"))


def _insert_rows(session: Session, model: type, rows: list[dict[str, Any]]) -> None:
    """Many rows in one go: COPY on PostgreSQL (psycopg's executemany sends an INSERT per row,
    pipelined; COPY streams them, about 2.5× as fast for a check's rows); elsewhere the
    driver's executemany of one plain INSERT, each value converted by its column's own type
    (SQLAlchemy's compiled executemany builds a parameter dictionary per row, a fifth of a
    first check; the ORM's bulk path splits rows by which values are None)."""
    connection = session.connection()
    table = model.__table__
    columns = [table.c[name] for name in rows[0]]
    values = itemgetter(*(column.name for column in columns))
    if connection.dialect.name != "postgresql":
        dialect = connection.dialect
        convert = [(index, to_sql) for index, column in enumerate(columns)
                   if (to_sql := column.type.dialect_impl(dialect).bind_processor(dialect))]
        parameters = []
        for row in rows:
            row_values = list(values(row))
            for index, to_sql in convert:  # dates, times and JSON; the rest as they are
                row_values[index] = to_sql(row_values[index])
            parameters.append(tuple(row_values))
        connection.exec_driver_sql(
            f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})", parameters)
        return
    as_json = [isinstance(column.type, JSON) for column in columns]
    statement = f"COPY {table.name} ({', '.join(c.name for c in columns)}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([json.dumps(value) if is_json else value
                            for value, is_json in zip(values(row), as_json)])


def _recorded(session: Session, items: Sequence[OpenItem]) -> dict[int, set[tuple[Track, str]]]:
    due = {item.id: item.due_date for item in items}
    # Core on the session's connection: the ORM's result machinery costs more than the query
    # for the ledger rows of a batch, which a daily check reads for every item in reach.
    rows = session.connection().execute(
        select(LadderEntry.item_id, LadderEntry.track, LadderEntry.rung, LadderEntry.due_date)
        .where(one_of(session, LadderEntry.item_id, due))
    ).all()  # fetched at once: psycopg's row-by-row fetch costs more than the query
    recorded: dict[int, set[tuple[Track, str]]] = defaultdict(set)
    tracks = {track.value: track for track in Track}
    for item_id, track, rung, due_date in rows:
        if due_date == due[item_id]:  # an extension re-arms the ladder under the new date
            recorded[item_id].add((tracks[track], rung))
    return recorded


def _ledger_ids(session: Session, rows: list[dict[str, Any]]) -> dict[tuple, int]:
    """The ids of just-inserted ledger rows, found by their unique key. (A bulk INSERT …
    RETURNING in parameter order costs quadratic time in SQLAlchemy's SQLite path.)"""
    if not rows:
        return {}
    wanted = {ledger_key(row) for row in rows}
    # Just inserted, so written by this check: the items' earlier rungs need not be read.
    found = session.connection().execute(
        select(LadderEntry.id, LadderEntry.item_id, LadderEntry.track, LadderEntry.rung,
               LadderEntry.due_date)
        .where(one_of(session, LadderEntry.item_id, {row["item_id"] for row in rows}))
        .where(LadderEntry.check_date == rows[0]["check_date"])
    ).all()
    return {tuple(key): ledger_id for ledger_id, *key in found if tuple(key) in wanted}


def collecting_notices(
    session: Session,
    targets: Sequence[Delivery],
    as_of: date,
    partition: str,
    events: list[dict[str, Any]],
    outcome: BatchOutcome,
    digests: CheckDigests,
) -> None:
    """Note in `digests` the digest still being collected for each recipient on `as_of`,
    created if need be, with the copies the targets ask for. A recipient whose digest of the
    day already went out (a second check that day, after an import) gets a second one: nothing
    joins a sealed digest and is lost."""
    # Each recipient's copies, never the recipient itself.
    wanted = {address: (target, cc - {target.to})
              for address, (target, cc) in digest_recipients(targets).items()}
    unknown = [address for address in wanted if address not in digests.collecting]
    sent_today: dict[str, int] = defaultdict(int)
    if unknown:  # digests of earlier checks that day, sealed or left collecting by a crash
        for notice_id, recipient, state, cc in session.execute(
            select(Notice.id, Notice.recipient, Notice.state, Notice.cc)
            .where(Notice.check_date == as_of, Notice.partition == partition)
            .where(one_of(session, func.lower(Notice.recipient, type_=String), unknown))
            .order_by(Notice.id)
        ):
            address = recipient.lower()
            sent_today[address] += 1
            if state == NoticeState.COLLECTING:
                digests.collecting[address] = (notice_id, set(cc))
    widened: list[dict[str, Any]] = []
    for address, (_, cc) in wanted.items():
        if address in digests.collecting:
            notice_id, copies = digests.collecting[address]
            if cc - copies:
                copies |= cc
                widened.append({"notice_id": notice_id, "new_cc": sorted(copies)})
    if widened:  # one statement for the batch, not one per digest
        table = Notice.__table__
        session.connection().execute(
            update(table).where(table.c.id == bindparam("notice_id"))
            .values(cc=bindparam("new_cc", type_=table.c.cc.type)), widened)
    new = [
        {
            "key": notice_key(as_of, target.to, sent_today[address] + 1, partition),
            "check_date": as_of,
            "partition": partition,
            "recipient": target.to,
            "recipient_unit_code": target.unit.code,
            "cc": sorted(cc),
            "state": NoticeState.COLLECTING,
            "attempts": 0,
            "created_at": utcnow(),
        }
        for address, (target, cc) in wanted.items()
        if address not in digests.collecting
    ]
    if not new:
        return
    _insert_rows(session, Notice, new)
    created = dict(session.execute(
        select(Notice.key, Notice.id)
        .where(one_of(session, Notice.key, [row["key"] for row in new]))
    ).all())
    for row in new:
        notice_id = created[row["key"]]
        digests.collecting[row["recipient"].lower()] = (notice_id, set(row["cc"]))
        digests.lines[notice_id] = []
        events.append(NoticeQueued(notice_id=notice_id, check_date=as_of,
                                   to=row["recipient"], unit=row["recipient_unit_code"]).row())
    outcome.new_notices += len(new)
