"""A unit's report sent while another process writes to the same SQLite file (a deadline
check sealing its digests) waits for that write to end and is recorded: it never fails with
"database is locked"."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import timedelta

from sqlalchemy import select

from domain.models import Submission
from flows.application import build_application
from persistence.db import make_engine, upgrade
from tests.web_support import page_token, seed, unit_token, web_settings

# Longer than the 5 s Python's sqlite3 waits for a lock unless told otherwise: a check's
# transaction (a few batches of its sweep, 2,000 digests sealed) can take that long.
WRITE_SECONDS = 6


def test_a_report_sent_while_another_connection_writes_waits_and_is_recorded(tmp_path):
    from fastapi.testclient import TestClient

    from web.app import create_app

    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    settings = web_settings(url, tmp_path)
    application = build_application(settings)
    ids = seed(engine, application.today(), application.calendar)
    writing = threading.Event()

    def long_write() -> None:
        # Another process's connection: its own write lock on the file until it commits.
        other = sqlite3.connect(tmp_path / "cchc.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE unit SET name = name || ' (đã đổi)' WHERE code = 'B'")
        writing.set()
        time.sleep(WRITE_SECONDS)
        other.execute("COMMIT")
        other.close()

    today = application.today()
    with TestClient(create_app(application), base_url="http://testserver") as client:
        token = unit_token(settings, "giamdoc@a.example", "A")
        csrf = page_token(client.get(f"/u/{token}").text)
        writer = threading.Thread(target=long_write)
        writer.start()
        writing.wait()
        answer = client.post(f"/u/{token}/items/{ids.a1}/report", data={
            "completed_on": (today - timedelta(days=1)).isoformat(), "doc_number": "15/BC",
            "doc_date": today.isoformat(), "note": "", "csrf": csrf})
        writer.join()
    assert answer.status_code == 200, answer.text
    assert "Đã ghi nhận" in answer.text and "database is locked" not in answer.text
    with application.uow.reading() as session:
        (submission,) = session.execute(select(Submission)).scalars().all()
    assert submission.item_id == ids.a1
    application.close()
    engine.dispose()
