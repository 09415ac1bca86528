"""The report's detail tables read from the ledger and the findings register: the overdue list
with the last notice sent and the escalation level reached, and the remediation picture per
inspection (đợt kiểm tra)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select
from sqlmodel import Session

from domain.ladder import Track, parse_rung
from domain.models import Finding, Inspection, LadderEntry, Notice, NoticeEntry, TrackedItem
from domain.states import LedgerState, NoticeState
from domain.status import Status, percent

_CHUNK = 500  # ids per IN (…) query


@dataclass(frozen=True)
class OverdueLine:
    """One row of the overdue list (danh sách nhiệm vụ quá hạn)."""

    unit_code: str
    unit_name: str
    code: str
    kind: str
    content: str
    due: date
    overdue_days: int
    last_notice: date | None  # the check day of the last notice sent about it, on or before as_of
    last_rung: str | None
    escalation_level: int  # the highest E-rung queued for the due date in force; 0 for none

    @property
    def last_notice_text(self) -> str:
        if self.last_notice is None:
            return "chưa gửi"
        return f"{self.last_notice:%d/%m/%Y} ({self.last_rung})"

    @property
    def escalation_text(self) -> str:
        if self.escalation_level == 0:
            return "chưa chuyển cấp trên"
        return f"cấp {self.escalation_level} (E{self.escalation_level})"


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


@dataclass(frozen=True)
class InspectionTally:
    """Kết quả khắc phục of one inspection: its findings and their remediation items."""

    name: str
    concluded_on: date
    findings: int
    done: int
    overdue: int
    items: int

    @property
    def open(self) -> int:
        """Not done and not overdue: being remediated within the deadline (or without one)."""
        return self.items - self.done - self.overdue

    @property
    def share_handled(self):
        return percent(self.done, self.items)


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
                tally["overdue"] += line.status is Status.OVERDUE
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
