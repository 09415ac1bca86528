"""The weekly summary (tổng hợp tuần): the progress report e-mailed to the secretariat — the HTML
report as the body, the workbook attached — and published as a Prefect artifact.

It reads like the job: build the report as of the day, send it once to the secretariat, leave
the Markdown report where the Prefect UI shows it."""

from __future__ import annotations

from datetime import date

import logging

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from domain.events import SummarySent
from flows.application import Application
from flows.flow_support import (
    RUN_HOOKS,
    flow_application,
    label_run,
    run_day_label,
    task_application,
)
from notifications.delivery import DeliveryOutcome
from notifications.email import Attachment, OutgoingMessage, make_message_id
from notifications.reports import SummaryEmail, summary_email
from notifications.run_history import summary_description
from persistence import events
from persistence.reports import status_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SummaryNotSent(RuntimeError):
    pass


@task(name="build-report", cache_policy=NO_CACHE)
def build_report(as_of: date) -> SummaryEmail:
    with task_application() as app, app.uow.reading() as session:
        report = status_report(session, as_of, app.calendar, app.policy)
        return summary_email(report)


# Sending touches the network; a retry sends the same Message-ID, and a summary already
# recorded as sent for the day is not sent again.
@task(name="send-summary", retries=2, retry_delay_seconds=60, cache_policy=NO_CACHE)
def send_summary(as_of: date, summary: SummaryEmail) -> str | None:
    with task_application() as app:
        return deliver_summary(app, as_of, summary, get_run_logger())


def deliver_summary(
    app: Application, as_of: date, summary: SummaryEmail,
    log: logging.Logger | logging.LoggerAdapter,
) -> str | None:
    """Send the day's summary to the secretariat through the application's sender: the
    Message-ID sent, or None when the day's summary had already gone to the address."""
    recipient = app.policy.secretariat_email
    with app.uow.reading() as session:
        if events.summary_sent(session, as_of, recipient):
            log.info("tổng hợp ngày %s đã gửi tới %s: không gửi lại", f"{as_of:%d/%m/%Y}",
                     recipient)
            return None
    message = _message(app, as_of, recipient, summary)
    (result,) = app.sender.send_all_sync([message])
    if result.outcome is not DeliveryOutcome.SENT:
        kind = "tạm thời" if result.outcome is DeliveryOutcome.TRANSIENT else "vĩnh viễn"
        raise SummaryNotSent(f"không gửi được tổng hợp tới {recipient} (lỗi {kind}): "
                             f"{result.detail}")
    with app.uow.transaction() as session:
        events.record(session, SummarySent(check_date=as_of, recipient=recipient,
                                           message_id=message.message_id))
    return message.message_id


def _message(app: Application, as_of: date, recipient: str, summary: SummaryEmail,
             ) -> OutgoingMessage:
    settings = app.settings
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    return OutgoingMessage(
        notice_id=0,  # not an outbox notice: the summary is rebuilt from the database each run
        sender=settings.mail_from,
        sender_name=settings.policy.secretariat_name,
        to=(recipient,),
        cc=(),
        subject=summary.subject,
        text=summary.text,
        html=summary.html,
        message_id=make_message_id(0, f"weekly-summary:{as_of.isoformat()}:{recipient}", domain),
        date=app.clock.now(),
        attachments=(Attachment(summary.workbook_name, XLSX, summary.workbook),),
    )


@flow(name="weekly-summary", flow_run_name=lambda: f"tong-hop-tuan-{run_day_label()}", **RUN_HOOKS)
def weekly_summary(as_of: date | None = None) -> dict:
    """Tổng hợp tuần: báo cáo tiến độ gửi cơ quan thường trực CCHC (HTML trong thư, Excel đính kèm)."""
    app = flow_application()
    as_of = as_of or app.today()
    logger = get_run_logger()
    summary = build_report(as_of)
    recipient = app.policy.secretariat_email
    message_id = None
    if recipient is None:
        logger.warning("chính sách chưa có secretariat.email: không gửi thư tổng hợp "
                       "(báo cáo vẫn có trong artifact 'weekly-summary')")
    else:
        message_id = send_summary(as_of, summary)
    label_run(as_of, {"emails_sent": int(message_id is not None), "emails_failed": 0})
    create_markdown_artifact(
        key="weekly-summary",
        markdown=summary.text,
        description=summary_description(as_of),
    )
    return {"as_of": as_of.isoformat(), "recipient": recipient, "sent": message_id is not None,
            "message_id": message_id, "subject": summary.subject}
