"""An inspection plan's targets as the decisions of `domain/inspections.py` need them, and what
those decisions change, stored with their events in the caller's transaction."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, func, select

from domain import inspections as rules
from domain.calendar import WorkingCalendar
from domain.importers import ImportFailed, ImportSummary, Table
from domain.explanation import TargetFacts
from domain.decisions import Decision
from domain.inspections import Conclusion, InspectionError
from domain.events import DomainEvent, EventName
from domain.models import (
    Event,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionTarget,
    TrackedItem,
    Unit,
)
from domain.policy import Policy
from domain.states import InspectionMode, TargetState
from domain.tallies import ItemLine, item_line
from domain.unit_names import UnknownUnit
from persistence.events import apply, typed
from persistence.item_imports import import_findings
from persistence.unit_directory import load_directory


def find_plan(session: Session, code: str) -> InspectionPlan:
    plan = session.get(InspectionPlan, code)
    if plan is None:
        raise InspectionError(f"không có kế hoạch kiểm tra mã {code}", "plan")
    return plan


def plan_exists(session: Session, code: str) -> bool:
    return session.get(InspectionPlan, code) is not None


def unit_code_of(session: Session, text: str, plan: InspectionPlan) -> str:
    """The one unit `text` names, by code or by name (a group names several: refused)."""
    directory = load_directory(session, plan.owner_unit_code)
    try:
        lead = directory.lead(text)
    except UnknownUnit as error:
        raise InspectionError(f"“{text}”: {error}", "unit") from None
    if lead.group is not None:
        raise InspectionError(f"“{text}” là một nhóm đơn vị: hãy ghi từng đơn vị", "unit")
    return lead.codes[0]


def target_ids(session: Session) -> dict[str, dict[str, int]]:
    """Each plan's targets' row ids (a page's addresses), by plan code and unit code."""
    ids: dict[str, dict[str, int]] = {}
    for plan_code, unit_code, target_id in session.execute(select(
            InspectionTarget.plan_code, InspectionTarget.unit_code, InspectionTarget.id)):
        ids.setdefault(plan_code, {})[unit_code] = target_id
    return ids


def target_by_id(session: Session, target_id: int
                 ) -> tuple[InspectionTarget, InspectionPlan] | None:
    target = session.get(InspectionTarget, target_id)
    return None if target is None else (target, session.get(InspectionPlan, target.plan_code))


def target_of(session: Session, plan: InspectionPlan, unit_code: str) -> InspectionTarget | None:
    return session.exec(select(InspectionTarget).where(
        InspectionTarget.plan_code == plan.code, InspectionTarget.unit_code == unit_code)).first()


def find_target(session: Session, text: str, plan_code: str
                ) -> tuple[InspectionTarget, InspectionPlan]:
    """The target of plan `plan_code` that `text` names (a unit's code or name)."""
    plan = find_plan(session, plan_code)
    code = unit_code_of(session, text, plan)
    target = target_of(session, plan, code)
    if target is None:
        raise InspectionError(f"đơn vị {code} không có trong kế hoạch kiểm tra {plan.code} "
                              "(thêm bằng `cchc inspection add`)", "unit")
    return target, plan


def store(session: Session, target: InspectionTarget, decision: Decision) -> InspectionTarget:
    """The decision's changes on the target, and its events, in the caller's transaction."""
    apply(session, target, decision)
    session.flush()
    return target


def record_visit(session: Session, target: InspectionTarget, plan: InspectionPlan,
                 on_from: date, on_to: date, today: date, *, by: str | None = None,
                 ip: str | None = None) -> InspectionTarget:
    return store(session, target, rules.inspect(target, plan, on_from, on_to, today, by=by,
                                                ip=ip))


def record_conclusion(
    session: Session, target: InspectionTarget, plan: InspectionPlan, doc: str, on: date,
    today: date, findings: Table | None, calendar: WorkingCalendar, *, registered: bool = False,
    by: str | None = None, ip: str | None = None,
) -> ImportSummary | None:
    """The conclusion (an `Inspection` row, shared by the targets one document concludes), and
    its findings file imported under it; the findings import's summary, if any. `registered`:
    its findings are those the findings register already holds under `doc`."""
    doc = " ".join(doc.split())
    known = session.exec(select(Inspection).where(Inspection.name == doc)).first()
    count = None if findings is None else len(findings.rows)
    if registered:
        count = 0 if known is None else session.exec(
            select(func.count()).select_from(Finding).where(Finding.inspection_id == known.id)
        ).one()
        if not count:
            raise InspectionError(
                "cần đúng một trong --findings TỆP (kết luận có tồn tại, hạn chế) và "
                f"--no-findings: sổ theo dõi chưa có tồn tại, hạn chế nào của “{doc}”")
    decision = rules.conclude(target, doc, on, today, findings is not None or registered,
                              known_on=known.concluded_on if known else None, findings=count,
                              by=by, ip=ip)
    inspection = known or Inspection(name=doc, concluded_on=on,
                                     concluded_by_unit_code=plan.issuing_unit_code)
    session.add(inspection)
    session.flush()
    target.inspection_id = inspection.id
    store(session, target, decision)
    if findings is None:
        return None
    under, problems = rules.findings_under(findings, Conclusion(doc, on, target.unit_code))
    try:
        summary = import_findings(session, under, calendar, today=today)
    except ImportFailed as failed:
        problems += failed.problems
    if problems:  # every problem of the file said at once, in row order
        raise ImportFailed(sorted(problems, key=lambda problem: problem.row or 0))
    return summary


def add_target(session: Session, plan: InspectionPlan, unit_text: str, mode: InspectionMode,
               window_text: str | None, reason: str, today: date, *, by: str | None = None,
               ip: str | None = None) -> InspectionTarget:
    code = unit_code_of(session, unit_text, plan)
    existing = target_of(session, plan, code)
    decision = rules.add_target(plan, code, mode, rules.read_window(window_text, plan.year),
                                reason, today, existing, by=by, ip=ip)
    if existing is not None:
        return store(session, existing, decision)
    last = session.exec(select(func.max(InspectionTarget.position))
                        .where(InspectionTarget.plan_code == plan.code)).one()
    target = InspectionTarget(position=(last or 0) + 1, **decision.changes)
    return store(session, target, Decision({}, decision.events))


def drop_target(session: Session, target: InspectionTarget, reason: str, today: date, *,
                by: str | None = None, ip: str | None = None) -> InspectionTarget:
    return store(session, target, rules.drop_target(target, reason, today, by=by, ip=ip))


def target_facts(session: Session, target: InspectionTarget, plan: InspectionPlan,
                 as_of: date, calendar: WorkingCalendar, policy: Policy) -> TargetFacts:
    """The target on `as_of`: what the plan says of it, what was recorded, and the remediation
    items of its conclusion — those of its own unit, and of units no other target of the same
    conclusion stands for (a city's departments, under the city's)."""
    unit = session.get(Unit, target.unit_code)
    inspection = session.get(Inspection, target.inspection_id) if target.inspection_id else None
    return TargetFacts(
        plan.code, plan.title, plan.decision_number, plan.decision_date, target.unit_code,
        unit.name if unit else target.unit_code, InspectionMode(target.mode),
        TargetState(target.state), target.window_text, target.window_opens,
        target.window_closes, target.topics, target.inspected_from, target.inspected_to, as_of,
        doc=inspection.name if inspection else None,
        concluded_on=inspection.concluded_on if inspection else None,
        concluded_by=inspection.concluded_by_unit_code if inspection else None,
        has_findings=target.has_findings,
        remediation=_remediation(session, target, as_of, calendar, policy) if inspection else (),
        added_on=target.added_on, added_reason=target.added_reason,
        dropped_on=target.dropped_on, dropped_reason=target.dropped_reason)


def _remediation(session: Session, target: InspectionTarget, as_of: date,
                 calendar: WorkingCalendar, policy: Policy) -> tuple[ItemLine, ...]:
    others = set(session.exec(select(InspectionTarget.unit_code).where(
        InspectionTarget.inspection_id == target.inspection_id,
        InspectionTarget.id != target.id)))
    items = session.exec(
        select(TrackedItem).join(Finding, Finding.code == TrackedItem.finding_code)
        .where(Finding.inspection_id == target.inspection_id)
        .order_by(TrackedItem.position, TrackedItem.code))
    return tuple(item_line(item, as_of, calendar, policy)
                 for item in items if item.unit_code not in others)


_TARGET_EVENTS = [name.value for name in (EventName.TARGET_ADDED, EventName.INSPECTION_DONE,
                                          EventName.INSPECTION_CONCLUDED,
                                          EventName.TARGET_DROPPED, EventName.TARGET_REMINDED)]


def target_timeline(session: Session, target: InspectionTarget
                    ) -> list[tuple[datetime, DomainEvent]]:
    """The target's events, oldest first: when each was recorded, and what (the cycle's events
    are few: read, then matched)."""
    rows = session.exec(select(Event).where(Event.name.in_(_TARGET_EVENTS))
                        .order_by(Event.occurred_at, Event.id))
    return [(row.occurred_at, typed(row)) for row in rows
            if row.data.get("plan") == target.plan_code
            and row.data.get("unit") == target.unit_code]
