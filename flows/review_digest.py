"""The review digest (báo cáo chờ xét): once a working day, when units' completion reports or
extension requests wait for the secretariat (or undetermined deadlines wait for a date), one
e-mail to the secretariat listing them — queued in the outbox once per day, then sent."""

from __future__ import annotations

from datetime import date

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.deadline_check import (
    deliver_notices,
    email_counts,
    publish_events,
    record_run,
)
from flows.flow_support import RUN_HOOKS, flow_application, run_day_label, task_application
from flows.responses import queue_review_digest


@task(name="queue-review-digest", cache_policy=NO_CACHE)
def queue_digest(as_of: date) -> bool:
    with task_application() as app:
        return queue_review_digest(app, as_of)


@flow(name="review-digest", flow_run_name=lambda: f"cho-xet-{run_day_label()}", **RUN_HOOKS)
def review_digest(as_of: date | None = None) -> dict:
    """Báo cáo, đề nghị của đơn vị chờ cơ quan thường trực xét (mỗi ngày làm việc, khi có)."""
    app = flow_application()
    as_of = as_of or app.today()
    logger = get_run_logger()
    if not app.calendar.is_working_day(as_of):
        logger.info("%s: không phải ngày làm việc", f"{as_of:%d/%m/%Y}")
        return {"as_of": as_of.isoformat(), "queued": False}
    if not app.policy.secretariat_email:
        logger.warning("tệp chính sách chưa có secretariat.email: không có ai để báo")
        return {"as_of": as_of.isoformat(), "queued": False}
    queued = queue_digest(as_of)
    sent = deliver_notices(respect_backoff=True)
    publish_events()
    record_run(as_of, None, email_counts(sent), progress=False)
    return {"as_of": as_of.isoformat(), "queued": queued, "dispatch": sent.__dict__}
