"""The status report's reads: the plan, its items, units and tallies, as of a day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from domain import par_index
from domain.calendar import WorkingCalendar
from domain.models import FINDINGS_SCOPE, Plan, TaskGroup, TrackedItem, Unit
from domain.occurrences import OBLIGATIONS_SCOPE, is_report
from domain.policy import Policy
from domain.reports import SharedTask, StatusReport, most_overdue_first
from domain.states import DeadlineKind, ItemKind
from domain.status import shared_status
from domain.tallies import ItemLine, Tally, item_line
from persistence.inspection_reads import current_plan, read_plan
from persistence.ledger import load_unit_tree
from persistence.occurrence_store import (
    OCCURRENCE_KIND,
    last_occurrence_status,
    periodic_rows,
)
from persistence.report_lines import (
    inspection_tallies,
    overdue_lines,
    units_inspected_in,
)


def latest_plan(session: Session) -> Plan | None:
    return session.exec(select(Plan).order_by(Plan.year.desc(), Plan.code.desc())).scalars().first()


def status_report(
    session: Session,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
    *,
    plan: Plan | None = None,
    unit: str | None = None,
) -> StatusReport:
    plan = plan or latest_plan(session)
    tree = load_unit_tree(session)
    units_wanted = tree.subtree(unit) if unit else None
    groups = {}
    if plan is not None:
        groups = {
            g.id: g
            for g in session.exec(
                select(TaskGroup).where(TaskGroup.plan_code == plan.code).order_by(TaskGroup.position)
            ).scalars()
        }
    scopes = [FINDINGS_SCOPE] + ([plan.code] if plan else [])
    query = (
        select(TrackedItem)
        .where(TrackedItem.scope.in_(scopes))
        .order_by(TrackedItem.scope, TrackedItem.position)
    )
    tasks, remediation = Tally(), Tally()
    per_group: dict[int, Tally] = {gid: Tally() for gid in groups}
    per_unit: dict[str, Tally] = {}
    lines: list[ItemLine] = []
    # A task given to a group: one item per unit, counted once in the plan's and group's tallies.
    shared: dict[str, tuple[TrackedItem, list[ItemLine]]] = {}
    # A recurring task counts once, done when its last period of the year is done; its periods
    # are the periodic-reports table's.
    last_period_done = last_occurrence_status(session, scopes, as_of, calendar)
    for item in session.exec(query.execution_options(yield_per=1000)).scalars():
        if item.kind == OCCURRENCE_KIND or (
                units_wanted is not None and item.unit_code not in units_wanted):
            continue
        line = item_line(item, as_of, calendar, policy)
        if (item.scope, item.code) in last_period_done and not line.status.is_done:
            line = replace(line, status=last_period_done[(item.scope, item.code)])
        if item.task_code is not None:
            shared.setdefault(item.task_code, (item, []))[1].append(line)
        else:
            (tasks if item.kind == ItemKind.TASK else remediation).add(
                line.status, line.due, as_of, undetermined=line.undetermined)
            if item.group_id in per_group:
                per_group[item.group_id].add(line.status, line.due, as_of,
                                             undetermined=line.undetermined)
        per_unit.setdefault(item.unit_code, Tally()).add(line.status, line.due, as_of,
                                                         undetermined=line.undetermined)
        lines.append(line)
    shared_tasks = []
    for code, (first, unit_lines) in shared.items():
        status = shared_status([ln.status for ln in unit_lines])
        due = max((ln.due for ln in unit_lines if ln.due), default=None)
        undetermined = any(ln.undetermined for ln in unit_lines)
        tasks.add(status, due, as_of, undetermined=undetermined)
        if first.group_id in per_group:
            per_group[first.group_id].add(status, due, as_of, undetermined=undetermined)
        shared_tasks.append(SharedTask(code, first.lead_group or "", sum(
            ln.status.is_done for ln in unit_lines), len(unit_lines)))
    unit_rows = {u.code: u for u in session.exec(select(Unit)).scalars()}
    # The units the report answers for: those under the scope's root (the --unit, else the
    # plan's owner), the root itself excepted — it is the one that plans and inspects.
    root = unit or (plan.owner_unit_code if plan else None)
    below = (tree.subtree(root) - {root}) if root else {c for c, u in tree.units.items() if u.parent}
    eligible = {code for code in below if tree.units[code].active}
    # Without a root the report cannot tell which units the plan concerns: it names none idle.
    idle = sorted(eligible - set(per_unit)) if root else []
    year = plan.year if plan else as_of.year
    periodic = periodic_rows(session, as_of, calendar, scopes=[*scopes, OBLIGATIONS_SCOPE],
                             units=units_wanted, obligations=policy.obligations)
    return StatusReport(
        as_of=as_of,
        plan=plan,
        scope=unit_rows[unit] if unit else None,
        tasks=tasks,
        remediation=remediation,
        groups=[(groups[gid], tally) for gid, tally in per_group.items()],
        units=[(unit_rows[code], per_unit[code]) for code in sorted(per_unit)],
        idle_units=[unit_rows[code] for code in idle],
        items=lines,
        overdue_details=overdue_lines(
            session, most_overdue_first(lines), {c: u.name for c, u in unit_rows.items()}, as_of
        ),
        inspections=inspection_tallies(session, [ln for ln in lines if ln.kind != ItemKind.TASK]),
        shared=shared_tasks,
        periodic=periodic,
        overdue_repeat_days=policy.overdue_repeat_days,
        inspection=_inspection(session, as_of, calendar, policy, units_wanted),
        indicators=[
            par_index.plan_completion(tasks.done, tasks.total, as_of),
            par_index.units_inspected(len(units_inspected_in(session, year) & eligible),
                                      len(eligible), year),
            par_index.findings_handled(remediation.done, remediation.total),
            par_index.periodic_reports(periodic, [ln.code for ln in lines
                                                  if ln.kind == ItemKind.TASK
                                                  and ln.deadline_kind == DeadlineKind.RECURRING
                                                  and is_report(ln.product, ln.content)]
                                       + [o.code for o in policy.obligations]),
        ],
    )


def _inspection(session: Session, as_of: date, calendar: WorkingCalendar, policy: Policy,
                within: set[str] | None):
    """The current inspection plan's reading, for the report's inspection section: none
    without a plan, or when none of its targets is in the report's scope."""
    plan = current_plan(session, as_of)
    if plan is None:
        return None
    reading = read_plan(session, plan, as_of, calendar, policy, within=within)
    return reading if reading.targets else None
