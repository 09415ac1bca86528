"""The deadline check as plain steps — sweep, seal, dispatch — so they can be called by the Prefect
flows (`flows.deadline_check`), the embedded scheduler and the tests alike."""

from __future__ import annotations

import gc
import logging
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace

from sqlmodel import Session

from domain.ladder import horizon, rungs_reached
from domain.models import utcnow
from domain.planning import OpenItem
from domain.recipients import Delivery, UnitTree
from flows.application import Application
from flows.settings import Settings
from notifications.delivery import DeliveryOutcome, DeliveryResult
from notifications.digests import Sections, render_digest, subject_for
from notifications.email import OutgoingMessage, make_message_id
from persistence import alerts, ledger, outbox, target_ladder
from persistence.digest_lines import PlannedEntry, PlannedTarget, digest_views, planned_views
from persistence.occurrence_store import materialise

# Items planned and written at a time: larger batches pay the per-statement costs less often,
# while the sweep's memory stays in the tens of MB. A transaction takes several, since each
# commit is a flush to disk (10 ms each for SQLite on the machine of benchmarks/README.md).
BATCH_SIZE = 2000
BATCHES_PER_TRANSACTION = 5
# Digests sealed per transaction (a commit is a disk flush), read and rendered about SEAL_LINES
# lines at a time: each read is a few lookups (a round trip each on PostgreSQL), and what
# rendering holds stays small when the first digests are chairmen's of hundreds of lines each
# (a first check at a million items peaked at 144 MB with 400 lines, 147-150 MB with 500,
# 168 MB with 1,000 and 182 MB with 2,000; 300 lines saved 2 MB more for a sixth more time).
# A digest whose lines are read back counts as READ_BACK_LINES: its size is known only then.
SEAL_TRANSACTION = 2000
SEAL_LINES = 400
READ_BACK_LINES = 8
# Rendered bodies are written once they reach this size: a chairman's digest of a province's
# escalations runs to hundreds of KB, and a first check's first digests are such.
SEAL_BYTES = 2_000_000
# Each batch opens its connections afresh: a few hundred messages per batch keep them busy.
SEND_BATCH = 500


@dataclass
class CheckSummary:
    as_of: date
    working_day: bool
    items: int = 0
    queued: int = 0
    skipped: int = 0
    unaddressed: int = 0
    escalated: int = 0
    notices: int = 0
    alerts: int = 0  # inspection targets the secretariat's alert is to tell of

    def add(self, outcome: ledger.BatchOutcome) -> None:
        self.queued += outcome.queued
        self.skipped += outcome.skipped
        self.unaddressed += outcome.unaddressed
        self.escalated += outcome.escalated
        self.notices += outcome.new_notices
        self.alerts += outcome.alerts


@dataclass
class DispatchSummary:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    sent_to: list[tuple[str, str, str]] = field(default_factory=list)  # (to, subject, message id)


def sweep_and_seal(
    app: Application,
    as_of: date,
    log: logging.Logger | logging.LoggerAdapter,
    unit: str | None = None,
) -> CheckSummary:
    """Apply the ladder to every open item (of `unit`'s subtree, when given), a few batches a
    transaction, then render each new digest. Under the check lock, so concurrent checks of the
    same items never split a digest; checks of disjoint subtrees run side by side."""
    uow, settings = app.uow, app.settings
    summary = CheckSummary(as_of, settings.calendar.is_working_day(as_of))
    partition = unit or ""
    digests = ledger.CheckDigests()
    with uow.check_lock(partition), _fewer_collections():
        with uow.transaction() as session:
            # Each period's occurrence of the recurring tasks and obligations, before the sweep.
            materialise(session, settings.policy, [as_of.year])
            tree = ledger.load_unit_tree(session)
        units = _subtree(tree, unit)
        if not summary.working_day:
            log.info("%s không phải ngày làm việc: không gửi nhắc việc", f"{as_of:%d/%m/%Y}")
        else:
            summary.items, stream = _moving_items(app, as_of, units)
            log.info("xét %d nhiệm vụ đang mở trong tầm thang nhắc", summary.items)
            # Closed at once if a batch fails, not when the collector gets to it: its
            # connection goes back to the pool as it came.
            with closing(stream):
                batch = next(stream, None)
                while batch is not None:
                    with uow.transaction() as session:
                        for _ in range(BATCHES_PER_TRANSACTION):
                            outcome = ledger.record_batch(
                                session, batch, as_of=as_of, calendar=settings.calendar,
                                policy=settings.policy, tree=tree, partition=partition,
                                digests=digests,
                            )
                            summary.add(outcome)
                            batch = next(stream, None)
                            if batch is None:
                                break
                    log.info("đã ghi %d bậc nhắc mới", summary.queued)
            with uow.transaction() as session:
                # The ladder for inspections, into the same digests as the items.
                summary.add(target_ladder.record_targets(
                    session, as_of=as_of, calendar=settings.calendar, policy=settings.policy,
                    tree=tree, units=units, partition=partition, digests=digests))
                ledger.refresh_statistics(
                    session, summary.queued + summary.skipped + summary.unaddressed)
        # Sealing also finishes digests a crashed check left collecting.
        seal_digests(app, tree, partition, digests.lines)
    return summary


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A check allocates hundreds of thousands of short-lived rows, each batch freed as a whole:
    the cyclic collector, run every 700 allocations over everything the process holds (the
    libraries' modules included), took an eighth of a first check. Objects alive before the
    check are set aside from its collections, and young ones are collected less often."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _moving_items(
    app: Application, as_of: date, units: set[str] | None
) -> tuple[int, Iterator[list[OpenItem]]]:
    """How many open items are within the ladder's reach on `as_of`, and those of them that may
    move that day, in batches."""
    uow, calendar, policy = app.uow, app.calendar, app.policy
    reach = horizon(as_of, calendar, policy)
    counts = ledger.open_items_by_due_date(uow, as_of, units, reach)
    reached = {due: rungs_reached(due, as_of, calendar, policy) for due, _ in counts}
    # An item whose report awaits review is not one the ladder follows that day: not counted.
    followed = sum(count for (_, waiting), count in counts.items() if not waiting)
    return followed, ledger.stream_open_items(uow, as_of, BATCH_SIZE, units, reach, reached)


