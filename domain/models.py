"""The tables: units, plans, inspection plans and their targets, inspections, tracked items,
extensions, the ladders' ledgers, the notification outbox and the append-only event history."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from domain.states import NoticeState, UnitKind

# The scope of remediation items' codes (a plan's tasks are scoped by the plan's code).
FINDINGS_SCOPE = "KT"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _timestamp(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=DateTime(timezone=True), **kwargs)


class Unit(SQLModel, table=True):
    """Đơn vị: a node of the tree that escalation climbs."""

    code: str = Field(primary_key=True, max_length=40)
    name: str
    parent_code: str | None = Field(default=None, foreign_key="unit.code", max_length=40)
    head_title: str | None = None
    head_email: str | None = None
    focal_email: str | None = None  # đầu mối CCHC
    active: bool = True
    # A dissolved unit's open items follow its successor (2025 reorganisation).
    successor_code: str | None = Field(default=None, foreign_key="unit.code", max_length=40)
    # Tên khác: other names plans write for it ("Sở GTVT"), ";"-separated as in the units file.
    other_names: str | None = None
    # UnitKind: the Loại column, or what the name says ("UBND xã …"); a row written without it
    # (a bulk load) is khác.
    kind: str = Field(default=UnitKind.OTHER, max_length=12,
                      sa_column_kwargs={"server_default": UnitKind.OTHER.value})

    __table_args__ = (
        # A page reads only its units' part of the tree (`persistence.ledger.units_around`):
        # the units below them, and the dissolved ones with their successors.
        Index("ix_unit_parent", "parent_code"),
        Index("ix_unit_dissolved", "active", "code", "successor_code"),
    )


class UnitGroup(SQLModel, table=True):
    """Nhóm đơn vị ("UBND các xã, phường"): a task given to it fans out to its members."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    aliases: str | None = None  # ";"-separated


class UnitGroupMember(SQLModel, table=True):
    group_id: int = Field(foreign_key="unitgroup.id", primary_key=True)
    unit_code: str = Field(foreign_key="unit.code", primary_key=True, max_length=40)


class Plan(SQLModel, table=True):
    """Kế hoạch CCHC, e.g. the city's 2021 plan issued by Decision 32/QĐ-UBND."""

    code: str = Field(primary_key=True, max_length=40)
    year: int
    title: str
    decision_number: str | None = None
    decision_date: date | None = None
    owner_unit_code: str | None = Field(default=None, foreign_key="unit.code", max_length=40)


