"""What the `cchc` commands print: Rich tables and lines for the terminal, in Vietnamese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from domain.events import (
    CompletionCorrected,
    DeadlineSet,
    DomainEvent,
    EventName,
    ExtensionApproved,
    ExtensionRefused,
    ExtensionRequested,
    ItemAcknowledged,
    ItemCompleted,
    ItemCreated,
    ItemExtended,
    ItemReopened,
    ItemReported,
    ItemUpdated,
    LinksRevoked,
    NoticeDeferred,
    NoticeFailed,
    NoticeQueued,
    NoticeSent,
    ProgressReported,
    ReopenedAfterEvaluation,
    ReportConfirmed,
    ReportReturned,
    RungReached,
)
from domain.ladder import RungKind
from domain.reports import StatusReport
from domain.status import Status
from domain.tallies import Tally
from notifications.imports import cell_reading_text, import_summary_text, one_line
from notifications.report_tables import NO_ITEMS, late_text, missing_text
from notifications.summary import inspection_lines, summary_lines
from notifications.targets import INSPECTION_DETAILS, INSPECTION_LABELS
from notifications.words import (
    day_text,
    form_field,
    format_number,
    format_percent,
    label,
    local_time_text,
)

if TYPE_CHECKING:
    from domain.inspection_report import PlanReading, TargetLine
    from domain.run_log import RunRecord


def print_status(console: Console, report: StatusReport) -> None:
    plan = report.plan
    heading = f"Tiến độ đến ngày {report.as_of:%d/%m/%Y}"
    if plan is not None:
        heading += f" — {plan.title}"
        if plan.decision_number:
            heading += f" (QĐ {plan.decision_number})"
    console.print(f"[bold]{heading}[/]")
    for line in summary_lines(report):
        console.print(line, markup=False, highlight=False)

    by_status = Table(title="Theo tình trạng")
    by_status.add_column("Tình trạng")
    by_status.add_column("Nhiệm vụ KH", justify="right")
    by_status.add_column("Khắc phục sau KT", justify="right")
    for status in Status:
        by_status.add_row(
            label(status),
            str(report.tasks.statuses[status]),
            str(report.remediation.statuses[status]),
        )
    by_status.add_row("[bold]Tổng[/]", str(report.tasks.total), str(report.remediation.total))
    console.print(by_status)

    if report.groups:
        groups = _tally_table("Theo nhóm nhiệm vụ", "Nhóm")
        for group, tally in report.groups:
            _tally_row(groups, f"{group.numeral}. {group.title}", tally)
        console.print(groups)

    units = _tally_table("Theo đơn vị chủ trì", "Đơn vị")
    for unit, tally in report.units:
        _tally_row(units, f"{unit.code} — {unit.name}", tally)
    console.print(units)

    if report.undetermined:
        undetermined = Table(title="Chưa xác định thời hạn")
        for column in ("Mã", "Nội dung", "Đơn vị", "Thời hạn ghi trong kế hoạch"):
            undetermined.add_column(column)
        for line in report.undetermined:
            undetermined.add_row(escape(line.code), escape(line.content), line.unit_code,
                                 escape(line.deadline_text))
        console.print(undetermined)

    if report.periodic:
        print_periodic(console, report)
    if not report.overdue:
        console.print("[green]Không có nhiệm vụ quá hạn.[/]")
        return
    overdue = Table(title="Nhiệm vụ quá hạn")
    for column in ("Mã", "Nội dung", "Đơn vị", "Thời hạn", "Hạn", "Quá hạn (ngày LV)"):
        overdue.add_column(column)
    for line in report.overdue:
        overdue.add_row(
            line.code,
            line.content,
            line.unit_code,
            line.deadline_text,
            f"{line.due:%d/%m/%Y}" if line.due else "",
            str(line.overdue_days),
        )
    console.print(overdue)


def print_inspections(console: Console, day: date, readings: list[PlanReading]) -> None:
    """`cchc inspections`: each plan's sentences, then its targets, one line each (whatever
    the terminal's width: easy to read and to grep)."""
    if not readings:
        console.print(f"Đến ngày {day:%d/%m/%Y} chưa có kế hoạch kiểm tra nào.")
    for reading in readings:
        plan = reading.plan
        decision = f" (QĐ {plan.decision_number})" if plan.decision_number else ""
        console.print(f"[bold]{escape(plan.code)} — {escape(plan.title)}{escape(decision)}[/]")
        for line in inspection_lines(reading):
            console.print(line, markup=False, highlight=False)
        console.print(f"[bold]Đơn vị được kiểm tra đến ngày {day:%d/%m/%Y}:[/]")
        for number, target in enumerate(reading.targets, start=1):
            console.print(f"{number}. " + " · ".join(target_parts(target)), soft_wrap=True,
                          markup=False, highlight=False)


