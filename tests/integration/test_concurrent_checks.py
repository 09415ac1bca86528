"""Two checks started at once, in two processes, against the same database."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import date

from sqlmodel import Session, func, select

from domain.models import Notice
from flows.settings import Settings
from tests.conftest import load_examples
from tests.workers import check_and_dispatch


def test_two_checks_started_together_deliver_each_notice_once(engine, database_url, tmp_path, smtp_server):
    load_examples(engine, Settings(database_url=database_url).calendar)
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [
        context.Process(
            target=check_and_dispatch,
            args=(database_url, smtp_server.port, str(tmp_path / "outbox"), date(2021, 7, 1), start),
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with Session(engine) as session:
        notices = session.exec(select(func.count()).select_from(Notice)).one()
        sent = session.exec(select(func.count()).select_from(Notice).where(Notice.state == "sent")).one()
    recipients = Counter(message["To"] for message in smtp_server.messages)
    assert notices == sent == len(smtp_server.messages) > 0
    assert max(recipients.values()) == 1