class UnknownUnit(ValueError):
    pass


def _subtree(tree: UnitTree, unit: str | None) -> set[str] | None:
    if unit is None:
        return None
    if unit not in tree.units:
        raise UnknownUnit(f"không có đơn vị mã {unit}")
    return tree.subtree(unit)


def seal_digests(
    app: Application,
    tree: UnitTree,
    partition: str = "",
    known: dict[int, list[PlannedEntry]] | None = None,
) -> int:
    """Render and seal every digest being collected; the lines of those in `known` (the digests
    a check created, with every line it gave them) are taken from there instead of read back."""
    sealed = 0
    known = {} if known is None else known
    link = app.links.digest_links(tree)
    while True:
        with app.uow.transaction() as session:
            notices = outbox.collecting(session, SEAL_TRANSACTION, partition)
            for group in _by_lines(notices, known):
                _seal_batch(session, app.settings, tree, link, group, known)
        sealed += len(notices)
        if len(notices) < SEAL_TRANSACTION:
            return sealed


def _by_lines(notices: Sequence, known: dict[int, list[PlannedEntry]]) -> Iterator[list]:
    group, lines = [], 0
    for notice in notices:
        group.append(notice)
        lines += len(known[notice.id]) if notice.id in known else READ_BACK_LINES
        if lines >= SEAL_LINES:
            yield group
            group, lines = [], 0
    if group:
        yield group


def _seal_batch(
    session: Session, settings: Settings, tree: UnitTree, link: Callable,
    notices: Sequence, known: dict[int, list[PlannedEntry]],
) -> None:
    planned = [n for n in notices if n.id in known]
    unknown = [n for n in notices if n.id not in known]
    views = deque(planned_views(session, planned, [e for n in planned for e in known.pop(n.id)],
                                settings.calendar, tree) if planned else ())
    if unknown:
        views += digest_views(session, unknown, settings.calendar, tree)
    rendered, size = [], 0
    # Each view is dropped once rendered: only the batch's lines are held at a time.
    while views:
        digest = render_digest(view := views.popleft(), settings.policy.secretariat, link(view),
                               overdue_repeat_days=settings.policy.overdue_repeat_days)
        rendered.append((view.notice_id, digest.subject, digest.text, digest.html))
        size += len(digest.text) + len(digest.html)
        if size > SEAL_BYTES or not views:
            outbox.seal(session, rendered)
            rendered, size = [], 0


def queue_alert(app: Application, as_of: date) -> bool:
    """Queue the secretariat's alert of new escalations, rendered like a digest; False when
    there is nothing new to tell. Under its own lock, so alerts triggered together queue one."""
    with app.uow.check_lock(alerts.ALERT_PARTITION):
        with app.uow.transaction() as session:
            notice_id = alerts.collect_alert(session, app.policy.secretariat_email, as_of)
            tree = ledger.load_unit_tree(session)
        seal_digests(app, tree, alerts.ALERT_PARTITION)
    return notice_id is not None


