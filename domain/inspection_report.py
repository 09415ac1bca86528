"""An inspection plan as of a day — what `cchc inspections` lists and what the inspection section
of `cchc status`, the reports and the weekly summary say: each target where it stood that day,
what its conclusion found and how far that was remedied, the counts by mode and by kind of unit
a secretariat's sentences are made of ("đã kiểm tra 12 phòng ban chuyên môn và 13 xã, thị
trấn"), and the PAR-index figures. Pure: the reads (`persistence/inspection_reads.py`) hand in
the rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date

from domain import par_index
from domain.models import InspectionPlan, InspectionTarget
from domain.states import InspectionMode, SubmissionState, TargetState, UnitKind
from domain.status import Status

DONE_STATES = (TargetState.INSPECTED, TargetState.CONCLUDED)


@dataclass(frozen=True)
class Remediation:
    """What a conclusion's findings became: its findings and their remediation items, done on
    time or late, open (overdue among them), and the secretariat's evaluations (đạt / chưa
    đạt) of the items whose completion it reviewed."""

    findings: int = 0
    items: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    passed: int = 0  # đạt
    failed: int = 0  # chưa đạt

    def __add__(self, other: Remediation) -> Remediation:
        return Remediation(*(getattr(self, f.name) + getattr(other, f.name)
                             for f in fields(self)))

    @property
    def done(self) -> int:
        return self.on_time + self.late


@dataclass(frozen=True)
class RemediationItem:
    """One remediation item of a conclusion, as of the day: its unit, its finding, its status
    and the secretariat's latest evaluation of a completion report (None: none decided)."""

    unit_code: str
    finding_code: str | None
    status: Status
    evaluation: SubmissionState | None = None


def remediation_of(items: Iterable[RemediationItem]) -> Remediation:
    items = list(items)
    statuses = Counter(item.status for item in items)
    # An evaluation counts while the item stands as it left it that day: đạt, done; chưa đạt,
    # reopened (a report of the day before a completion or a reopening counts neither).
    evaluations = Counter(item.evaluation for item in items
                          if (item.evaluation is SubmissionState.CONFIRMED and item.status.is_done)
                          or (item.evaluation is SubmissionState.RETURNED
                              and item.status is Status.REOPENED))
    late = statuses[Status.DONE_LATE]
    done = sum(n for status, n in statuses.items() if status.is_done)
    return Remediation(
        findings=len({item.finding_code for item in items}),
        items=len(items), on_time=done - late, late=late, open=len(items) - done,
        overdue=sum(n for status, n in statuses.items() if status.past_deadline),
        passed=evaluations[SubmissionState.CONFIRMED],
        failed=evaluations[SubmissionState.RETURNED])


@dataclass(frozen=True)
class Conclusion:
    document: str  # the conclusion's document (the findings register's "đợt kiểm tra")
    concluded_on: date
    concluded_by: str | None = None  # the issuing unit's code


@dataclass(frozen=True)
class TargetLine:
    """One target as of the day."""

    unit_code: str
    unit_name: str
    unit_kind: UnitKind
    mode: InspectionMode
    state: TargetState
    window_text: str | None
    window_opens: date | None
    window_closes: date | None
    topics: str | None
    inspected_from: date | None  # None while not yet inspected that day
    inspected_to: date | None
    conclusion: Conclusion | None
    has_findings: bool | None
    remediation: Remediation
    window_passed: bool  # not inspected, its window's last day before the day
    added_on: date | None = None
    added_reason: str | None = None
    dropped_on: date | None = None
    dropped_reason: str | None = None

    @property
    def done(self) -> bool:
        return self.state in DONE_STATES


def state_as_of(target: InspectionTarget, conclusion: Conclusion | None,
                as_of: date) -> TargetState | None:
    """Where `target` stood on `as_of`: None before it was added to the plan; a visit not yet
    over, a conclusion not yet issued or a drop not yet decided that day had not happened."""
    if target.added_on is not None and target.added_on > as_of:
        return None
    if target.dropped_on is not None and target.dropped_on <= as_of:
        return TargetState.DROPPED
    if (target.state == TargetState.CONCLUDED and conclusion is not None
            and conclusion.concluded_on <= as_of):
        return TargetState.CONCLUDED
    if (target.state in DONE_STATES and target.inspected_to is not None
            and target.inspected_to <= as_of):
        return TargetState.INSPECTED
    return TargetState.PLANNED


def target_line(target: InspectionTarget, unit_name: str, unit_kind: UnitKind,
                conclusion: Conclusion | None, items: Iterable[RemediationItem],
                as_of: date) -> TargetLine | None:
    """The target's line as of the day (None before it was added to the plan)."""
    state = state_as_of(target, conclusion, as_of)
    if state is None:
        return None
    done = state in DONE_STATES
    concluded = state is TargetState.CONCLUDED
    closes = target.window_closes
    return TargetLine(
        unit_code=target.unit_code, unit_name=unit_name, unit_kind=unit_kind,
        mode=InspectionMode(target.mode), state=state, window_text=target.window_text,
        window_opens=target.window_opens, window_closes=closes, topics=target.topics,
        inspected_from=target.inspected_from if done else None,
        inspected_to=target.inspected_to if done else None,
        conclusion=conclusion if concluded else None,
        has_findings=target.has_findings if concluded else None,
        remediation=remediation_of(items) if concluded else Remediation(),
        window_passed=state is TargetState.PLANNED and closes is not None and closes < as_of,
        added_on=target.added_on, added_reason=target.added_reason,
        dropped_on=target.dropped_on if state is TargetState.DROPPED else None,
        dropped_reason=target.dropped_reason if state is TargetState.DROPPED else None)