def target_parts(target: TargetLine) -> list[str]:
    """A target's line: the unit and its kind, the mode and window, where it stands, its
    conclusion and what became of its findings."""
    parts = [f"{target.unit_code} ({target.unit_name}, {label(target.unit_kind)})",
             label(target.mode) + (f", {target.window_text}" if target.window_text else ""),
             label(target.state) + (", quá thời gian kiểm tra" if target.window_passed else "")]
    if target.inspected_from is not None:
        days = day_text(target.inspected_from) + (
            "" if target.inspected_to == target.inspected_from
            else f"–{day_text(target.inspected_to)}")
        parts.append(f"kiểm tra {days}")
    if target.conclusion is not None:
        parts.append(f"kết luận: {target.conclusion.document} "
                     f"({day_text(target.conclusion.concluded_on)})")
    r = target.remediation
    if target.has_findings is False:
        parts.append("không có tồn tại, hạn chế")
    elif r.items:
        parts.append(f"{r.findings} tồn tại, {r.items} nhiệm vụ khắc phục: hoàn thành đúng hạn "
                     f"{r.on_time}, quá hạn {r.late}, chưa hoàn thành {r.open}"
                     + (f"; đạt {r.passed}, chưa đạt {r.failed}" if r.passed or r.failed
                        else ""))
    if target.dropped_on is not None:
        parts.append(f"lý do: {target.dropped_reason}")
    elif target.added_on is not None:
        parts.append(f"bổ sung ngày {day_text(target.added_on)}: {target.added_reason}")
    return parts


def _tally_table(title: str, first: str) -> Table:
    table = Table(title=title)
    table.add_column(first)
    for column in ("Tổng", "Hoàn thành", "Đang thực hiện", "Quá hạn", "Tỷ lệ"):
        table.add_column(column, justify="right")
    return table


def _tally_row(table: Table, name: str, tally: Tally) -> None:
    table.add_row(
        name,
        str(tally.total),
        str(tally.done),
        str(tally.total - tally.done),
        str(tally.overdue),
        format_percent(tally.rates.of_all) if tally.total else NO_ITEMS,
    )


# Lines of recipients printed after a check; the rest are in `cchc history`.
SHOWN = 50


def print_check(console: Console, result: dict) -> None:
    if result.get("dry_run"):
        console.print(f"[bold]Chạy thử ngày {date.fromisoformat(result['as_of']):%d/%m/%Y}: "
                      "không ghi, không gửi gì.[/]")
        if not result["would_send"]:
            console.print("Không có thư nào sẽ được gửi.")
        for recipient, subject, codes in result["would_send"]:
            console.print(f"  → {recipient}: {subject}  [{', '.join(codes)}]", markup=False)
        return
    if not result["working_day"]:
        console.print(f"{date.fromisoformat(result['as_of']):%d/%m/%Y} không phải ngày làm việc: không kiểm tra, không gửi nhắc việc.")
        return
    check, sent = result["check"], result["dispatch"]
    console.print(
        f"Đã xét {check['items']} nhiệm vụ đang mở: {check['queued']} bậc nhắc mới, "
        f"{check['notices']} thư mới; đã gửi {sent['sent']}, tạm hoãn {sent['deferred']}, "
        f"lỗi {sent['failed']}."
    )
    for to, subject, _message_id in sent["sent_to"][:SHOWN]:
        console.print(f"  ✉ {to}: {subject}", markup=False)
    if len(sent["sent_to"]) > SHOWN:
        console.print(f"  … và {len(sent['sent_to']) - SHOWN} thư khác (xem `cchc history`).")


