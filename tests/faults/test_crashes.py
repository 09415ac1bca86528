"""A dispatcher killed with SIGKILL at chosen points of the SMTP conversation, then a new
dispatch: no notice is lost, and the only notices sent twice are those the server had accepted
before the kill and the dead dispatcher had not yet marked, resent with the same Message-ID."""

from __future__ import annotations

import logging
import multiprocessing
import shutil
import signal
import time
from datetime import date

import pytest
from sqlalchemy import select

from domain.models import Notice
from flows import checking
from flows.application import build_application
from flows.settings import Settings
from notifications.email import make_message_id
from persistence.db import make_engine, upgrade
from persistence.unit_of_work import UnitOfWork
from tests.faults.country import seed
from tests.faults.scripted_smtp import Script, ScriptedServer
from tests.workers import dispatch_once

pytestmark = pytest.mark.slow  # a sender process per kill

AS_OF = date(2024, 5, 6)
LEASE_SECONDS = 1

# (protocol point, occurrence): SEND_BATCH is 50, so the 55th message is in the second batch,
# after the first batch was marked.
KILL_POINTS = [
    ("ehlo", 1),  # connected, nothing sent
    ("mail", 1),  # before the first message
    ("mail", 10),
    ("mail", 55),
    ("data", 1),  # the server stored the message; the sender never hears the reply
    ("data", 10),
    ("data", 30),
    ("data", 55),
    ("after-data", 5),  # the sender heard "250" and had not marked the row yet
    ("after-data", 20),
    ("after-data", 52),
    ("quit", 1),  # a whole connection's share accepted, before the batch is marked
]


@pytest.fixture(scope="module")
def sealed_outbox(tmp_path_factory):
    """A SQLite database whose outbox holds over a batch of sealed digests, built once."""
    path = tmp_path_factory.mktemp("crash") / "template.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    seed(engine, districts=3, communes=25, items=700, as_of=AS_OF)
    checking.sweep_and_seal(build_application(Settings(database_url=url), engine=engine), AS_OF,
                            logging.getLogger("t"))
    engine.dispose()
    return path


def message_ids(url: str, state: str | None = None) -> set[str]:
    """The Message-IDs of the notices (in `state`, when given)."""
    engine = make_engine(url)
    with UnitOfWork(engine).reading() as session:
        query = select(Notice.id, Notice.key, Notice.state)
        rows = session.execute(query).all()
    engine.dispose()
    domain = Settings().mail_from.rpartition("@")[2]
    return {make_message_id(i, key, domain) for i, key, s in rows if state in (None, s)}


def settled(handler):
    """The server once it has stored what the dead sender had already written to its other
    connections: those messages were accepted too, just after the kill."""
    count = -1
    while count != len(handler.messages):
        count = len(handler.messages)
        time.sleep(0.3)
    return handler


@pytest.mark.parametrize(("point", "occurrence"), KILL_POINTS)
def test_a_dispatcher_killed_mid_send_loses_nothing_and_resends_only_the_accepted_unmarked(
    sealed_outbox, tmp_path, point, occurrence
):
    path = tmp_path / "cchc.db"
    shutil.copy(sealed_outbox, path)
    url = f"sqlite:///{path}"
    every = message_ids(url)
    assert len(every) > 55
    context = multiprocessing.get_context("spawn")
    with ScriptedServer(Script(kill_at=point, kill_on=occurrence)) as server:
        dispatcher = context.Process(target=dispatch_once, args=(url, server.port))
        dispatcher.start()
        server.script.victim = dispatcher.pid
        dispatcher.join(60)
        assert dispatcher.exitcode == -signal.SIGKILL
        accepted_before = set(settled(server.handler).message_ids())
        window = accepted_before - message_ids(url, "sent")

        engine = make_engine(url)
        settings = Settings(database_url=url, smtp_host="127.0.0.1", smtp_port=server.port)
        claimed = message_ids(url, "sending")
        # Within the lease (15 minutes by default) the dead dispatcher's claims stand.
        checking.dispatch(build_application(settings, engine=engine), logging.getLogger("t"))
        assert message_ids(url, "sending") == claimed
        assert window <= claimed  # what the server accepted and nobody marked is still claimed

        time.sleep(LEASE_SECONDS + 0.1)  # the dead dispatcher's claims expire
        settings.claim_lease_seconds = LEASE_SECONDS
        checking.dispatch(build_application(settings, engine=engine), logging.getLogger("t"))
        engine.dispose()
        received = server.handler.message_ids()
        by_id = {}
        for message in server.handler.messages:
            by_id.setdefault(str(message["Message-ID"]), set()).add(
                (str(message["To"]), str(message["Subject"])))

    lost = every - set(received)
    duplicated = {mid for mid, n in received.items() if n > 1}
    print(f"\nkill at {point} #{occurrence}: {len(every)} notices, lost {len(lost)}, "
          f"duplicated {len(duplicated)} (window {len(window)})")
    assert not lost
    assert message_ids(url, "sent") == every
    assert duplicated <= window
    assert all(received[mid] == 2 for mid in duplicated)
    # A resend is the same message under the same Message-ID, so a mail system can drop it.
    assert all(len(by_id[mid]) == 1 for mid in duplicated)
    if point in ("ehlo", "mail") and occurrence == 1:
        assert not duplicated and not window
