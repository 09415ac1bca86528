"""The JSON documents the engine prints (README: `cchc status --json`, `cchc items --json`,
`cchc inspections --json`): the `cchc.status/1`, `cchc.items/1` and `cchc.inspections/1`
schemas, written from the domain's facts. Codes stay stable English words; dates are ISO; the
`*_text` fields are what the secretariat reads."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from domain.inspection_report import KindCounts, PlanReading, Remediation, TargetLine
from domain.par_index import Indicator
from domain.reports import StatusReport
from domain.states import DeadlineKind, InspectionMode, UnitKind
from domain.status import Status
from domain.tallies import ItemLine, Tally
from notifications.words import format_percent, label

STATUS_SCHEMA = "cchc.status/1"
ITEMS_SCHEMA = "cchc.items/1"
INSPECTIONS_SCHEMA = "cchc.inspections/1"


def item_identity(line: ItemLine) -> dict[str, Any]:
    """What names an item in every JSON listing: `cchc items`, and `cchc status`'s lists."""
    return {
        "code": line.code,
        "kind": line.kind,
        "source": line.scope,
        "content": line.content,
        "unit": line.unit_code,
        "deadline_text": line.deadline_text,
    }


def item_dict(line: ItemLine) -> dict[str, Any]:
    """One item in the `cchc.items/1` schema."""
    return item_identity(line) | {
        "deadline_kind": _kind_shown(DeadlineKind(line.deadline_kind)),
        "deadline_rule": line.deadline_rule,
        "due_date": _iso(line.due),
        "original_due_date": _iso(line.original_due),
        "opens_on": _iso(line.opens),
        "status": line.status.value,
        "status_text": label(line.status),
        "completed_on": _iso(line.completed_on),
        "partners": list(line.partners),
    }


def items_document(as_of: date, lines: Iterable[ItemLine]) -> dict[str, Any]:
    return {"schema": ITEMS_SCHEMA, "as_of": as_of.isoformat(),
            "items": [item_dict(line) for line in lines]}


def tally_dict(tally: Tally, *, with_rates: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "total": tally.total,
        "done": tally.done,
        "in_progress": tally.total - tally.done,
        "overdue": tally.overdue,
        "undetermined": tally.undetermined,
        "by_status": {s.value: tally.statuses[s] for s in Status},
    }
    if with_rates:
        rates = tally.rates
        out |= {
            "due_total": rates.due_total,
            "due_done": rates.due_done,
            "rate_all": _number(rates.of_all),
            "rate_all_text": format_percent(rates.of_all),
            "rate_due": _number(rates.of_due),
            "rate_due_text": format_percent(rates.of_due),
        }
    return out


def status_document(report: StatusReport) -> dict[str, Any]:
    """The report in the `cchc.status/1` schema; with an inspection plan, its reading too."""
    document = _status_body(report)
    if report.inspection is not None:
        document["inspection_plan"] = inspection_plan_dict(report.inspection)
    return document


def _status_body(report: StatusReport) -> dict[str, Any]:
    plan = report.plan
    return {
        "schema": STATUS_SCHEMA,
        "as_of": report.as_of.isoformat(),
        "plan": None if plan is None else {
            "code": plan.code,
            "year": plan.year,
            "title": plan.title,
            "decision": plan.decision_number,
            "decision_date": _iso(plan.decision_date),
        },
        "tasks": tally_dict(report.tasks, with_rates=True),
        "remediation": tally_dict(report.remediation, with_rates=True),
        "by_group": [
            {"numeral": g.numeral, "title": g.title} | tally_dict(tally)
            for g, tally in report.groups
        ],
        "shared_tasks": [
            {"code": s.code, "group": s.group, "units_done": s.units_done,
             "units_total": s.units_total} for s in report.shared
        ],
        "by_unit": [
            {"unit": u.code, "name": u.name} | tally_dict(tally) for u, tally in report.units
        ],
        "overdue": [
            item_identity(line) | {
                "due_date": _iso(line.due),
                "original_due_date": _iso(line.original_due),
                "overdue_working_days": line.overdue_days,
            }
            for line in report.overdue
        ],
        "periodic_reports": [
            {"source": r.source, "name": r.name, "period": r.period,
             "due_date": _iso(r.due), "on_time": r.on_time,
             "late": [{"unit": u, "working_days": d} for u, d in r.late],
             "missing": r.missing} for r in report.periodic
        ],
        "undetermined": [item_identity(line) for line in report.undetermined],
    }


