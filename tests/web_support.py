"""What the web tests share: settings for a test installation, a small unit tree with items of
each kind, a client on the app, and a snapshot of everything a request could write."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain.models import (
    Event,
    Extension,
    Finding,
    Inspection,
    LadderEntry,
    Notice,
    Submission,
    TrackedItem,
    Unit,
)
from domain.responses import Scope
from flows import links
from flows.application import Application, build_application
from flows.settings import Settings
from persistence.unit_of_work import UnitOfWork

SECRET = "khoa-bi-mat-cua-bo-kiem-thu-0123456789"
SECRETARIAT = "thuongtruc@cchc.example"
POLICY = f"""
[secretariat]
name = "Sở Nội vụ"
email = "{SECRETARIAT}"

[web]
upload_max_mb = 1
"""


def web_settings(database_url: str, folder: Path, policy_web: str = "", **extra) -> Settings:
    """`policy_web`: more keys of the policy's [web] table."""
    policy = folder / "policy.toml"
    policy.write_text(POLICY + policy_web, encoding="utf-8")
    values = dict(database_url=database_url, secret_key=SECRET, base_url="http://testserver",
                  upload_dir=folder / "uploads", maildir=folder / "outbox", policy_file=policy)
    return Settings(_env_file=None, **{**values, **extra})


@dataclass(frozen=True)
class Seeded:
    a1: int  # unit A's task, overdue
    a2: int  # unit A's remediation item, overdue
    old1: int  # a task of OLD, dissolved into A: A answers for it
    b1: int  # unit B's task
    c1: int  # unit C's task (C is under A), overdue enough to be escalated to A
    undetermined: int  # A's task whose deadline names no date


def seed(engine, today: date, calendar) -> Seeded:
    """Units TINH > A > C, TINH > B, OLD (dissolved into A); an item of each kind."""
    overdue = today - timedelta(days=10)
    soon = calendar.add_working_days(today, 2)
    with UnitOfWork(engine).transaction() as session:
        session.add(Unit(code="TINH", name="UBND tỉnh", head_title="Chủ tịch UBND tỉnh",
                         head_email="chutich@tinh.example"))
        session.flush()
        session.add_all([
            Unit(code="A", name="Sở A <b>&", parent_code="TINH", head_title="Giám đốc Sở A",
                 head_email="giamdoc@a.example", focal_email="cchc@a.example"),
            Unit(code="B", name="Sở B", parent_code="TINH", head_title="Giám đốc Sở B",
                 head_email="giamdoc@b.example"),
        ])
        session.flush()
        session.add_all([
            Unit(code="C", name="Chi cục C", parent_code="A", head_title="Chi cục trưởng",
                 head_email="chicuc@c.example"),
            Unit(code="OLD", name="Sở cũ", parent_code="TINH", active=False,
                 successor_code="A"),
        ])
        inspection = Inspection(name="Kiểm tra CCHC 2024", concluded_on=overdue)
        session.add(inspection)
        session.flush()
        session.add(Finding(code="KT-1", inspection_id=inspection.id,
                            description="Chưa niêm yết thủ tục"))

        def item(code, unit, due, kind="task", **extra):
            row = TrackedItem(kind=kind, scope="KT" if kind == "remediation" else "KH",
                              code=code, content=f"Nhiệm vụ {code}", unit_code=unit,
                              deadline_text=f"Trước {due:%d/%m/%Y}" if due else "Theo kế hoạch",
                              deadline_kind="fixed" if due else "undetermined",
                              due_date=due, original_due_date=due, **extra)
            session.add(row)
            session.flush()
            return row.id

        ids = Seeded(
            a1=item("A1", "A", overdue),
            a2=item("A2", "A", overdue, kind="remediation", finding_code="KT-1"),
            old1=item("OLD1", "OLD", soon),
            b1=item("B1", "B", overdue),
            c1=item("C1", "C", overdue),
            undetermined=item("A3", "A", None),
        )
    return ids


def unit_token(settings: Settings, address: str, *units: str) -> str:
    return links.LinkSigner.of(settings).issue(Scope(address, frozenset(units)))


def page_token(html: str) -> str:
    """The form token (CSRF) a page's forms carry."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def log_in(client, application: Application, name: str = "thuongtruc",
           password: str = "mat-khau-du-dai-123") -> None:
    from flows.responses import add_user

    add_user(application, name, password)
    csrf = page_token(client.get("/login").text)
    answer = client.post("/login", data={"name": name, "password": password, "csrf": csrf},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text


def written(application: Application, upload_dir: Path) -> dict:
    """Everything a request could write: rows of each table, the items' state, stored files."""
    with application.uow.reading() as session:
        counts = {table.__name__: session.execute(select(func.count()).select_from(table)
                                                  ).scalar_one()
                  for table in (Submission, Event, Notice, Extension, LadderEntry)}
        items = session.execute(select(TrackedItem.id, TrackedItem.due_date,
                                       TrackedItem.completed_on, TrackedItem.evidence)).all()
    files = sorted(p.name for p in upload_dir.rglob("*")) if upload_dir.exists() else []
    return {"counts": counts, "items": sorted(items), "files": files}


@dataclass
class WebSite:
    settings: Settings
    application: Application
    client: object  # fastapi.testclient.TestClient
    ids: Seeded

    @property
    def uploads(self) -> Path:
        return self.settings.upload_dir

    def written(self) -> dict:
        return written(self.application, self.uploads)


@pytest.fixture
def site(engine, database_url, tmp_path) -> Iterator[WebSite]:
    """The web app over a seeded database (SQLite file and PostgreSQL), through a test client."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    settings = web_settings(database_url, tmp_path)
    application = build_application(settings)
    ids = seed(engine, application.today(), application.calendar)
    with TestClient(create_app(application), base_url="http://testserver") as client:
        yield WebSite(settings, application, client, ids)
    application.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(settings: Settings, port: int | None = None) -> Iterator[str]:
    """The web app served by uvicorn (as `cchc web` runs it) in a thread, on `port` or a free
    one."""
    from cli.shared import application, web_server

    port = port or free_port()
    with application(settings) as built:
        server = web_server(built, "127.0.0.1", port)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)


def aged_token(settings: Settings, address: str, units, age: timedelta) -> str:
    """A link issued `age` ago."""
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - age.total_seconds())

    serializer = URLSafeTimedSerializer(settings.secret_key.get_secret_value(),
                                        salt=links.LINK_SALT, signer=Earlier)
    return serializer.dumps({"a": address, "u": sorted(units)})
