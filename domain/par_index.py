"""Indicators a PAR-index self-assessment (tự đánh giá, chấm điểm Chỉ số CCHC) asks for, each
with the counts it was computed from, so the secretariat can copy the figure and show the
evidence. Pure functions over counts; the report gathers the counts and
`notifications/par_index.py` words them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.occurrences import PeriodicRow
from domain.states import UnitKind
from domain.status import percent

# The usual bar for "share of subordinate units inspected in the year", a percentage.
INSPECTION_BAR = 30


class IndicatorKind(StrEnum):
    PLAN_COMPLETION = "plan_completion"
    UNITS_INSPECTED = "units_inspected"
    FINDINGS_HANDLED = "findings_handled"
    PERIODIC_REPORTS = "periodic_reports"
    # An inspection plan's: the organisation's units of the kinds the index counts inspected
    # under it in its year, and its conclusions' findings remedied.
    PLAN_UNITS_INSPECTED = "plan_units_inspected"
    PLAN_FINDINGS_HANDLED = "plan_findings_handled"


# The units whose inspection the index counts, by the kind of the organisation that inspects:
# a province's departments, boards and district-level units (Chỉ số CCHC cấp tỉnh); a
# district's offices and communes, wards and towns (the district's own index). Any other
# organisation's: every unit below it.
COUNTED_KINDS: dict[UnitKind, tuple[UnitKind, ...]] = {
    UnitKind.PROVINCE: (UnitKind.DEPARTMENT, UnitKind.BOARD, UnitKind.DISTRICT),
    UnitKind.DISTRICT: (UnitKind.OFFICE, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP),
}


class PlanBand(StrEnum):
    """The usual scoring bands of "mức độ hoàn thành kế hoạch CCHC"."""

    ALL = "all"  # 100%
    FROM_80 = "from_80"  # from 80% to under 100%
    BELOW_80 = "below_80"


_PLAN_BANDS = ((100, PlanBand.ALL), (80, PlanBand.FROM_80), (0, PlanBand.BELOW_80))


@dataclass(frozen=True)
class LateReport:
    source: str
    period: str
    unit: str
    working_days: int | None  # None: not sent at all


@dataclass(frozen=True)
class Indicator:
    """`done` of `total` (the figure is their percentage), with what the assessment rests on."""

    kind: IndicatorKind
    done: int
    total: int
    as_of: date | None = None  # plan completion: counted up to this day
    year: int | None = None  # units inspected: in this year
    band: PlanBand | None = None  # plan completion
    meets_bar: bool | None = None  # units inspected: at least INSPECTION_BAR percent
    faults: tuple[LateReport, ...] = ()  # periodic reports: late ones, then missing ones
    # Periodic reports: the obligations and report tasks counted (or, with nothing due yet,
    # those that will be), and the recurring tasks left out as no reports.
    sources: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    plan: str | None = None  # an inspection plan's: its code
    kinds: tuple[UnitKind, ...] = ()  # plan units inspected: the kinds counted (none: all)
    direct: int | None = None  # plan units inspected: of them, inspected on site

    @property
    def value(self) -> Decimal | None:
        """A percentage; None when there is nothing to compute it from."""
        return percent(self.done, self.total)


def plan_completion(done: int, total: int, as_of: date) -> Indicator:
    # Compared exactly, not on the rounded rate: 9.999/10.000 shows as 100,0% but is not all.
    band = next((b for floor, b in _PLAN_BANDS if done * 100 >= floor * total), None) \
        if total else None
    return Indicator(IndicatorKind.PLAN_COMPLETION, done, total, as_of=as_of, band=band)


def units_inspected(inspected: int, eligible: int, year: int) -> Indicator:
    return Indicator(IndicatorKind.UNITS_INSPECTED, inspected, eligible, year=year,
                     meets_bar=inspected * 100 >= INSPECTION_BAR * eligible if eligible else None)


def findings_handled(done: int, total: int) -> Indicator:
    return Indicator(IndicatorKind.FINDINGS_HANDLED, done, total)


def plan_units_inspected(inspected: int, eligible: int, year: int, plan: str,
                         kinds: tuple[UnitKind, ...], direct: int) -> Indicator:
    """The organisation's units of the counted kinds inspected under an inspection plan in
    its year (on site or through their report: `direct` of them on site), out of all of them."""
    return Indicator(IndicatorKind.PLAN_UNITS_INSPECTED, inspected, eligible, year=year,
                     meets_bar=inspected * 100 >= INSPECTION_BAR * eligible if eligible else None,
                     plan=plan, kinds=kinds, direct=direct)


def plan_findings_handled(done: int, total: int, plan: str) -> Indicator:
    return Indicator(IndicatorKind.PLAN_FINDINGS_HANDLED, done, total, plan=plan)


def periodic_reports(rows: Sequence[PeriodicRow], report_sources: Sequence[str]) -> Indicator:
    """Reports due so far (each unit's, each period's) sent by their due date, out of all due:
    a late one and a missing one both count against it. Only reports count: the periods of
    report obligations and of recurring tasks whose product or content is a report
    (`report_sources`, the plan's and the policy's); another recurring task's are left out."""
    left_out = tuple(dict.fromkeys(row.source for row in rows if not row.report))
    rows = [row for row in rows if row.report]
    due = dict.fromkeys(row.source for row in rows)
    # Named in the plan's and the policy's order; with nothing due yet, those that will count.
    counted = tuple([s for s in report_sources if s in due or not due]
                    + [s for s in due if s not in report_sources])
    on_time = sum(len(row.on_time) for row in rows)
    faults = [LateReport(row.source, row.period, unit, days)
              for row in rows for unit, days in row.late]
    faults += [LateReport(row.source, row.period, unit, None)
               for row in rows for unit in row.missing]
    return Indicator(IndicatorKind.PERIODIC_REPORTS, on_time, on_time + len(faults),
                     faults=tuple(faults), sources=counted, left_out=left_out)
