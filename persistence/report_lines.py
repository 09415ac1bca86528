"""The report's reads over the ledger and outbox: overdue lines, inspections' tallies."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from sqlalchemy import extract, func, select
from sqlmodel import Session

from domain.ladder import Track, parse_rung
from domain.models import (
    Finding,
    Inspection,
    LadderEntry,
    Notice,
    NoticeEntry,
    TrackedItem,
)
from domain.report_lines import InspectionTally, OverdueLine
from domain.states import LedgerState, NoticeState

_CHUNK = 500  # ids per IN (…) query


def overdue_lines(session: Session, lines: Sequence, unit_names: dict[str, str],
                  as_of: date) -> list[OverdueLine]:
    """`lines` are the report's overdue item lines (domain.reports.ItemLine), most overdue
    first; the ledger says what was sent and how far the item climbed as of `as_of`."""
    ids = [line.item_id for line in lines]
    last: dict[int, tuple[date, str]] = {}
    levels: dict[int, int] = {}
    dues = {line.item_id: line.due for line in lines}
    for chunk in _chunks(ids):
        sent = session.execute(
            select(LadderEntry.item_id, Notice.check_date, LadderEntry.rung)
            .join(NoticeEntry, NoticeEntry.ledger_id == LadderEntry.id)
            .join(Notice, Notice.id == NoticeEntry.notice_id)
            .where(LadderEntry.item_id.in_(chunk), Notice.state == NoticeState.SENT,
                   Notice.check_date <= as_of)
            .order_by(Notice.check_date, LadderEntry.id)
        )
        for item_id, day, rung in sent:
            last[item_id] = (day, rung)
        escalations = session.execute(
            select(LadderEntry.item_id, LadderEntry.rung, LadderEntry.due_date)
            .where(LadderEntry.item_id.in_(chunk), LadderEntry.track == Track.ESCALATION.value,
                   LadderEntry.state == LedgerState.QUEUED, LadderEntry.check_date <= as_of)
        )
        for item_id, rung, due in escalations:
            if due == dues[item_id]:
                levels[item_id] = max(levels.get(item_id, 0), parse_rung(rung)[1])
    return [
        OverdueLine(
            unit_code=line.unit_code,
            unit_name=unit_names.get(line.unit_code, line.unit_code),
            code=line.code,
            kind=line.kind,
            content=line.content,
            due=line.due,
            overdue_days=line.overdue_days,
            last_notice=last[line.item_id][0] if line.item_id in last else None,
            last_rung=last[line.item_id][1] if line.item_id in last else None,
            escalation_level=levels.get(line.item_id, 0),
        )
        for line in lines
    ]


def inspection_tallies(session: Session, lines: Sequence) -> list[InspectionTally]:
    """Per inspection, in the order they were concluded, for the remediation `lines` given."""
    by_finding: dict[str, list] = {}
    for line in lines:
        if line.finding_code is not None:
            by_finding.setdefault(line.finding_code, []).append(line)
    tallies: dict[int, dict] = {}
    inspections: dict[int, Inspection] = {}
    for chunk in _chunks(list(by_finding)):
        rows = session.execute(
            select(Finding.code, Inspection).join(Inspection, Inspection.id == Finding.inspection_id)
            .where(Finding.code.in_(chunk))
        ).all()
        for finding_code, inspection in rows:
            inspections[inspection.id] = inspection
            tally = tallies.setdefault(inspection.id, {"findings": 0, "done": 0, "overdue": 0,
                                                       "items": 0})
            tally["findings"] += 1
            for line in by_finding[finding_code]:
                tally["items"] += 1
                tally["done"] += line.status.is_done
                tally["overdue"] += line.status.past_deadline
    ordered = sorted(inspections.values(), key=lambda i: (i.concluded_on, i.name))
    return [InspectionTally(i.name, i.concluded_on, **tallies[i.id]) for i in ordered]


def units_inspected_in(session: Session, year: int) -> set[str]:
    """Units holding a remediation item from an inspection concluded in `year`: the units the
    findings register shows as inspected that year."""
    return set(
        session.execute(
            select(func.distinct(TrackedItem.unit_code))
            .join(Finding, Finding.code == TrackedItem.finding_code)
            .join(Inspection, Inspection.id == Finding.inspection_id)
            .where(extract("year", Inspection.concluded_on) == year)
        ).scalars()
    )


def _chunks(values: list) -> Iterator[list]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]
