"""The JSON documents the engine prints (README: `cchc status --json`, `cchc items --json`):
the `cchc.status/1` and `cchc.items/1` schemas, written from the domain's facts. Codes stay
stable English words; dates are ISO; the `*_text` fields are what the secretariat reads."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from domain.reports import StatusReport
from domain.states import DeadlineKind
from domain.status import Status
from domain.tallies import ItemLine, Tally
from notifications.words import format_percent, label

STATUS_SCHEMA = "cchc.status/1"
ITEMS_SCHEMA = "cchc.items/1"


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
    """The report in the `cchc.status/1` schema."""
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


def _kind_shown(kind: DeadlineKind) -> str:
    """The kind as `cchc items` names it: dated | recurring | continuous | undetermined."""
    return "dated" if kind is DeadlineKind.FIXED else kind.value


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
