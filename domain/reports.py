"""The progress picture as of a day: counts per status, per group and per unit, both completion
rates, the overdue items, the remediation per inspection and the PAR-index indicators — what
`cchc status` and `cchc report` show."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from domain import par_index
from domain.calendar import WorkingCalendar
from domain.deadlines import DeadlineKind
from domain.ledger import load_unit_tree
from domain.models import FINDINGS_SCOPE, Plan, TaskGroup, TrackedItem, Unit
from domain.occurrence_store import (
    OCCURRENCE_KIND,
    last_occurrence_status,
    periodic_rows,
)
from domain.occurrences import OBLIGATIONS_SCOPE, PeriodicRow
from domain.policy import Policy
from domain.report_lines import (
    InspectionTally,
    OverdueLine,
    inspection_tallies,
    overdue_lines,
    units_inspected_in,
)
from domain.status import Status, format_number, format_percent, shared_status
from domain.tallies import ItemLine, Tally, item_line

_NAMED = 20  # idle units named in the summary; the rest are counted


@dataclass(frozen=True)
class SharedTask:
    """A task given to a unit group, counted once: n of m units done."""

    code: str
    group: str
    units_done: int
    units_total: int


@dataclass
class StatusReport:
    as_of: date
    plan: Plan | None
    scope: Unit | None  # the unit whose subtree the report covers; None: every unit
    tasks: Tally
    remediation: Tally
    groups: list[tuple[TaskGroup, Tally]]
    units: list[tuple[Unit, Tally]]
    idle_units: list[Unit]  # units of the scope holding no item at all
    items: list[ItemLine]  # every item, in plan order then the findings
    overdue_details: list[OverdueLine]  # the overdue items, most overdue first
    inspections: list[InspectionTally]
    indicators: list[par_index.Indicator]
    shared: list[SharedTask] = field(default_factory=list)
    # Periodic reports (báo cáo định kỳ) per obligation or recurring task and period.
    periodic: list[PeriodicRow] = field(default_factory=list)

    @property
    def overdue(self) -> list[ItemLine]:
        return _most_overdue_first(self.items)

    @property
    def undetermined(self) -> list[ItemLine]:
        """Open items whose deadline names no calendar date: the secretariat gives each one."""
        return [line for line in self.items if line.undetermined]

    def progress_line(self) -> str:
        """The secretariat's own sentence: "đã hoàn thành 36/70 nhiệm vụ (đạt 51,4%), …"; a
        plain statement when there is nothing to count."""
        t = self.tasks
        if t.total == 0:
            return self._no_tasks()
        done, total, running = (format_number(n) for n in (t.done, t.total, t.total - t.done))
        return (
            f"đã hoàn thành {done}/{total} nhiệm vụ (đạt {format_percent(t.rates.of_all)}), "
            f"đang thực hiện {running}/{total} nhiệm vụ"
        )

    def summary(self) -> list[str]:
        """The report's opening sentences, each a plain statement (no "0/0", no "—")."""
        t, r = self.tasks, self.remediation
        day = f"{self.as_of:%d/%m/%Y}"
        lines = [f"Đến ngày {day}, {self.progress_line()}." if t.total
                 else _sentence(self._no_tasks())]
        if t.due_total:
            lines.append(f"Hoàn thành nhiệm vụ đã đến hạn: {format_number(t.due_done)}/"
                         f"{format_number(t.due_total)} (đạt {format_percent(t.rates.of_due)}).")
        elif t.total and t.undated == t.total:
            kinds = "thường xuyên, định kỳ hoặc chưa xác định" if t.undetermined else \
                "thường xuyên hoặc định kỳ"
            lines.append(f"{_all_of(t.total)} không có hạn cụ thể ({kinds}): "
                         "chưa có nhiệm vụ nào đến hạn để tính tỷ lệ hoàn thành nhiệm vụ đã "
                         "đến hạn.")
        elif t.total:
            lines.append(f"Đến ngày {day} chưa có nhiệm vụ nào đến hạn: chưa tính tỷ lệ hoàn "
                         "thành nhiệm vụ đã đến hạn.")
        if self.shared:
            lines.append("Nhiệm vụ giao nhiều đơn vị: " + "; ".join(
                f"{s.code} ({s.group}): {format_number(s.units_done)}/"
                f"{format_number(s.units_total)} đơn vị hoàn thành" for s in self.shared) + ".")
        coming = [p for p in self.periodic if p.due > self.as_of]
        if coming:
            lines.append("Báo cáo định kỳ đến hạn trong tuần tới: " + "; ".join(
                f"{p.source} {p.title} (hạn {p.due:%d/%m/%Y})" for p in coming) + ".")
        missing = [p for p in self.periodic if p.missing]
        if missing:
            lines.append("Báo cáo định kỳ chưa gửi: " + "; ".join(
                f"{p.source} {p.title} ({p.missing_text})" for p in missing) + ".")
        if r.total:
            lines.append(f"Nhiệm vụ khắc phục sau kiểm tra: đã hoàn thành {format_number(r.done)}/"
                         f"{format_number(r.total)}, quá hạn {format_number(r.overdue)}.")
        else:
            lines.append("Không có nhiệm vụ khắc phục sau kiểm tra.")
        if self.undetermined:
            codes = ", ".join(line.code for line in self.undetermined[:_NAMED])
            more = len(self.undetermined) - _NAMED
            lines.append(f"Chưa xác định thời hạn: {format_number(len(self.undetermined))} nhiệm "
                         f"vụ ({codes}" + (f" và {format_number(more)} nhiệm vụ khác" if more > 0
                                           else "") + "), cần đặt thời hạn.")
        if self.idle_units:
            names = ", ".join(f"{u.code} ({u.name})" for u in self.idle_units[:_NAMED])
            more = len(self.idle_units) - _NAMED
            lines.append(f"{format_number(len(self.idle_units))} đơn vị không có nhiệm vụ nào: "
                         f"{names}" + (f" và {format_number(more)} đơn vị khác." if more > 0
                                       else "."))
        return lines

    def _no_tasks(self) -> str:
        if self.plan is None:
            return "chưa có kế hoạch cải cách hành chính nào"
        if self.scope is not None:
            return (f"đơn vị {self.scope.code} ({self.scope.name}) không chủ trì nhiệm vụ nào "
                    f"của kế hoạch {self.plan.code}")
        return f"kế hoạch {self.plan.code} chưa có nhiệm vụ nào"

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": "cchc.status/1",
            "as_of": self.as_of.isoformat(),
            "plan": None
            if self.plan is None
            else {
                "code": self.plan.code,
                "year": self.plan.year,
                "title": self.plan.title,
                "decision": self.plan.decision_number,
                "decision_date": _iso(self.plan.decision_date),
            },
            "tasks": self.tasks.as_dict(with_rates=True),
            "remediation": self.remediation.as_dict(with_rates=True),
            "by_group": [
                {"numeral": g.numeral, "title": g.title} | tally.as_dict()
                for g, tally in self.groups
            ],
            "shared_tasks": [
                {"code": s.code, "group": s.group, "units_done": s.units_done,
                 "units_total": s.units_total} for s in self.shared
            ],
            "by_unit": [
                {"unit": u.code, "name": u.name} | tally.as_dict() for u, tally in self.units
            ],
            "overdue": [
                {
                    "code": line.code,
                    "kind": line.kind,
                    "source": line.scope,
                    "content": line.content,
                    "unit": line.unit_code,
                    "deadline_text": line.deadline_text,
                    "due_date": _iso(line.due),
                    "original_due_date": _iso(line.original_due),
                    "overdue_working_days": line.overdue_days,
                }
                for line in self.overdue
            ],
            "periodic_reports": [
                {"source": r.source, "name": r.name, "period": r.period,
                 "due_date": _iso(r.due), "on_time": r.on_time,
                 "late": [{"unit": u, "working_days": d} for u, d in r.late],
                 "missing": r.missing} for r in self.periodic
            ],
            "undetermined": [
                {
                    "code": line.code,
                    "kind": line.kind,
                    "source": line.scope,
                    "content": line.content,
                    "unit": line.unit_code,
                    "deadline_text": line.deadline_text,
                }
                for line in self.undetermined
            ],
        }


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
            (tasks if item.kind == "task" else remediation).add(
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
            session, _most_overdue_first(lines), {c: u.name for c, u in unit_rows.items()}, as_of
        ),
        inspections=inspection_tallies(session, [ln for ln in lines if ln.kind != "task"]),
        shared=shared_tasks,
        periodic=periodic,
        indicators=[
            par_index.plan_completion(tasks.done, tasks.total, as_of),
            par_index.units_inspected(len(units_inspected_in(session, year) & eligible),
                                      len(eligible), year),
            par_index.findings_handled(remediation.done, remediation.total),
            par_index.periodic_reports(periodic, [ln.code for ln in lines if ln.kind == "task"
                                                  and ln.deadline_kind == DeadlineKind.RECURRING]),
        ],
    )


def _most_overdue_first(lines: list[ItemLine]) -> list[ItemLine]:
    overdue = [line for line in lines if line.status is Status.OVERDUE]
    return sorted(overdue, key=lambda line: (-line.overdue_days, line.scope, line.code))


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def _all_of(count: int) -> str:
    return "Nhiệm vụ duy nhất của kế hoạch" if count == 1 else f"Cả {format_number(count)} nhiệm vụ"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
