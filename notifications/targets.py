"""An inspection plan's target in words: what `cchc inspection …` says it recorded, what
`cchc explain UNIT --plan CODE` answers (`domain/explanation.py: TargetFacts`), and the
cycle's events as its history shows them."""

from __future__ import annotations

from datetime import date

from domain.events import EventName
from domain.explanation import TargetFacts
from domain.states import InspectionMode, TargetTrack
from notifications.words import day_text, label


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


def _from_iso(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _done_text(d: dict) -> str:
    mode = InspectionMode(d["mode"])
    text = (f"{d.get('unit')}, kiểm tra {label(mode)}: "
            f"{visit_text(mode, _from_iso(d['inspected_from']), _from_iso(d['inspected_to']))}")
    text += {True: ", trong thời gian dự kiến", False: ", sau thời gian dự kiến"}.get(
        d.get("within_window"), "")
    if d.get("previous_from"):
        before = visit_text(mode, _from_iso(d["previous_from"]), _from_iso(d["previous_to"]))
        text += f" (sửa ngày đã ghi: {before})"
    return text


def _concluded_text(d: dict) -> str:
    rows = f" ({d['findings']} dòng tồn tại, hạn chế)" if d.get("findings") else ""
    return (f"{d.get('unit')}: {d.get('doc')} ngày {_d(_from_iso(d.get('on')))}, "
            f"{findings_text(d.get('has_findings'))}{rows}")


def _added_text(d: dict) -> str:
    window = f", thời gian “{d['window']}”" if d.get("window") else ""
    return (f"{d.get('unit')} vào kế hoạch {d.get('plan')}: kiểm tra "
            f"{label(InspectionMode(d['mode']))}{window}; lý do: {d.get('reason')}")


def _reminded_text(d: dict) -> str:
    """A rung of the ladder for inspections: what about, counted from which day, to whom."""
    skipped = f"; bỏ qua {', '.join(d['skipped'])}" if d.get("skipped") else ""
    to = f", tới {d['to']}" if d.get("to") else ""
    return (f"{d.get('unit')}: {label(TargetTrack(d['track']))} (bậc {d.get('rung')}, tính từ "
            f"ngày {_d(_from_iso(d.get('due')))}){to}{skipped}")


# The cycle's events in words (`cchc history inspection`), by event name.
INSPECTION_EVENTS = {
    EventName.INSPECTION_DONE: ("đã kiểm tra", _done_text),
    EventName.INSPECTION_CONCLUDED: ("kết luận kiểm tra", _concluded_text),
    EventName.TARGET_ADDED: ("thêm đơn vị vào kế hoạch kiểm tra", _added_text),
    EventName.TARGET_DROPPED: (
        "đưa đơn vị ra khỏi kế hoạch kiểm tra",
        lambda d: f"{d.get('unit')} khỏi kế hoạch {d.get('plan')}; lý do: {d.get('reason')}"),
    EventName.TARGET_REMINDED: ("nhắc kiểm tra", _reminded_text),
}
