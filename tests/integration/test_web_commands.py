"""The commands of the web pages: `cchc user add`, `cchc link revoke`, `cchc web` refusing to
start without a secret key, `cchc serve --web` serving the pages beside the scheduler; and the
events the pages record, as Prefect receives them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app
from domain.events import EventName, parse
from domain.models import Event, LinkRevocation, TrackedItem, WebUser, utcnow
from flows.publishing import prefect_event
from tests.conftest import *  # noqa: F403 (the database fixtures)
from tests.e2e.test_serve import Served
from tests.web_support import SECRET, free_port


def _invoke(database_url, monkeypatch, *args, stdin=None, **env):
    monkeypatch.setenv("CCHC_DATABASE_URL", database_url)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.output


def test_user_add_stores_an_argon2_hash_of_the_password_read_from_stdin(
        engine, database_url, monkeypatch):
    code, output = _invoke(database_url, monkeypatch, "user", "add", "thuongtruc",
                           stdin="mat-khau-du-dai-123\n")
    assert code == 0 and "Đã tạo tài khoản thuongtruc" in output
    code, output = _invoke(database_url, monkeypatch, "user", "add", "thuongtruc",
                           stdin="ngan\n")
    assert code == 1 and "mật khẩu cần ít nhất 10 ký tự" in output
    with engine.connect() as connection:
        (stored,) = connection.execute(select(WebUser.password_hash)).scalars()
    assert stored.startswith("$argon2") and "mat-khau" not in stored
    assert PasswordHasher().verify(stored, "mat-khau-du-dai-123")


def test_link_revoke_records_the_moment_and_the_event(engine, database_url, monkeypatch):
    code, output = _invoke(database_url, monkeypatch, "link", "revoke", "GiamDoc@a.example")
    assert code == 0 and "Đã thu hồi" in output
    with engine.connect() as connection:
        assert connection.execute(select(LinkRevocation.recipient)).scalars().all() == [
            "giamdoc@a.example"]
        assert connection.execute(select(Event.name)).scalars().all() == ["link.revoked"]


def test_cchc_web_refuses_to_start_without_a_secret_key(engine, database_url, monkeypatch):
    monkeypatch.delenv("CCHC_SECRET_KEY", raising=False)
    code, output = _invoke(database_url, monkeypatch, "web", "--port", str(free_port()))
    assert code == 1 and "chưa đặt CCHC_SECRET_KEY" in output


def test_serve_with_web_serves_the_pages_beside_the_scheduler(tmp_path, prefect_harness):
    from prefect.settings import PREFECT_API_URL

    port = free_port()
    env = {**os.environ, "CCHC_DATABASE_URL": f"sqlite:///{tmp_path / 'cchc.db'}",
           "CCHC_MAILDIR": str(tmp_path / "outbox"), "CCHC_SECRET_KEY": SECRET,
           "CCHC_LOG_FILE": str(tmp_path / "cchc.log"),
           "CCHC_BASE_URL": f"http://127.0.0.1:{port}", "PREFECT_API_URL": PREFECT_API_URL.value()}
    cchc = str(Path(sys.executable).parent / "cchc")
    subprocess.run([cchc, "init"], env=env, check=True, capture_output=True)
    served = Served(env, ["serve", "--web", "--port", str(port)])
    served.wait_for("deadline-check: lịch")
    deadline = time.monotonic() + 60
    while f"127.0.0.1:{port}" not in "".join(served.lines):  # said once the pages are served
        assert time.monotonic() < deadline, "".join(served.lines)
        time.sleep(0.1)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login") as page:
        assert "Đăng nhập" in page.read().decode()
    assert "đã dừng" in served.stop()


def test_the_pages_events_reach_prefect_under_their_names():
    item = TrackedItem(id=1, kind="task", scope="KH", code="1.1", content="x", unit_code="A",
                       deadline_text="x", deadline_kind="fixed")
    names = {name: prefect_event(parse(name, {"by": "a@b"}, item_id=1), utcnow(), item)["event"]
             for name in (EventName.ITEM_REPORTED, EventName.EXTENSION_REQUESTED,
                          EventName.ITEM_ACKNOWLEDGED, EventName.REPORT_CONFIRMED,
                          EventName.REPORT_RETURNED)}
    assert list(names.values()) == ["cchc.item.reported", "cchc.extension.requested",
                                    "cchc.item.acknowledged", "cchc.report.confirmed",
                                    "cchc.report.returned"]


def test_each_rung_reached_reaches_prefect_under_its_kinds_event():
    item = TrackedItem(id=1, kind="task", scope="KH", code="1.1", content="x", unit_code="A",
                       deadline_text="x", deadline_kind="fixed")
    names = [prefect_event(parse(EventName.RUNG_REACHED, {"kind": kind, "rung": rung},
                                 item_id=1), utcnow(), item)["event"]
             for kind, rung in (("reminder", "R3"), ("due", "R0"), ("overdue", "O1"),
                                ("escalation", "E1"))]
    assert names == ["cchc.item.due-soon", "cchc.item.due", "cchc.item.overdue",
                     "cchc.item.escalated"]
