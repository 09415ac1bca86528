"""The report's tables, declared once: the Markdown and HTML templates and the workbook all
write these, so the three formats cannot drift apart. Cells keep their type (int, date,
Percent) until a format writes them: text in Vietnamese style, or typed cells in Excel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.inspection_report import PlanReading, TargetLine
from domain.occurrences import PeriodicRow
from domain.report_lines import OverdueLine
from domain.reports import StatusReport
from domain.status import Status
from domain.tallies import Tally
from notifications.par_index import indicator_text
from notifications.words import format_number, format_percent, label, rung_text

# Said instead of a rate with nothing to divide by.
NO_ITEMS = "không có nhiệm vụ"
NOTHING_DUE = "chưa có việc đến hạn"


def late_text(row: PeriodicRow) -> str:
    """"X-CB (3 ngày làm việc), …": the units that sent late, and by how much."""
    return ", ".join(f"{unit} ({days} ngày làm việc)" for unit, days in row.late)


def missing_text(row: PeriodicRow) -> str:
    return ", ".join(row.missing)


def escalation_text(line: OverdueLine) -> str:
    if line.escalation_level == 0:
        return "chưa chuyển cấp trên"
    return f"cấp {line.escalation_level}"


def _notice_text(line: OverdueLine, report: StatusReport) -> str:
    """The last notice sent about an overdue item, in words ("đôn đốc lần thứ 2")."""
    return rung_text(line.last_rung, report.overdue_repeat_days) if line.last_rung else ""


@dataclass(frozen=True)
class Percent:
    value: Decimal | None
    missing: str  # what to say when there is nothing to divide by

    def __str__(self) -> str:
        return self.missing if self.value is None else format_percent(self.value)


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # in the workbook, in characters
    numeric: bool = False  # right-aligned


@dataclass(frozen=True)
class ReportTable:
    sheet: str  # the workbook's sheet name (at most 31 characters)
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    empty: str  # said instead of a table without rows
    in_documents: bool = True  # False: the workbook only (the full item list)


def cell_text(value: Any) -> str:
    """A cell as the Markdown and HTML reports write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


_COUNTS = (
    Column("Tổng số", 9, True),
    Column("Hoàn thành đúng hạn", 12, True),
    Column("Hoàn thành quá hạn", 12, True),
    Column("Hoàn thành có gia hạn", 12, True),
    Column("Đang thực hiện trong hạn", 12, True),
    Column("Quá hạn", 9, True),
    Column("Không thời hạn", 10, True),
    Column("Tỷ lệ hoàn thành / tổng số", 14, True),
    Column("Tỷ lệ hoàn thành / đã đến hạn", 14, True),
)


def _counts(tally: Tally) -> tuple[Any, ...]:
    s = tally.statuses
    return (
        tally.total,
        s[Status.DONE_ON_TIME],
        s[Status.DONE_LATE],
        s[Status.DONE_ON_TIME_EXTENDED],
        tally.within_deadline,
        tally.overdue,
        s[Status.NO_DEADLINE],
        Percent(tally.rates.of_all, NO_ITEMS),
        Percent(tally.rates.of_due, NOTHING_DUE),
    )


