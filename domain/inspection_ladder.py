"""The ladder for inspections: which reminder an inspection plan's target gets on a day.

On the items' ladder (`domain/ladder.py`), its working days and its ledger's rule — per target
and track, only the most advanced rung reached and not yet recorded, the earlier ones skipped:
- a direct target's head is reminded of its self-assessment report (báo cáo tự kiểm tra), due
  the policy's `self_report_days` working days before the window opens, on the reminder rungs
  (R7, R3, R1, R0) before that day, and no more once it has passed or the visit is recorded;
- a by-report target's head is reminded of its report, due on the window's last day, on the
  whole unit track (R7 … R0, then O1, O4, …) until the report is recorded received;
- the secretariat is told once of a target whose window has closed with no inspection
  recorded (O1 from the window's last day), and once of an inspection still unconcluded
  `conclusion_days` working days after it (O<days> from its last day).
Each track's ledger key holds the day it counts from: a corrected window or visit re-arms it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.calendar import WorkingCalendar
from domain.events import TargetReminded
from domain.ladder import Rung, RungKind, Track, decide
from domain.models import utcnow
from domain.policy import InspectionReminders, Policy
from domain.recipients import Delivery, UnitTree, delivery_for
from domain.states import InspectionMode, LedgerState, RecipientRole, TargetState, TargetTrack

# The tracks that tell the secretariat rather than remind the target's unit.
SECRETARIAT_TRACKS = frozenset({TargetTrack.WINDOW_PASSED, TargetTrack.CONCLUSION_LATE})


@dataclass(frozen=True)
class OpenTarget:
    """A target still planned or inspected, as the ladder reads it."""

    id: int
    plan_code: str
    unit_code: str
    mode: InspectionMode
    state: TargetState
    window_opens: date | None
    window_closes: date | None
    inspected_to: date | None


@dataclass(frozen=True)
class TargetDecision:
    """What a check does for one target and track: send `send` (counted from `due`), record
    `skip` as skipped."""

    track: TargetTrack
    due: date
    send: Rung
    skip: tuple[Rung, ...] = ()


def self_report_due(opens: date, calendar: WorkingCalendar, days: int) -> date:
    """The day a direct target's self-assessment report is due: the working day `days` working
    days before its window opens, counted as the ladder counts them (5 before Monday 23/9/2019
    is Monday 16/9; before Thursday 15/02/2024, right after Tết, Thursday 01/02/2024)."""
    return calendar.working_day_with_remaining(opens, days)


def _tracks(target: OpenTarget, calendar: WorkingCalendar,
            rules: InspectionReminders) -> Iterator[tuple[TargetTrack, date]]:
    """The tracks a target is on, each with the day it counts from; none that the policy
    switches off, nor one whose day the target's window does not name."""
    if target.state is TargetState.PLANNED:
        if (target.mode is InspectionMode.DIRECT and rules.self_report_days
                and target.window_opens is not None):
            yield TargetTrack.SELF_REPORT, self_report_due(target.window_opens, calendar,
                                                           rules.self_report_days)
        if (target.mode is InspectionMode.BY_REPORT and rules.report_reminders
                and target.window_closes is not None):
            yield TargetTrack.REPORT, target.window_closes
        if rules.window_alerts and target.window_closes is not None:
            yield TargetTrack.WINDOW_PASSED, target.window_closes
    elif (target.state is TargetState.INSPECTED and rules.conclusion_days
          and target.inspected_to is not None):
        yield TargetTrack.CONCLUSION_LATE, target.inspected_to


def decide_target(
    target: OpenTarget,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
    recorded: Collection[tuple[TargetTrack, str, date]] = (),
) -> list[TargetDecision]:
    """The ladder's decisions for a target on `as_of`, given the (track, rung, day counted
    from) the ledger already holds for it. A non-working day decides nothing: the next working
    day catches up."""
    if not calendar.is_working_day(as_of):
        return []
    decisions = []
    for track, due in _tracks(target, calendar, policy.inspections):
        done = {name for t, name, day in recorded if t is track and day == due}
        decision = _decide(track, due, as_of, calendar, policy, done)
        if decision is not None:
            decisions.append(decision)
    return decisions