_EVENT_LABELS = {
    EventName.ITEM_CREATED: "tạo mới",
    EventName.ITEM_UPDATED: "cập nhật khi nhập lại",
    EventName.ITEM_COMPLETED: "hoàn thành",
    EventName.ITEM_EXTENDED: "gia hạn",
    EventName.DEADLINE_SET: "đặt thời hạn",
    EventName.ITEM_REOPENED: "mở lại (hủy ghi nhận hoàn thành)",
    EventName.COMPLETION_CORRECTED: "sửa ngày hoàn thành",
    EventName.REOPENED_AFTER_EVALUATION: "đánh giá chưa đạt, mở lại để khắc phục",
    EventName.RUNG_REACHED: "đến bậc nhắc",
    EventName.NOTICE_QUEUED: "xếp thư vào hộp thư đi",
    EventName.NOTICE_SENT: "đã gửi thư",
    EventName.NOTICE_DEFERRED: "tạm hoãn gửi (lỗi tạm thời)",
    EventName.NOTICE_FAILED: "gửi thất bại",
    EventName.ITEM_REPORTED: "đơn vị báo cáo hoàn thành",
    EventName.EXTENSION_REQUESTED: "đơn vị đề nghị gia hạn",
    EventName.PROGRESS_REPORTED: "đơn vị báo cáo tiến độ",
    EventName.ITEM_ACKNOWLEDGED: "đơn vị xác nhận đã nhận",
    EventName.REPORT_CONFIRMED: "xác nhận báo cáo hoàn thành",
    EventName.REPORT_RETURNED: "trả lại báo cáo hoàn thành",
    EventName.EXTENSION_APPROVED: "chấp thuận gia hạn",
    EventName.EXTENSION_REFUSED: "không chấp thuận gia hạn",
}


def event_label(name: str) -> str:
    """An event's name, in the secretariat's words."""
    if name in INSPECTION_LABELS:
        return INSPECTION_LABELS[name]
    return _EVENT_LABELS.get(name, name)


def print_users(console: Console, users, zone: tzinfo) -> None:
    """`cchc user list`: (name, active, created at) of each login; never a password's hash."""
    table = Table(title="Tài khoản của cơ quan thường trực")
    for column in ("Tên đăng nhập", "Trạng thái", "Tạo lúc"):
        table.add_column(column)
    for name, active, created_at in users:
        table.add_row(escape(name), "đang dùng" if active else "đã khóa",
                      local_time_text(created_at, zone))
    console.print(table)
    if not users:
        console.print("Chưa có tài khoản nào (tạo bằng `cchc user add TÊN`).", markup=False)


def print_timeline(console: Console, code: str, events, zone: tzinfo, *,
                   title: str = "Lịch sử nhiệm vụ") -> None:
    """`cchc history item` (or `inspection`): (occurred at, event) of an item, oldest first."""
    table = Table(title=f"{title} {code}")
    for column in ("Thời điểm", "Sự kiện", "Chi tiết"):
        table.add_column(column)
    for occurred_at, event in events:
        table.add_row(
            local_time_text(occurred_at, zone),
            event_label(event.name),
            event_details(event, zone),
        )
    console.print(table)


# An item's fields, as a re-import's changes name them.
_FIELDS = {
    "content": "nội dung", "unit_code": "đơn vị chủ trì", "cooperating": "đơn vị phối hợp",
    "product": "sản phẩm", "deadline_text": "thời hạn", "deadline_kind": "loại thời hạn",
    "due_date": "hạn", "original_due_date": "hạn gốc", "opens_on": "ngày bắt đầu",
    "completed_on": "ngày hoàn thành", "evidence": "minh chứng", "group_id": "nhóm",
    "position": "thứ tự",
}


def _day(day: date | None) -> str:
    return day_text(day, "—")


def _value(value: Any) -> str:
    """A value as stored (a re-import's change, a field given on the pages): a date in its
    ISO form as dd/mm/yyyy."""
    if value in (None, ""):
        return "(trống)"
    if isinstance(value, str) and len(value) == 10:
        try:
            return _day(date.fromisoformat(value))
        except ValueError:
            pass
    return str(value)


