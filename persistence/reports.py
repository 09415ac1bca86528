"""The status report's reads: the plan, its items, units and tallies, as of a day."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from domain import par_index
from domain.calendar import WorkingCalendar
from domain.models import FINDINGS_SCOPE, Plan, TaskGroup, TrackedItem, Unit
from domain.occurrences import OBLIGATIONS_SCOPE, PeriodicRow, is_report
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
    groups = _task_groups(session, plan)
    scopes = [FINDINGS_SCOPE] + ([plan.code] if plan else [])
    counts = _count_items(session, scopes, groups, units_wanted, as_of, calendar, policy)
    shared_tasks = counts.count_shared_tasks(as_of)
    unit_rows = {u.code: u for u in session.exec(select(Unit)).scalars()}
    # The units the report answers for: those under the scope's root (the --unit, else the
    # plan's owner), the root itself excepted — it is the one that plans and inspects.
    root = unit or (plan.owner_unit_code if plan else None)
    below = (tree.subtree(root) - {root}) if root else {c for c, u in tree.units.items() if u.parent}
    eligible = {code for code in below if tree.units[code].active}
    # Without a root the report cannot tell which units the plan concerns: it names none idle.
    idle = sorted(eligible - set(counts.per_unit)) if root else []
    periodic = periodic_rows(session, as_of, calendar, scopes=[*scopes, OBLIGATIONS_SCOPE],
                             units=units_wanted, obligations=policy.obligations)
    lines = counts.lines
    return StatusReport(
        as_of=as_of,
        plan=plan,
        scope=unit_rows[unit] if unit else None,
        tasks=counts.tasks,
        remediation=counts.remediation,
        groups=[(groups[gid], tally) for gid, tally in counts.per_group.items()],
        units=[(unit_rows[code], counts.per_unit[code]) for code in sorted(counts.per_unit)],
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
        indicators=_indicators(session, counts, periodic, eligible,
                               plan.year if plan else as_of.year, as_of, policy),
    )


def _task_groups(session: Session, plan: Plan | None) -> dict[int, TaskGroup]:
    """The plan's groups of tasks (I, II, …) by id, in the plan's order."""
    if plan is None:
        return {}
    return {
        g.id: g
        for g in session.exec(
            select(TaskGroup).where(TaskGroup.plan_code == plan.code).order_by(TaskGroup.position)
        ).scalars()
    }


@dataclass
class _Counts:
    """The tallies of the items read so far: the plan's tasks, the remediation, each group's
    and each unit's, and every item's line."""

    per_group: dict[int, Tally]
    tasks: Tally = field(default_factory=Tally)
    remediation: Tally = field(default_factory=Tally)
    per_unit: dict[str, Tally] = field(default_factory=dict)
    lines: list[ItemLine] = field(default_factory=list)
    # A task given to a group: one item per unit, counted once in the plan's and group's tallies.
    shared: dict[str, tuple[TrackedItem, list[ItemLine]]] = field(default_factory=dict)

    def add(self, item: TrackedItem, line: ItemLine, as_of: date) -> None:
        if item.task_code is not None:
            self.shared.setdefault(item.task_code, (item, []))[1].append(line)
        else:
            (self.tasks if item.kind == ItemKind.TASK else self.remediation).add(
                line.status, line.due, as_of, undetermined=line.undetermined)
            if item.group_id in self.per_group:
                self.per_group[item.group_id].add(line.status, line.due, as_of,
                                                  undetermined=line.undetermined)
        self.per_unit.setdefault(item.unit_code, Tally()).add(line.status, line.due, as_of,
                                                              undetermined=line.undetermined)
        self.lines.append(line)

    def count_shared_tasks(self, as_of: date) -> list[SharedTask]:
        """Count each task given to a group once, in the plan's and its group's tallies, as
        its units' items stand together; how many of its units are done."""
        shared_tasks = []
        for code, (first, unit_lines) in self.shared.items():
            status = shared_status([ln.status for ln in unit_lines])
            due = max((ln.due for ln in unit_lines if ln.due), default=None)
            undetermined = any(ln.undetermined for ln in unit_lines)
            self.tasks.add(status, due, as_of, undetermined=undetermined)
            if first.group_id in self.per_group:
                self.per_group[first.group_id].add(status, due, as_of, undetermined=undetermined)
            shared_tasks.append(SharedTask(code, first.lead_group or "", sum(
                ln.status.is_done for ln in unit_lines), len(unit_lines)))
        return shared_tasks


def _count_items(
    session: Session,
    scopes: list[str],
    groups: dict[int, TaskGroup],
    units_wanted: set[str] | None,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
) -> _Counts:
    """Read every item of the scopes (of the units wanted, when the report is one unit's) as
    its line on `as_of`, and count it."""
    query = (
        select(TrackedItem)
        .where(TrackedItem.scope.in_(scopes))
        .order_by(TrackedItem.scope, TrackedItem.position)
    )
    counts = _Counts(per_group={gid: Tally() for gid in groups})
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
        counts.add(item, line, as_of)
    return counts


def _indicators(
    session: Session,
    counts: _Counts,
    periodic: list[PeriodicRow],
    eligible: set[str],
    year: int,
    as_of: date,
    policy: Policy,
) -> list[par_index.Indicator]:
    """The figures the self-assessment of the PAR index (Chỉ số CCHC) asks for."""
    tasks, remediation, lines = counts.tasks, counts.remediation, counts.lines
    return [
        par_index.plan_completion(tasks.done, tasks.total, as_of),
        par_index.units_inspected(len(units_inspected_in(session, year) & eligible),
                                  len(eligible), year),
        par_index.findings_handled(remediation.done, remediation.total),
        par_index.periodic_reports(periodic, [ln.code for ln in lines
                                              if ln.kind == ItemKind.TASK
                                              and ln.deadline_kind == DeadlineKind.RECURRING
                                              and is_report(ln.product, ln.content)]
                                   + [o.code for o in policy.obligations]),
    ]


def _inspection(session: Session, as_of: date, calendar: WorkingCalendar, policy: Policy,
                within: set[str] | None):
    """The current inspection plan's reading, for the report's inspection section: none
    without a plan, or when none of its targets is in the report's scope."""
    plan = current_plan(session, as_of)
    if plan is None:
        return None
    reading = read_plan(session, plan, as_of, calendar, policy, within=within)
    return reading if reading.targets else None
