"""Reading digests back for rendering: for each notice, the items (and inspection targets) it
carries with what the recipient needs to act on them. Read for a batch of notices at once (a
few queries per batch)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.ladder import RungKind, parse_rung
from domain.recipients import UnitInfo
from domain.states import InspectionMode, SourceKind, TargetTrack


@dataclass(frozen=True)
class SentBefore:
    """A notice already sent about an item: on which day, which rung, to whom."""

    rung: str
    day: date
    recipient: str
    recipient_unit: UnitInfo | None  # whose head or focal officer `recipient` is

    @property
    def kind(self) -> RungKind:
        return parse_rung(self.rung)[0]


@dataclass(frozen=True)
class ItemSource:
    """Where an item comes from: a plan (its title and decision number), an inspection, or a
    report obligation (its name)."""

    name: str
    decision: str | None = None
    kind: SourceKind = SourceKind.PLAN


@dataclass(frozen=True)
class DigestLine:
    """One item in a digest, with what the recipient needs to act on it."""

    code: str
    content: str
    source: ItemSource
    unit_code: str
    unit_name: str
    deadline_text: str
    due: date
    original_due: date | None
    rung: str
    kind: RungKind
    role: str
    remaining_days: int
    overdue_days: int
    earlier: tuple[SentBefore, ...]  # notices already sent about it, oldest first
    # For an escalation: which time its recipient is asked to act on it (2: đôn đốc lần 2,
    # where the chain's ceiling already had the previous level). 0 for the unit's own rungs.
    escalation_round: int = 0
    # When the unit acknowledged receiving its notices (đã nhận) on its page, if it did.
    acknowledged_on: date | None = None
    # Reopened by an evaluation (chưa đạt): `original_due` is its first deadline, not one
    # extended.
    reopened: bool = False


@dataclass(frozen=True)
class TargetLine:
    """One inspection target in a digest (`domain/inspection_ladder.py`): for its head, the
    report to send; for the secretariat, the window passed or the conclusion awaited."""

    plan_code: str
    plan_title: str
    unit_code: str
    unit_name: str
    mode: InspectionMode
    track: TargetTrack
    role: str
    due: date  # the report's due day; the window's last day; the inspection's last day
    window_text: str | None
    window_opens: date | None
    window_closes: date | None
    inspected_from: date | None
    inspected_to: date | None
    remaining_days: int  # working days from the check to `due`
    overdue_days: int  # working days from `due` to the check


@dataclass(frozen=True)
class DigestView:
    notice_id: int
    check_date: date
    recipient: str
    recipient_unit: UnitInfo | None
    cc: tuple[str, ...]
    lines: tuple[DigestLine, ...]
    targets: tuple[TargetLine, ...] = ()