def _timing(on_time: bool | None) -> str:
    return {True: " (đúng hạn)", False: " (quá hạn)"}.get(on_time, "")


def _by(by: str | None) -> str:
    return f"; bởi {by}" if by else ""


def _created(e: ItemCreated, _zone: tzinfo) -> str:
    due = f", hạn {_day(e.due)}" if e.due else ""
    return f"đơn vị {e.unit}, thời hạn “{e.deadline}”{due}"


def _updated(e: ItemUpdated, _zone: tzinfo) -> str:
    return "; ".join(f"{_FIELDS.get(key, key)}: {_value(old)} → {_value(new)}"
                     for key, (old, new) in (e.changes or {}).items())


def _completed(e: ItemCompleted, _zone: tzinfo) -> str:
    evidence = f"; minh chứng: {e.evidence}" if e.evidence else ""
    source = {"import": "; ghi nhận khi nhập tệp",
              "web": f"; xác nhận báo cáo của đơn vị, bởi {e.by}"}.get(e.source, "")
    return f"ngày {_day(e.on)}{_timing(e.on_time)}{evidence}{source}"


def _extended(e: ItemExtended, _zone: tzinfo) -> str:
    approved = f"; người cho phép: {e.approved_by}" if e.approved_by else ""
    return f"hạn {_day(e.previous_due)} → {_day(e.new_due)}; lý do: {e.reason}{approved}"


def _deadline_set(e: DeadlineSet, _zone: tzinfo) -> str:
    where = f" từ {e.ip}" if e.ip else ""
    return (f"hạn {_day(e.due)} (thời hạn ghi trong kế hoạch: “{e.deadline}”); "
            f"căn cứ: {e.reason}{_by(e.by)}{where}")


# Completions undone or corrected, and remediation reopened: what changed, and why.
def _reopened(e: ItemReopened, _zone: tzinfo) -> str:
    evidence = f" (minh chứng: {e.evidence})" if e.evidence else ""
    return (f"đã ghi hoàn thành ngày {_day(e.completed_on)}{evidence}, nay mở lại; "
            f"lý do: {e.reason}{_by(e.by)}")


def _corrected(e: CompletionCorrected, _zone: tzinfo) -> str:
    return (f"ngày hoàn thành {_day(e.previous)} → {_day(e.on)}{_timing(e.on_time)}; "
            f"lý do: {e.reason}{_by(e.by)}")


def _reevaluated(e: ReopenedAfterEvaluation, _zone: tzinfo) -> str:
    return (f"hạn {_day(e.previous_due)} → {_day(e.new_due)}, hạn đã lỡ "
            f"{_day(e.missed_due)} vẫn được tính; ý kiến: {e.comment}{_by(e.by)}")


def _rung(e: RungReached, _zone: tzinfo) -> str:
    kind = label(RungKind(e.kind)) if e.kind else ""
    passed = f"; bỏ qua {', '.join(e.skipped)}" if e.skipped else ""
    return f"bậc {e.rung} ({kind}), hạn {_day(e.due)}{passed}"


def _queued(e: NoticeQueued | NoticeSent, _zone: tzinfo) -> str:
    copies = f", đồng gửi {', '.join(e.cc)}" if e.cc else ""
    return f"tới {e.to}{copies}"


def _sent(e: NoticeSent, zone: tzinfo) -> str:
    message = f"; Message-ID {e.message_id}" if e.message_id else ""
    attempts = f"; lần gửi thứ {e.attempts}" if (e.attempts or 0) > 1 else ""
    return f"{_queued(e, zone)}{message}{attempts}"


def _failed(e: NoticeFailed | NoticeDeferred, _zone: tzinfo) -> str:
    return f"tới {e.to}: máy chủ thư trả lời “{e.reply}”"


def _deferred(e: NoticeDeferred, zone: tzinfo) -> str:
    retry = e.next_attempt_at
    again = f"; thử lại từ {local_time_text(retry, zone)}" if retry else ""
    return f"{_failed(e, zone)}{again}"


def _given(e: DomainEvent, _zone: tzinfo) -> str:
    """Done on the web pages: by whom, from where, then each field given, in its order."""
    data = e.data()
    who = f"bởi {data['by']}" + (f" từ {data['ip']}" if data.get("ip") else "")
    given = [f"{form_field(key)}: {_value(value)}" for key, value in data.items()
             if key not in ("by", "ip", "submission") and value not in (None, "")]
    return "; ".join([who, *given])


