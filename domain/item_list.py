"""Every tracked item with its deadline as read and its status on a day: what `cchc items`
lists, so the secretariat can check how each cell of its plan was understood."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.states import DeadlineKind
from domain.tallies import ItemLine

SCHEMA = "cchc.items/1"


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
    """One item in the `cchc.items/1` schema (README: `cchc items --json`)."""
    return item_identity(line) | {
        "deadline_kind": DeadlineKind(line.deadline_kind).shown,
        "deadline_rule": line.deadline_rule,
        "due_date": _iso(line.due),
        "original_due_date": _iso(line.original_due),
        "opens_on": _iso(line.opens),
        "status": line.status.value,
        "status_text": line.status.label,
        "completed_on": _iso(line.completed_on),
        "partners": list(line.partners),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
