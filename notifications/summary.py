"""The report's opening sentences, as `cchc status`, `cchc report`, the weekly summary and a
run's progress artifact all begin: the facts of a `StatusReport`, said in the secretariat's
own words."""

from __future__ import annotations

from domain.reports import StatusReport
from notifications.report_tables import missing_text
from notifications.words import format_number, format_percent

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
