"""The engine's states and kinds, each defined once: what the tables' string columns may hold."""

from __future__ import annotations

from enum import StrEnum


class NoticeState(StrEnum):
    """An outbox row's life (transitions: `persistence/outbox.py`)."""

    COLLECTING = "collecting"  # a digest still gathering the day's rungs
    PENDING = "pending"  # sealed, waiting to be sent (or retried after a deferral)
    SENDING = "sending"  # claimed by a sender (until its lease runs out)
    SENT = "sent"
    FAILED = "failed"


class LedgerState(StrEnum):
    QUEUED = "queued"  # became a line of someone's digest
    SKIPPED = "skipped"  # passed over by a more advanced rung of the same track
    UNADDRESSED = "unaddressed"  # nobody with an address to receive it


class DeliveryState(StrEnum):
    """What became of a notice a run tried to deliver (its latest attempt in that run)."""

    SENT = "sent"
    DEFERRED = "deferred"  # a transient refusal: retried later
    FAILED = "failed"


class ItemKind(StrEnum):
    TASK = "task"  # a plan's task
    REMEDIATION = "remediation"  # an inspection finding's remediation
    PERIODIC = "periodic"  # one period's occurrence of a recurring task or report obligation


class SourceKind(StrEnum):
    """Where an item comes from, as a digest names it."""

    PLAN = "plan"  # a plan's task, or one period of a recurring one
    INSPECTION = "inspection"  # a remediation item of an inspection's conclusion
    OBLIGATION = "obligation"  # one unit's period of a report obligation of the policy


class InspectionMode(StrEnum):
    """How an inspection plan's target is inspected."""

    DIRECT = "direct"  # trực tiếp: a team visits
    BY_REPORT = "by_report"  # qua báo cáo: the unit's report is reviewed


class TargetState(StrEnum):
    """An inspection target's life (`domain/inspections.py`): planned → inspected → concluded;
    a target dropped from the plan keeps its row."""

    PLANNED = "planned"
    INSPECTED = "inspected"  # visited, or its report received and reviewed
    CONCLUDED = "concluded"  # its conclusion issued, with or without findings
    DROPPED = "dropped"


class TargetTrack(StrEnum):
    """The ladder for inspections (`domain/inspection_ladder.py`): what a target is reminded of,
    each keyed in its ledger by the day it counts from."""

    SELF_REPORT = "self_report"  # a direct target: its self-assessment report before the visit
    REPORT = "report"  # a by-report target: its report, until it is received
    WINDOW_PASSED = "window_passed"  # the secretariat: the window closed, nothing recorded
    CONCLUSION_LATE = "conclusion_late"  # the secretariat: inspected, not concluded in time


class RecipientRole(StrEnum):
    RESPONSIBLE = "responsible"  # the unit's own head: its items
    SUPERVISOR = "supervisor"  # an ancestor's head: a subordinate unit's overdue items
    SECRETARIAT = "secretariat"  # the secretariat's alert: items just escalated, any unit


class DeadlineKind(StrEnum):
    FIXED = "fixed"  # one due date ("dated" where users read it: `cchc items`)
    CONTINUOUS = "continuous"  # thường xuyên: no due date, never overdue
    RECURRING = "recurring"  # hằng tháng / hằng quý / hằng năm: one due date per period
    UNDETERMINED = "undetermined"  # chưa xác định thời hạn: no calendar date named


class UnitKind(StrEnum):
    """What a unit is in the administration (`domain/unit_kinds.py` reads it): the counts by
    kind are what a secretariat's sentences about its inspections are made of."""

    PROVINCE = "province"  # tỉnh (UBND tỉnh)
    DEPARTMENT = "department"  # sở, and the province's agencies of its rank (Văn phòng UBND tỉnh)
    BOARD = "board"  # ban of the province (Ban Dân tộc, Ban Quản lý các khu công nghiệp)
    DISTRICT = "district"  # huyện, thành phố or thị xã (the district level)
    OFFICE = "office"  # a district's phòng, ban, Thanh tra, Văn phòng HĐND và UBND
    COMMUNE = "commune"  # xã
    WARD = "ward"  # phường
    TOWNSHIP = "township"  # thị trấn
    OTHER = "other"  # khác: anything else, or a name that says nothing


class UnitKindSource(StrEnum):
    """Where an import took a unit's kind from, as its summary says it."""

    COLUMN = "column"  # the units file's Loại column
    NAME = "name"  # read from the unit's name ("UBND xã …")
    UNREAD = "unread"  # the name says nothing: khác
    KEPT = "kept"  # a file without the column leaves a known unit's kind alone


class SubmissionKind(StrEnum):
    """What a unit sends back through its page (`domain/responses.py`)."""

    COMPLETION = "completion"  # báo cáo hoàn thành
    EXTENSION = "extension"  # đề nghị gia hạn
    PROGRESS = "progress"  # báo cáo tiến độ
    ACKNOWLEDGEMENT = "ack"  # đã nhận


class SubmissionState(StrEnum):
    """A submission's life: a completion report or an extension request waits for the
    secretariat's decision; a progress note and an acknowledgement are recorded as they come."""

    PENDING = "pending"  # chờ xét
    CONFIRMED = "confirmed"  # hoàn thành được xác nhận (remediation: đạt)
    RETURNED = "returned"  # trả lại (remediation: chưa đạt)
    APPROVED = "approved"  # gia hạn được chấp thuận
    REFUSED = "refused"  # gia hạn không được chấp thuận
    RECORDED = "recorded"  # tiến độ, đã nhận: nothing to decide


class ReportStanding(StrEnum):
    """Where one unit's report for one period stands on a day (`domain/occurrences.py`); each
    names the list of `PeriodicRow` that holds the unit."""

    ON_TIME = "on_time"
    LATE = "late"  # received, so many working days after its due date
    MISSING = "missing"  # a working day past its due date, not received
    PENDING = "pending"  # not yet due, not yet received
