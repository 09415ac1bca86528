"""`cchc serve`'s scheduler: prefect.yaml's schedules, kept in the database, missed runs caught
up once."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from flows.scheduler import (
    ScheduledFlow,
    _weekday_names,
    build_scheduler,
    install_jobs,
    run_entrypoint,
    scheduled_flows,
)
from persistence.db import make_engine
from tests.conftest import EXAMPLES, load_examples


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

    first = build_scheduler(make_engine(url), BackgroundScheduler)
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

    second = build_scheduler(make_engine(url), BackgroundScheduler)
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


SUNDAY_NOON = datetime(2026, 11, 29, 12, 0, tzinfo=timezone(timedelta(hours=7)))


def _apscheduler_runs(flow: ScheduledFlow, count: int) -> list[datetime]:
    trigger, runs, moment = flow.trigger(), [], SUNDAY_NOON
    while len(runs) < count:
        moment = trigger.get_next_fire_time(runs[-1] if runs else None, moment)
        runs.append(moment)
        moment += timedelta(seconds=1)
    return runs


def _prefect_runs(flow: ScheduledFlow, count: int) -> list[datetime]:
    import asyncio

    from prefect.server.schemas.schedules import CronSchedule

    schedule = CronSchedule(cron=flow.cron, timezone=flow.timezone)
    return asyncio.run(schedule.get_dates(n=count, start=SUNDAY_NOON))


def test_serve_runs_each_schedule_exactly_when_prefect_would():
    for flow in scheduled_flows():
        assert _apscheduler_runs(flow, 60) == _prefect_runs(flow, 60), flow.name


def test_under_serve_the_weekly_summary_runs_on_monday_and_dispatch_never_on_saturday():
    flows = {flow.name: flow for flow in scheduled_flows()}
    (summary,) = _apscheduler_runs(flows["weekly-summary"], 1)
    assert summary == datetime(2026, 11, 30, 8, 0, tzinfo=timezone(timedelta(hours=7)))
    dispatch_days = {run.weekday() for run in _apscheduler_runs(flows["dispatch-notifications"], 400)}
    assert dispatch_days == {0, 1, 2, 3, 4}  # Monday to Friday


def test_cron_weekdays_are_read_as_cron_reads_them():
    assert _weekday_names("1-5") == "mon,tue,wed,thu,fri"
    assert _weekday_names("0,7") == "sun"
    assert _weekday_names("5-7") == "sun,fri,sat"
    assert _weekday_names("MON-FRI/2") == "mon,wed,fri"
    assert _weekday_names("*/3") == "sun,wed,sat"


def test_under_serve_a_check_that_escalated_alerts_the_secretariat(
        engine, database_url, tmp_path, prefect_harness):
    """On 01/07/2021 the example's check escalates items (KT19-05 to E2, among others): serve,
    which has no Prefect automation to react to the events, runs the alert after the check."""
    import email
    from email import policy

    from flows.application import build_application
    from flows.flow_support import application_in_use
    from flows.settings import Settings

    settings = Settings(database_url=database_url, maildir=tmp_path / "outbox",
                        policy_file=EXAMPLES / "policy.toml")
    load_examples(engine, settings.calendar)
    with application_in_use(build_application(settings)) as app:
        run_entrypoint("tests/workers.py:check_of_1_july_2021")
    app.close()
    sent = [email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in (tmp_path / "outbox").glob("*.eml")]
    alerts = [message for message in sent
              if message["To"] == settings.policy.secretariat_email and not message["Cc"]]
    assert len(alerts) == 1 and "đã báo cáo cấp trên" in alerts[0]["Subject"]
    assert "[KT19-05]" in alerts[0].get_body(("plain",)).get_content()
