"""The progress picture as of a day: counts per status, per group and per unit, both completion
rates, the overdue items, the remediation per inspection and the PAR-index indicators — what
`cchc status` and `cchc report` show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain import par_index
from domain.inspection_report import PlanReading
from domain.models import Plan, TaskGroup, Unit
from domain.occurrences import PeriodicRow
from domain.policy import Policy
from domain.report_lines import InspectionTally, OverdueLine
from domain.status import Status
from domain.tallies import ItemLine, Tally


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
    # The policy's, which counts an item's overdue notices (đôn đốc lần thứ n).
    overdue_repeat_days: int = Policy.overdue_repeat_days
    # The current inspection plan as of the day, when there is one (its section of the report).
    inspection: PlanReading | None = None

    @property
    def overdue(self) -> list[ItemLine]:
        return most_overdue_first(self.items)

    @property
    def undetermined(self) -> list[ItemLine]:
        """Open items whose deadline names no calendar date: the secretariat gives each one."""
        return [line for line in self.items if line.undetermined]


def most_overdue_first(lines: list[ItemLine]) -> list[ItemLine]:
    overdue = [line for line in lines if line.status.past_deadline]
    return sorted(overdue, key=lambda line: (-line.overdue_days, line.scope, line.code))
