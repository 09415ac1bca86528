"""The deadline check on a generated country, measured in the same run against two others: the
stateless floor (what Redmine's `send_reminders` does: one query of the open items due within
reach or overdue, one digest rendered per recipient, nothing remembered) and the obvious
alternative (the SQLModel ORM loading every item and filtering in Python).

    .venv/bin/python benchmarks/check.py [--database sqlite|postgresql] [--items 1000000]
                                         [--within-reach N] [--runs 3] [--database-url URL]
                                         [--without-naive]

The engine and the naive way start from the same data (the check's rows are deleted before
each) and write the same result through the same ledger code: what differs is how the items are
read and sifted. The peer reads the same items and renders with the engine's own templates, but
records nothing and knows no ladder, ledger or escalation: the floor for the same output.
Each measurement runs in a child process of its own, so its peak resident memory (VmHWM) is
its own. On PostgreSQL it also times the check split by province over 1 and 2 worker processes.
Printed: the median of the runs for each, items per second, peak RSS and the ratios.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from generate import CHECK_DAY, PROVINCES, generate  # beside this script
from sqlalchemy import create_engine, delete, func, select, text

from domain.digest_lines import DigestLine, DigestView, ItemSource
from domain.ladder import RungKind, Track, decide, horizon
from domain.planning import OpenItem
from domain.models import (
    Event,
    Finding,
    Inspection,
    LadderEntry,
    Notice,
    NoticeEntry,
    Plan,
    TrackedItem,
    Unit,
)
from domain.states import RecipientRole, SourceKind
from flows import checking
from flows.application import build_application
from flows.settings import Settings
from notifications.digests import render_digest
from persistence import ledger
from persistence.db import make_engine, upgrade
from persistence.unit_of_work import UnitOfWork

NEXT_DAY = date(2025, 3, 13)  # the working day after CHECK_DAY
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
LOG = logging.getLogger("benchmark")


def settings_for(url: str) -> Settings:
    return Settings(database_url=url, maildir=Path(tempfile.gettempdir()) / "cchc-bench-outbox")


def engine_check(url: str, day: date) -> dict:
    """The check as the deadline-check flow's sweep task runs it."""
    summary = checking.sweep_and_seal(build_application(settings_for(url)), day, LOG)
    return {"queued": summary.queued, "notices": summary.notices}


def naive_check(url: str, day: date) -> dict:
    """The obvious way: every item as an ORM object, the ladder applied to each in Python, and
    what it finds recorded through the same ledger code as the engine's."""
    engine, settings = make_engine(url), settings_for(url)
    calendar, policy = settings.calendar, settings.policy
    with UnitOfWork(engine).reading() as session:
        tree = ledger.load_unit_tree(session)
        items = session.exec(select(TrackedItem)).scalars().all()
        recorded: dict[tuple, set] = {}  # by item and due date: an extension re-arms
        for entry in session.exec(select(LadderEntry)).scalars():
            recorded.setdefault((entry.item_id, entry.due_date), set()).add(
                (Track(entry.track), entry.rung))
        found = [
            OpenItem(item.id, item.code, item.unit_code, item.due_date)
            for item in items
            if item.due_date is not None
            and (item.completed_on is None or item.completed_on > day)
            and decide(item.due_date, day, calendar, policy,
                       recorded.get((item.id, item.due_date), ()))
        ]
    summary = checking.CheckSummary(day, True)
    for start in range(0, len(found), checking.BATCH_SIZE):
        with UnitOfWork(engine).transaction() as session:
            outcome = ledger.record_batch(session, found[start:start + checking.BATCH_SIZE],
                                          as_of=day, calendar=calendar, policy=policy,
                                          tree=tree)
        summary.queued += outcome.queued
        summary.notices += outcome.new_notices
    checking.seal_digests(build_application(settings, engine=engine), tree)
    return {"queued": summary.queued, "notices": summary.notices}


