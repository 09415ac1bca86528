"""The Prefect flows: the daily deadline check, the outbox dispatch and the secretariat's alert.

A check reads top to bottom like the job: take the day, sweep the open items in batches and
apply the ladder, render the digests, deliver them, and leave an artifact that says who got
what. The steps themselves live in `flows.checking`."""

from __future__ import annotations

from datetime import date

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event
from prefect.runtime import flow_run

from flows import checking, publishing
from flows.flow_support import (
    RUN_HOOKS,
    engine_flow,
    flow_application,
    label_run,
    run_day_label,
    task_application,
)
from notifications.run_history import (
    notice_rows,
    notices_description,
    progress_description,
    progress_markdown,
)
from persistence.reports import status_report
from persistence.run_log import run_notices


def _check_run_name() -> str:
    unit = flow_run.parameters.get("unit")
    return (f"kiem-tra-han-{run_day_label()}" + (f"-{unit.lower()}" if unit else "")
            + ("-thu" if flow_run.parameters.get("dry_run") else ""))


@task(name="sweep-open-items", cache_policy=NO_CACHE)
def sweep_open_items(as_of: date, unit: str | None) -> checking.CheckSummary:
    with task_application() as app:
        return checking.sweep_and_seal(app, as_of, get_run_logger(), unit)


# Delivery touches the network and the database: a crash mid-way is safe to retry, because
# claimed notices are re-claimed only after their lease and sent ones are never claimed again.
@task(name="deliver-notices", retries=2, retry_delay_seconds=30, cache_policy=NO_CACHE)
def deliver_notices(respect_backoff: bool) -> checking.DispatchSummary:
    with task_application() as app:
        return checking.dispatch(app, get_run_logger(), respect_backoff=respect_backoff)


@task(name="publish-events", cache_policy=NO_CACHE)
def publish_events() -> int:
    with task_application() as app:
        return publishing.publish_pending(app.uow, emit_event, get_run_logger())


@task(name="preview-notices", cache_policy=NO_CACHE)
def preview_notices(as_of: date, unit: str | None) -> list[tuple[str, str, list[str]]]:
    with task_application() as app:
        return checking.preview(app, as_of, unit)


@task(name="record-run", cache_policy=NO_CACHE)
def record_run(
    as_of: date | None, unit: str | None, counts: dict[str, int], progress: bool = True
) -> None:
    """Leave the run's history where the secretariat reads it: artifacts on the run page (the
    notices sent, the failures with the server's reply, the plan's progress under a stable key)
    and the run's counts as labels, which `cchc history` reads back."""
    run_id = str(flow_run.id)
    with task_application() as app, app.uow.reading() as session:
        zone = app.settings.zone
        delivered = run_notices(session, run_id)
        progress = (
            status_report(session, as_of, app.calendar, app.policy, unit=unit)
            if as_of is not None and progress else None
        )
    sent = [n for n in delivered if not n.failed]
    failed = [n for n in delivered if n.failed]
    if sent:
        create_table_artifact(key="cchc-notices", table=notice_rows(sent[:ARTIFACT_ROWS], zone),
                              description=notices_description(len(sent), ARTIFACT_ROWS))
    if failed:
        create_table_artifact(key="cchc-failures", table=notice_rows(failed[:ARTIFACT_ROWS], zone),
                              description=notices_description(len(failed), ARTIFACT_ROWS,
                                                              failed=True))
    if progress is not None:
        create_markdown_artifact(key="cchc-progress", markdown=progress_markdown(progress, counts),
                                 description=progress_description(as_of))
    label_run(as_of, counts)


def email_counts(sent: checking.DispatchSummary) -> dict[str, int]:
    """The run's e-mails by outcome, under the labels `cchc history` reads."""
    return {"emails_sent": sent.sent, "emails_deferred": sent.deferred,
            "emails_failed": sent.failed}


@engine_flow(name="deadline-check", flow_run_name=_check_run_name, log_prints=False,
             **RUN_HOOKS)
