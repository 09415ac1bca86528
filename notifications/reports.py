"""The progress report as a file the secretariat can send on: Markdown, HTML or Excel."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from domain.reports import StatusReport
from domain.status import Status, format_percent, percent
from notifications.templating import templates

FORMATS = (".md", ".html", ".xlsx")


def render_report(report: StatusReport, suffix: str) -> str:
    """Markdown (".md") or HTML (".html") text of the report."""
    name = {".md": "report.md.j2", ".html": "report.html.j2"}[suffix]
    return templates.get_template(name).render(
        report=report, statuses=list(Status), percent=percent
    )


def write_report(report: StatusReport, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"định dạng báo cáo không hỗ trợ: {suffix} (chọn {', '.join(FORMATS)})")
    if suffix == ".xlsx":
        path.write_bytes(workbook_bytes(report))
    else:
        path.write_text(render_report(report, suffix), encoding="utf-8")


@dataclass(frozen=True)
class SummaryEmail:
    """The weekly summary to the secretariat: the report as the body, the workbook attached."""

    subject: str
    text: str  # the Markdown report, readable as plain text
    html: str
    workbook: bytes
    workbook_name: str


def summary_email(report: StatusReport) -> SummaryEmail:
    return SummaryEmail(
        subject=f"[CCHC] Tổng hợp tiến độ đến ngày {report.as_of:%d/%m/%Y}: {report.progress_line()}",
        text=render_report(report, ".md"),
        html=render_report(report, ".html"),
        workbook=workbook_bytes(report),
        workbook_name=f"tien-do-cchc-{report.as_of:%d-%m-%Y}.xlsx",
    )


def workbook_bytes(report: StatusReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    title = report.plan.title if report.plan else "Nhiệm vụ cải cách hành chính"
    summary.append([f"{title} — tiến độ đến ngày {report.as_of:%d/%m/%Y}"])
    summary.append([report.progress_line()])
    rates = report.tasks.rates
    if rates is not None:
        summary.append([f"Hoàn thành nhiệm vụ đã đến hạn: {rates.due_done}/{rates.due_total} "
                        f"(đạt {format_percent(rates.of_due)})"])
    summary.append([])
    for heading, rows in (
        ("Nhóm", [(f"{g.numeral}. {g.title}", tally) for g, tally in report.groups]),
        ("Đơn vị", [(f"{u.code} — {u.name}", tally) for u, tally in report.units]),
    ):
        summary.append([heading, "Tổng", "Hoàn thành", "Đang thực hiện", "Quá hạn", "Tỷ lệ"])
        for name, tally in rows:
            summary.append([name, tally.total, tally.done, tally.total - tally.done,
                            tally.overdue, format_percent(percent(tally.done, tally.total))])
        summary.append([])
    summary["A1"].font = Font(bold=True, size=13)

    items = workbook.create_sheet("Nhiệm vụ")
    items.append(["Mã", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "Hạn", "Hạn gốc",
                  "Tình trạng", "Quá hạn (ngày làm việc)"])
    for line in report.items:
        items.append([line.code, line.content, line.unit_code, line.deadline_text, line.due,
                      line.original_due, line.status.label, line.overdue_days or None])
    for cell in items[1]:
        cell.font = Font(bold=True)
    for column in ("E", "F"):
        for cell in items[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    items.column_dimensions["B"].width = 80
    items.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