def peer_check(url: str, day: date) -> dict:
    """The stateless floor, as Redmine's `send_reminders` works: one query of the open items due
    within the ladder's reach or overdue, grouped by the responsible unit's head, one digest
    rendered per recipient with the engine's templates; nothing read from or written to a
    ledger, so it cannot tell what was already sent."""
    engine, settings = make_engine(url), settings_for(url)
    calendar = settings.calendar
    query = (
        select(TrackedItem.code, TrackedItem.content, TrackedItem.unit_code,
               TrackedItem.deadline_text, TrackedItem.due_date, TrackedItem.original_due_date,
               Plan.title, Plan.decision_number,
               func.coalesce(Inspection.name, TrackedItem.scope))
        .outerjoin(Plan, Plan.code == TrackedItem.plan_code)
        .outerjoin(Finding, Finding.code == TrackedItem.finding_code)
        .outerjoin(Inspection, Inspection.id == Finding.inspection_id)
        .where(TrackedItem.due_date < horizon(day, calendar, settings.policy))
        .where(TrackedItem.deadline_kind != "recurring")
        .where((TrackedItem.completed_on.is_(None)) | (TrackedItem.completed_on > day))
        .order_by(TrackedItem.unit_code, TrackedItem.scope, TrackedItem.position)
    )
    by_recipient: dict[str, list[DigestLine]] = {}
    with UnitOfWork(engine).reading() as session:
        tree = ledger.load_unit_tree(session)
        for (code, content, unit_code, text, due, original, plan, decision,
             inspection) in session.execute(query):
            unit = tree.responsible(unit_code)
            if not unit.head_email:
                continue
            overdue, remaining = calendar.overdue(due, day), calendar.remaining(day, due)
            kind = (RungKind.OVERDUE if overdue else
                    RungKind.DUE if remaining == 0 else RungKind.REMINDER)
            by_recipient.setdefault(unit.head_email, []).append(DigestLine(
                code=code, content=content, unit_code=unit.code,
                source=(ItemSource(plan, decision) if plan is not None
                        else ItemSource(inspection, kind=SourceKind.INSPECTION)),
                unit_name=unit.name, deadline_text=text, due=due,
                original_due=original if original != due else None,
                rung=f"O{overdue}" if overdue else f"R{remaining}", kind=kind,
                role=RecipientRole.RESPONSIBLE, remaining_days=remaining, overdue_days=overdue,
                earlier=()))
    units_by_head = {u.head_email: u for u in tree.units.values() if u.head_email}
    for recipient, lines in by_recipient.items():
        view = DigestView(0, day, recipient, units_by_head[recipient], (), tuple(lines))
        render_digest(view, settings.policy.secretariat)
    return {"items": sum(map(len, by_recipient.values())), "notices": len(by_recipient)}


def _check_province(url: str, province: str) -> int:
    app = build_application(settings_for(url))
    try:
        return checking.sweep_and_seal(app, CHECK_DAY, LOG, province).queued
    finally:
        app.close()


def partitioned_check(url: str, workers: int) -> dict:
    """One check per province (a unit subtree), shared by `workers` processes."""
    engine = make_engine(url)
    with engine.connect() as connection:
        provinces = list(connection.execute(
            select(Unit.code).where(Unit.parent_code.is_(None)).order_by(Unit.code)
        ).scalars())
    with ProcessPoolExecutor(workers) as pool:
        queued = sum(pool.map(_check_province, [url] * len(provinces), provinces))
    return {"queued": queued, "partitions": len(provinces)}


MEASURES = {"engine": engine_check, "naive": naive_check, "peer": peer_check}


def measure(kind: str, url: str, workers: int, day: date) -> None:
    """Run in a child process: time one check and print it as a JSON line."""
    logging.disable(logging.WARNING)
    settings_for(url).calendar.is_working_day(day)  # the calendar is built outside timing
    started = time.perf_counter()
    result = partitioned_check(url, workers) if kind == "partitions" else MEASURES[kind](url, day)
    seconds = time.perf_counter() - started
    peak = peak_rss_mb()
    print(json.dumps({**result, "seconds": seconds, "rss_mb": peak}))


