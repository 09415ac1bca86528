"""The progress picture as of a day: counts per status, per group and per unit, both completion
rates, and the overdue items — what `cchc status` and `cchc report` show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.importers import FINDINGS_SCOPE
from domain.ledger import load_unit_tree
from domain.models import Plan, TaskGroup, TrackedItem, Unit
from domain.policy import Policy
from domain.status import (
    CompletionRates,
    Status,
    completion_rates,
    format_percent,
    status_of,
)


@dataclass(frozen=True)
class ItemLine:
    code: str
    kind: str
    scope: str
    content: str
    unit_code: str
    deadline_text: str
    due: date | None
    original_due: date | None
    status: Status
    overdue_days: int


@dataclass
class Tally:
    """Counts for one slice (the plan, a group, a unit, the findings)."""

    statuses: Counter = field(default_factory=Counter)
    rates: CompletionRates | None = None

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def done(self) -> int:
        return sum(n for s, n in self.statuses.items() if s.is_done)

    @property
    def overdue(self) -> int:
        return self.statuses[Status.OVERDUE]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "total": self.total,
            "done": self.done,
            "in_progress": self.total - self.done,
            "overdue": self.overdue,
            "by_status": {s.value: self.statuses[s] for s in Status},
        }
        if self.rates is not None:
            out |= {
                "due_total": self.rates.due_total,
                "due_done": self.rates.due_done,
                "rate_all": _number(self.rates.of_all),
                "rate_all_text": format_percent(self.rates.of_all),
                "rate_due": _number(self.rates.of_due),
                "rate_due_text": format_percent(self.rates.of_due),
            }
        return out


@dataclass
class StatusReport:
    as_of: date
    plan: Plan | None
    tasks: Tally
    remediation: Tally
    groups: list[tuple[TaskGroup, Tally]]
    units: list[tuple[Unit, Tally]]
    items: list[ItemLine]  # every item, in plan order then the findings

    @property
    def overdue(self) -> list[ItemLine]:
        lines = [line for line in self.items if line.status is Status.OVERDUE]
        return sorted(lines, key=lambda line: (-line.overdue_days, line.scope, line.code))

    def progress_line(self) -> str:
        """The secretariat's own sentence: "đã hoàn thành 36/70 nhiệm vụ (đạt 51,4%), …"."""
        t = self.tasks
        rate = format_percent(t.rates.of_all if t.rates else None)
        return (
            f"đã hoàn thành {t.done}/{t.total} nhiệm vụ (đạt {rate}), "
            f"đang thực hiện {t.total - t.done}/{t.total} nhiệm vụ"
        )

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
            "tasks": self.tasks.as_dict(),
            "remediation": self.remediation.as_dict(),
            "by_group": [
                {"numeral": g.numeral, "title": g.title} | tally.as_dict()
                for g, tally in self.groups
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
    units_wanted = load_unit_tree(session).subtree(unit) if unit else None
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
    task_facts, remediation_facts = [], []
    tasks, remediation = Tally(), Tally()
    per_group: dict[int, Tally] = {gid: Tally() for gid in groups}
    per_unit: dict[str, Tally] = {}
    lines: list[ItemLine] = []
    for item in session.exec(query.execution_options(yield_per=1000)).scalars():
        if units_wanted is not None and item.unit_code not in units_wanted:
            continue
        line = item_line(item, as_of, calendar, policy)
        is_task = item.kind == "task"
        (tasks if is_task else remediation).statuses[line.status] += 1
        (task_facts if is_task else remediation_facts).append((line.status, line.due))
        if item.group_id in per_group:
            per_group[item.group_id].statuses[line.status] += 1
        per_unit.setdefault(item.unit_code, Tally()).statuses[line.status] += 1
        lines.append(line)
    tasks.rates = completion_rates(task_facts, as_of)
    remediation.rates = completion_rates(remediation_facts, as_of)
    unit_rows = {u.code: u for u in session.exec(select(Unit).where(Unit.code.in_(per_unit))).scalars()}
    return StatusReport(
        as_of=as_of,
        plan=plan,
        tasks=tasks,
        remediation=remediation,
        groups=[(groups[gid], tally) for gid, tally in per_group.items()],
        units=[(unit_rows[code], per_unit[code]) for code in sorted(per_unit)],
        items=lines,
    )


def item_line(item: TrackedItem, as_of: date, calendar: WorkingCalendar, policy: Policy) -> ItemLine:
    status = status_of(
        due=item.due_date,
        opens=item.opens_on,
        completed_on=item.completed_on,
        extended=item.extended,
        as_of=as_of,
        calendar=calendar,
        due_soon_days=policy.due_soon_days,
    )
    due = item.due_date
    return ItemLine(
        code=item.code,
        kind=item.kind,
        scope=item.scope,
        content=item.content,
        unit_code=item.unit_code,
        deadline_text=item.deadline_text,
        due=due,
        original_due=item.original_due_date,
        status=status,
        overdue_days=calendar.overdue(due, as_of) if due and not status.is_done else 0,
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