class TaskGroup(SQLModel, table=True):
    """Nhiệm vụ chính: a Roman-numbered group of the plan."""

    __table_args__ = (UniqueConstraint("plan_code", "numeral"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_code: str = Field(foreign_key="plan.code", max_length=40)
    numeral: str = Field(max_length=10)
    title: str
    position: int


class Inspection(SQLModel, table=True):
    """Đợt kiểm tra, with the date its conclusion was issued."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    concluded_on: date
    # The authority that issued the conclusion (cơ quan kết luận), when the file names it.
    concluded_by_unit_code: str | None = Field(default=None, foreign_key="unit.code",
                                               max_length=40)


class InspectionPlan(SQLModel, table=True):
    """Kế hoạch kiểm tra công tác CCHC: the year's inspections, approved by a decision."""

    code: str = Field(primary_key=True, max_length=40)
    title: str
    year: int
    decision_number: str | None = None  # số quyết định phê duyệt
    decision_date: date | None = None
    issuing_unit_code: str | None = Field(default=None, foreign_key="unit.code", max_length=40)
    # The secretariat's organisation that keeps the plan (its issuing unit unless told).
    owner_unit_code: str | None = Field(default=None, foreign_key="unit.code", max_length=40)
    inspecting_body: str | None = None  # đơn vị chủ trì / thành phần đoàn, as written
    topics: str | None = None  # nội dung kiểm tra
    created_at: datetime = _timestamp()


class InspectionTarget(SQLModel, table=True):
    """Đơn vị được kiểm tra: one unit of an inspection plan, visited (trực tiếp) or inspected
    through its report (qua báo cáo), then concluded (`domain/inspections.py` decides)."""

    __table_args__ = (
        UniqueConstraint("plan_code", "unit_code"),
        Index("ix_target_unit", "unit_code"),
        Index("ix_target_inspection", "inspection_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    plan_code: str = Field(foreign_key="inspectionplan.code", max_length=40)
    unit_code: str = Field(foreign_key="unit.code", max_length=40)
    position: int = 0  # the row's order in the plan
    mode: str = Field(max_length=12)  # InspectionMode
    # The window as written ("Quý III", "Từ 23 đến 25/9/2019"), read by the deadline grammar:
    # the period's first day when it names one, and its due date.
    window_text: str | None = None
    window_opens: date | None = None
    window_closes: date | None = None
    topics: str | None = None
    inspecting_body: str | None = None
    state: str = Field(max_length=12)  # TargetState
    # The visit's first and last day; for a by-report target, the day the report was reviewed.
    inspected_from: date | None = None
    inspected_to: date | None = None
    # The conclusion (its document, date and issuing unit); its findings, if any, belong to it.
    inspection_id: int | None = Field(default=None, foreign_key="inspection.id")
    has_findings: bool | None = None
    # A target added to, or dropped from, the plan after its approval, and why.
    added_on: date | None = None
    added_reason: str | None = None
    dropped_on: date | None = None
    dropped_reason: str | None = None
    updated_at: datetime = _timestamp()


class Finding(SQLModel, table=True):
    """Tồn tại, hạn chế: what an inspection found, remediated by a tracked item."""

    code: str = Field(primary_key=True, max_length=40)
    inspection_id: int = Field(foreign_key="inspection.id")
    description: str


class TrackedItem(SQLModel, table=True):
    """A plan task (nhiệm vụ cụ thể) or a remediation item (nhiệm vụ khắc phục)."""

    __table_args__ = (
        UniqueConstraint("scope", "code"),
        # The sweep reads open items with a due date in unit order.
        Index("ix_item_sweep", "completed_on", "unit_code", "id"),
        # A check reads only the items due before the ladder's horizon, whatever the table's
        # size, and finds the few recurring tasks and occurrences without a scan.
        Index("ix_item_due", "due_date"),
        # (The recurring tasks' index names the columns their query tests for equality: SQLite
        # then prefers it to ix_item_sweep, whose completed_on IS NULL matches every open item.)
        Index("ix_item_recurring", "completed_on", "occurrence_of",
              sqlite_where=text("deadline_kind = 'recurring'"),
              postgresql_where=text("deadline_kind = 'recurring'")),
        Index("ix_item_occurrences", "scope", "code",
              sqlite_where=text("occurrence_of IS NOT NULL"),
              postgresql_where=text("occurrence_of IS NOT NULL")),
        # The review queue lists the few items whose deadline names no date, in plan order.
        Index("ix_item_undetermined", "scope", "position",
              sqlite_where=text("deadline_kind = 'undetermined'"),
              postgresql_where=text("deadline_kind = 'undetermined'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12)  # "task" | "remediation"
    # Codes are unique within a plan ("3.2") or within the findings register ("KT19-05").
    scope: str = Field(max_length=40)
    code: str = Field(max_length=40)
    plan_code: str | None = Field(default=None, foreign_key="plan.code", max_length=40)
    group_id: int | None = Field(default=None, foreign_key="taskgroup.id")
    finding_code: str | None = Field(default=None, foreign_key="finding.code", max_length=40)
    position: int = 0
    # A task given to a unit group is tracked once per member unit: the items share the plan's
    # task number ("3.5") and the group's name, and each has its own code ("3.5/X-CX").
    task_code: str | None = Field(default=None, max_length=40)
    lead_group: str | None = None
    # One period's occurrence of a recurring task or of a report obligation (báo cáo định kỳ):
    # the period ("Q2/2021") and the recurring task's or the obligation's code ("1.6", "BCQ").
    period: str | None = Field(default=None, max_length=12)
    occurrence_of: str | None = Field(default=None, max_length=40)
    content: str
    unit_code: str = Field(foreign_key="unit.code", max_length=40)
    cooperating: str | None = None  # the partner cell as written
    # The units that cell names (cơ quan phối hợp): informed, never reminded.
    partner_codes: list[str] | None = Field(default=None, sa_column=Column(JSON))
    product: str | None = None
    deadline_text: str
    deadline_kind: str = Field(max_length=12)  # DeadlineKind
    # A recurring deadline's rule (domain.deadlines.Recurrence.as_dict): its periods and day.
    deadline_rule: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    due_date: date | None = None  # the date in force, after extensions
    original_due_date: date | None = None
    opens_on: date | None = None
    completed_on: date | None = None
    evidence: str | None = None
    # The day an evaluation first found the remediation not done (chưa đạt) and reopened it
    # under a new due date, and the due date then in force: it still measures its lateness.
    reopened_on: date | None = None
    due_when_reopened: date | None = None
    updated_at: datetime = _timestamp()

    @property
    def extended(self) -> bool:
        return self.due_date != self.original_due_date


class Extension(SQLModel, table=True):
    """Gia hạn: a deadline moved, with why and on whose approval."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="trackeditem.id", index=True)
    previous_due: date | None
    new_due: date
    reason: str
    approved_by: str | None = None
    recorded_at: datetime = _timestamp()


class LadderEntry(SQLModel, table=True):
    """The ledger: one row per rung decided for an item and due date, queued or skipped."""

    __table_args__ = (UniqueConstraint("item_id", "track", "rung", "due_date"),)
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="trackeditem.id")
    track: str = Field(max_length=12)
    rung: str = Field(max_length=8)
    due_date: date
    check_date: date
    state: str = Field(max_length=12)  # "queued" | "skipped" | "unaddressed"
    reason: str | None = None
    created_at: datetime = _timestamp()


class TargetLadderEntry(SQLModel, table=True):
    """The ledger of the ladder for inspections: one row per rung decided for an inspection
    target, track (`TargetTrack`) and the day it counts from, queued, skipped or unaddressed;
    `notice_id` is the digest (or the secretariat's alert) that carries it. A table of its own
    beside `LadderEntry`, whose rows are an item's: a target is no item."""

    __table_args__ = (
        UniqueConstraint("target_id", "track", "rung", "due_date"),
        Index("ix_targetladder_notice", "notice_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="inspectiontarget.id")
    track: str = Field(max_length=16)  # TargetTrack
    rung: str = Field(max_length=8)
    # What the rung counts from: the report's due day, the window's last day, the visit's.
    due_date: date
    check_date: date
    state: str = Field(max_length=12)  # LedgerState
    reason: str | None = None
    role: str = Field(max_length=12)  # RecipientRole: the unit's head, or the secretariat
    notice_id: int | None = Field(default=None, foreign_key="notice.id")
    created_at: datetime = _timestamp()


class Notice(SQLModel, table=True):
    """The outbox: one e-mail (a digest) per recipient per check. Nothing is sent unless it is
    here first; `key` makes a rerun of the same check add nothing."""

    __table_args__ = (
        Index("ix_notice_state", "state", "next_attempt_at"),
        Index("ix_notice_day_recipient", "check_date", "recipient"),
        # The digests being collected, in order, for sealing a batch at a time: a partial
        # index, empty between checks (ix_notice_state made each batch sort all of them).
        Index("ix_notice_collecting", "partition", "id",
              sqlite_where=text("state = 'collecting'"),
              postgresql_where=text("state = 'collecting'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, max_length=300)
    check_date: date
    recipient: str
    recipient_unit_code: str | None = Field(default=None, max_length=40)
    # The unit subtree whose check collected it ("" for a check of the whole database).
    partition: str = Field(default="", max_length=40)
    cc: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    subject: str | None = None
    text_body: str | None = None
    html_body: str | None = None
    # collecting → pending → sending → sent | failed; pending again after a transient failure.
    state: str = Field(default=NoticeState.COLLECTING, max_length=12)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    claimed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    claim_token: str | None = Field(default=None, max_length=40)
    message_id: str | None = None
    last_error: str | None = None
    sent_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = _timestamp()


class NoticeEntry(SQLModel, table=True):
    """Which ledger rungs a notice carries, and in what role the recipient gets them."""

    __table_args__ = (UniqueConstraint("notice_id", "ledger_id"),)
    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="notice.id", index=True)
    ledger_id: int = Field(foreign_key="ladderentry.id", index=True)
    # "responsible": the unit's own head; "supervisor": an escalation to an ancestor's head.
    role: str = Field(max_length=12)


class Event(SQLModel, table=True):
    """Append-only history. Written in the same transaction as the change it records."""

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = _timestamp(index=True)
    name: str = Field(max_length=40)
    item_id: int | None = Field(default=None, foreign_key="trackeditem.id", index=True)
    notice_id: int | None = Field(default=None, foreign_key="notice.id", index=True)
    check_date: date | None = None
    flow_run_id: str | None = Field(default=None, max_length=40)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Set once the event has been handed to Prefect's event stream.
    published: bool = False


class Submission(SQLModel, table=True):
    """What a unit sent back through its page (SubmissionKind), and the secretariat's decision.
    `dedup_key` makes the same submission sent twice one row: a completion report or an
    extension request holds its item's key while it waits (one at a time per item), an
    acknowledgement per recipient and due date, a progress note per text."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="trackeditem.id", index=True)
    kind: str = Field(max_length=12)  # SubmissionKind
    state: str = Field(max_length=12)  # SubmissionState
    dedup_key: str | None = Field(default=None, unique=True, max_length=120)
    submitted_by: str  # the address the page's link names
    submitted_at: datetime = _timestamp()
    submitted_on: date  # the day it was sent, in the engine's time zone (what letters say)
    client_ip: str | None = Field(default=None, max_length=64)
    completed_on: date | None = None
    doc_number: str | None = None
    doc_date: date | None = None
    proposed_due: date | None = None
    note: str | None = None
    # The attachment: its name as uploaded, its stored (generated) name, type and size.
    attachment_name: str | None = None
    attachment_file: str | None = Field(default=None, max_length=80)
    attachment_type: str | None = Field(default=None, max_length=80)
    attachment_size: int | None = None
    # Whether this report pauses the item's reminders while it waits (policy at submission).
    pauses_ladder: bool = False
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    decision_note: str | None = None
    decided_due: date | None = None  # an approved extension's date, a chưa đạt's new deadline


class WebUser(SQLModel, table=True):
    """A secretariat login (`cchc user add`): the name and an argon2 hash of the password;
    a disabled one (`cchc user disable`) logs in no more."""

    name: str = Field(primary_key=True, max_length=60)
    password_hash: str
    created_at: datetime = _timestamp()
    disabled_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class WebSession(SQLModel, table=True):
    """A login's session, as long as this row lives: logging out, a new password or disabling
    the user deletes it, and its cookie opens nothing after. Only a hash of the cookie's
    session id is kept, so this table opens no session by itself."""

    id_hash: str = Field(primary_key=True, max_length=64)
    user: str = Field(foreign_key="webuser.name", index=True, max_length=60)
    started_at: datetime = _timestamp()


class LinkRevocation(SQLModel, table=True):
    """Links of `recipient` issued before `revoked_before` are refused (`cchc link revoke`)."""

    recipient: str = Field(primary_key=True, max_length=254)
    revoked_before: datetime = Field(sa_type=DateTime(timezone=True))


class RateLimit(SQLModel, table=True):
    """Attempts counted per key ("login:NAME", "login-ip:IP", "link:EMAIL") in a window."""

    key: str = Field(primary_key=True, max_length=300)
    window_start: datetime = Field(sa_type=DateTime(timezone=True))
    count: int = 0
