"""The report's opening sentences, as `cchc status`, `cchc report`, the weekly summary and a
run's progress artifact all begin: the facts of a `StatusReport`, said in the secretariat's
own words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from domain.inspection_report import PlanReading, TargetLine, UnitFacts
from domain.par_index import INSPECTION_BAR, Indicator, IndicatorKind
from domain.reports import StatusReport
from domain.states import InspectionMode, TargetState, UnitKind
from notifications.report_tables import missing_text
from notifications.words import (
    KIND_LEVELS,
    counted_noun,
    format_number,
    format_percent,
    join_and,
    kind_noun,
    label,
    level_noun,
)

_NAMED = 20  # units and items named in a sentence; the rest are counted


def progress_line(report: StatusReport) -> str:
    """The secretariat's own sentence: "đã hoàn thành 36/70 nhiệm vụ (đạt 51,4%), …"; a plain
    statement when there is nothing to count."""
    t = report.tasks
    if t.total == 0:
        return _no_tasks(report)
    done, total, running = (format_number(n) for n in (t.done, t.total, t.total - t.done))
    return (
        f"đã hoàn thành {done}/{total} nhiệm vụ (đạt {format_percent(t.rates.of_all)}), "
        f"đang thực hiện {running}/{total} nhiệm vụ"
    )


def summary_lines(report: StatusReport) -> list[str]:
    """The report's opening sentences, each a plain statement (no "0/0", no "—")."""
    t, r = report.tasks, report.remediation
    day = f"{report.as_of:%d/%m/%Y}"
    lines = [f"Đến ngày {day}, {progress_line(report)}." if t.total
             else _sentence(_no_tasks(report))]
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
    if report.shared:
        lines.append("Nhiệm vụ giao nhiều đơn vị: " + "; ".join(
            f"{s.code} ({s.group}): {format_number(s.units_done)}/"
            f"{format_number(s.units_total)} đơn vị hoàn thành" for s in report.shared) + ".")
    coming = [p for p in report.periodic if p.due > report.as_of]
    if coming:
        lines.append("Báo cáo định kỳ đến hạn trong tuần tới: " + "; ".join(
            f"{p.source} {p.title} (hạn {p.due:%d/%m/%Y})" for p in coming) + ".")
    missing = [p for p in report.periodic if p.missing]
    if missing:
        lines.append("Báo cáo định kỳ chưa gửi: " + "; ".join(
            f"{p.source} {p.title} ({missing_text(p)})" for p in missing) + ".")
    if r.total:
        lines.append(f"Nhiệm vụ khắc phục sau kiểm tra: đã hoàn thành {format_number(r.done)}/"
                     f"{format_number(r.total)}, quá hạn {format_number(r.overdue)}.")
    else:
        lines.append("Không có nhiệm vụ khắc phục sau kiểm tra.")
    undetermined = report.undetermined
    if undetermined:
        codes = ", ".join(line.code for line in undetermined[:_NAMED])
        more = len(undetermined) - _NAMED
        lines.append(f"Chưa xác định thời hạn: {format_number(len(undetermined))} nhiệm "
                     f"vụ ({codes}" + (f" và {format_number(more)} nhiệm vụ khác" if more > 0
                                       else "") + "), cần đặt thời hạn.")
    if report.idle_units:
        names = ", ".join(f"{u.code} ({u.name})" for u in report.idle_units[:_NAMED])
        more = len(report.idle_units) - _NAMED
        lines.append(f"{format_number(len(report.idle_units))} đơn vị không có nhiệm vụ nào: "
                     f"{names}" + (f" và {format_number(more)} đơn vị khác." if more > 0
                                   else "."))
    if report.inspection is not None:
        lines += inspection_lines(report.inspection)
    return lines


def _no_tasks(report: StatusReport) -> str:
    if report.plan is None:
        return "chưa có kế hoạch cải cách hành chính nào"
    if report.scope is not None:
        return (f"đơn vị {report.scope.code} ({report.scope.name}) không chủ trì nhiệm vụ nào "
                f"của kế hoạch {report.plan.code}")
    return f"kế hoạch {report.plan.code} chưa có nhiệm vụ nào"


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def _all_of(count: int) -> str:
    return "Nhiệm vụ duy nhất của kế hoạch" if count == 1 else f"Cả {format_number(count)} nhiệm vụ"