def _recorded(e: DomainEvent, _zone: tzinfo) -> str:
    return "; ".join(f"{key}: {value}" for key, value in e.data().items()
                     if value not in (None, ""))


_DETAILS: dict[type[DomainEvent], Callable[[Any, tzinfo], str]] = {
    ItemCreated: _created, ItemUpdated: _updated, ItemCompleted: _completed,
    ItemExtended: _extended, DeadlineSet: _deadline_set, ItemReopened: _reopened,
    CompletionCorrected: _corrected, ReopenedAfterEvaluation: _reevaluated, RungReached: _rung,
    NoticeQueued: _queued, NoticeSent: _sent, NoticeDeferred: _deferred, NoticeFailed: _failed,
    **dict.fromkeys((ItemReported, ExtensionRequested, ProgressReported, ItemAcknowledged,
                     ReportConfirmed, ReportReturned, ExtensionApproved, ExtensionRefused,
                     LinksRevoked), _given),
    **INSPECTION_DETAILS,
}


def event_details(event: DomainEvent, zone: tzinfo) -> str:
    """An event's record, in the secretariat's words; a kind without words of its own, as its
    fields."""
    return _DETAILS.get(type(event), _recorded)(event, zone)


# Prefect's state names, in Vietnamese.
_STATES = {
    "Completed": "hoàn thành", "Failed": "lỗi", "Crashed": "dừng đột ngột",
    "Cancelled": "đã hủy", "Cancelling": "đang hủy", "Running": "đang chạy",
    "Pending": "đang chờ", "Scheduled": "đã lên lịch", "Late": "trễ lịch",
    "AwaitingRetry": "chờ chạy lại", "Retrying": "đang chạy lại", "Paused": "tạm dừng",
    "Suspended": "tạm ngưng", "Cached": "dùng kết quả đã lưu", "TimedOut": "quá thời gian",
}


def print_runs(console: Console, runs: list[RunRecord], zone: tzinfo) -> None:
    if not runs:
        console.print("Chưa có lần chạy nào (chạy `cchc check`).")
        return
    console.print("[bold]Các lần chạy gần đây[/]")
    for run in runs:
        parts = [run.name]
        if run.as_of:
            parts.append(f"ngày {run.as_of:%d/%m/%Y}")
        parts.append(_STATES.get(run.state, run.state))
        if run.started:
            parts.append(f"bắt đầu {local_time_text(run.started, zone)}")
        if run.started and run.ended:
            seconds = Decimal((run.ended - run.started).total_seconds())
            parts.append(f"chạy {format_number(seconds, 1)} s")
        parts.append(f"thư: đã gửi {run.emails_sent}, lỗi {run.emails_failed}, "
                     f"tạm hoãn {run.emails_deferred}")
        if run.rungs:
            parts.append("bậc nhắc: " + ", ".join(f"{rung} {count}"
                                                  for rung, count in run.rungs.items()))
        # One line per run, whatever the terminal's width: easy to read and to grep.
        console.print(" · ".join(parts), soft_wrap=True, highlight=False, markup=False)


def print_import_preview(console: Console, name: str, summary) -> None:
    """`cchc import … --dry-run`: what would be imported, and how each unusual cell was read."""
    console.print(f"[bold]Chạy thử {escape(name)}: không ghi gì vào cơ sở dữ liệu.[/]")
    console.print(f"Sẽ nhập: {import_summary_text(summary)}", markup=False, highlight=False)
    print_deadline_readings(console, summary)


def print_imported(console: Console, name: str, summary) -> None:
    """After an import: what it wrote, how its deadlines were read (as its dry run says), and
    the cells that name no calendar date."""
    console.print(f"Đã nhập {name}: {import_summary_text(summary)}", markup=False,
                  highlight=False)
    print_deadline_readings(console, summary)
    print_undetermined(console, summary)


