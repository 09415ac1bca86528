"""The report's detail tables read from the ledger and the findings register: the overdue list
with the last notice sent and the escalation level reached, and the remediation picture per
inspection (đợt kiểm tra)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.status import percent


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