def _decide(track: TargetTrack, due: date, as_of: date, calendar: WorkingCalendar,
            policy: Policy, done: set[str]) -> TargetDecision | None:
    if track in SECRETARIAT_TRACKS:
        # Told once per day counted from, however long it stays so.
        days = 1 if track is TargetTrack.WINDOW_PASSED else policy.inspections.conclusion_days
        if done or calendar.overdue(due, as_of) < days:
            return None
        return TargetDecision(track, due, Rung(Track.UNIT, RungKind.OVERDUE, days))
    unit = [d for d in decide(due, as_of, calendar, policy, {(Track.UNIT, n) for n in done})
            if d.track is Track.UNIT]
    if not unit:
        return None
    # Whether a self-assessment report came in is not recorded before the visit: once its day
    # has passed, the unit is not pressed further.
    if track is TargetTrack.SELF_REPORT and unit[0].send.kind is RungKind.OVERDUE:
        return None
    return TargetDecision(track, due, unit[0].send, unit[0].skip)


@dataclass
class TargetPlan:
    """What a check writes for the targets: ledger rows (as the table's columns, without the
    notice that carries them), the rows that go to a head's digest (index in `rows`, where it
    goes), and the events. The secretariat's rows wait, queued, for its alert."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[tuple[int, Delivery]] = field(default_factory=list)
    events: list[TargetReminded] = field(default_factory=list)
    skipped: int = 0
    unaddressed: int = 0
    alerts: int = 0  # rows queued for the secretariat's alert


def plan_targets(
    targets: Sequence[OpenTarget],
    recorded: Mapping[int, Collection[tuple[TargetTrack, str, date]]],
    *,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
    tree: UnitTree,
) -> TargetPlan:
    """The ladder applied to each target, given what its ledger holds."""
    plan = TargetPlan()
    for target in targets:
        for decision in decide_target(target, as_of, calendar, policy,
                                      recorded.get(target.id, ())):
            _plan_decision(plan, target, decision, as_of, policy, tree)
    return plan


def _plan_decision(plan: TargetPlan, target: OpenTarget, decision: TargetDecision,
                   as_of: date, policy: Policy, tree: UnitTree) -> None:
    rung = decision.send

    def row(name: str, state: LedgerState, role: RecipientRole, reason: str | None) -> dict:
        return {"target_id": target.id, "track": decision.track.value, "rung": name,
                "due_date": decision.due, "check_date": as_of, "state": state, "role": role,
                "reason": reason, "created_at": utcnow()}

    role = (RecipientRole.SECRETARIAT if decision.track in SECRETARIAT_TRACKS
            else RecipientRole.RESPONSIBLE)
    plan.rows += [row(r.name, LedgerState.SKIPPED, role, f"đã có bậc mới hơn: {rung.name}")
                  for r in decision.skip]
    plan.skipped += len(decision.skip)
    to = None
    if role is RecipientRole.SECRETARIAT:
        addressed = policy.secretariat_email is not None
        plan.alerts += addressed
    else:
        target_of = delivery_for(tree, target.unit_code, rung, policy)
        addressed = target_of is not None
        if addressed:
            plan.deliveries.append((len(plan.rows), target_of))
            to = target_of.to
    if addressed:
        plan.rows.append(row(rung.name, LedgerState.QUEUED, role, None))
    else:
        plan.unaddressed += 1
        plan.rows.append(row(rung.name, LedgerState.UNADDRESSED, role,
                             "chính sách chưa có secretariat.email"
                             if role is RecipientRole.SECRETARIAT
                             else "không có địa chỉ e-mail người nhận"))
    plan.events.append(TargetReminded(
        check_date=as_of, plan=target.plan_code, unit=target.unit_code,
        track=decision.track.value, rung=rung.name, due=decision.due, to=to,
        skipped=tuple(r.name for r in decision.skip)))
