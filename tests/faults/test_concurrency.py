"""Checks and dispatchers started at once, each in its own process, on PostgreSQL: every
notice reaches the SMTP server exactly once."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest
from sqlalchemy import func, select

from domain.models import Notice
from persistence.db import make_engine, upgrade
from persistence.unit_of_work import UnitOfWork
from tests.faults.country import seed
from tests.faults.scripted_smtp import ScriptedServer
from tests.workers import check_only, dispatch_until

pytestmark = [pytest.mark.postgres, pytest.mark.slow]  # six engine processes

# Three consecutive working days, checked at once: three days of digests to send.
DAYS = [date(2024, 5, 6), date(2024, 5, 7), date(2024, 5, 8)]
ITEMS = 4000


def test_three_checks_and_three_dispatchers_deliver_every_notice_exactly_once(postgres_url):
    engine = make_engine(postgres_url)
    upgrade(engine)
    seed(engine, districts=12, communes=25, items=ITEMS, as_of=DAYS[0])
    context = multiprocessing.get_context("spawn")
    start, checks_done = context.Event(), context.Event()
    with ScriptedServer() as server:
        checks = [context.Process(target=check_only, args=(postgres_url, day, start))
                  for day in DAYS]
        dispatchers = [
            context.Process(target=dispatch_until,
                            args=(postgres_url, server.port, start, checks_done))
            for _ in range(3)
        ]
        for process in checks + dispatchers:
            process.start()
        start.set()
        for process in checks:
            process.join(180)
            assert process.exitcode == 0
        checks_done.set()
        for process in dispatchers:
            process.join(180)
            assert process.exitcode == 0
        received = server.handler.message_ids()

    with UnitOfWork(engine).reading() as session:
        states = dict(session.execute(
            select(Notice.state, func.count()).group_by(Notice.state)).all())
        sent_ids = set(session.execute(select(Notice.message_id)).scalars())
    engine.dispose()
    notices = sum(states.values())
    lost = sent_ids ^ set(received)
    duplicated = {mid: n for mid, n in received.items() if n > 1}
    print(f"\n{len(checks)} checks + {len(dispatchers)} dispatchers over {ITEMS} items: "
          f"{notices} notices, {len(received)} received, lost {len(lost)}, "
          f"duplicated {len(duplicated)}")
    # The checks take the lock in any order: when a later day's goes first, the earlier days'
    # rungs are already passed over, so the count ranges from one day's digests to three.
    assert states == {"sent": notices} and notices > 200
    assert not lost and not duplicated