def inspections_document(as_of: date, readings: Iterable[PlanReading]) -> dict[str, Any]:
    """`cchc inspections --json`: each inspection plan as of the day."""
    return {"schema": INSPECTIONS_SCHEMA, "as_of": as_of.isoformat(),
            "plans": [inspection_plan_dict(reading) for reading in readings]}


def inspection_plan_dict(reading: PlanReading) -> dict[str, Any]:
    plan = reading.plan
    return {
        "code": plan.code, "year": plan.year, "title": plan.title,
        "decision": plan.decision_number, "decision_date": _iso(plan.decision_date),
        "issuing_unit": plan.issuing_unit_code, "owner_unit": plan.owner_unit_code,
        "inspecting_body": plan.inspecting_body, "topics": plan.topics,
        "targets": [target_dict(line) for line in reading.targets],
        "totals": {
            "planned": len(reading.active), "inspected": len(reading.done),
            "concluded": len(reading.concluded),
            "with_findings": sum(bool(t.has_findings) for t in reading.concluded),
            "not_inspected": len(reading.waiting),
            "window_passed": sum(t.window_passed for t in reading.waiting),
            "dropped": len(reading.dropped),
            "remediation": remediation_dict(reading.remediation),
        },
        "by_mode": {mode.value: _kind_counts(reading.counts, mode) for mode in InspectionMode},
        "by_kind": _kind_counts(reading.counts, None),
        "indicators": [indicator_dict(i) for i in reading.indicators],
    }


def target_dict(line: TargetLine) -> dict[str, Any]:
    conclusion = line.conclusion
    return {
        "unit": line.unit_code, "name": line.unit_name,
        "unit_kind": line.unit_kind.value, "unit_kind_text": label(line.unit_kind),
        "mode": line.mode.value, "mode_text": label(line.mode),
        "state": line.state.value, "state_text": label(line.state),
        "window_text": line.window_text, "window_opens": _iso(line.window_opens),
        "window_closes": _iso(line.window_closes), "window_passed": line.window_passed,
        "topics": line.topics,
        "inspected_from": _iso(line.inspected_from), "inspected_to": _iso(line.inspected_to),
        "conclusion": None if conclusion is None else {
            "document": conclusion.document, "date": _iso(conclusion.concluded_on),
            "by": conclusion.concluded_by},
        "has_findings": line.has_findings,
        "remediation": remediation_dict(line.remediation),
        "added_on": _iso(line.added_on), "added_reason": line.added_reason,
        "dropped_on": _iso(line.dropped_on), "dropped_reason": line.dropped_reason,
    }


def remediation_dict(r: Remediation) -> dict[str, int]:
    return {"findings": r.findings, "items": r.items, "done_on_time": r.on_time,
            "done_late": r.late, "open": r.open, "overdue": r.overdue,
            "evaluated_passed": r.passed, "evaluated_failed": r.failed}


def indicator_dict(indicator: Indicator) -> dict[str, Any]:
    return {"kind": indicator.kind.value, "done": indicator.done, "total": indicator.total,
            "rate": _number(indicator.value), "rate_text": format_percent(indicator.value),
            "year": indicator.year, "meets_bar": indicator.meets_bar,
            "unit_kinds": [k.value for k in indicator.kinds], "direct": indicator.direct}


def _kind_counts(counts: KindCounts, mode: InspectionMode | None) -> dict[str, Any]:
    """Planned and inspected targets per unit kind (the kinds with any), and their sums."""
    planned, done = counts.of("planned", mode), counts.of("done", mode)
    return {"planned": sum(planned.values()), "inspected": sum(done.values()),
            "by_unit_kind": {k.value: {"planned": planned[k], "inspected": done[k]}
                             for k in UnitKind if planned[k]}}


def _kind_shown(kind: DeadlineKind) -> str:
    """The kind as `cchc items` names it: dated | recurring | continuous | undetermined."""
    return "dated" if kind is DeadlineKind.FIXED else kind.value


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
