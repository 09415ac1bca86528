"""What `cchc explain` answers, as facts: an item's status and extensions on a day, per track
the rungs the ledger recorded (sent, skipped, pending, unaddressed) with the notices that
carried them, the rung reached but not yet recorded, the next rung, and the chain of heads an
escalation climbs; an inspection target's mode, window, state, dates, conclusion and the
remediation its findings brought. The reads fill these in; `notifications/explain.py` words
them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.ladder import Rung, Track
from domain.policy import Policy
from domain.recipients import (
    Delivery,
    UnitInfo,
    UnitTree,
    no_escalation_reason,
    supervisor_for,
)
from domain.states import (
    InspectionMode,
    LedgerState,
    NoticeState,
    SubmissionKind,
    SubmissionState,
    TargetState,
)
from domain.status import Status
from domain.tallies import ItemLine


@dataclass(frozen=True)
class ExtensionFact:
    previous_due: date | None
    new_due: date | None
    reason: str
    approved_by: str | None


@dataclass(frozen=True)
class NoticeFact:
    """One outbox row that carried a rung, as it stands."""

    state: NoticeState
    recipient: str
    cc: tuple[str, ...]
    sent_at: datetime | None
    message_id: str | None
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None


@dataclass(frozen=True)
class RecordedRung:
    """A ledger row of the item: the rung, what the check did with it, the notices it rode in."""

    rung: str
    state: LedgerState
    check_date: date
    reason: str | None
    notices: tuple[NoticeFact, ...] = ()


@dataclass(frozen=True)
class UnrecordedRung:
    """The rung reached on the day that no check recorded yet: where the next check sends it,
    or why it goes nowhere (`why_not` from the chain of command; neither: no address)."""

    rung: str
    delivery: Delivery | None
    why_not: str | None


@dataclass(frozen=True)
class EscalationLevel:
    level: int
    days: int  # working days overdue when it is reached
    head: UnitInfo | None  # None: no head of the chain has an address
    again: bool  # the same head as the level before (đôn đốc lần 2)


@dataclass(frozen=True)
class ChainOfCommand:
    """Who each escalation level goes to: the levels up to the ceiling, or why none."""

    why_not: str | None
    ceiling: UnitInfo | None = None
    ceiling_assigned: bool = False  # the ceiling is the unit that assigned the item
    levels: tuple[EscalationLevel, ...] = ()

    @property
    def copies_passed_levels(self) -> bool:
        """A catch-up past a level copies that level's head: said when the heads differ."""
        return len({level.head.code for level in self.levels if level.head}) > 1


def chain_of_command(tree: UnitTree, unit_code: str, policy: Policy, *,
                     organisation: str | None, assigned_by: str | None) -> ChainOfCommand:
    why_not = no_escalation_reason(tree, unit_code, organisation=organisation,
                                   assigned_by=assigned_by)
    if why_not:
        return ChainOfCommand(why_not)
    unit = tree.responsible(unit_code)
    ceiling = tree.units[tree.ceiling(unit.code, organisation, assigned_by)]
    chain = tree.escalation_chain(unit.code, ceiling.code)
    count = len(policy.escalation_days)
    levels, previous = [], None
    for level, days in enumerate(policy.escalation_days, start=1):
        head = supervisor_for(chain, level, count)
        levels.append(EscalationLevel(level, days, head, head is not None and head == previous))
        previous = head or previous
    return ChainOfCommand(None, ceiling, ceiling.code == assigned_by, tuple(levels))


@dataclass(frozen=True)
class TrackFacts:
    track: Track
    recorded: tuple[RecordedRung, ...]
    unrecorded: UnrecordedRung | None
    reached_any: bool  # a rung of the track is reached on the day, or one was recorded
    upcoming: tuple[Rung, date] | None  # the next rung and the day it is reached


@dataclass(frozen=True)
class SubmissionFact:
    """What the unit sent back through its page that bears on the ladder."""

    kind: SubmissionKind
    state: SubmissionState
    submitted_at: datetime
    submitted_by: str
    completed_on: date | None
    doc_number: str | None
    proposed_due: date | None
    pauses_ladder: bool


@dataclass(frozen=True)
class Explanation:
    code: str
    content: str
    unit_code: str
    deadline_text: str
    due: date | None
    as_of: date
    status: Status
    extensions: tuple[ExtensionFact, ...]
    completed_on: date | None
    # Done: the notices that were sent about it, and nothing more. Open, dated: per track.
    sent: tuple[RecordedRung, ...] = ()
    day_off: bool = False  # `as_of` is not a working day
    holiday: str | None = None  # the public holiday `as_of` falls on, if any
    chain: ChainOfCommand | None = None
    tracks: tuple[TrackFacts, ...] = ()
    submissions: tuple[SubmissionFact, ...] = ()

    @property
    def paused(self) -> bool:
        """A report awaiting the secretariat's review holds the ladder of an open item."""
        return not self.status.is_done and any(
            s.state == SubmissionState.PENDING and s.pauses_ladder for s in self.submissions)


@dataclass(frozen=True)
class TargetFacts:
    """An inspection plan's target on a day (`cchc explain UNIT --plan CODE`, and what the
    recording commands say after they record)."""

    plan_code: str
    plan_title: str
    decision_number: str | None
    decision_date: date | None
    unit_code: str
    unit_name: str
    mode: InspectionMode
    state: TargetState
    window_text: str | None
    window_opens: date | None
    window_closes: date | None
    topics: str | None
    inspected_from: date | None
    inspected_to: date | None
    as_of: date
    doc: str | None = None  # the conclusion's document, its date and issuing unit
    concluded_on: date | None = None
    concluded_by: str | None = None
    has_findings: bool | None = None
    remediation: tuple[ItemLine, ...] = ()  # its conclusion's remediation items
    added_on: date | None = None
    added_reason: str | None = None
    dropped_on: date | None = None
    dropped_reason: str | None = None
