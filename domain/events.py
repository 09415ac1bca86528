"""What can happen to the plan, as typed values: written to the `event` table in the same
transaction as the change, read back by history, `explain` and publishing, and published to
Prefect's event stream after it commits."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import MISSING, dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from types import UnionType
from typing import Any, ClassVar, get_args, get_origin, get_type_hints

from domain.models import utcnow
from domain.states import InspectionMode


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
    TARGET_REMINDED = "inspection.reminded"  # a rung of the ladder for inspections reached
    LINK_REQUESTED = "link.requested"  # a fresh page link e-mailed to an address
    LINKS_REVOKED = "link.revoked"  # every link of an address issued before now refused
    USER_ADDED = "user.added"  # a secretariat login created or its password changed
    USER_DISABLED = "user.disabled"  # a secretariat login that logs in no more


# The Prefect flow run recording events, set by the flows so history can say which run did what.
current_flow_run: ContextVar[str | None] = ContextVar("current_flow_run", default=None)

# What every event row has as columns rather than in its data.
_COLUMNS = ("item_id", "notice_id", "check_date")


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Something that happened, as a value: a decision returns it, persistence stores it (its
    fields, in declaration order, are the row's JSON data), and history, `explain` and
    publishing read it back with `parse`. One subclass per `EventName`."""

    name: ClassVar[EventName]
    item_id: int | None = None
    notice_id: int | None = None
    check_date: date | None = None

    def data(self) -> dict[str, Any]:
        return {f.name: _stored(getattr(self, f.name)) for f in fields(self)
                if f.name not in _COLUMNS}

    def row(self) -> dict[str, Any]:
        """The event as a row of the `event` table, for bulk inserts (the check writes
        thousands per batch)."""
        return {
            "occurred_at": utcnow(),
            "name": self.name.value,
            "item_id": self.item_id,
            "notice_id": self.notice_id,
            "check_date": self.check_date,
            "flow_run_id": current_flow_run.get(),
            "data": self.data(),
            "published": False,
        }


def _stored(value: Any) -> Any:
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return [_stored(v) for v in value]
    return value


@dataclass(frozen=True, kw_only=True)
class _ByWhom(DomainEvent):
    """Done by a person (a login, a unit's page, the command line), from where."""

    by: str | None = None
    ip: str | None = None


# -- the plan's items ------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ItemCreated(DomainEvent):
    name = EventName.ITEM_CREATED
    code: str
    unit: str | None
    due: date | None
    deadline: str | None
    period: str | None = None
    occurrence_of: str | None = None


@dataclass(frozen=True, kw_only=True)
class ItemUpdated(DomainEvent):
    name = EventName.ITEM_UPDATED
    code: str
    changes: dict[str, Any]  # field → [before, after], as stored


@dataclass(frozen=True, kw_only=True)
class ItemCompleted(_ByWhom):
    name = EventName.ITEM_COMPLETED
    on: date | None
    evidence: str | None = None
    due: date | None = None
    on_time: bool | None = None
    source: str | None = None  # "command", "web" (a unit's report confirmed), "import"


@dataclass(frozen=True, kw_only=True)
class ItemExtended(_ByWhom):
    name = EventName.ITEM_EXTENDED
    previous_due: date | None
    new_due: date
    original_due: date | None
    reason: str
    approved_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class DeadlineSet(_ByWhom):
    name = EventName.DEADLINE_SET
    due: date | None = None
    rule: str | None = None  # a recurring rule given instead of a date, as read back
    deadline: str | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ItemReopened(_ByWhom):
    name = EventName.ITEM_REOPENED
    completed_on: date | None
    evidence: str | None
    reason: str


@dataclass(frozen=True, kw_only=True)
class CompletionCorrected(_ByWhom):
    name = EventName.COMPLETION_CORRECTED
    previous: date | None
    on: date | None
    on_time: bool | None
    reason: str


@dataclass(frozen=True, kw_only=True)
class ReopenedAfterEvaluation(_ByWhom):
    name = EventName.REOPENED_AFTER_EVALUATION
    previous_due: date | None
    new_due: date | None
    missed_due: date | None
    comment: str | None