def print_deadline_readings(console: Console, summary) -> None:
    """The count of deadlines of each kind, and each cell read by a rule other than the plain
    forms, with its reading."""
    from domain.states import DeadlineKind

    if not summary.readings:
        return
    counts = summary.kinds
    console.print("Thời hạn theo loại: " + ", ".join(
        f"{label(kind)} {counts[kind.value]}" for kind in DeadlineKind if counts[kind.value]
    ) + ".", markup=False, highlight=False)
    unusual = [r for r in summary.readings if not r.plain]
    if unusual:
        console.print(f"Các ô thời hạn đọc theo quy tắc khác dạng thông thường ({len(unusual)}):")
    for reading in unusual:
        console.print(f"  dòng {reading.row}, cột {reading.column}: {one_line(reading)} → "
                      f"{reading.reading}", markup=False, highlight=False)


def print_undetermined(console: Console, summary) -> None:
    """After an import: the cells that name no calendar date, to be given one."""
    if not summary.undetermined:
        return
    console.print(f"[bold yellow]Chưa xác định thời hạn: {len(summary.undetermined)} nhiệm vụ[/]"
                  " (đặt thời hạn bằng `cchc task deadline MÃ --to DD/MM/YYYY --reason …`, việc "
                  "định kỳ: `--to \"Trước ngày 10 hằng tháng\"`):")
    for reading in summary.undetermined:
        console.print(f"  • {cell_reading_text(reading)}", markup=False, highlight=False)


def print_items(console: Console, as_of: date, lines, *, wide: bool = False) -> None:
    """`cchc items`: one row per item, its deadline as written and as read. Five columns that
    fit an 80-column terminal, wrapping the long ones; `wide`: every column on one line."""
    if not lines:
        console.print("Không có nhiệm vụ nào.")
        return
    table = Table(title=f"Nhiệm vụ — tình trạng đến ngày {as_of:%d/%m/%Y}")
    if wide:
        _wide_items(table, lines)
    else:
        table.add_column("Mã", no_wrap=True)
        table.add_column("Nội dung", ratio=1)  # what is left: wrapped
        table.add_column("Đơn vị", no_wrap=True)
        table.add_column("Hạn", max_width=10)  # dd/mm/yyyy
        table.add_column("Tình trạng", max_width=16)
        for line in lines:
            done = f", ngày {day_text(line.completed_on)}" if line.completed_on else ""
            table.add_row(escape(line.code), escape(line.content), line.unit_code,
                          day_text(line.due) or escape(line.deadline_text),
                          label(line.status) + done)
    console.print(table)


def _wide_items(table: Table, lines) -> None:
    from domain.states import DeadlineKind

    table.add_column("Mã", no_wrap=True)
    table.add_column("Nội dung", max_width=40, overflow="ellipsis", no_wrap=True)
    for column in ("Đơn vị", "Thời hạn", "Loại thời hạn"):
        table.add_column(column)
    for column in ("Hạn", "Từ ngày", "Tình trạng", "Ngày hoàn thành"):
        table.add_column(column, no_wrap=column != "Tình trạng")
    for line in lines:
        table.add_row(
            escape(line.code), escape(line.content), line.unit_code, escape(line.deadline_text),
            label(DeadlineKind(line.deadline_kind)), day_text(line.due), day_text(line.opens),
            label(line.status), day_text(line.completed_on),
        )


def print_periodic(console: Console, report: StatusReport) -> None:
    """Periodic reports per obligation (or recurring task) and period: on time, late, missing;
    then, one line each, the units that were late (with the working days) or missing."""
    table = Table(title="Báo cáo định kỳ")
    for column in ("Báo cáo", "Kỳ", "Hạn", "Đúng hạn", "Muộn", "Chưa gửi"):
        table.add_column(column)
    for row in report.periodic:
        table.add_row(escape(row.source), row.title, f"{row.due:%d/%m/%Y}",
                      str(len(row.on_time)), str(len(row.late)), str(len(row.missing)))
    console.print(table)
    for row in report.periodic:
        faults = ([f"gửi muộn {late_text(row)}"] if row.late else []) + (
            [f"chưa gửi {missing_text(row)}"] if row.missing else [])
        if faults:
            console.print(f"{row.source} {row.title}: {'; '.join(faults)}.", markup=False,
                          highlight=False, soft_wrap=True)
