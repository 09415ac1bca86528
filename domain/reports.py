"""The progress picture as of a day: counts per status, per group and per unit, both completion
rates, the overdue items, the remediation per inspection and the PAR-index indicators — what
`cchc status` and `cchc report` show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain import par_index
from domain.item_list import item_identity
from domain.models import Plan, TaskGroup, Unit
from domain.occurrences import PeriodicRow
from domain.report_lines import InspectionTally, OverdueLine
from domain.status import Status, format_number, format_percent
from domain.tallies import ItemLine, Tally

_NAMED = 20  # idle units named in the summary; the rest are counted


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

    @property
    def overdue(self) -> list[ItemLine]:
        return most_overdue_first(self.items)

    @property
    def undetermined(self) -> list[ItemLine]:
        """Open items whose deadline names no calendar date: the secretariat gives each one."""
        return [line for line in self.items if line.undetermined]

    def progress_line(self) -> str:
        """The secretariat's own sentence: "đã hoàn thành 36/70 nhiệm vụ (đạt 51,4%), …"; a
        plain statement when there is nothing to count."""
        t = self.tasks
        if t.total == 0:
            return self._no_tasks()
        done, total, running = (format_number(n) for n in (t.done, t.total, t.total - t.done))
        return (
            f"đã hoàn thành {done}/{total} nhiệm vụ (đạt {format_percent(t.rates.of_all)}), "
            f"đang thực hiện {running}/{total} nhiệm vụ"
        )

    def summary(self) -> list[str]:
        """The report's opening sentences, each a plain statement (no "0/0", no "—")."""
        t, r = self.tasks, self.remediation
        day = f"{self.as_of:%d/%m/%Y}"
        lines = [f"Đến ngày {day}, {self.progress_line()}." if t.total
                 else _sentence(self._no_tasks())]
        if t.due_total:
            lines.append(f"Hoàn thành nhiệm vụ đã đến hạn: {format_number(t.due_done)}/"
                         f"{format_number(t.due_total)} (đạt {format_percent(t.rates.of_due)}).")
        elif t.total and t.undated == t.total:
            kinds = "thường xuyên, định kỳ hoặc chưa xác định" if t.undetermined else \
                "thường xuyên hoặc định kỳ"
            lines.append(f"{_all_of(t.total)} không có hạn cụ thể ({kinds}): "
                         "chưa có nhiệm vụ nào đến hạn để tính tỷ lệ hoàn thành nhiệm vụ đã "
                         "đến hạn.")
        elif t.total:
            lines.append(f"Đến ngày {day} chưa có nhiệm vụ nào đến hạn: chưa tính tỷ lệ hoàn "
                         "thành nhiệm vụ đã đến hạn.")
        if self.shared:
            lines.append("Nhiệm vụ giao nhiều đơn vị: " + "; ".join(
                f"{s.code} ({s.group}): {format_number(s.units_done)}/"
                f"{format_number(s.units_total)} đơn vị hoàn thành" for s in self.shared) + ".")
        coming = [p for p in self.periodic if p.due > self.as_of]
        if coming:
            lines.append("Báo cáo định kỳ đến hạn trong tuần tới: " + "; ".join(
                f"{p.source} {p.title} (hạn {p.due:%d/%m/%Y})" for p in coming) + ".")
        missing = [p for p in self.periodic if p.missing]
        if missing:
            lines.append("Báo cáo định kỳ chưa gửi: " + "; ".join(
                f"{p.source} {p.title} ({p.missing_text})" for p in missing) + ".")
        if r.total:
            lines.append(f"Nhiệm vụ khắc phục sau kiểm tra: đã hoàn thành {format_number(r.done)}/"
                         f"{format_number(r.total)}, quá hạn {format_number(r.overdue)}.")
        else:
            lines.append("Không có nhiệm vụ khắc phục sau kiểm tra.")
        if self.undetermined:
            codes = ", ".join(line.code for line in self.undetermined[:_NAMED])
            more = len(self.undetermined) - _NAMED
            lines.append(f"Chưa xác định thời hạn: {format_number(len(self.undetermined))} nhiệm "
                         f"vụ ({codes}" + (f" và {format_number(more)} nhiệm vụ khác" if more > 0
                                           else "") + "), cần đặt thời hạn.")
        if self.idle_units:
            names = ", ".join(f"{u.code} ({u.name})" for u in self.idle_units[:_NAMED])
            more = len(self.idle_units) - _NAMED
            lines.append(f"{format_number(len(self.idle_units))} đơn vị không có nhiệm vụ nào: "
                         f"{names}" + (f" và {format_number(more)} đơn vị khác." if more > 0
                                       else "."))
        return lines

    def _no_tasks(self) -> str:
        if self.plan is None:
            return "chưa có kế hoạch cải cách hành chính nào"
        if self.scope is not None:
            return (f"đơn vị {self.scope.code} ({self.scope.name}) không chủ trì nhiệm vụ nào "
                    f"của kế hoạch {self.plan.code}")
        return f"kế hoạch {self.plan.code} chưa có nhiệm vụ nào"

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": "cchc.status/1",
            "as_of": self.as_of.isoformat(),
            "plan": None
            if self.plan is None
            else {
                "code": self.plan.code,
                "year": self.plan.year,
                "title": self.plan.title,
                "decision": self.plan.decision_number,
                "decision_date": _iso(self.plan.decision_date),
            },
            "tasks": self.tasks.as_dict(with_rates=True),
            "remediation": self.remediation.as_dict(with_rates=True),
            "by_group": [
                {"numeral": g.numeral, "title": g.title} | tally.as_dict()
                for g, tally in self.groups
            ],
            "shared_tasks": [
                {"code": s.code, "group": s.group, "units_done": s.units_done,
                 "units_total": s.units_total} for s in self.shared
            ],
            "by_unit": [
                {"unit": u.code, "name": u.name} | tally.as_dict() for u, tally in self.units
            ],
            "overdue": [
                item_identity(line) | {
                    "due_date": _iso(line.due),
                    "original_due_date": _iso(line.original_due),
                    "overdue_working_days": line.overdue_days,
                }
                for line in self.overdue
            ],
            "periodic_reports": [
                {"source": r.source, "name": r.name, "period": r.period,
                 "due_date": _iso(r.due), "on_time": r.on_time,
                 "late": [{"unit": u, "working_days": d} for u, d in r.late],
                 "missing": r.missing} for r in self.periodic
            ],
            "undetermined": [item_identity(line) for line in self.undetermined],
        }


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def _all_of(count: int) -> str:
    return "Nhiệm vụ duy nhất của kế hoạch" if count == 1 else f"Cả {format_number(count)} nhiệm vụ"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def most_overdue_first(lines: list[ItemLine]) -> list[ItemLine]:
    overdue = [line for line in lines if line.status is Status.OVERDUE]
    return sorted(overdue, key=lambda line: (-line.overdue_days, line.scope, line.code))