def owning_target(unit_code: str, targets: set[str],
                  parents: Mapping[str, str | None]) -> str | None:
    """The target a conclusion's remediation item belongs to: its own unit's, else the nearest
    ancestor's among the conclusion's targets (a finding addressed to a city's office, after
    the city was inspected, is the city's)."""
    seen: set[str] = set()
    code: str | None = unit_code
    while code is not None and code not in seen:
        if code in targets:
            return code
        seen.add(code)
        code = parents.get(code)
    return None


@dataclass(frozen=True)
class UnitFacts:
    """What the reading needs of a unit."""

    code: str
    name: str
    parent: str | None
    kind: UnitKind
    active: bool = True


def counted_units(units: Mapping[str, UnitFacts], root: str | None
                  ) -> tuple[dict[str, UnitKind], tuple[UnitKind, ...]]:
    """The units the PAR index counts for the organisation rooted at `root` (code → kind) and
    the kinds it counts: the active units below it of the kinds `par_index.COUNTED_KINDS` names
    for its kind (every unit below it, for another kind); none without a root."""
    if root is None or root not in units:
        return {}, ()
    counted = par_index.COUNTED_KINDS.get(units[root].kind, ())
    children: dict[str, list[str]] = {}
    for unit in units.values():
        if unit.parent is not None:
            children.setdefault(unit.parent, []).append(unit.code)
    below, todo = set(), list(children.get(root, []))
    while todo:
        code = todo.pop()
        if code not in below and code != root:
            below.add(code)
            todo.extend(children.get(code, []))
    return ({code: units[code].kind for code in sorted(below)
             if units[code].active and (not counted or units[code].kind in counted)}, counted)


@dataclass(frozen=True)
class KindCounts:
    """Targets by mode and by kind of unit: planned (not dropped) and done (inspected or
    concluded)."""

    planned: Mapping[tuple[InspectionMode, UnitKind], int]
    done: Mapping[tuple[InspectionMode, UnitKind], int]

    def of(self, which: str, mode: InspectionMode | None = None) -> Counter[UnitKind]:
        """`which` ("planned" or "done") per kind, for one mode or both."""
        counts: Counter[UnitKind] = Counter()
        for (m, kind), n in getattr(self, which).items():
            if mode is None or m is mode:
                counts[kind] += n
        return counts


def kind_counts(lines: Iterable[TargetLine]) -> KindCounts:
    lines = [line for line in lines if line.state is not TargetState.DROPPED]
    return KindCounts(Counter((line.mode, line.unit_kind) for line in lines),
                      Counter((line.mode, line.unit_kind) for line in lines if line.done))


@dataclass
class PlanReading:
    """An inspection plan as of a day: its targets in the plan's order, the counts, the totals
    of what its conclusions found and the PAR-index figures."""

    plan: InspectionPlan
    as_of: date
    targets: list[TargetLine]
    counts: KindCounts
    remediation: Remediation
    indicators: list[par_index.Indicator] = field(default_factory=list)
    owner: UnitFacts | None = None  # the organisation keeping the plan

    @property
    def active(self) -> list[TargetLine]:
        return [t for t in self.targets if t.state is not TargetState.DROPPED]

    @property
    def done(self) -> list[TargetLine]:
        return [t for t in self.targets if t.done]

    @property
    def concluded(self) -> list[TargetLine]:
        return [t for t in self.targets if t.state is TargetState.CONCLUDED]

    @property
    def waiting(self) -> list[TargetLine]:
        """Not yet inspected that day."""
        return [t for t in self.targets if t.state is TargetState.PLANNED]

    @property
    def dropped(self) -> list[TargetLine]:
        return [t for t in self.targets if t.state is TargetState.DROPPED]


def plan_reading(plan: InspectionPlan, lines: Sequence[TargetLine], as_of: date,
                 eligible: Mapping[str, UnitKind], counted: Sequence[UnitKind],
                 owner: UnitFacts | None = None) -> PlanReading:
    """The plan's reading; `eligible`: the units the PAR index counts for the plan's
    organisation `owner` (code → kind), of the kinds `counted`."""
    total = sum((line.remediation for line in lines), Remediation())
    inspected = [line for line in lines if line.done and line.unit_code in eligible]
    direct = sum(line.mode is InspectionMode.DIRECT for line in inspected)
    return PlanReading(plan, as_of, list(lines), kind_counts(lines), total, [
        par_index.plan_units_inspected(len(inspected), len(eligible), plan.year, plan.code,
                                       tuple(counted), direct),
        par_index.plan_findings_handled(total.done, total.items, plan.code),
    ], owner)
