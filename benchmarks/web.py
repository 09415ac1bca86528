"""The pages under a morning's rush: the units' heads open the links of their digests within a
minute, a tenth of them send a completion report, the secretariat watches its review queue —
against `cchc web` on 127.0.0.1, then the same while a deadline check writes beside it, and the
floor: a bare FastAPI endpoint doing the unit page's one query and template.

    .venv/bin/python benchmarks/web.py [--database sqlite|postgresql] [--items 300000]
                                       [--heads 300] [--seconds 60] [--reporting 0.1]
                                       [--in-flight 32] [--runs 1] [--database-url URL]

Before the rushes the check of the generated country's check day runs and its digests are
marked sent (the morning's digests); beside the last rush, the next working day's check
(`checking.sweep_and_seal`, as `check.py` times it) runs in a process of its own, started just
before it. The servers (`cchc web`, the bare endpoint, each with uvicorn's defaults) run in
processes of their own; this process is the load: one
client per head (its own connection and cookies), arrivals spread evenly at random over the
minute, at most `--in-flight` requests outstanding (a request's time includes its wait for a
place). Each head's link is signed as a digest's is. Every rush sees the same heads at the same
moments; the reports of a rush are deleted before the next. Printed: requests, p50/p95/p99 and
errors for each page, the requests made while the check ran, and the ratios to the floor (the
medians over the runs with `--runs`).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import random
import re
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from check import (  # beside this script
    CHECK_DAY,
    NEXT_DAY,
    database,
    engine_check,
    forget_checks,
    in_child,
)

# This script's folder, first on the path, would hide the engine's `web` package behind it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
from sqlalchemy import String, cast, delete, func, select, text, update

from domain.events import EventName
from domain.models import Event, Notice, Submission, TrackedItem, Unit, WebUser
from domain.responses import Scope, answerable_units
from domain.states import DeadlineKind, NoticeState
from flows import links
from flows.application import Clock
from flows.settings import Settings
from persistence.db import make_engine
from persistence.ledger import load_unit_tree
from persistence.unit_of_work import UnitOfWork

SECRET = "khoa-bi-mat-cua-bang-do-trang-web-0123456789"
USER, PASSWORD = "thuongtruc", "mat-khau-cua-bang-do-123"
PDF = b"%PDF-1.4\n% bao cao hoan thanh\n" + b"0" * 20_000
PAGES = ("unit page", "completion report", "review queue")


def cchc_settings(url: str, folder: Path, port: int) -> Settings:
    return Settings(_env_file=None, database_url=url, secret_key=SECRET,
                    base_url=f"http://127.0.0.1:{port}", upload_dir=folder / "uploads",
                    maildir=folder / "outbox")


def cchc_environment(settings: Settings) -> dict[str, str]:
    return {**os.environ, "CCHC_DATABASE_URL": settings.database_url, "CCHC_SECRET_KEY": SECRET,
            "CCHC_BASE_URL": settings.base_url, "CCHC_UPLOAD_DIR": str(settings.upload_dir),
            "CCHC_MAILDIR": str(settings.maildir)}


# The floor: the unit page's one query and its template, nothing else.

def bare_app(url: str):
    """A bare FastAPI app: for a unit, one query of its open items (with the unit) and the
    engine's unit page rendered from them — no link to verify, no session, no unit tree, no
    ledger, no submissions."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse
    from sqlmodel import Session

    from domain.recipients import UnitInfo
    from domain.status import status_of
    from flows.responses import ItemView, UnitPage
    from notifications.templating import templates
    from domain.responses import earliest_proposed_due
    from domain.states import SubmissionKind, SubmissionState
    from notifications.words import rung_text

    engine, settings = make_engine(url), Settings(_env_file=None, database_url=url)
    calendar, policy = settings.calendar, settings.policy
    template = templates.get_template("web/unit.html.j2")
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/bare/{code}", response_class=HTMLResponse)
    def unit_page(code: str):  # a plain function: run in the thread pool, as the engine's are
        today = Clock(settings.zone).today()
        with Session(engine) as session:
            rows = session.execute(
                select(TrackedItem, Unit).join(Unit, Unit.code == TrackedItem.unit_code)
                .where(TrackedItem.unit_code == code, TrackedItem.completed_on.is_(None),
                       TrackedItem.deadline_kind != DeadlineKind.RECURRING)
                .order_by(TrackedItem.scope, TrackedItem.position, TrackedItem.id)).all()
        views = []
        for item, unit in rows:
            info = UnitInfo(unit.code, unit.name, unit.parent_code, unit.head_title,
                            unit.head_email, unit.focal_email, unit.active, unit.successor_code)
            due = item.due_date
            views.append(ItemView(
                item, info, status_of(due=due, opens=item.opens_on, completed_on=None,
                                      extended=item.extended, as_of=today, calendar=calendar,
                                      due_soon_days=policy.due_soon_days),
                calendar.remaining(today, due) if due else None,
                calendar.overdue(due, today) if due else None, [], [],
                earliest_proposed_due(due, today)))
        units = [views[0].unit] if views else []
        view = UnitPage(Scope(units[0].head_email if units else "", frozenset({code})), units,
                        views)
        return template.render(view=view, token=code, csrf="-", today=today, user=None,
                               max_mb=policy.upload_max_mb, failed=None, values={},
                               problems={}, done=None, vntime=str, kinds=SubmissionKind,
                               states=SubmissionState, deadline_kinds=DeadlineKind,
                               rung=lambda r: rung_text(r, policy.overdue_repeat_days))

    return app