# --- the inspection section ------------------------------------------------------------------

def inspection_lines(reading: PlanReading) -> list[str]:
    """The inspection plan's sentences, as a secretariat writes them: the plan by kind of unit
    and mode, what was inspected by the day ("đã thực hiện công tác kiểm tra theo kế hoạch tại
    12 phòng ban chuyên môn thuộc huyện và 13 xã, thị trấn. Trong đó: …"), who is left and
    who is next, the conclusions, what they found and how far it is remedied, the PAR
    figures."""
    lines = [_plan_sentence(reading), _done_sentence(reading), *_waiting_sentences(reading)]
    if reading.done:
        lines.append(_conclusions_sentence(reading))
    r = reading.remediation
    if r.items:
        evaluated = (f"; đánh giá đạt {format_number(r.passed)}, chưa đạt "
                     f"{format_number(r.failed)}" if r.passed or r.failed else "")
        lines.append(
            f"Tồn tại, hạn chế theo kết luận kiểm tra: {format_number(r.findings)} tồn tại, "
            f"{format_number(r.items)} nhiệm vụ khắc phục — hoàn thành đúng hạn "
            f"{format_number(r.on_time)}, hoàn thành quá hạn {format_number(r.late)}, chưa "
            f"hoàn thành {format_number(r.open)} (quá hạn {format_number(r.overdue)})"
            f"{evaluated}.")
    if reading.dropped:
        lines.append("Đưa ra khỏi kế hoạch: " + "; ".join(
            f"{t.unit_code} ({t.unit_name}) ngày {t.dropped_on:%d/%m/%Y}: {t.dropped_reason}"
            for t in reading.dropped) + ".")
    lines.append("Chỉ số CCHC: " + "; ".join(
        par_sentence(i) for i in reading.indicators) + ".")
    return lines


def _plan_sentence(reading: PlanReading) -> str:
    plan, counts = reading.plan, reading.counts
    decision = (f"; Quyết định số {plan.decision_number}" if plan.decision_number else "") + (
        f" ngày {plan.decision_date:%d/%m/%Y}" if plan.decision_date else "")
    planned = counts.of("planned")
    text = (f"Kế hoạch kiểm tra {plan.code} ({plan.title}{decision}): "
            f"{format_number(sum(planned.values()))} đơn vị — "
            f"{_levels(planned, reading.owner)}.")
    for mode in InspectionMode:
        if by_mode := counts.of("planned", mode):
            text += f" {_MODE_HEADS[mode]} {_kinds(by_mode)}."
    return text


_MODE_HEADS = {InspectionMode.DIRECT: "Kiểm tra trực tiếp tại",
               InspectionMode.BY_REPORT: "Kiểm tra qua báo cáo của"}
_MODE_NAMES = {InspectionMode.DIRECT: "kiểm tra trực tiếp",
               InspectionMode.BY_REPORT: "kiểm tra qua báo cáo"}


def _done_sentence(reading: PlanReading) -> str:
    day, counts = f"{reading.as_of:%d/%m/%Y}", reading.counts
    done = counts.of("done")
    if not done:
        return f"Đến ngày {day}, chưa kiểm tra đơn vị nào theo kế hoạch."
    modes = [m for m in InspectionMode if counts.of("done", m)]
    text = (f"Đến ngày {day}, đã thực hiện công tác kiểm tra theo kế hoạch tại "
            f"{_levels(done, reading.owner)}")
    if len(modes) == 1:
        return f"{text} ({_MODE_NAMES[modes[0]]})."
    return text + ". Trong đó: " + " ".join(
        f"{_MODE_HEADS[m]} {_kinds(counts.of('done', m))}." for m in modes)


