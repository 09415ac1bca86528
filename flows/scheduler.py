"""`cchc serve`: the embedded scheduler (APScheduler 3) for a laptop or a single server without
a Prefect server. It runs the flows on the schedules prefect.yaml declares, keeping its jobs in
the engine's database so that a run missed while the machine was off is caught up once."""

from __future__ import annotations

import importlib
import logging
import signal
import threading
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from notifications.words import local_time_text

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from flows.application import Application

PREFECT_YAML = Path(__file__).resolve().parent.parent / "prefect.yaml"
# A run missed by up to this long (the machine was off) still runs, once, when it is back.
MISFIRE_GRACE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class ScheduledFlow:
    name: str
    entrypoint: str  # "flows/deadline_check.py:deadline_check"
    cron: str
    timezone: str

    def trigger(self) -> CronTrigger:
        return cron_trigger(self.cron, self.timezone)


# Cron's day-of-week numbers: 0 (and 7) is Sunday, 1 Monday … 6 Saturday.
_CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def cron_trigger(cron: str, timezone: str) -> CronTrigger:
    """The APScheduler trigger that fires when Prefect runs the same cron text.

    Not `CronTrigger.from_crontab`: APScheduler 3 numbers weekdays from Monday = 0, so it reads
    cron's `1` (Monday) as Tuesday. Weekdays are handed over by name instead."""
    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"lịch cron cần 5 trường, nhận được {cron!r}")
    minute, hour, day, month, weekdays = fields
    if day != "*" and weekdays != "*":
        # Cron runs when either matches; APScheduler would require both.
        raise ValueError(f"lịch cron {cron!r} giới hạn cả ngày trong tháng lẫn thứ: không hỗ trợ")
    return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                       day_of_week=_weekday_names(weekdays), timezone=timezone)


def _weekday_names(field: str) -> str:
    """Cron's day-of-week field (`1-5`, `0,6`, `*/2`, `MON-FRI`) as APScheduler weekday names."""
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.lower().split(","):
        span, _, step = part.partition("/")
        if span == "*":
            first, last = 0, 6
        else:
            start, _, end = span.partition("-")
            first = _weekday_number(start)
            last = _weekday_number(end) if end else (7 if step else first)
        days.update(number % 7 for number in range(first, last + 1, int(step or 1)))
    if not days:
        raise ValueError(f"trường thứ của lịch cron không hợp lệ: {field!r}")
    return ",".join(_CRON_WEEKDAYS[number] for number in sorted(days))


def _weekday_number(text: str) -> int:
    if text in _CRON_WEEKDAYS:
        return _CRON_WEEKDAYS.index(text)
    if text.isdigit() and 0 <= int(text) <= 7:
        return int(text)
    raise ValueError(f"thứ không hợp lệ trong lịch cron: {text!r}")


def scheduled_flows(path: Path = PREFECT_YAML) -> list[ScheduledFlow]:
    """The deployments' cron schedules, as prefect.yaml declares them."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        ScheduledFlow(deployment["name"], deployment["entrypoint"], schedule["cron"],
                      schedule.get("timezone", "UTC"))
        for deployment in document.get("deployments", [])
        for schedule in deployment.get("schedules") or []
        if "cron" in schedule
    ]


# On a Prefect server this deployment is started by the `cchc.item.escalated` events of a check
# (prefect.yaml); `serve` has no automations, so it runs it after each check that escalated.
ESCALATION_ALERT = "escalation-alert"


def deployment_entrypoint(name: str, path: Path = PREFECT_YAML) -> str:
    """The entrypoint prefect.yaml declares for the deployment `name`."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    (entrypoint,) = [deployment["entrypoint"] for deployment in document["deployments"]
                     if deployment["name"] == name]
    return entrypoint


def _flow(entrypoint: str):
    module_path, _, name = entrypoint.partition(":")
    module = importlib.import_module(module_path.removesuffix(".py").replace("/", "."))
    return getattr(module, name)


