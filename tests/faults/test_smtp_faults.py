"""A real aiosmtpd server scripted to misbehave, behind the whole outbox: refused connections,
421 and 451 replies, a 550 for one recipient, a stall past the timeout, a connection dropped in
DATA. Transient failures are retried with growing backoff and never copy anyone twice; a notice
too old is marked failed and reported; one notice's failure never holds up the others."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from domain.events import EventName
from domain.models import Event, Notice, utcnow
from flows import checking
from flows.application import build_application
from flows.settings import Settings
from persistence.db import make_engine, upgrade
from persistence.unit_of_work import UnitOfWork
from tests.conftest import EXAMPLES, load_examples
from tests.faults.scripted_smtp import Script, ScriptedServer
from tests.smtp_server import free_port

AS_OF = date(2021, 7, 1)
log = logging.getLogger("test")


class Outbox:
    """The Sơn La example's digests of 01/07/2021, sealed and waiting to be sent."""

    def __init__(self, tmp_path) -> None:
        self.url = f"sqlite:///{tmp_path / 'cchc.db'}"
        self.policy_file = EXAMPLES / "policy.toml"
        self.engine = make_engine(self.url)
        upgrade(self.engine)
        settings = self.settings(25)
        load_examples(self.engine, settings.calendar)
        checking.sweep_and_seal(build_application(settings, engine=self.engine), AS_OF, log)

    def settings(self, port: int, **overrides) -> Settings:
        return Settings(database_url=self.url, smtp_host="127.0.0.1", smtp_port=port,
                        policy_file=self.policy_file, smtp_timeout=overrides.pop("timeout", 5),
                        **overrides)

    def dispatch(self, port: int, respect_backoff: bool = True, **overrides):
        app = build_application(self.settings(port, **overrides), engine=self.engine)
        return checking.dispatch(app, log, respect_backoff=respect_backoff)

    def notices(self) -> dict[str, Notice]:
        with UnitOfWork(self.engine).reading() as session:
            return {n.recipient: n for n in session.exec(select(Notice))}

    def events(self, name: EventName) -> list[Event]:
        with UnitOfWork(self.engine).reading() as session:
            return list(session.exec(select(Event).where(Event.name == name)))


@pytest.fixture
def outbox(tmp_path):
    box = Outbox(tmp_path)
    assert len(box.notices()) >= 4
    yield box
    box.engine.dispose()


def with_copies(outbox: Outbox) -> tuple[Notice, str]:
    """A notice with a copy to an address no other notice goes to (a focal officer, not the
    secretariat copied on all), and that address; its addressee too is in no other notice, so
    refusing either touches this notice alone (whichever order the check created them in)."""
    notices = list(outbox.notices().values())
    for notice in notices:
        others = [n for n in notices if n.id != notice.id]
        if any(notice.recipient in (n.recipient, *n.cc) for n in others):
            continue
        for copy in notice.cc:
            if not any(copy in (n.recipient, *n.cc) for n in others):
                return notice, copy
    raise AssertionError("the example has no notice with a copy of its own")


def delivered_to(server: ScriptedServer) -> dict[str, list[str]]:
    """Message-ID → every envelope it was accepted for."""
    found: dict[str, list[str]] = {}
    for message, envelope in zip(server.handler.messages, server.handler.envelopes):
        found.setdefault(str(message["Message-ID"]), []).extend(envelope)
    return found


def test_a_refused_connection_defers_every_notice_until_the_server_is_back(outbox):
    port = free_port()  # nothing listens here

    down = outbox.dispatch(port)

    notices = outbox.notices().values()
    assert (down.sent, down.deferred) == (0, len(notices))
    assert all(n.state == "pending" and n.attempts == 1 for n in notices)
    assert all("refused" in n.last_error.lower() or "connect" in n.last_error.lower()
               for n in notices)
    assert len(outbox.events(EventName.NOTICE_DEFERRED)) == len(notices)
    with ScriptedServer(port=port) as server:
        assert outbox.dispatch(port).sent == 0  # the backoff is respected
        assert outbox.dispatch(port, respect_backoff=False).sent == len(notices)
        received = server.handler.message_ids()
    assert sorted(received.values()) == [1] * len(notices)
    assert {n.message_id for n in outbox.notices().values()} == set(received)


def test_backoff_grows_with_each_failed_attempt(outbox):
    delays = []
    with ScriptedServer(Script(mail_reply="421 4.3.2 service shutting down")) as server:
        for _ in range(5):
            summary = outbox.dispatch(server.port, respect_backoff=False)
            assert summary.deferred == len(outbox.notices())
            notice = next(iter(outbox.notices().values()))
            delays.append(notice.next_attempt_at - notice.claimed_at)
        assert server.handler.messages == []
    # (measured from the claim, so a few milliseconds of sending come on top)
    assert [round(delay / timedelta(minutes=1), 2) for delay in delays] == [1, 2, 4, 8, 16]
    assert "421 4.3.2 service shutting down" in notice.last_error