def _waiting_sentences(reading: PlanReading) -> list[str]:
    waiting = reading.waiting
    if not waiting:
        return []
    passed = [t for t in waiting if t.window_passed]
    text = f"Chưa kiểm tra: {format_number(len(waiting))} đơn vị"
    if passed:
        text += (f", trong đó {format_number(len(passed))} đã quá thời gian kiểm tra theo kế "
                 f"hoạch: {_units(passed)}")
    lines = [text + "."]
    upcoming = sorted((t for t in waiting if not t.window_passed),
                      key=lambda t: (t.window_closes is None, t.window_closes or reading.as_of))
    if upcoming:
        lines.append("Tiếp theo: " + "; ".join(
            f"{t.unit_code} ({t.unit_name}, {label(t.mode)}"
            + (f", {t.window_text}" if t.window_text else "") + ")" for t in upcoming[:3]) + ".")
    return lines


def _conclusions_sentence(reading: PlanReading) -> str:
    concluded, done = reading.concluded, reading.done
    found = sum(bool(t.has_findings) for t in concluded)
    text = (f"Đã có kết luận kiểm tra: {format_number(len(concluded))}/"
            f"{format_number(len(done))} đơn vị đã kiểm tra ({format_number(found)} có tồn "
            "tại, hạn chế)")
    open_ = [t for t in done if t.state is not TargetState.CONCLUDED]
    return text + (f"; chưa có kết luận: {_units(open_)}." if open_ else ".")


def par_sentence(indicator: Indicator) -> str:
    """A PAR figure of an inspection plan in one clause."""
    value = format_percent(indicator.value) if indicator.value is not None else "chưa có dữ liệu"
    fraction = f"{format_number(indicator.done)}/{format_number(indicator.total)}"
    if indicator.kind is IndicatorKind.PLAN_UNITS_INSPECTED:
        verdict = "" if indicator.meets_bar is None else (
            f", {'đạt' if indicator.meets_bar else 'chưa đạt'} mức {INSPECTION_BAR}%")
        return (f"{fraction} {counted_noun(indicator.kinds)} được kiểm tra trong năm "
                f"{indicator.year} ({value}{verdict})")
    return f"tồn tại, hạn chế sau kiểm tra đã khắc phục {fraction} ({value})"


def _levels(counts: Counter[UnitKind], owner: UnitFacts | None) -> str:
    """"12 phòng ban chuyên môn thuộc huyện và 13 xã, thị trấn": the counts by level."""
    parts = []
    for level in KIND_LEVELS:
        if count := sum(counts[k] for k in level):
            noun = level_noun(level, [k for k in level if counts[k]])
            if level == (UnitKind.OFFICE,) and (of := _district_word(owner)):
                noun += f" thuộc {of}"
            parts.append(f"{format_number(count)} {noun}")
    return join_and(parts)


# A mode's breakdown names the lower levels first, as the district's account does ("Kiểm tra
# trực tiếp tại 5 xã và 1 thị trấn; 6 cơ quan chuyên môn"); its total, the higher first.
_BREAKDOWN = (*reversed(KIND_LEVELS[:-1]), KIND_LEVELS[-1])


def _kinds(counts: Counter[UnitKind]) -> str:
    """"5 xã và 1 thị trấn; 6 cơ quan chuyên môn": each kind counted, levels apart."""
    levels = [join_and([f"{format_number(counts[k])} {kind_noun(k)}" for k in level if counts[k]])
              for level in _BREAKDOWN if any(counts[k] for k in level)]
    return ("; " if any(" và " in text for text in levels) else " và ").join(levels)


_DISTRICT_WORDS = ("huyện", "thành phố", "thị xã", "quận")


def _district_word(owner: UnitFacts | None) -> str | None:
    """"huyện" for UBND huyện Mai Sơn: how a district's offices are said to belong to it."""
    if owner is None or owner.kind is not UnitKind.DISTRICT:
        return None
    name = owner.name.strip()
    for prefix in ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân "):
        if name.casefold().startswith(prefix):
            name = name[len(prefix):]
    return next((w for w in _DISTRICT_WORDS if name.casefold().startswith(w + " ")), None)


def _units(lines: Sequence[TargetLine]) -> str:
    shown = ", ".join(f"{t.unit_code} ({t.unit_name})" for t in lines[:_NAMED])
    more = len(lines) - _NAMED
    return shown + (f" và {format_number(more)} đơn vị khác" if more > 0 else "")