def run_entrypoint(entrypoint: str) -> None:
    """A job's target: import the flow named by a prefect.yaml entrypoint and run it; after a
    check that escalated items, run the secretariat's escalation alert for its day."""
    from prefect import tags

    with tags("cchc", "serve"):
        result = _flow(entrypoint)()
        escalated_on = _escalation_day(result)
        if escalated_on is not None:
            log.info("kiểm tra hạn ngày %s có nhiệm vụ vừa bị báo cáo cấp trên: chạy %s",
                     f"{escalated_on:%d/%m/%Y}", ESCALATION_ALERT)
            _flow(deployment_entrypoint(ESCALATION_ALERT))(check_date=escalated_on)


def _escalation_day(result: object) -> date | None:
    """The day of a deadline check that escalated items, read from the check flow's result;
    None for any other run."""
    if isinstance(result, dict) and (result.get("check") or {}).get("escalated"):
        return date.fromisoformat(result["as_of"])
    return None


def install_jobs(scheduler: BaseScheduler, flows: list[ScheduledFlow]) -> None:
    """Add each flow's job, or update its schedule, without losing a stored next run time: a
    run that was due while the scheduler was stopped is then caught up (once, coalesced)."""
    for flow in flows:
        job = scheduler.get_job(flow.name)
        if job is None:
            scheduler.add_job(run_entrypoint, flow.trigger(), args=[flow.entrypoint],
                              id=flow.name, name=flow.name)
        elif str(job.trigger) != str(flow.trigger()):
            job.reschedule(flow.trigger())


def build_scheduler(engine: Engine, scheduler_class: type[BaseScheduler]) -> BaseScheduler:
    """A scheduler keeping its jobs in the engine's database, over the engine's own pool."""
    return scheduler_class(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename="scheduler_jobs")},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": MISFIRE_GRACE_SECONDS},
    )


log = logging.getLogger("cchc.serve")

_OUTCOMES = {
    EVENT_JOB_SUBMITTED: "bắt đầu chạy",
    EVENT_JOB_EXECUTED: "đã chạy xong",
    EVENT_JOB_ERROR: "chạy lỗi",
    EVENT_JOB_MISSED: "bỏ lỡ quá lâu, không chạy bù",
}


class LocalTimeFormatter(logging.Formatter):
    """Log lines stamped dd/mm/yyyy HH:MM in the engine's time zone, not the machine's."""

    def __init__(self, zone: tzinfo) -> None:
        super().__init__("%(asctime)s %(name)s %(message)s")
        self.zone = zone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return local_time_text(datetime.fromtimestamp(record.created, self.zone), self.zone)


def serve(app: Application, flows: list[ScheduledFlow]) -> None:
    """Run the flows on their schedules until SIGTERM or SIGINT; a running flow is let finish.
    The jobs are kept in the application's database; times in the log lines are in its zone.
    The flows run on the application the entry point set for them (`flow_support`)."""
    zone = app.settings.zone

    def _when(moment: datetime) -> str:
        return local_time_text(moment, zone)

    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    scheduler = build_scheduler(app.uow.engine, BackgroundScheduler)

    def report(event: JobEvent) -> None:
        job = scheduler.get_job(event.job_id)
        upcoming = f"; lần tới {_when(job.next_run_time)}" if job and job.next_run_time else ""
        scheduled = getattr(event, "scheduled_run_time", None) or event.scheduled_run_times[0]
        level = logging.ERROR if event.code == EVENT_JOB_ERROR else logging.INFO
        log.log(level, "%s (lịch %s): %s%s", event.job_id, _when(scheduled),
                _OUTCOMES[event.code], upcoming, exc_info=getattr(event, "exception", None))

    scheduler.add_listener(report, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
                           | EVENT_JOB_MISSED)
    scheduler.start(paused=True)
    install_jobs(scheduler, flows)
    schedules = {flow.name: flow for flow in flows}
    for job in scheduler.get_jobs():
        flow = schedules.get(job.id)
        schedule = f"lịch “{flow.cron}” giờ {flow.timezone}" if flow else "lịch cũ"
        log.info("%s: %s — lần tới %s", job.id, schedule, _when(job.next_run_time))
    scheduler.resume()
    # Woken every second: a signal handled while the main thread sleeps in a lock's wait is
    # seen at the latest then.
    while not stop.wait(1):
        pass
    log.info("đang dừng: chờ lần chạy dở (nếu có) kết thúc")
    scheduler.shutdown(wait=True)
    log.info("đã dừng")