def serve_bare(url: str, port: int) -> None:
    import uvicorn

    uvicorn.run(bare_app(url), host="127.0.0.1", port=port, access_log=False,
                log_level="warning", server_header=False)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server process on 127.0.0.1, up once it answers `probe`."""

    def __init__(self, command: list[str], port: int, probe: str, folder: Path,
                 environment: dict[str, str] | None = None) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.log = (folder / f"server-{port}.log").open("wb")
        self.process = subprocess.Popen(command, cwd=folder, env=environment or os.environ,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.base + probe, timeout=5).status_code < 500:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the server did not start:\n"
                                   + Path(self.log.name).read_text(errors="replace"))
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(30)
        self.log.close()


# The heads and their links.

@dataclass(frozen=True)
class Head:
    unit: str
    path: str  # the unit page, as the digest's link names it (or the floor's)
    reports: bool  # sends a completion report of the first item on the page


def heads(url: str, count: int, reporting: float, settings: Settings) -> list[Head]:
    """`count` distinct units with open items, drawn at random (the same for every run), each
    head's link signed as a digest's is; `reporting` of them report."""
    engine = make_engine(url)
    with UnitOfWork(engine).reading() as session:
        tree = load_unit_tree(session)
        with_items = sorted(session.execute(
            select(TrackedItem.unit_code).where(TrackedItem.completed_on.is_(None))
            .group_by(TrackedItem.unit_code)).scalars())
    engine.dispose()
    rng = random.Random(11)
    chosen = rng.sample(with_items, min(count, len(with_items)))
    reporters = set(rng.sample(chosen, round(len(chosen) * reporting)))
    signer, found = links.LinkSigner.of(settings), []
    for code in chosen:
        address = tree.units[code].head_email
        token = signer.issue(Scope(address, answerable_units(tree, address)))
        found.append(Head(code, f"/u/{token}", code in reporters))
    return found


def add_secretariat_user(url: str, settings: Settings) -> None:
    from flows.application import build_application
    from flows.responses import add_user

    application = build_application(settings)
    with application.uow.reading() as session:
        exists = session.get(WebUser, USER) is not None
    if not exists:
        add_user(application, USER, PASSWORD)
    application.close()


def forget_reports(url: str) -> None:
    """Back to no submission: every rush's heads report the same items."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(delete(Event).where(Event.name == EventName.ITEM_REPORTED))
        connection.execute(delete(Submission))
    engine.dispose()


