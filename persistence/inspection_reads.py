"""The reads behind an inspection plan's reading (`domain/inspection_report.py`): its targets
with their units' names and kinds, their conclusions, the remediation items of those
conclusions with their status and evaluation as of the day, and the units the PAR index
counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.inspection_report import (
    Conclusion,
    PlanReading,
    RemediationItem,
    UnitFacts,
    counted_units,
    owning_target,
    plan_reading,
    target_line,
)
from domain.models import (
    Finding,
    Inspection,
    InspectionPlan,
    InspectionTarget,
    Submission,
    TrackedItem,
    Unit,
)
from domain.policy import Policy
from domain.states import SubmissionKind, SubmissionState, UnitKind
from domain.tallies import item_line


def approved_by(plan: InspectionPlan, as_of: date) -> bool:
    """Whether the plan was approved on or before `as_of` (its year's start, without a date)."""
    return (plan.decision_date or date(plan.year, 1, 1)) <= as_of


def current_plan(session: Session, as_of: date) -> InspectionPlan | None:
    """The latest inspection plan approved by `as_of`: the one status and reports speak of."""
    plans = [p for p in session.exec(select(InspectionPlan)).scalars() if approved_by(p, as_of)]
    return max(plans, key=lambda p: (p.year, p.decision_date or date.min, p.code), default=None)


def all_plans(session: Session) -> list[InspectionPlan]:
    return list(session.exec(select(InspectionPlan).order_by(InspectionPlan.year,
                                                             InspectionPlan.code)).scalars())


def unit_facts(session: Session) -> dict[str, UnitFacts]:
    rows = session.execute(select(Unit.code, Unit.name, Unit.parent_code, Unit.kind, Unit.active))
    return {code: UnitFacts(code, name, parent, UnitKind(kind), active)
            for code, name, parent, kind, active in rows}


def read_plan(session: Session, plan: InspectionPlan, as_of: date, calendar: WorkingCalendar,
              policy: Policy, *, units: dict[str, UnitFacts] | None = None,
              within: set[str] | None = None) -> PlanReading:
    """`plan` as of `as_of`; `within`: only the targets of these units (a --unit's subtree)."""
    units = units if units is not None else unit_facts(session)
    targets = [t for t in session.exec(
        select(InspectionTarget).where(InspectionTarget.plan_code == plan.code)
        .order_by(InspectionTarget.position, InspectionTarget.id)).scalars()
        if within is None or t.unit_code in within]
    conclusions = _conclusions(session, {t.inspection_id for t in targets if t.inspection_id})
    items = _items_by_target(session, targets, as_of, calendar, policy, units)
    lines = []
    for target in targets:
        unit = units[target.unit_code]
        line = target_line(target, unit.name, unit.kind, conclusions.get(target.inspection_id),
                           items.get(target.id, []), as_of)
        if line is not None:
            lines.append(line)
    root = plan.owner_unit_code or plan.issuing_unit_code
    eligible, counted = counted_units(units, root)
    if within is not None:
        eligible = {code: kind for code, kind in eligible.items() if code in within}
    return plan_reading(plan, lines, as_of, eligible, counted, units.get(root or ""))


def _conclusions(session: Session, ids: set[int]) -> dict[int, Conclusion]:
    rows = session.exec(select(Inspection).where(Inspection.id.in_(ids))).scalars() if ids else ()
    return {i.id: Conclusion(i.name, i.concluded_on, i.concluded_by_unit_code) for i in rows}


def _items_by_target(session: Session, targets: Sequence[InspectionTarget], as_of: date,
                     calendar: WorkingCalendar, policy: Policy,
                     units: dict[str, UnitFacts]) -> dict[int, list[RemediationItem]]:
    """Each concluded target's remediation items: those of its conclusion addressed to its unit
    or below it (to the nearest target above, when one conclusion closes several), the rest to
    the conclusion's first target."""
    by_inspection: dict[int, list[InspectionTarget]] = {}
    for target in targets:
        if target.inspection_id is not None:
            by_inspection.setdefault(target.inspection_id, []).append(target)
    if not by_inspection:
        return {}
    rows = session.execute(
        select(TrackedItem, Finding.inspection_id)
        .join(Finding, Finding.code == TrackedItem.finding_code)
        .where(Finding.inspection_id.in_(list(by_inspection)))).all()
    evaluations = _evaluations(session, [item.id for item, _ in rows])
    parents = {code: unit.parent for code, unit in units.items()}
    found: dict[int, list[RemediationItem]] = {}
    for item, inspection_id in rows:
        concluded = {t.unit_code: t for t in by_inspection[inspection_id]}
        owner = owning_target(item.unit_code, set(concluded), parents)
        target = concluded[owner] if owner else by_inspection[inspection_id][0]
        status = item_line(item, as_of, calendar, policy).status
        found.setdefault(target.id, []).append(
            RemediationItem(item.unit_code, item.finding_code, status, evaluations.get(item.id)))
    return found


def _evaluations(session: Session, ids: list[int]) -> dict[int, SubmissionState]:
    """Each item's latest evaluation of a completion report (đạt or chưa đạt)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Submission.item_id, Submission.state)
        .where(Submission.item_id.in_(ids), Submission.kind == SubmissionKind.COMPLETION,
               Submission.state.in_([SubmissionState.CONFIRMED, SubmissionState.RETURNED]))
        .order_by(Submission.decided_at, Submission.id))
    return {item_id: SubmissionState(state) for item_id, state in rows}


def inspection_plans(session: Session, as_of: date, calendar: WorkingCalendar, policy: Policy,
                     *, code: str | None = None) -> list[PlanReading] | None:
    """`cchc inspections`: the plan `code` (None when there is no such plan), else every plan
    approved by `as_of`, oldest first."""
    if code is not None:
        plan = session.get(InspectionPlan, code)
        if plan is None:
            return None
        plans = [plan]
    else:
        plans = [p for p in all_plans(session) if approved_by(p, as_of)]
    units = unit_facts(session) if plans else {}
    return [read_plan(session, p, as_of, calendar, policy, units=units) for p in plans]
