"""`cchc serve`: the embedded scheduler (APScheduler 3) for a laptop or a single server without
a Prefect server. It runs the flows on the schedules prefect.yaml declares, keeping its jobs in
the engine's database so that a run missed while the machine was off is caught up once."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

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
        return CronTrigger.from_crontab(self.cron, timezone=self.timezone)


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


def run_entrypoint(entrypoint: str) -> None:
    """A job's target: import the flow named by a prefect.yaml entrypoint and run it."""
    from prefect import tags

    module_path, _, name = entrypoint.partition(":")
    module = importlib.import_module(module_path.removesuffix(".py").replace("/", "."))
    with tags("cchc", "serve"):
        getattr(module, name)()


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


def build_scheduler(database_url: str, scheduler_class: type[BaseScheduler]) -> BaseScheduler:
    return scheduler_class(
        jobstores={"default": SQLAlchemyJobStore(url=database_url, tablename="scheduler_jobs")},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": MISFIRE_GRACE_SECONDS},
    )
