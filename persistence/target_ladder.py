"""The ladder for inspections in a check: the open targets and what their ledger holds, read;
the rungs `domain/inspection_ladder.py` decides, written to their ledger, the heads' lines to
the check's digests (the same digest as their items) and the secretariat's left for its alert
(`persistence/alerts.py`), with their events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import insert, select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.inspection_ladder import OpenTarget, TargetPlan, plan_targets
from domain.models import Event, InspectionTarget, TargetLadderEntry
from domain.policy import Policy
from domain.recipients import UnitTree
from domain.states import InspectionMode, TargetState, TargetTrack
from persistence.db import one_of
from persistence.digest_lines import PlannedTarget
from persistence.ledger import BatchOutcome, CheckDigests, collecting_notices
from persistence.unit_of_work import mark_events_recorded


def open_targets(session: Session, units: Collection[str] | None = None) -> list[OpenTarget]:
    """The targets still planned or inspected (of `units`, when given): a country's plans of
    inspections hold thousands, read at once."""
    rows = session.execute(
        select(InspectionTarget.id, InspectionTarget.plan_code, InspectionTarget.unit_code,
               InspectionTarget.mode, InspectionTarget.state, InspectionTarget.window_opens,
               InspectionTarget.window_closes, InspectionTarget.inspected_to)
        .where(InspectionTarget.state.in_([TargetState.PLANNED, TargetState.INSPECTED]))
        .order_by(InspectionTarget.plan_code, InspectionTarget.position))
    return [OpenTarget(id, plan, unit, InspectionMode(mode), TargetState(state), *days)
            for id, plan, unit, mode, state, *days in rows
            if units is None or unit in units]


def _recorded(session: Session, targets: list[OpenTarget]
              ) -> dict[int, set[tuple[TargetTrack, str, date]]]:
    recorded: dict[int, set[tuple[TargetTrack, str, date]]] = defaultdict(set)
    for target_id, track, rung, due in session.execute(
        select(TargetLadderEntry.target_id, TargetLadderEntry.track, TargetLadderEntry.rung,
               TargetLadderEntry.due_date)
        .where(one_of(session, TargetLadderEntry.target_id, [t.id for t in targets]))
    ):
        recorded[target_id].add((TargetTrack(track), rung, due))
    return recorded


def plan_for(session: Session, *, as_of: date, calendar: WorkingCalendar, policy: Policy,
             tree: UnitTree, units: Collection[str] | None = None) -> TargetPlan:
    """What the ladder decides for the open targets (of `units`) on `as_of`, written nowhere."""
    targets = open_targets(session, units)
    if not targets:
        return TargetPlan()
    return plan_targets(targets, _recorded(session, targets), as_of=as_of, calendar=calendar,
                        policy=policy, tree=tree)


def record_targets(
    session: Session, *, as_of: date, calendar: WorkingCalendar, policy: Policy,
    tree: UnitTree, units: Collection[str] | None = None, partition: str = "",
    digests: CheckDigests,
) -> BatchOutcome:
    """Plan the targets' rungs and write them in the caller's transaction: a head's line joins
    the digest the check collects for them (created if need be, noted in `digests`), the
    secretariat's waits for its alert. A rerun finds them recorded and adds nothing."""
    plan = plan_for(session, as_of=as_of, calendar=calendar, policy=policy, tree=tree,
                    units=units)
    outcome = BatchOutcome(queued=len(plan.deliveries) + plan.alerts, skipped=plan.skipped,
                           unaddressed=plan.unaddressed, alerts=plan.alerts)
    if not plan.rows:
        return outcome
    events = [event.row() for event in plan.events]
    collecting_notices(session, [target for _, target in plan.deliveries], as_of, partition,
                       events, outcome, digests)
    for index, target in plan.deliveries:
        row = plan.rows[index]
        row["notice_id"] = notice_id = digests.collecting[target.to.lower()][0]
        if notice_id in digests.lines:
            digests.lines[notice_id].append(PlannedTarget(
                notice_id, target.role, row["track"], row["rung"], row["due_date"],
                row["target_id"]))
    # One shape for the bulk insert: the rows no digest carries have no notice yet.
    session.execute(insert(TargetLadderEntry), [{"notice_id": None} | row for row in plan.rows])
    session.execute(insert(Event), events)
    mark_events_recorded(session)
    return outcome

