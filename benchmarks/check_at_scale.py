"""How the deadline check scales: a generated country (63 provinces, their departments, districts
and communes) with N open items, one check day, measured in one run against a baseline.

    .venv/bin/python benchmarks/check_at_scale.py [--items 100000] [--database-url URL]

Baseline: streaming the same open items out of the database and nothing else. Printed: each
step's time and its ratio to the baseline, items per second, notices per second, and the peak
resident memory (the sweep streams, so it should not grow with N).
"""

from __future__ import annotations

import argparse
import logging
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from domain.db import make_engine, upgrade
from domain.ledger import stream_open_items
from domain.models import TrackedItem, Unit
from flows import checking
from flows.settings import Settings

CHECK_DAY = date(2024, 3, 12)


def generate(engine, items: int, seed: int = 7) -> int:
    """Units in a three-level tree under each province; items due around the check day."""
    rng = random.Random(seed)
    units, leaves = [], []
    for p in range(63):
        province = f"T{p:02d}"
        units.append(dict(code=province, name=f"UBND tỉnh {p}", parent_code=None,
                          head_title="Chủ tịch", head_email=f"chutich@{province.lower()}.example",
                          focal_email=None, active=True, successor_code=None))
        for d in range(30):
            district = f"{province}-H{d:02d}"
            units.append(dict(code=district, name=f"Huyện {d}", parent_code=province,
                              head_title="Chủ tịch", head_email=f"chutich@{district.lower()}.example",
                              focal_email=None, active=True, successor_code=None))
            for c in range(8):
                commune = f"{district}-X{c}"
                units.append(dict(code=commune, name=f"Xã {c}", parent_code=district,
                                  head_title="Chủ tịch", focal_email=None, active=True,
                                  head_email=f"chutich@{commune.lower()}.example",
                                  successor_code=None))
                leaves.append(commune)
    rows = []
    for n in range(items):
        due = CHECK_DAY + timedelta(days=rng.randint(-40, 120))
        rows.append(dict(kind="task", scope="KH-2024", code=f"{n}", position=n,
                         content=f"Nhiệm vụ số {n}", unit_code=rng.choice(leaves),
                         deadline_text=due.strftime("Trước %d/%m/%Y"), deadline_kind="fixed",
                         due_date=due, original_due_date=due))
    with engine.begin() as connection:
        connection.execute(insert(Unit), units)
        for start in range(0, len(rows), 20_000):
            connection.execute(insert(TrackedItem), rows[start:start + 20_000])
    return len(units)


def timed(step):
    started = time.perf_counter()
    result = step()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    workdir = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    generation, unit_count = timed(lambda: generate(engine, args.items))
    settings = Settings(database_url=url, maildir=workdir / "outbox")
    settings.calendar.is_working_day(CHECK_DAY)  # build the calendar outside the timings
    log = logging.getLogger("bench")

    def read_only() -> int:
        return sum(len(batch) for batch in stream_open_items(engine, CHECK_DAY, checking.BATCH_SIZE))

    baseline, read = timed(read_only)
    sweep, summary = timed(lambda: checking.sweep_and_seal(engine, settings, CHECK_DAY, log))
    send, sent = timed(lambda: checking.dispatch(engine, settings, log))
    rerun, again = timed(lambda: checking.sweep_and_seal(engine, settings, CHECK_DAY, log))
    with Session(engine) as session:
        assert again.queued == 0, "a rerun must add nothing"
        del session
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"database: {engine.dialect.name}; {unit_count:,} units, {read:,} open items "
          f"(generated in {generation:.1f} s)")
    print(f"{'step':<34}{'seconds':>9}{'× baseline':>12}{'items/s':>12}")
    for name, seconds in (("baseline: stream open items", baseline),
                          ("sweep + seal (ladder, ledger, digests)", sweep),
                          ("rerun of the same check", rerun)):
        print(f"{name:<34}{seconds:>9.2f}{seconds / baseline:>12.1f}{read / seconds:>12,.0f}")
    print(f"{'dispatch to .eml files':<34}{send:>9.2f}{send / baseline:>12.1f}"
          f"{sent.sent / send:>12,.0f} notices/s")
    print(f"rungs queued {summary.queued:,}, skipped {summary.skipped:,}, "
          f"digests {summary.notices:,}, sent {sent.sent:,}; peak memory {peak_mb:,.0f} MB")
    engine.dispose()


if __name__ == "__main__":
    main()