def preview(
    app: Application, as_of: date, unit: str | None = None
) -> list[tuple[str, str, list[str]]]:
    """What a check on `as_of` would send — (recipient, subject, item codes and inspection
    targets as PLAN/UNIT) — written nowhere: the open items and targets and their recorded
    rungs are read, the ladders plan in memory, and the planned rungs are gathered into
    digests as a check would gather them."""
    settings = app.settings
    if not settings.calendar.is_working_day(as_of):
        return []
    with app.uow.reading() as session:
        tree = ledger.load_unit_tree(session)
        units = _subtree(tree, unit)
        # By address, in the order a check would create them; a planned digest's id is
        # negative, so it is no notice already in the outbox.
        digests: dict[str, tuple[int, Delivery, set[str]]] = {}
        entries: list[PlannedEntry | PlannedTarget] = []
        with closing(_moving_items(app, as_of, units)[1]) as batches:
            for batch in batches:
                plan = ledger.plan_for(session, batch, as_of=as_of, calendar=settings.calendar,
                                       policy=settings.policy, tree=tree)
                for index, target in plan.deliveries:
                    digest = _planned_digest(digests, target)
                    row = plan.ledger[index]
                    entries.append(PlannedEntry(digest, target.role, row["rung"],
                                                row["due_date"], row["item_id"]))
        targets = target_ladder.plan_for(session, as_of=as_of, calendar=settings.calendar,
                                         policy=settings.policy, tree=tree, units=units)
        for index, target in targets.deliveries:
            row = targets.rows[index]
            entries.append(PlannedTarget(_planned_digest(digests, target), target.role,
                                         row["track"], row["rung"], row["due_date"],
                                         row["target_id"]))
        notices = [
            SimpleNamespace(id=number, check_date=as_of, recipient=target.to,
                            recipient_unit_code=target.unit.code, cc=sorted(cc - {target.to}))
            for number, target, cc in digests.values()
        ]
        views = planned_views(session, notices, entries, settings.calendar, tree)
    name = settings.policy.secretariat.name
    return [(view.recipient, subject_for(view, Sections.of(view), name),
             [line.code for line in view.lines]
             + [f"{target.plan_code}/{target.unit_code}" for target in view.targets])
            for view in views]


def _planned_digest(digests: dict[str, tuple[int, Delivery, set[str]]], target: Delivery) -> int:
    """The number of the digest a dry run gathers `target`'s line into, one per address."""
    digest = digests.setdefault(target.to.lower(), (-1 - len(digests), target, set()))
    digest[2].update(target.cc)
    return digest[0]


def dispatch(
    app: Application,
    log: logging.Logger | logging.LoggerAdapter,
    *,
    respect_backoff: bool = True,
    partition: str | None = None,
) -> DispatchSummary:
    """Send what the outbox holds (of `partition` only, when given): claim a batch, send it,
    record each outcome; repeat. The application's sender delivers them."""
    uow, settings = app.uow, app.settings
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    token = uuid.uuid4().hex
    started = utcnow()
    lease = timedelta(seconds=settings.claim_lease_seconds)
    max_age = timedelta(hours=settings.policy.max_age_hours)
    summary = DispatchSummary()
    while True:
        with uow.transaction() as session:
            claimed = outbox.claim(
                session, token, SEND_BATCH, now=utcnow(), lease=lease,
                retry_deferred_before=None if respect_backoff else started,
                partition=partition,
            )
            messages = [
                OutgoingMessage(
                    notice_id=n.id,
                    sender=settings.mail_from,
                    sender_name=settings.policy.secretariat_name,
                    reply_to=settings.policy.secretariat_email,
                    to=(n.recipient,),
                    cc=tuple(n.cc),
                    subject=n.subject or "",
                    text=n.text_body or "",
                    html=n.html_body or "",
                    message_id=make_message_id(n.id, n.key, domain),
                    # The Date header and the .eml file's name: the application's clock, in
                    # the engine's time zone (claims and leases keep the machine's time).
                    date=app.clock.now(),
                )
                for n in claimed
            ]
            session.expunge_all()
        if not messages:
            return summary
        by_id = {m.notice_id: m for m in messages}
        results: list[DeliveryResult] = []
        # Each group of answers is recorded while the rest are being sent: a crash resends
        # only what the server accepted in the group not yet recorded (README, "Delivery").
        for settled in app.sender.settled_groups(messages):
            results += settled
            with uow.transaction() as session:
                _record_outcomes(session, settled, by_id, token, max_age, summary, log)
        if all(r.outcome is DeliveryOutcome.TRANSIENT for r in results):
            # The server is unreachable: stop here, the next dispatch retries with backoff.
            return summary


def _record_outcomes(
    session: Session,
    results: list[DeliveryResult],
    by_id: dict[int, OutgoingMessage],
    token: str,
    max_age: timedelta,
    summary: DispatchSummary,
    log: logging.Logger | logging.LoggerAdapter,
) -> None:
    claimed = outbox.by_id(session, [r.notice_id for r in results])
    for result in results:
        notice = claimed[result.notice_id]
        if notice.claim_token != token:
            # Our claim outlived its lease and another sender took the notice over.
            continue
        now = utcnow()
        if result.outcome is DeliveryOutcome.SENT:
            message = by_id[result.notice_id]
            outbox.mark_sent(session, notice, message.message_id, now=now)
            summary.sent += 1
            summary.sent_to.append((notice.recipient, notice.subject, message.message_id))
        elif result.outcome is DeliveryOutcome.TRANSIENT:
            if outbox.mark_transient(session, notice, result.detail, now=now, max_age=max_age):
                summary.failed += 1
                log.error("bỏ thư gửi %s: %s", notice.recipient, notice.last_error)
            else:
                summary.deferred += 1
                log.warning("tạm hoãn thư gửi %s: %s", notice.recipient, result.detail)
        else:
            outbox.mark_failed(session, notice, result.detail)
            summary.failed += 1
            log.error("không gửi được thư tới %s: %s", notice.recipient, result.detail)