@pytest.mark.parametrize("who", ["addressee", "copy"])
def test_a_451_for_one_recipient_defers_the_whole_message_then_it_reaches_everyone_once(
    outbox, who
):
    target, copy = with_copies(outbox)
    refused = target.recipient if who == "addressee" else copy
    script = Script(rcpt_replies={refused: "451 4.2.1 mailbox busy, try later"})
    with ScriptedServer(script) as server:
        first = outbox.dispatch(server.port)
        message_id = outbox.notices()[target.recipient].message_id
        after_first = delivered_to(server)
        script.rcpt_replies.clear()
        second = outbox.dispatch(server.port, respect_backoff=False)
        after_second = delivered_to(server)

    others = len(outbox.notices()) - 1
    assert (first.sent, first.deferred) == (others, 1)
    # Nobody got the deferred message, not even the recipients the server accepted.
    assert message_id is None and len(after_first) == others
    assert second.sent == 1
    [sent_id] = set(after_second) - set(after_first)
    envelope = after_second[sent_id]
    assert sorted(envelope) == sorted({target.recipient, *target.cc})  # each address once


def test_a_550_for_an_addressee_fails_that_notice_only_and_is_reported(outbox):
    target, _ = with_copies(outbox)
    script = Script(rcpt_replies={target.recipient: "550 5.1.1 no such mailbox"})
    with ScriptedServer(script) as server:
        summary = outbox.dispatch(server.port)
        received = delivered_to(server)

    notice = outbox.notices()[target.recipient]
    assert (summary.sent, summary.failed) == (len(outbox.notices()) - 1, 1)
    assert notice.state == "failed" and "550 5.1.1 no such mailbox" in notice.last_error
    # Nobody was copied on a notice its addressee never got.
    assert not any(target.recipient in envelope for envelope in received.values())
    [failed] = outbox.events(EventName.NOTICE_FAILED)
    assert failed.data["to"] == target.recipient and "550" in failed.data["reply"]


def test_a_550_for_a_copy_still_delivers_to_the_others(outbox):
    target, copy = with_copies(outbox)
    script = Script(rcpt_replies={copy: "550 5.1.1 no such mailbox"})
    with ScriptedServer(script) as server:
        summary = outbox.dispatch(server.port)
        received = delivered_to(server)

    notice = outbox.notices()[target.recipient]
    assert summary.sent == len(outbox.notices()) and notice.state == "sent"
    assert sorted(received[notice.message_id]) == sorted(
        {target.recipient, *target.cc} - {copy})


def test_a_server_stalling_past_the_timeout_defers_only_that_notice(outbox):
    target, _ = with_copies(outbox)
    script = Script(stall_on=target.recipient, stall_seconds=3)
    with ScriptedServer(script) as server:
        summary = outbox.dispatch(server.port, timeout=0.5)
        assert len(server.handler.messages) == len(outbox.notices()) - 1

    notice = outbox.notices()[target.recipient]
    assert (summary.sent, summary.deferred) == (len(outbox.notices()) - 1, 1)
    assert notice.state == "pending" and "time" in notice.last_error.lower()


def test_a_connection_dropped_in_data_defers_that_notice_and_the_retry_sends_it_once(outbox):
    target, _ = with_copies(outbox)
    script = Script(drop_on=target.recipient)
    with ScriptedServer(script) as server:
        first = outbox.dispatch(server.port)
        script.drop_on = None
        second = outbox.dispatch(server.port, respect_backoff=False)
        received = server.handler.message_ids()

    assert (first.sent, first.deferred, second.sent) == (len(outbox.notices()) - 1, 1, 1)
    assert sorted(received.values()) == [1] * len(outbox.notices())
    assert outbox.notices()[target.recipient].state == "sent"


def test_a_notice_undelivered_past_the_maximum_age_is_failed_and_reported(outbox, tmp_path):
    policy = tmp_path / "policy.toml"
    example = EXAMPLES.joinpath("policy.toml").read_text(encoding="utf-8")
    assert "max_age_hours = 48" in example
    policy.write_text(example.replace("max_age_hours = 48", "max_age_hours = 2"),
                      encoding="utf-8")
    outbox.policy_file = policy
    old, _ = with_copies(outbox)
    with UnitOfWork(outbox.engine).transaction() as session:
        session.execute(update(Notice).where(Notice.id == old.id)
                        .values(created_at=utcnow() - timedelta(hours=2, minutes=1)))
    with ScriptedServer(Script(mail_reply="451 4.3.0 queue full")) as server:
        summary = outbox.dispatch(server.port)

    notices = outbox.notices()
    assert (summary.failed, summary.deferred) == (1, len(notices) - 1)
    notice = notices[old.recipient]
    assert notice.state == "failed"
    assert "2 giờ" in notice.last_error and "451 4.3.0 queue full" in notice.last_error
    assert all(n.state == "pending" for n in notices.values() if n.id != old.id)
    [failed] = outbox.events(EventName.NOTICE_FAILED)
    assert failed.notice_id == old.id and "451 4.3.0 queue full" in failed.data["reply"]
