"""The vocabulary of what can happen to the plan, written to the `event` table in the same
transaction as the change, and published to Prefect's event stream after it commits."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date
from enum import StrEnum
from typing import Any

from domain.models import utcnow


class EventName(StrEnum):
    ITEM_CREATED = "item.created"
    ITEM_UPDATED = "item.updated"  # a re-import changed it
    ITEM_COMPLETED = "item.completed"
    ITEM_EXTENDED = "item.extended"
    DEADLINE_SET = "item.deadline_set"  # a date given to an undetermined deadline
    ITEM_REOPENED = "item.reopened"  # a completion recorded wrongly, undone
    COMPLETION_CORRECTED = "item.completion_corrected"  # a completion's date corrected
    # Chưa đạt: a remediation item reopened by its evaluation under a new due date.
    REOPENED_AFTER_EVALUATION = "item.reopened_after_evaluation"
    RUNG_REACHED = "item.rung_reached"
    NOTICE_QUEUED = "notice.queued"
    NOTICE_SENT = "notice.sent"
    NOTICE_DEFERRED = "notice.deferred"  # transient failure, retried later
    NOTICE_FAILED = "notice.failed"
    IMPORTED = "import.completed"
    SUMMARY_SENT = "summary.sent"  # the weekly report to the secretariat
    RUN_FINISHED = "run.finished"  # a flow run ended: its state and what it did (`cchc history`)
    # What a unit sends back through its page, and the secretariat's decisions on it.
    ITEM_REPORTED = "item.reported"  # báo cáo hoàn thành, awaiting review
    EXTENSION_REQUESTED = "item.extension_requested"
    PROGRESS_REPORTED = "item.progress_reported"
    ITEM_ACKNOWLEDGED = "item.acknowledged"
    REPORT_CONFIRMED = "item.report_confirmed"  # remediation: đạt
    REPORT_RETURNED = "item.report_returned"  # remediation: chưa đạt
    EXTENSION_APPROVED = "item.extension_approved"
    EXTENSION_REFUSED = "item.extension_refused"
    # An inspection plan's targets (`domain/inspections.py`): visited or report reviewed,
    # concluded, added to or dropped from the approved plan.
    INSPECTION_DONE = "inspection.done"
    INSPECTION_CONCLUDED = "inspection.concluded"
    TARGET_ADDED = "inspection.target_added"
    TARGET_DROPPED = "inspection.target_dropped"
    LINK_REQUESTED = "link.requested"  # a fresh page link e-mailed to an address
    LINKS_REVOKED = "link.revoked"  # every link of an address issued before now refused
    USER_ADDED = "user.added"  # a secretariat login created or its password changed
    USER_DISABLED = "user.disabled"  # a secretariat login that logs in no more


# The Prefect flow run recording events, set by the flows so history can say which run did what.
current_flow_run: ContextVar[str | None] = ContextVar("current_flow_run", default=None)


def event_row(
    name: EventName,
    *,
    item_id: int | None = None,
    notice_id: int | None = None,
    check_date: date | None = None,
    **data: Any,
) -> dict[str, Any]:
    """An event as a row, for bulk inserts (the check writes thousands per batch)."""
    return {
        "occurred_at": utcnow(),
        "name": name.value,
        "item_id": item_id,
        "notice_id": notice_id,
        "check_date": check_date,
        "flow_run_id": current_flow_run.get(),
        "data": data,
        "published": False,
    }