# The load.

@dataclass
class Sample:
    page: str
    started: float  # seconds after the rush began
    seconds: float
    error: str | None = None


@dataclass
class Rush:
    samples: list[Sample] = field(default_factory=list)
    check_ended: float | None = None  # seconds after the rush began
    check: dict | None = None


class Load:
    """The clients of one rush: a cap on requests in flight, a clock started with the rush."""

    def __init__(self, base: str, in_flight: int) -> None:
        self.base, self.slots = base, asyncio.Semaphore(in_flight)
        self.started = time.perf_counter()
        self.rush = Rush()

    async def request(self, client, page: str, method: str, path: str, expect: str,
                      status: int = 200, **options) -> str:
        begun = time.perf_counter()
        error, text = None, ""
        async with self.slots:
            try:
                answer = await client.request(method, self.base + path, **options)
                text = answer.text
                if answer.status_code != status or expect not in text:
                    error = f"HTTP {answer.status_code}"
                    if "database is locked" in text:
                        error += " (database is locked)"
            except Exception as failure:  # a refused or dropped connection, a time-out
                error = type(failure).__name__
        self.rush.samples.append(Sample(page, begun - self.started,
                                        time.perf_counter() - begun, error))
        return text

    async def at(self, moment: float) -> None:
        await asyncio.sleep(max(0.0, self.started + moment - time.perf_counter()))


@functools.cache
def tls() -> ssl.SSLContext:
    # One for every head's client: making one reads the certificate store (tens of
    # milliseconds of this process's time, which the clients share), and no request uses it.
    return ssl.create_default_context()


def client():
    import httpx

    return httpx.AsyncClient(timeout=60, follow_redirects=False, verify=tls())


async def head_visit(load: Load, head: Head, moment: float, today: date) -> None:
    """A head opens the link; a reporting one then sends a completion report of the first item
    on the page with the page's form token, and goes back to the page."""
    await load.at(moment)
    async with client() as browser:
        page = await load.request(browser, "unit page", "GET", head.path, "</html>")
        item, csrf = re.search(r'id="item-(\d+)"', page), re.search(r'name="csrf" value="([^"]+)"',
                                                                     page)
        if not head.reports or not (item and csrf):
            return
        form = {"completed_on": (today - timedelta(days=1)).isoformat(), "doc_number": "15/BC",
                "doc_date": today.isoformat(), "note": "Đã hoàn thành", "csrf": csrf.group(1)}
        # Recorded, the form answers with a redirect to the page, which says what was done.
        await load.request(browser, "completion report", "POST",
                           f"{head.path}/items/{item.group(1)}/report", "", status=303,
                           data=form, files={"attachment": ("bao-cao.pdf", PDF, "application/pdf")})
        await load.request(browser, "unit page", "GET", head.path,
                           "đã được gửi tới cơ quan thường trực")


async def secretariat(load: Load, seconds: float, every: float) -> None:
    """Logged in before the rush; opens the review queue every `every` seconds of it."""
    async with client() as browser:
        login = (await browser.get(load.base + "/login")).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
        answer = await browser.post(load.base + "/login", data={
            "name": USER, "password": PASSWORD, "csrf": csrf})
        assert answer.status_code == 303, "the secretariat's login was refused"
        moment = 0.0
        while moment < seconds:
            await load.at(moment)
            await load.request(browser, "review queue", "GET", "/review", "</html>")
            moment += every


def morning(url: str) -> dict:
    """What the heads open their links after: the check of the day, its digests sent."""
    forget_checks(url)
    check = in_child("engine", url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(update(Notice).where(Notice.state == NoticeState.PENDING).values(
            state=NoticeState.SENT, sent_at=datetime.now(UTC),
            message_id="<" + cast(Notice.id, String) + "@cchc.bench.example>"))
        connection.execute(text("ANALYZE"))
    engine.dispose()
    return check


def start_check(url: str) -> subprocess.Popen:
    """The next working day's check in a process of its own; returned once it has started
    (its imports done)."""
    forget_checks(url, NEXT_DAY)
    check = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--run-check",
                              "--database-url", url], stdout=subprocess.PIPE, text=True)
    if check.stdout.readline().strip() != "started":
        raise RuntimeError("the check did not start")
    return check


