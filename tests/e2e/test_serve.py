"""`cchc serve` as an operator runs it: a real process, stopped with SIGTERM, restarted after the
machine was off over a scheduled check, with the runs it starts recorded by Prefect."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

CCHC = str(Path(sys.executable).parent / "cchc")
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


class Served:
    """A `cchc serve` process whose output lines can be awaited."""

    def __init__(self, env: dict[str, str], args: list[str] | None = None):
        self.process = subprocess.Popen([CCHC, *(args or ["serve"])], env=env,
                                        stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._new: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            self._new.put(line)

    def wait_for(self, text: str, timeout: float = 300) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._new.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, "".join(self.lines)
                continue
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} in:\n{''.join(self.lines)}")

    def stop(self) -> str:
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=120) == 0, "".join(self.lines)
        time.sleep(0.2)  # the reader drains the last lines
        return "".join(self.lines)


@pytest.mark.slow  # a `cchc serve` process, its scheduler and its pages
def test_serve_prints_only_its_own_vietnamese_lines_and_logs_the_servers_to_its_file(tmp_path):
    from tests.web_support import SECRET, free_port

    port = free_port()
    log_file = tmp_path / "serve.log"
    env = {**os.environ, "CCHC_DATABASE_URL": f"sqlite:///{tmp_path / 'cchc.db'}",
           "CCHC_SECRET_KEY": SECRET, "CCHC_LOG_FILE": str(log_file),
           "CCHC_BASE_URL": f"http://127.0.0.1:{port}"}
    subprocess.run([CCHC, "init"], env=env, check=True, capture_output=True)

    served = Served(env, ["serve", "--web", "--port", str(port)])
    served.wait_for("deadline-check: lịch")
    output = served.stop()

    assert f"trang web: http://127.0.0.1:{port}" in output
    assert "đã dừng" in output
    for line in output.splitlines():
        # Each line: the engine's time stamp, its logger, then what it says.
        assert re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d cchc\.", line), line
    assert "INFO:" not in output and "cron[" not in output and "Uvicorn" not in output
    logged = log_file.read_text(encoding="utf-8")
    assert f"Uvicorn running on http://127.0.0.1:{port}" in logged
    assert "apscheduler.scheduler Scheduler started" in logged
    assert "deadline-check: lịch “30 7 * * *” giờ Asia/Ho_Chi_Minh" in logged


def _last_0730_before(moment: datetime) -> datetime:
    local = moment.astimezone(HANOI)
    slot = local.replace(hour=7, minute=30, second=0, microsecond=0)
    return slot if slot <= local else slot - timedelta(days=1)


def test_serve_catches_up_a_missed_check_once_then_waits_for_0730_local(tmp_path, prefect_harness):
    from prefect.settings import PREFECT_API_URL

    database_url = f"sqlite:///{tmp_path / 'cchc.db'}"
    env = {**os.environ, "CCHC_DATABASE_URL": database_url, "CCHC_MAILDIR": str(tmp_path / "outbox"),
           "CCHC_LOG_FILE": str(tmp_path / "cchc.log"), "PREFECT_API_URL": PREFECT_API_URL.value()}
    env.pop("CCHC_SMTP_HOST", None)
    subprocess.run([CCHC, "init"], env=env, check=True, capture_output=True)

    first = Served(env)
    first.wait_for("deadline-check: lịch")
    assert "đã dừng" in first.stop()

    # The machine was off at the last 07:30; the other jobs are pushed out of the test's way.
    missed = _last_0730_before(datetime.now(timezone.utc))
    store = SQLAlchemyJobStore(url=database_url, tablename="scheduler_jobs")
    store.start(BackgroundScheduler(), "default")
    for job in store.get_all_jobs():
        job.next_run_time = missed if job.id == "deadline-check" else missed + timedelta(days=3)
        store.update_job(job)
    store.shutdown()

    restarted_at = datetime.now(timezone.utc)
    second = Served(env)
    done = second.wait_for("deadline-check (lịch")
    done = second.wait_for("deadline-check (lịch")
    time.sleep(3)  # long enough for a second catch-up run, were there one
    output = second.stop()

    assert "đã chạy xong" in done, output
    next_check = missed + timedelta(days=1)
    assert f"lần tới {next_check:%d/%m/%Y} 07:30" in done
    assert output.count("deadline-check (lịch") == 2  # submitted, then finished: one run
    runs = _deadline_check_runs_since(restarted_at)
    assert len(runs) == 1 and runs[0].state.is_completed()
    assert {"cchc", "serve"} <= set(runs[0].tags)


def _deadline_check_runs_since(moment: datetime) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowFilter,
        FlowFilterName,
        FlowRunFilter,
        FlowRunFilterStartTime,
    )

    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["deadline-check"])),
            flow_run_filter=FlowRunFilter(start_time=FlowRunFilterStartTime(after_=moment)),
        )
