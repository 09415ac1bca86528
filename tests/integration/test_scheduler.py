"""`cchc serve`'s scheduler: prefect.yaml's schedules, kept in the database, missed runs caught
up once."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from flows.scheduler import (
    ScheduledFlow,
    build_scheduler,
    install_jobs,
    scheduled_flows,
)


def test_the_embedded_scheduler_uses_prefect_yamls_schedules():
    flows = {flow.name: flow for flow in scheduled_flows()}
    check = flows["deadline-check"]
    assert check.entrypoint == "flows/deadline_check.py:deadline_check"
    assert (check.cron, check.timezone) == ("30 7 * * *", "Asia/Ho_Chi_Minh")
    assert "dispatch-notifications" in flows


def test_a_run_missed_while_stopped_is_caught_up_once_after_restart(tmp_path, monkeypatch):
    runs = tmp_path / "runs.txt"
    monkeypatch.setenv("CCHC_TEST_RUNS", str(runs))
    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    job = [ScheduledFlow("deadline-check", "tests/workers.py:record_run", "0 7 * * *",
                         "Asia/Ho_Chi_Minh")]

    first = build_scheduler(url, BackgroundScheduler)
    first.start(paused=True)
    install_jobs(first, job)
    first.shutdown()
    # The machine stayed off over three mornings: the stored next run lies in the past.
    store = SQLAlchemyJobStore(url=url, tablename="scheduler_jobs")
    store.start(BackgroundScheduler(), "default")
    stored = store.lookup_job("deadline-check")
    stored.next_run_time = datetime.now(timezone.utc) - timedelta(days=3)
    store.update_job(stored)
    store.shutdown()

    second = build_scheduler(url, BackgroundScheduler)
    second.start(paused=True)
    install_jobs(second, job)  # must not replace the stored job and forget the missed run
    assert second.get_job("deadline-check").next_run_time < datetime.now(timezone.utc)
    second.resume()
    for _ in range(100):
        if runs.exists():
            break
        time.sleep(0.1)
    time.sleep(0.5)
    second.shutdown()
    assert runs.read_text().count("run") == 1