def run_check(url: str) -> None:
    import logging

    logging.disable(logging.WARNING)
    print("started", flush=True)
    started = time.perf_counter()
    result = engine_check(url, NEXT_DAY)
    print(json.dumps({**result, "seconds": time.perf_counter() - started}))


async def watch(load: Load, check: subprocess.Popen) -> None:
    while check.poll() is None:
        await asyncio.sleep(0.05)
    load.rush.check_ended = time.perf_counter() - load.started
    output = check.stdout.read().strip().splitlines()
    load.rush.check = json.loads(output[-1]) if check.returncode == 0 and output else None


async def warm_up(base: str, visits: list[tuple[Head, float]]) -> None:
    """A server that has been up since the night before: its templates compiled, its
    connections open (a few pages opened before the rush, not timed)."""
    async with client() as browser:
        for head, _ in visits[-3:]:
            await browser.get(base + head.path)


async def rush(base: str, visits: list[tuple[Head, float]], args, with_review: bool,
               check: subprocess.Popen | None = None) -> Rush:
    await warm_up(base, visits)
    load = Load(base, args.in_flight)
    today = Clock(Settings(_env_file=None).zone).today()
    tasks = [head_visit(load, head, moment, today) for head, moment in visits]
    if with_review:
        tasks.append(secretariat(load, args.seconds, args.seconds / 30))
    if check is not None:
        tasks.append(watch(load, check))
    await asyncio.gather(*tasks)
    return load.rush


# The runs and what they print.

