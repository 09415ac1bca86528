"""Two checks started at once, in two processes, against the same database."""

from __future__ import annotations

import logging
import multiprocessing
from collections import Counter
from datetime import date

import pytest
from sqlmodel import func, select

from domain.models import Notice
from flows.settings import Settings
from persistence.unit_of_work import UnitOfWork
from tests.conftest import load_examples
from tests.workers import check_and_dispatch

pytestmark = pytest.mark.slow  # two engine processes


def run_at_once(database_url: str, smtp_port: int, tmp_path, units: list[str | None],
                policy_file: str | None = None) -> None:
    """One process per entry of `units` (None: the whole database), all checking 01/07/2021
    at the same moment."""
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    workers = [
        context.Process(target=check_and_dispatch, args=(
            database_url, smtp_port, str(tmp_path / "outbox"), date(2021, 7, 1), start, unit,
            policy_file))
        for unit in units
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0


def test_two_checks_started_together_deliver_each_notice_once(engine, database_url, tmp_path, smtp_server):
    load_examples(engine, Settings(database_url=database_url).calendar)
    run_at_once(database_url, smtp_server.port, tmp_path, [None, None])
    with UnitOfWork(engine).reading() as session:
        notices = session.exec(select(func.count()).select_from(Notice)).one()
        sent = session.exec(select(func.count()).select_from(Notice).where(Notice.state == "sent")).one()
    recipients = Counter(message["To"] for message in smtp_server.messages)
    assert notices == sent == len(smtp_server.messages) > 0
    assert max(recipients.values()) == 1


def test_checks_of_disjoint_subtrees_run_side_by_side_and_together_cover_everything(
    engine, database_url, tmp_path, smtp_server
):
    # A province's secretariat: escalation may climb to the province's chairman.
    policy = tmp_path / "policy.toml"
    policy.write_text('[secretariat]\nname = "Sở Nội vụ"\nemail = "cchc@snv.sonla.example"\n'
                      'organisation = "TINH-SL"\n', "utf-8")
    settings = Settings(database_url=database_url, policy_file=policy)
    load_examples(engine, settings.calendar)
    # the city's subtree and the provincial office, side by side
    run_at_once(database_url, smtp_server.port, tmp_path, ["TP-SL", "VPUBT"], str(policy))
    received = Counter(message["To"] for message in smtp_server.messages)
    assert received == {
        "chanhvanphong@tpsonla.sonla.example": 1,  # VP: 3.2
        "truongphong@pnv.tpsonla.sonla.example": 1,  # PNV: 4.3
        "chutich@chiengxom.tpsonla.sonla.example": 1,  # X-CX: KT19-05
        "chanhvanphong@vpubnd.sonla.example": 1,  # VPUBT: KT20-06
        "chutich@tinh.sonla.example": 2,  # E2 of KT19-05 and of KT20-06: one digest per subtree
    }
    # A check of the whole database afterwards finds everything already recorded.
    from flows import checking
    from flows.application import build_application

    summary = checking.sweep_and_seal(build_application(settings, engine=engine), date(2021, 7, 1),
                                      logging.getLogger("t"))
    assert summary.queued == 0 and summary.items > 0
