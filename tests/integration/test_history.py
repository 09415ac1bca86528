"""What `cchc history` tells a secretariat: runs from the engine's own record when no Prefect
server is configured, each item's timeline in Vietnamese words, and every time in
CCHC_TIMEZONE, written dd/mm/yyyy HH:MM."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from domain.events import EventName, current_flow_run
from domain.models import Event
from flows import checking
from flows.application import build_application
from flows.scheduler import LocalTimeFormatter
from flows.settings import Settings
from persistence.explain import item_timeline
from persistence.run_log import record_run_end
from persistence.tracking import find_item
from persistence.unit_of_work import UnitOfWork
from tests.conftest import load_examples

log = logging.getLogger("test")
# Far from UTC and from the machine's zone, so a time left in either shows.
ZONE = "America/Sao_Paulo"


@pytest.fixture
def checked(engine, database_url, tmp_path, monkeypatch):
    """The example checked on 01/07/2021 by a run "run-1", whose end is recorded."""
    monkeypatch.setenv("CCHC_DATABASE_URL", database_url)
    monkeypatch.setenv("CCHC_TIMEZONE", ZONE)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    settings = Settings(database_url=database_url, maildir=tmp_path / "outbox")
    load_examples(engine, settings.calendar)
    token = current_flow_run.set("run-1")
    try:
        started = datetime.now(UTC)
        app = build_application(settings, engine=engine)
        checking.sweep_and_seal(app, date(2021, 7, 1), log)
        checking.dispatch(app, log)
    finally:
        current_flow_run.reset(token)
    with UnitOfWork(engine).transaction() as session:
        record_run_end(session, flow_run_id="run-1", flow="deadline-check",
                       name="kiem-tra-han-01-07-2021", as_of=date(2021, 7, 1), state="Completed",
                       started=started, ended=started + timedelta(seconds=2.5))
    return engine, started


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _shown(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo(ZONE)).strftime("%d/%m/%Y %H:%M")


def test_history_without_prefect_lists_runs_from_the_engines_record_in_vietnamese(checked):
    engine, started = checked
    with UnitOfWork(engine).reading() as session:
        sent = session.exec(select(Event).where(Event.name == EventName.NOTICE_SENT.value)).all()
    output = _cli("history", "--limit", "5")
    line = next(line for line in output.splitlines() if "kiem-tra-han-01-07-2021" in line)
    assert line.startswith("kiem-tra-han-01-07-2021 · ngày 01/07/2021 · hoàn thành · "
                           f"bắt đầu {_shown(started)} · chạy 2,5 s")
    assert f"thư: đã gửi {len(sent)}, lỗi 0, tạm hoãn 0" in line
    assert re.search(r"bậc nhắc: .*O1 \d+", line), line


def test_history_without_prefect_never_imports_it(checked):
    probe = (
        "import sys; from typer.testing import CliRunner; from cli.main import app; "
        "r = CliRunner().invoke(app, ['history']); "
        "assert r.exit_code == 0 and 'hoàn thành' in r.output, r.output; "
        "print('prefect' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_an_items_timeline_is_in_vietnamese_words_at_local_times(checked, monkeypatch):
    from cli.shared import console

    monkeypatch.setattr(console, "width", 400)  # one table row per event, unwrapped
    engine, _ = checked
    with UnitOfWork(engine).reading() as session:
        moments = [moment for moment, _ in item_timeline(session, find_item(session, "3.2"))]
    output = _cli("history", "item", "3.2")
    for moment in moments:
        assert _shown(moment.replace(tzinfo=moment.tzinfo or UTC)) in output
    assert "bậc O1 (đôn đốc), hạn 30/06/2021" in output
    assert "tới chanhvanphong@tpsonla.sonla.example" in output
    for raw in ("rung=", "kind=", "due=", "['", "unit=", "2021-06-30"):
        assert raw not in output


def test_explain_says_when_a_notice_was_sent_in_local_time(checked):
    engine, _ = checked
    with UnitOfWork(engine).reading() as session:
        sent_at = session.exec(select(Event.occurred_at).where(
            Event.name == EventName.NOTICE_SENT.value)).first()
    output = _cli("explain", "3.2", "--as-of", "01/07/2021")
    assert f"đã gửi lúc {_shown(sent_at.replace(tzinfo=sent_at.tzinfo or UTC))}" in output


def test_serves_log_lines_are_stamped_in_the_engines_zone():
    formatter = LocalTimeFormatter(ZoneInfo(ZONE))
    record = logging.LogRecord("cchc.serve", logging.INFO, __file__, 1, "đã dừng", None, None)
    record.created = datetime(2026, 11, 30, 1, 0, tzinfo=UTC).timestamp()
    assert formatter.format(record) == "29/11/2026 22:00 cchc.serve đã dừng"


def test_a_runs_artifact_rows_say_when_each_email_was_sent_in_local_time(checked):
    from domain.models import Notice
    from notifications.run_history import notice_rows
    from persistence.run_log import run_notices

    engine, _ = checked
    with UnitOfWork(engine).reading() as session:
        sent_at = {n.recipient: n.sent_at for n in session.exec(select(Notice))}
        rows = notice_rows(run_notices(session, "run-1"), ZoneInfo(ZONE))
    assert rows and all(
        row["Gửi lúc"] == _shown(sent_at[row["Người nhận"]].replace(
            tzinfo=sent_at[row["Người nhận"]].tzinfo or UTC))
        for row in rows
    )