# -- the check and the outbox -----------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class RungReached(DomainEvent):
    name = EventName.RUNG_REACHED
    code: str
    rung: str
    track: str
    kind: str
    level: int
    unit: str
    due: date | None
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class NoticeQueued(DomainEvent):
    name = EventName.NOTICE_QUEUED
    to: str | None
    unit: str | None = None
    cc: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class NoticeSent(DomainEvent):
    name = EventName.NOTICE_SENT
    to: str | None
    cc: tuple[str, ...] | None
    message_id: str | None
    attempts: int | None


@dataclass(frozen=True, kw_only=True)
class NoticeDeferred(DomainEvent):
    name = EventName.NOTICE_DEFERRED
    to: str | None
    reply: str | None
    attempts: int | None
    next_attempt_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class NoticeFailed(DomainEvent):
    name = EventName.NOTICE_FAILED
    to: str | None
    reply: str | None
    attempts: int | None


@dataclass(frozen=True, kw_only=True)
class Imported(DomainEvent):
    name = EventName.IMPORTED
    file: str | None
    what: str
    plan: str | None = None
    undetermined: int | None = None
    created: int | None = None
    updated: int | None = None
    unchanged: int | None = None
    reading: tuple[str, ...] | None = None
    unit_kinds: dict[str, int] | None = None  # a units file: how many units of each kind


@dataclass(frozen=True, kw_only=True)
class SummarySent(DomainEvent):
    name = EventName.SUMMARY_SENT
    recipient: str
    message_id: str | None


@dataclass(frozen=True, kw_only=True)
class RunFinished(DomainEvent):
    name = EventName.RUN_FINISHED
    flow: str
    run: str
    state: str
    started: datetime | None
    ended: datetime | None
    emails_sent: int = 0
    emails_failed: int = 0
    emails_deferred: int = 0
    rungs: dict[str, int] = field(default_factory=dict)


# -- what units send through their pages, and the secretariat's decisions ----------------------

@dataclass(frozen=True, kw_only=True)
class _Submitted(_ByWhom):
    submission: int | None = None
    completed_on: date | None = None
    doc_number: str | None = None
    doc_date: date | None = None
    proposed_due: date | None = None
    note: str | None = None
    attachment: str | None = None


@dataclass(frozen=True, kw_only=True)
class ItemReported(_Submitted):
    name = EventName.ITEM_REPORTED


@dataclass(frozen=True, kw_only=True)
class ExtensionRequested(_Submitted):
    name = EventName.EXTENSION_REQUESTED


@dataclass(frozen=True, kw_only=True)
class ProgressReported(_Submitted):
    name = EventName.PROGRESS_REPORTED


@dataclass(frozen=True, kw_only=True)
class ItemAcknowledged(_Submitted):
    name = EventName.ITEM_ACKNOWLEDGED


@dataclass(frozen=True, kw_only=True)
class _Decided(_ByWhom):
    submission: int | None = None
    comment: str | None = None
    new_due: date | None = None
    reported_by: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReportConfirmed(_Decided):
    name = EventName.REPORT_CONFIRMED


@dataclass(frozen=True, kw_only=True)
class ReportReturned(_Decided):
    name = EventName.REPORT_RETURNED


@dataclass(frozen=True, kw_only=True)
class ExtensionApproved(_Decided):
    name = EventName.EXTENSION_APPROVED


@dataclass(frozen=True, kw_only=True)
class ExtensionRefused(_Decided):
    name = EventName.EXTENSION_REFUSED


# -- links and logins ------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class LinkRequested(DomainEvent):
    name = EventName.LINK_REQUESTED
    to: str
    ip: str | None


@dataclass(frozen=True, kw_only=True)
class LinksRevoked(DomainEvent):
    name = EventName.LINKS_REVOKED
    recipient: str
    by: str | None


@dataclass(frozen=True, kw_only=True)
class UserAdded(DomainEvent):
    name = EventName.USER_ADDED
    user: str
    new: bool


@dataclass(frozen=True, kw_only=True)
class UserDisabled(DomainEvent):
    name = EventName.USER_DISABLED
    user: str


# -- an inspection plan's targets (`domain/inspections.py`) -----------------------------------