def peak_rss_mb() -> float:
    """This process image's own peak: Linux keeps ru_maxrss across exec, so a child started by
    a parent that generated the data would report the parent's peak instead."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1)) / 1024


def in_child(kind: str, url: str, workers: int = 1, day: date = CHECK_DAY) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--database-url", url,
         "--workers", str(workers), "--day", day.isoformat()],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def forget_checks(url: str, day: date | None = None) -> None:
    """Back to the generated data (no ledger, no notices, no events), or to the state before
    the check of `day`."""
    engine = make_engine(url)
    with engine.begin() as connection:
        if day is None:
            for model in (NoticeEntry, Event, Notice, LadderEntry):
                connection.execute(delete(model))
        else:
            of_day = select(Notice.id).where(Notice.check_date == day)
            connection.execute(delete(NoticeEntry).where(NoticeEntry.notice_id.in_(of_day)))
            for model in (Event, Notice, LadderEntry):
                connection.execute(delete(model).where(model.check_date == day))
    if engine.dialect.name == "postgresql":
        # As the tables would be without these deletes: hundreds of thousands of dead rows
        # at the ends of the ledger's indexes make the planner's probes of them (and so
        # each plan) take tens of milliseconds.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE notice, noticeentry, ladderentry, event"))
    engine.dispose()


@contextmanager
def database(kind: str, url: str | None, items: int, provinces: int, within_reach: int | None):
    """A generated country: the one at `url` (generated there if it holds none yet), or a new
    database dropped afterwards."""
    if url is not None:
        yield _generated(url, items, provinces, within_reach)
        return
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="cchc-bench-") as workdir:
            yield _generated(f"sqlite:///{workdir}/country.db", items, provinces, within_reach)
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cchc_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _generated(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", items, provinces,
                         within_reach)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _generated(url: str, items: int, provinces: int, within_reach: int | None) -> str:
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as connection:
        if connection.execute(select(func.count()).select_from(Unit)).scalar_one():
            engine.dispose()
            return url
    started = time.perf_counter()
    units, count = generate(engine, items, provinces, within_reach)
    engine.dispose()
    print(f"generated {units:,} units and {count:,} open items in "
          f"{time.perf_counter() - started:.1f} s")
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url",
                        help="where the country is, or is generated if that database is empty")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--provinces", type=int, default=PROVINCES)
    parser.add_argument("--within-reach", type=int,
                        help="generate this many items within the ladder's reach or overdue, "
                             "the rest far away (see generate.py)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--without-naive", action="store_true",
                        help="skip the ORM way (minutes at a million items)")
    parser.add_argument("--measure", choices=(*MEASURES, "partitions"), help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--day", type=date.fromisoformat, default=CHECK_DAY,
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.database_url, args.workers, args.day)
        return

    with database(args.database, args.database_url, args.items, args.provinces,
                      args.within_reach) as url:
        engine = make_engine(url)
        with engine.connect() as connection:
            items = connection.execute(select(func.count()).select_from(TrackedItem)).scalar_one()
        dialect = engine.dialect.name
        engine.dispose()
        runs: dict[str, list[dict]] = {}
        for _ in range(args.runs):
            forget_checks(url)
            if not args.without_naive:
                runs.setdefault("naive", []).append(in_child("naive", url))
                forget_checks(url)
            runs.setdefault("peer", []).append(in_child("peer", url))
            runs.setdefault("first", []).append(in_child("engine", url))
            runs.setdefault("rerun", []).append(in_child("engine", url))
            # The daily check: the next working day, after the first check's ledger.
            if not args.without_naive:
                runs.setdefault("naive-next", []).append(in_child("naive", url, day=NEXT_DAY))
                forget_checks(url, NEXT_DAY)
            runs.setdefault("peer-next", []).append(in_child("peer", url, day=NEXT_DAY))
            runs.setdefault("next", []).append(in_child("engine", url, day=NEXT_DAY))
            if dialect == "postgresql":
                for workers in (1, 2):
                    forget_checks(url)
                    runs.setdefault(f"workers{workers}", []).append(
                        in_child("partitions", url, workers))
        report(dialect, items, runs)


def report(dialect: str, items: int, runs: dict[str, list[dict]]) -> None:
    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    naive = "naive" in runs
    for engine_side, naive_side in (("first", "naive"), ("next", "naive-next")) * naive:
        assert all((run["queued"], run["notices"]) == (other["queued"], other["notices"])
                   for run, other in zip(runs[engine_side], runs[naive_side])), \
            "both ways must record the same rungs and digests"
    assert all(run["queued"] == 0 for run in runs["rerun"]), "a rerun must add nothing"
    first, following = runs["first"][0], runs["next"][0]
    peer, peer_next = runs["peer"][0], runs["peer-next"][0]
    print(f"{dialect}: {items:,} open items; first check {CHECK_DAY:%d/%m/%Y}: "
          f"{first['queued']:,} rungs queued in {first['notices']:,} digests; next working day "
          f"{NEXT_DAY:%d/%m/%Y}: {following['queued']:,} rungs in {following['notices']:,} "
          f"digests; the stateless peer: {peer['items']:,} items in {peer['notices']:,} digests, "
          f"next working day {peer_next['items']:,} in {peer_next['notices']:,}; "
          f"median of {len(runs['first'])} runs")
    rows = [("peer: stateless, first day", "peer"), ("naive: ORM loads every item", "naive"),
            ("engine: first check", "first"), ("engine: rerun of the same check", "rerun"),
            ("peer: stateless, next working day", "peer-next"),
            ("naive: next working day", "naive-next"), ("engine: next working day", "next")]
    rows += [(f"by province, {n} worker process{'es' * (n > 1)}", f"workers{n}")
             for n in (1, 2)]
    print(f"{'':<36}{'seconds':>9}{'items/s':>12}{'peak RSS MB':>13}")
    for label, name in rows:
        if name not in runs:
            continue
        seconds = median(name, "seconds")
        rss = f"{median(name, 'rss_mb'):>13,.0f}" if "workers" not in name else ""
        print(f"{label:<36}{seconds:>9.2f}{items / seconds:>12,.0f}{rss}")
    print(f"ratio first check vs peer: {median('first', 'seconds') / median('peer', 'seconds'):.2f}"
          f"x the peer's time (target <= 3x); peak RSS {median('first', 'rss_mb'):,.0f} MB "
          f"vs peer {median('peer', 'rss_mb'):,.0f} MB (target <= 150 MB)")
    print(f"ratio next working day vs peer: "
          f"{median('next', 'seconds') / median('peer-next', 'seconds'):.2f}x the peer's time "
          f"(target <= 1.5x); peak RSS {median('next', 'rss_mb'):,.0f} MB "
          f"vs peer {median('peer-next', 'rss_mb'):,.0f} MB")
    if naive:
        naive_seconds = median("naive", "seconds")
        print(f"ratio first check vs naive: {naive_seconds / median('first', 'seconds'):.1f}x "
              f"faster; peak RSS {median('first', 'rss_mb'):,.0f} MB "
              f"vs naive {median('naive', 'rss_mb'):,.0f} MB")
        print(f"ratio rerun vs naive: {naive_seconds / median('rerun', 'seconds'):.1f}x faster")
        print(f"ratio next working day vs naive: "
              f"{median('naive-next', 'seconds') / median('next', 'seconds'):.1f}x faster")
    if "workers2" in runs:
        print(f"ratio 2 workers vs 1: "
              f"{median('workers1', 'seconds') / median('workers2', 'seconds'):.2f}x faster "
              f"(target >= 1.6x)")

if __name__ == "__main__":
    main()