def report_tables(report: StatusReport) -> list[ReportTable]:
    plan_total = [("Cộng", *_counts(report.tasks))] if report.groups else []
    return [
        ReportTable(
            "Tình trạng", "Theo tình trạng",
            (Column("Tình trạng", 34), Column("Nhiệm vụ kế hoạch", 14, True),
             Column("Khắc phục sau kiểm tra", 14, True)),
            [(label(s), report.tasks.statuses[s], report.remediation.statuses[s]) for s in Status]
            + [("Tổng số", report.tasks.total, report.remediation.total)]
            if report.items else [],
            "Không có nhiệm vụ nào trong phạm vi báo cáo.",
        ),
        ReportTable(
            "Theo nhóm", "Theo nhóm nhiệm vụ",
            (Column("Nhóm nhiệm vụ", 50), *_COUNTS),
            [(f"{g.numeral}. {g.title}", *_counts(t)) for g, t in report.groups] + plan_total,
            "Kế hoạch chưa có nhóm nhiệm vụ nào.",
        ),
        ReportTable(
            "Theo đơn vị", "Theo đơn vị chủ trì",
            (Column("Đơn vị", 42), *_COUNTS),
            [(f"{u.code} — {u.name}", *_counts(t)) for u, t in report.units],
            "Không có đơn vị nào chủ trì nhiệm vụ trong phạm vi báo cáo.",
        ),
        ReportTable(
            "Quá hạn", "Nhiệm vụ quá hạn",
            (Column("Đơn vị", 30), Column("Mã", 9), Column("Nội dung", 60),
             Column("Hạn", 12, True), Column("Số ngày làm việc quá hạn", 12, True),
             Column("Thông báo gần nhất", 14, True), Column("Bậc thông báo", 10),
             Column("Mức chuyển cấp trên", 20)),
            [(f"{o.unit_code} — {o.unit_name}", o.code, o.content, o.due, o.overdue_days,
              o.last_notice or "chưa gửi", _notice_text(o, report), escalation_text(o))
             for o in report.overdue_details],
            "Không có nhiệm vụ quá hạn.",
        ),
        *([ReportTable(
            "Chưa xác định thời hạn", "Nhiệm vụ chưa xác định thời hạn",
            (Column("Đơn vị", 12), Column("Mã", 9), Column("Nội dung", 60),
             Column("Thời hạn ghi trong kế hoạch", 30)),
            [(ln.unit_code, ln.code, ln.content, ln.deadline_text) for ln in report.undetermined],
            "",
        )] if report.undetermined else []),
        ReportTable(
            "Khắc phục sau KT", "Kết quả khắc phục sau kiểm tra",
            (Column("Đợt kiểm tra", 50), Column("Ngày kết luận", 12, True),
             Column("Số tồn tại, hạn chế", 10, True), Column("Nhiệm vụ khắc phục", 10, True),
             Column("Đã hoàn thành", 10, True), Column("Đang thực hiện", 10, True),
             Column("Quá hạn", 9, True), Column("Tỷ lệ đã xử lý", 12, True)),
            [(i.name, i.concluded_on, i.findings, i.items, i.done, i.open, i.overdue,
              Percent(i.share_handled, NO_ITEMS)) for i in report.inspections],
            "Không có kết luận kiểm tra nào trong phạm vi báo cáo.",
        ),
        *([inspection_table(report.inspection)] if report.inspection else []),
        *([ReportTable(
            "Báo cáo định kỳ", "Báo cáo định kỳ",
            (Column("Báo cáo", 44), Column("Kỳ", 14), Column("Hạn", 12, True),
             Column("Đúng hạn", 9, True), Column("Muộn", 9, True), Column("Chưa gửi", 9, True),
             Column("Đơn vị gửi muộn", 40), Column("Đơn vị chưa gửi", 40)),
            [(f"{r.source} — {r.name}", r.title, r.due, len(r.on_time), len(r.late),
              len(r.missing), late_text(r), missing_text(r)) for r in report.periodic],
            "",
        )] if report.periodic else []),
        ReportTable(
            "Chỉ số CCHC", "Số liệu cho tự đánh giá Chỉ số CCHC",
            (Column("Chỉ tiêu", 44), Column("Số liệu đầu vào", 60),
             Column("Kết quả", 14, True), Column("Đánh giá", 28)),
            [(i.name, i.inputs, Percent(i.value, i.value_text), i.assessment)
             for i in map(indicator_text, [*report.indicators, *(
                 report.inspection.indicators if report.inspection else ())])],
            "",
        ),
        ReportTable(
            "Nhiệm vụ", "Danh sách nhiệm vụ",
            (Column("Mã", 9), Column("Nội dung", 80), Column("Đơn vị chủ trì", 12),
             Column("Thời hạn", 18), Column("Hạn", 12, True), Column("Hạn gốc", 12, True),
             Column("Tình trạng", 28), Column("Quá hạn (ngày làm việc)", 12, True)),
            [(ln.code, ln.content, ln.unit_code, ln.deadline_text, ln.due, ln.original_due,
              label(ln.status), ln.overdue_days or None) for ln in report.items],
            "Không có nhiệm vụ nào.",
            in_documents=False,
        ),
    ]


def inspection_table(reading: PlanReading) -> ReportTable:
    """The inspection plan's targets, one row each: where each stands, its conclusion and what
    became of its findings."""
    def row(t: TargetLine) -> tuple[Any, ...]:
        r, conclusion = t.remediation, t.conclusion
        return (f"{t.unit_code} — {t.unit_name}", label(t.unit_kind), label(t.mode),
                t.window_text, label(t.state) + (" (quá thời gian)" if t.window_passed else ""),
                t.inspected_from, t.inspected_to,
                conclusion.document if conclusion else None,
                conclusion.concluded_on if conclusion else None,
                # Counted once concluded; blank before.
                *((r.findings, r.items, r.on_time, r.late, r.open, r.passed, r.failed)
                  if conclusion else (None,) * 7))

    return ReportTable(
        "Kiểm tra", f"Kế hoạch kiểm tra {reading.plan.code}: đơn vị được kiểm tra",
        (Column("Đơn vị", 40), Column("Loại", 12), Column("Hình thức", 12),
         Column("Thời gian", 18), Column("Tình trạng", 24),
         Column("Kiểm tra từ ngày", 12, True), Column("Đến ngày", 12, True),
         Column("Kết luận", 36), Column("Ngày kết luận", 12, True),
         Column("Tồn tại, hạn chế", 9, True), Column("Nhiệm vụ khắc phục", 9, True),
         Column("Hoàn thành đúng hạn", 9, True), Column("Hoàn thành quá hạn", 9, True),
         Column("Chưa hoàn thành", 9, True), Column("Đánh giá đạt", 9, True),
         Column("Đánh giá chưa đạt", 9, True)),
        [row(t) for t in reading.targets],
        "Kế hoạch kiểm tra chưa có đơn vị nào.",
    )