@dataclass(frozen=True, kw_only=True)
class InspectionDone(_ByWhom):
    """Visited (trực tiếp), or the report received and reviewed (qua báo cáo)."""

    name = EventName.INSPECTION_DONE
    plan: str
    unit: str
    mode: InspectionMode
    inspected_from: date
    inspected_to: date
    # Whether it ended by the window's last day (None: the window names no date).
    within_window: bool | None
    # The dates it replaces, when a visit recorded before its conclusion is recorded again.
    previous_from: date | None = None
    previous_to: date | None = None


@dataclass(frozen=True, kw_only=True)
class InspectionConcluded(_ByWhom):
    name = EventName.INSPECTION_CONCLUDED
    plan: str
    unit: str
    doc: str  # the conclusion's document: "Thông báo số 12/TB-SNV"
    on: date
    has_findings: bool
    findings: int | None = None  # the rows of its findings file


@dataclass(frozen=True, kw_only=True)
class TargetAdded(_ByWhom):
    name = EventName.TARGET_ADDED
    plan: str
    unit: str
    mode: InspectionMode
    window: str | None
    reason: str


@dataclass(frozen=True, kw_only=True)
class TargetDropped(_ByWhom):
    name = EventName.TARGET_DROPPED
    plan: str
    unit: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class TargetReminded(DomainEvent):
    """A check reached a rung of the ladder for inspections (`domain/inspection_ladder.py`)."""

    name = EventName.TARGET_REMINDED
    plan: str
    unit: str
    track: str  # TargetTrack
    rung: str
    due: date  # what the rung counts from
    to: str | None  # the unit's head; None for the secretariat's alert, or nobody's address
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class InspectionPlanImported(Imported):
    """An inspection plan's file imported, with its targets by mode: read back as `Imported`."""

    what: str = "inspections"
    direct: int = 0
    by_report: int = 0


EVENT_TYPES: dict[EventName, type[DomainEvent]] = {
    kind.name: kind for kind in (
        ItemCreated, ItemUpdated, ItemCompleted, ItemExtended, DeadlineSet, ItemReopened,
        CompletionCorrected, ReopenedAfterEvaluation, RungReached, NoticeQueued, NoticeSent,
        NoticeDeferred, NoticeFailed, Imported, SummarySent, RunFinished, ItemReported,
        ExtensionRequested, ProgressReported, ItemAcknowledged, ReportConfirmed, ReportReturned,
        ExtensionApproved, ExtensionRefused, LinkRequested, LinksRevoked, UserAdded,
        UserDisabled, InspectionDone, InspectionConcluded, TargetAdded, TargetDropped,
        TargetReminded,
    )
}


def parse(name: str, data: dict[str, Any], *, item_id: int | None = None,
          notice_id: int | None = None, check_date: date | None = None) -> DomainEvent:
    """A stored event as its value. Keys a row holds that its kind no longer declares are left
    out; fields an older row lacks take their defaults (None when they have none)."""
    kind = EVENT_TYPES[EventName(name)]
    values = {}
    for field_name, load, required in _reading(kind):
        if field_name in data:
            value = data[field_name]
            values[field_name] = None if value is None else load(value)
        elif required:
            values[field_name] = None
    return kind(item_id=item_id, notice_id=notice_id, check_date=check_date, **values)


# How each field of a kind is read from its stored form, worked out once per kind: history,
# run history and publishing read every event of a check (tens of thousands at country scale).
@cache
def _reading(kind: type[DomainEvent]) -> tuple[tuple[str, Callable[[Any], Any], bool], ...]:
    hints = get_type_hints(kind)
    return tuple((f.name, _loader(hints[f.name]),
                  f.default is MISSING and f.default_factory is MISSING)
                 for f in fields(kind) if f.name not in _COLUMNS)


def _loader(hint: Any) -> Callable[[Any], Any]:
    kinds = get_args(hint) if isinstance(hint, UnionType) else (hint,)
    if datetime in kinds:
        return datetime.fromisoformat
    if date in kinds:
        return date.fromisoformat
    if any(get_origin(k) is tuple for k in kinds):
        return lambda value: tuple(value) if isinstance(value, list) else value
    return lambda value: value
