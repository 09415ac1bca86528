"""An inspection plan's target in words: what `cchc inspection …` says it recorded, what
`cchc explain UNIT --plan CODE` answers (`domain/explanation.py: TargetFacts`), and the
cycle's events as its history shows them."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import TYPE_CHECKING

from domain.events import (
    EventName,
    InspectionConcluded,
    InspectionDone,
    TargetAdded,
    TargetDropped,
    TargetReminded,
)
from domain.explanation import TargetFacts
from domain.states import InspectionMode, TargetTrack
from notifications.imports import import_summary_text
from notifications.words import day_text, label

if TYPE_CHECKING:  # `cchc status` loads this module, and needs no importer to start
    from domain.importers import ImportSummary


def _d(day: date | None) -> str:
    return day_text(day, "—")


def _who(facts: TargetFacts) -> str:
    return f"{facts.unit_code} ({facts.unit_name})"


def visit_text(mode: InspectionMode, first: date, last: date) -> str:
    """"từ 23/09/2019 đến 25/09/2019"; by report, the report received then reviewed."""
    if mode is InspectionMode.BY_REPORT:
        if first == last:
            return f"báo cáo nhận và xem xét ngày {_d(first)}"
        return f"báo cáo nhận ngày {_d(first)}, xem xét ngày {_d(last)}"
    return f"ngày {_d(first)}" if first == last else f"từ {_d(first)} đến {_d(last)}"


def window_text(facts: TargetFacts) -> str:
    if facts.window_text is None:
        return "chưa ghi thời gian"
    if facts.window_closes is None:
        return f"“{facts.window_text}” (không nêu ngày cụ thể)"
    opens = f"từ {_d(facts.window_opens)} " if facts.window_opens else ""
    return f"“{facts.window_text}” ({opens}đến {_d(facts.window_closes)})"


def findings_text(has_findings: bool | None) -> str:
    return "có tồn tại, hạn chế" if has_findings else "không có tồn tại, hạn chế"


def visit_recorded(facts: TargetFacts) -> str:
    return (f"Đã ghi nhận kiểm tra {label(facts.mode)} {_who(facts)}, kế hoạch "
            f"{facts.plan_code}: {visit_text(facts.mode, facts.inspected_from, facts.inspected_to)}.")


def conclusion_recorded(facts: TargetFacts) -> str:
    return (f"Đã ghi nhận kết luận kiểm tra {_who(facts)}, kế hoạch {facts.plan_code}: "
            f"{facts.doc} ngày {_d(facts.concluded_on)}, {findings_text(facts.has_findings)}.")


def findings_imported(facts: TargetFacts, file_name: str, summary: ImportSummary) -> str:
    """A conclusion recorded with its findings file (the secretariat's pages): what it wrote."""
    return (f"{conclusion_recorded(facts)}\nĐã nhập {file_name}: "
            f"{import_summary_text(summary)}")


def target_added(facts: TargetFacts) -> str:
    return (f"Đã thêm {_who(facts)} vào kế hoạch {facts.plan_code}: kiểm tra {label(facts.mode)}, "
            f"thời gian {window_text(facts)}; lý do: {facts.added_reason}.")


def target_dropped(facts: TargetFacts) -> str:
    return (f"Đã đưa {_who(facts)} ra khỏi kế hoạch {facts.plan_code}; lý do: "
            f"{facts.dropped_reason}.")


def target_lines(facts: TargetFacts) -> list[str]:
    """`cchc explain UNIT --plan CODE`: the target, what the plan says of it, what was recorded
    and its conclusion's remediation items, each with its status on the day."""
    decision = (f" ({facts.decision_number} ngày {_d(facts.decision_date)})"
                if facts.decision_number else "")
    lines = [f"[{facts.plan_code}] {_who(facts)}",
             f"Kế hoạch kiểm tra: {facts.plan_title}{decision}.",
             f"Hình thức: kiểm tra {label(facts.mode)}. Thời gian: {window_text(facts)}."]
    if facts.topics:
        lines.append(f"Nội dung kiểm tra: {facts.topics}")
    if facts.added_on:
        lines.append(f"Thêm vào kế hoạch ngày {_d(facts.added_on)}; lý do: {facts.added_reason}.")
    lines.append(f"Tình trạng ngày {_d(facts.as_of)}: {label(facts.state)}.")
    if facts.dropped_on:
        lines.append(f"Đưa ra khỏi kế hoạch ngày {_d(facts.dropped_on)}; lý do: "
                     f"{facts.dropped_reason}.")
    if facts.inspected_from:
        lines.append("Đã kiểm tra: "
                     f"{visit_text(facts.mode, facts.inspected_from, facts.inspected_to)}.")
    if facts.doc:
        by = f" của {facts.concluded_by}" if facts.concluded_by else ""
        lines.append(f"Kết luận: {facts.doc} ngày {_d(facts.concluded_on)}{by}, "
                     f"{findings_text(facts.has_findings)}.")
    if facts.remediation:
        lines.append(f"Nhiệm vụ khắc phục ({len(facts.remediation)}):")
        lines += [f"  • {item.code} ({item.unit_code}), hạn {_d(item.due)}: "
                  f"{label(item.status)} — {item.content}" for item in facts.remediation]
    return lines


def _by(e: InspectionDone | InspectionConcluded | TargetAdded | TargetDropped) -> str:
    """Who recorded it on the secretariat's pages (the command line names nobody)."""
    return f"; bởi {e.by}" if e.by else ""


def _done_text(e: InspectionDone, _zone: tzinfo) -> str:
    mode = InspectionMode(e.mode)
    text = f"{e.unit}, kiểm tra {label(mode)}: {visit_text(mode, e.inspected_from, e.inspected_to)}"
    text += {True: ", trong thời gian dự kiến", False: ", sau thời gian dự kiến"}.get(
        e.within_window, "")
    if e.previous_from:
        text += f" (sửa ngày đã ghi: {visit_text(mode, e.previous_from, e.previous_to)})"
    return text + _by(e)


def _concluded_text(e: InspectionConcluded, _zone: tzinfo) -> str:
    rows = f" ({e.findings} dòng tồn tại, hạn chế)" if e.findings else ""
    return f"{e.unit}: {e.doc} ngày {_d(e.on)}, {findings_text(e.has_findings)}{rows}{_by(e)}"


def _added_text(e: TargetAdded, _zone: tzinfo) -> str:
    window = f", thời gian “{e.window}”" if e.window else ""
    return (f"{e.unit} vào kế hoạch {e.plan}: kiểm tra {label(InspectionMode(e.mode))}{window}; "
            f"lý do: {e.reason}{_by(e)}")


def _dropped_text(e: TargetDropped, _zone: tzinfo) -> str:
    return f"{e.unit} khỏi kế hoạch {e.plan}; lý do: {e.reason}{_by(e)}"


def _reminded_text(e: TargetReminded, _zone: tzinfo) -> str:
    """A rung of the ladder for inspections: what about, counted from which day, to whom."""
    skipped = f"; bỏ qua {', '.join(e.skipped)}" if e.skipped else ""
    to = f", tới {e.to}" if e.to else ""
    return (f"{e.unit}: {label(TargetTrack(e.track))} (bậc {e.rung}, tính từ "
            f"ngày {_d(e.due)}){to}{skipped}")


# The cycle's events in words (`cchc history inspection`): their names, their records.
INSPECTION_LABELS = {
    EventName.INSPECTION_DONE: "đã kiểm tra",
    EventName.INSPECTION_CONCLUDED: "kết luận kiểm tra",
    EventName.TARGET_ADDED: "thêm đơn vị vào kế hoạch kiểm tra",
    EventName.TARGET_DROPPED: "đưa đơn vị ra khỏi kế hoạch kiểm tra",
    EventName.TARGET_REMINDED: "nhắc kiểm tra",
}
INSPECTION_DETAILS = {InspectionDone: _done_text, InspectionConcluded: _concluded_text,
                      TargetAdded: _added_text, TargetDropped: _dropped_text,
                      TargetReminded: _reminded_text}
