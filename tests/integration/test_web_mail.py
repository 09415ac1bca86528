"""Mail from the pages: what the web process queues (a fresh link, a decision told to a unit) it
sends itself, within its own interval, once — without a check or `cchc dispatch`; and `cchc
web` does not start where it could not send a link."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from domain.models import Event, Notice, Submission
from domain.states import NoticeState
from flows import checking
from flows.application import Clock, build_application
from persistence import outbox
from persistence.unit_of_work import UnitOfWork
from tests.conftest import *  # noqa: F403 (the database fixtures)
from tests.web_support import (
    SECRET,
    aged_token,
    free_port,
    log_in,
    page_token,
    seed,
    serving,
    unit_token,
    web_settings,
)

CCHC = str(Path(sys.executable).parent / "cchc")
HEAD_A = "giamdoc@a.example"
log = logging.getLogger("test")


def _mail_settings(database_url, tmp_path, smtp_server):
    """A web installation sending through the test's SMTP server every 0.2 s."""
    return web_settings(database_url, tmp_path, smtp_host="127.0.0.1", smtp_port=smtp_server.port,
                        web_dispatch_seconds=0.2)


def _arrived(smtp_server, address: str, subject_part: str, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in smtp_server.messages
                 if m["To"] == address and subject_part in m["Subject"]]
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"no e-mail to {address} ({subject_part!r}) arrived: "
                         f"{[(m['To'], m['Subject']) for m in smtp_server.messages]}")


def _notice_states(engine, prefix: str) -> list[NoticeState]:
    with UnitOfWork(engine).reading() as session:
        return [NoticeState(n.state) for n in session.exec(
            select(Notice).where(Notice.key.startswith(prefix))).scalars()]


def test_a_fresh_link_asked_on_the_expired_link_page_arrives_without_a_check_and_only_once(
        engine, database_url, tmp_path, smtp_server):
    settings = _mail_settings(database_url, tmp_path, smtp_server)
    seed(engine, Clock(settings.zone).today(), settings.calendar)
    expired = aged_token(settings, HEAD_A, {"A"}, timedelta(days=31))
    with serving(settings) as url, httpx.Client(base_url=url) as client:
        page = client.get(f"/u/{expired}")
        assert page.status_code == 403 and "Gửi đường dẫn mới" in page.text
        asked = client.post("/link", data={"address": HEAD_A, "csrf": page_token(page.text)},
                            follow_redirects=True)
        assert "đường dẫn mới sẽ được gửi" in asked.text
        (letter,) = _arrived(smtp_server, HEAD_A, "Đường dẫn mới")
        assert f"{settings.base_url}/u/" in letter.get_body(("plain",)).get_content()
        # A check's dispatch after it finds nothing left to send.
        assert checking.dispatch(build_application(settings, engine=engine), log).sent == 0
    assert [m["To"] for m in smtp_server.messages] == [HEAD_A]
    assert _notice_states(engine, "link:") == [NoticeState.SENT]


def test_a_decision_letter_reaches_the_unit_from_the_web_process_once(
        engine, database_url, tmp_path, smtp_server):
    settings = _mail_settings(database_url, tmp_path, smtp_server)
    application = build_application(settings)
    ids = seed(engine, application.today(), application.calendar)
    token = unit_token(settings, HEAD_A, "A")
    today = application.today()
    try:
        with serving(settings) as url, httpx.Client(base_url=url) as client:
            unit = client.get(f"/u/{token}")
            reported = client.post(f"/u/{token}/items/{ids.a1}/report", data={
                "completed_on": today.isoformat(), "doc_number": "15/BC-SA",
                "doc_date": today.isoformat(), "csrf": page_token(unit.text)},
                follow_redirects=True)
            assert "Đã ghi nhận" in reported.text
            log_in(client, application)
            review = client.get("/review").text
            with UnitOfWork(engine).reading() as session:
                submission = session.exec(select(Submission.id)).scalar_one()
            done = client.post(f"/review/{submission}/confirm", data={"csrf": page_token(review)},
                               follow_redirects=True)
            assert "Đã ghi nhận" in done.text
            (letter,) = _arrived(smtp_server, HEAD_A, "đã được xác nhận")
            assert "[CCHC] A1: báo cáo hoàn thành đã được xác nhận" in letter["Subject"]
            time.sleep(1)  # five more rounds of the web's sender
    finally:
        application.close()
    assert [m["To"] for m in smtp_server.messages] == [HEAD_A]
    assert _notice_states(engine, "decision:") == [NoticeState.SENT]


def test_the_web_process_and_a_checks_dispatch_sending_at_once_send_each_letter_once(
        engine, database_url, tmp_path, smtp_server):
    settings = _mail_settings(database_url, tmp_path, smtp_server).with_changes(
        web_dispatch_seconds=0.01)
    addresses = [f"donvi{number}@x.example" for number in range(40)]
    with UnitOfWork(engine).transaction() as session:
        for address in addresses:
            outbox.queue_message(session, key=f"link:{address}", day=Clock(settings.zone).today(),
                                 recipient=address, unit_code=None, subject="[CCHC] thư",
                                 text="thư", html="<p>thư</p>")
    deadline = time.monotonic() + 60
    check = build_application(settings, engine=engine)
    with serving(settings):
        while len(smtp_server.messages) < len(addresses):
            assert time.monotonic() < deadline, len(smtp_server.messages)
            checking.dispatch(check, log)  # as a check would
        time.sleep(0.5)
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(addresses)
    assert set(_notice_states(engine, "link:")) == {NoticeState.SENT}


def test_cchc_web_refuses_to_start_without_a_base_url_rather_than_promise_links(
        engine, database_url, tmp_path):
    """The expired-link page promises a fresh link in a few minutes: without CCHC_BASE_URL
    none could be written, so the pages do not start at all."""
    env = {**os.environ, "CCHC_DATABASE_URL": database_url, "CCHC_SECRET_KEY": SECRET}
    env.pop("CCHC_BASE_URL", None)
    refused = subprocess.run([CCHC, "web", "--port", str(free_port())], env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "chưa đặt CCHC_BASE_URL" in refused.stderr
    with UnitOfWork(engine).reading() as session:
        assert session.exec(select(Event)).first() is None