def percentile(values: list[float], share: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def table(rush: Rush, label: str, floor: bool = False) -> dict[str, dict]:
    """For each page of the rush (and, beside a check, each page while it ran): requests,
    p50/p95/p99 in ms, errors."""
    groups: dict[str, list[Sample]] = {}
    for sample in rush.samples:
        groups.setdefault(f"{label}: {'bare endpoint' if floor else sample.page}", []
                          ).append(sample)
        if rush.check_ended is not None and sample.started < rush.check_ended:
            groups.setdefault(f"{label}, while the check ran: {sample.page}", []).append(sample)
    rows = {}
    for name, samples in groups.items():
        times = [s.seconds * 1000 for s in samples]
        rows[name] = {"requests": len(samples), "errors": sum(1 for s in samples if s.error),
                      **{f"p{n}": percentile(times, n) for n in (50, 95, 99)},
                      "why": sorted({s.error for s in samples if s.error})}
    return rows


def one_run(url: str, folder: Path, args, heads_of: list[Head], moments: list[float]
            ) -> dict[str, dict]:
    """The floor's rush, the engine's, and the engine's beside a check; their tables."""
    port = free_port()
    bare = Server([sys.executable, str(Path(__file__).resolve()), "--serve-bare", "--database-url", url,
                   "--port", str(port)], port, "/docs", folder)
    try:
        floor = asyncio.run(rush(bare.base, [(Head(h.unit, f"/bare/{h.unit}", False), m)
                                             for h, m in zip(heads_of, moments)], args, False))
    finally:
        bare.stop()
    rows = table(floor, "floor", floor=True)
    settings = cchc_settings(url, folder, args.port)
    web = Server([str(Path(sys.executable).with_name("cchc")), "web", "--port", str(args.port)],
                 args.port, "/login", folder, cchc_environment(settings))
    try:
        rows["morning"] = morning(url)
        forget_reports(url)
        rows |= table(asyncio.run(rush(web.base, list(zip(heads_of, moments)), args, True)),
                      "engine")
        forget_reports(url)
        check = start_check(url)
        beside = asyncio.run(rush(web.base, list(zip(heads_of, moments)), args, True, check))
        rows |= table(beside, "beside a check")
        rows["check"] = {**(beside.check or {}), "ended": beside.check_ended}
    finally:
        web.stop()
        forget_reports(url)
    return rows


def report(dialect: str, items: int, units: int, args, heads_of: list[Head],
           runs: list[dict[str, dict]]) -> None:
    def median(name: str, key: str) -> float:
        return statistics.median(run[name][key] for run in runs if name in run)

    reporting = sum(h.reports for h in heads_of)
    print(f"{dialect}: {items:,} open items, {units:,} units; {len(heads_of)} heads within "
          f"{args.seconds:g} s ({reporting} reporting), at most {args.in_flight} requests in "
          f"flight; load average {os.getloadavg()[0]:.1f}; median of {len(runs)} run(s)")
    print(f"{'':<58}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    names = [name for name in runs[0] if name not in ("check", "morning")]
    for name in names:
        errors = sum(run[name]["errors"] for run in runs if name in run)
        why = sorted({w for run in runs if name in run for w in run[name]["why"]})
        print(f"{name:<58}{median(name, 'requests'):>9.0f}{median(name, 'p50'):>9.1f}"
              f"{median(name, 'p95'):>9.1f}{median(name, 'p99'):>9.1f}{errors:>8}"
              + (f"  ({', '.join(why)})" if why else ""))
    for run in runs:
        first, check = run["morning"], run["check"]
        done = (f"{check['seconds']:.1f} s, {check['queued']:,} rungs in {check['notices']:,} "
                f"digests" if "seconds" in check else "FAILED")
        print(f"before the rushes, the check of {CHECK_DAY:%d/%m/%Y} ({first['queued']:,} rungs "
              f"in {first['notices']:,} digests, marked sent); beside the last rush, the next "
              f"working day's: {done}; it ended {check['ended']:.1f} s into the rush")
    floor = median("floor: bare endpoint", "p95")
    for page in ("unit page", "review queue"):
        p95 = median(f"engine: {page}", "p95")
        print(f"ratio {page} p95 vs the bare endpoint's: {p95 / floor:.2f}x ({p95:.0f} ms "
              f"against {floor:.0f} ms; target <= 2x and <= 200 ms)")
    for page in PAGES:
        name = f"beside a check, while the check ran: {page}"
        if all(name in run for run in runs):
            print(f"while the check ran: {page} p95 {median(name, 'p95'):.0f} ms "
                  f"(target <= 800 ms)")
    errors = sum(run[name]["errors"] for run in runs for name in names if name in run)
    print(f"errors: {errors} (target 0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database-url",
                        help="where the country is, or is generated if that database is empty")
    parser.add_argument("--items", type=int, default=300_000)
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--heads", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=60.0, help="the rush's length")
    parser.add_argument("--reporting", type=float, default=0.1,
                        help="the share of heads that send a completion report")
    parser.add_argument("--in-flight", type=int, default=32,
                        help="at most this many requests outstanding")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--run-check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(args.database_url, args.port)
        return
    if args.run_check:
        run_check(args.database_url)
        return
    args.port = args.port or free_port()
    with database(args.database, args.database_url, args.items, args.provinces, None) as url, \
            tempfile.TemporaryDirectory(prefix="cchc-web-bench-") as workdir:
        folder = Path(workdir)
        settings = cchc_settings(url, folder, args.port)
        add_secretariat_user(url, settings)
        heads_of = heads(url, args.heads, args.reporting, settings)
        rng = random.Random(5)
        moments = [rng.uniform(0, args.seconds) for _ in heads_of]
        engine = make_engine(url)
        with engine.connect() as connection:
            items = connection.execute(select(func.count()).select_from(TrackedItem)).scalar_one()
            units = connection.execute(select(func.count()).select_from(Unit)).scalar_one()
        dialect = engine.dialect.name
        engine.dispose()
        runs = [one_run(url, folder, args, heads_of, moments) for _ in range(args.runs)]
        report(dialect, items, units, args, heads_of, runs)


if __name__ == "__main__":
    main()
