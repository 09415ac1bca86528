"""The Prefect flows: the daily deadline check and the outbox dispatch.

A check reads top to bottom like the job: take the day, sweep the open items in batches and
apply the ladder, render the digests, deliver them, and leave an artifact that says who got
what. The steps themselves live in `flows.checking`."""

from __future__ import annotations

from datetime import date

from flows import prefect_env

prefect_env.configure()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.events import emit_event  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402

from flows import checking, publishing  # noqa: E402
from flows.flow_support import flow_database, run_day_label  # noqa: E402
from flows.settings import Settings  # noqa: E402


def _check_run_name() -> str:
    unit = flow_run.parameters.get("unit")
    return (f"kiem-tra-han-{run_day_label()}" + (f"-{unit.lower()}" if unit else "")
            + ("-thu" if flow_run.parameters.get("dry_run") else ""))


@task(name="sweep-open-items", cache_policy=NO_CACHE)
def sweep_open_items(as_of: date, unit: str | None) -> checking.CheckSummary:
    with flow_database() as (settings, engine):
        return checking.sweep_and_seal(engine, settings, as_of, get_run_logger(), unit)


# Delivery touches the network and the database: a crash mid-way is safe to retry, because
# claimed notices are re-claimed only after their lease and sent ones are never claimed again.
@task(name="deliver-notices", retries=2, retry_delay_seconds=30, cache_policy=NO_CACHE)
def deliver_notices(respect_backoff: bool) -> checking.DispatchSummary:
    with flow_database() as (settings, engine):
        return checking.dispatch(engine, settings, get_run_logger(), respect_backoff=respect_backoff)


@task(name="publish-events", cache_policy=NO_CACHE)
def publish_events() -> int:
    with flow_database() as (_settings, engine):
        return publishing.publish_pending(engine, emit_event, get_run_logger())


@task(name="preview-notices", cache_policy=NO_CACHE)
def preview_notices(as_of: date, unit: str | None) -> list[tuple[str, str, list[str]]]:
    with flow_database() as (settings, engine):
        return checking.preview(engine, settings, as_of, unit)


@flow(name="deadline-check", flow_run_name=_check_run_name, log_prints=False)
def deadline_check(as_of: date | None = None, dry_run: bool = False, unit: str | None = None) -> dict:
    """Kiểm tra hạn: nhắc việc, đôn đốc, báo cáo cấp trên theo thang nhắc việc.

    `unit` limits the check to that unit's subtree, so that workers can share a country by
    disjoint subtrees (one deployment per province, say)."""
    settings = Settings()
    as_of = as_of or settings.today()
    logger = get_run_logger()
    if dry_run:
        planned = preview_notices(as_of, unit)
        logger.info("chạy thử %s: %d thư sẽ được gửi", f"{as_of:%d/%m/%Y}", len(planned))
        return {"as_of": as_of.isoformat(), "dry_run": True, "would_send": planned}
    summary = sweep_open_items(as_of, unit)
    sent = deliver_notices(respect_backoff=True)
    publish_events()
    create_markdown_artifact(
        key="deadline-check",
        markdown=_report(summary, sent),
        description=f"Kết quả kiểm tra hạn ngày {as_of:%d/%m/%Y}",
    )
    logger.info(
        "kiểm tra %s: %d bậc nhắc mới, %d thư đã gửi, %d tạm hoãn, %d lỗi",
        f"{as_of:%d/%m/%Y}", summary.queued, sent.sent, sent.deferred, sent.failed,
    )
    return {"as_of": as_of.isoformat(), "check": summary.__dict__, "dispatch": sent.__dict__}


@flow(name="dispatch-notifications", flow_run_name="gui-thu")
def dispatch_notifications(respect_backoff: bool = True) -> dict:
    """Gửi các thư đang chờ trong hộp thư đi (kể cả thư tạm hoãn do lỗi tạm thời)."""
    sent = deliver_notices(respect_backoff)
    publish_events()
    if sent.sent or sent.failed or sent.deferred:
        create_markdown_artifact(key="dispatch", markdown=_report(None, sent))
    return sent.__dict__


# An artifact is read by a person in the UI: the first rows, then a count.
ARTIFACT_ROWS = 200


def _report(summary: checking.CheckSummary | None, sent: checking.DispatchSummary) -> str:
    lines = []
    if summary is not None:
        lines += [
            f"## Kiểm tra hạn ngày {summary.as_of:%d/%m/%Y}",
            "",
            "Ngày làm việc." if summary.working_day else "**Không phải ngày làm việc: không nhắc.**",
            "",
            f"- Nhiệm vụ đang mở đã xét: {summary.items}",
            f"- Bậc nhắc mới: {summary.queued} (bỏ qua vì đã có bậc mới hơn: {summary.skipped})",
            f"- Không có địa chỉ người nhận: {summary.unaddressed}",
            f"- Thư mới trong hộp thư đi: {summary.notices}",
            "",
        ]
    lines += [
        f"Đã gửi {sent.sent} thư, tạm hoãn {sent.deferred}, lỗi {sent.failed}.",
        "",
        "| Người nhận | Tiêu đề | Message-ID |",
        "|---|---|---|",
    ]
    lines += [
        f"| {to} | {subject.replace('|', '/')} | `{message_id}` |"
        for to, subject, message_id in sent.sent_to[:ARTIFACT_ROWS]
    ]
    if len(sent.sent_to) > ARTIFACT_ROWS:
        lines.append(f"| … và {len(sent.sent_to) - ARTIFACT_ROWS} thư khác | | |")
    return "\n".join(lines)