def deadline_check(as_of: date | None = None, dry_run: bool = False, unit: str | None = None) -> dict:
    """Kiểm tra hạn: nhắc việc, đôn đốc, báo cáo cấp trên theo thang nhắc việc.

    `unit` limits the check to that unit's subtree, so that workers can share a country by
    disjoint subtrees (one deployment per province, say)."""
    app = flow_application()
    as_of = as_of or app.today()
    logger = get_run_logger()
    if not app.calendar.is_working_day(as_of):
        # The ladder counts working days: the next working day's check catches up what is due.
        logger.info("%s: không phải ngày làm việc, không kiểm tra", f"{as_of:%d/%m/%Y}")
        return {"as_of": as_of.isoformat(), "working_day": False}
    if dry_run:
        planned = preview_notices(as_of, unit)
        logger.info("chạy thử %s: %d thư sẽ được gửi", f"{as_of:%d/%m/%Y}", len(planned))
        return {"as_of": as_of.isoformat(), "dry_run": True, "would_send": planned}
    summary = sweep_open_items(as_of, unit)
    if summary.alerts and app.policy.secretariat_email:
        # Inspection targets the secretariat is to be told of: its alert goes with this run.
        queue_alert(as_of)
    sent = deliver_notices(respect_backoff=True)
    publish_events()
    record_run(as_of, unit, {"items_checked": summary.items, "rungs_queued": summary.queued,
                             **email_counts(sent)})
    logger.info(
        "kiểm tra %s: %d bậc nhắc mới, %d thư đã gửi, %d tạm hoãn, %d lỗi",
        f"{as_of:%d/%m/%Y}", summary.queued, sent.sent, sent.deferred, sent.failed,
    )
    return {"as_of": as_of.isoformat(), "working_day": True, "check": summary.__dict__,
            "dispatch": sent.__dict__}


@engine_flow(name="dispatch-notifications", flow_run_name="gui-thu", **RUN_HOOKS)
def dispatch_notifications(respect_backoff: bool = True) -> dict:
    """Gửi các thư đang chờ trong hộp thư đi (kể cả thư tạm hoãn do lỗi tạm thời)."""
    sent = deliver_notices(respect_backoff)
    publish_events()
    if sent.sent or sent.failed or sent.deferred:
        record_run(None, None, email_counts(sent))
    return sent.__dict__


@task(name="queue-alert", cache_policy=NO_CACHE)
def queue_alert(as_of: date) -> bool:
    with task_application() as app:
        return checking.queue_alert(app, as_of)


def _alert_run_name() -> str:
    code, level = flow_run.parameters.get("code"), flow_run.parameters.get("level")
    return f"bao-cao-vuot-cap-{code}-e{level}".lower() if code else "bao-cao-vuot-cap"


@engine_flow(name="escalation-alert", flow_run_name=_alert_run_name, **RUN_HOOKS)
def escalation_alert(
    code: str | None = None,
    unit: str | None = None,
    level: int | None = None,
    check_date: date | None = None,
) -> dict:
    """Báo ngay cho cơ quan thường trực khi có nhiệm vụ bị báo cáo cấp trên.

    Started by the `cchc.item.escalated` event (its payload gives the parameters); the alert
    lists every escalation not yet alerted, so one run covers a whole check's events."""
    app = flow_application()
    logger = get_run_logger()
    as_of = check_date or app.today()
    if code:
        logger.info("%s (đơn vị %s) đã được báo cáo cấp trên, bậc E%s", code, unit, level)
    if not app.policy.secretariat_email:
        logger.warning("tệp chính sách chưa có secretariat.email: không có ai để báo")
        return {"queued": False}
    queued = queue_alert(as_of)
    sent = deliver_notices(respect_backoff=True)
    publish_events()
    record_run(as_of, None, email_counts(sent), progress=False)
    return {"queued": queued, "dispatch": sent.__dict__}


# An artifact is read by a person in the UI: the first rows, then a count.
ARTIFACT_ROWS = 200
