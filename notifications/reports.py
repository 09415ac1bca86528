"""The progress report as a file the secretariat can send on: Markdown, HTML (one self-contained
page with charts, printable) or Excel (one sheet per table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

from domain.reports import StatusReport
from notifications.charts import bar_chart
from notifications.report_tables import (
    NO_ITEMS,
    NOTHING_DUE,
    Percent,
    ReportTable,
    cell_text,
    report_tables,
)
from notifications.summary import progress_line, summary_lines
from notifications.templating import templates

FORMATS = (".md", ".html", ".xlsx")


def report_title(report: StatusReport) -> str:
    return report.plan.title if report.plan else "Nhiệm vụ cải cách hành chính"


def render_report(report: StatusReport, suffix: str) -> str:
    """Markdown (".md") or HTML (".html") text of the report."""
    name = {".md": "report.md.j2", ".html": "report.html.j2"}[suffix]
    tables = [t for t in report_tables(report) if t.in_documents]
    charts = {
        "Theo nhóm": bar_chart("Tiến độ theo nhóm nhiệm vụ",
                               [(f"{g.numeral}. {g.title}", t) for g, t in report.groups]),
        "Theo đơn vị": bar_chart("Tiến độ theo đơn vị chủ trì",
                                 [(f"{u.code} — {u.name}", t) for u, t in report.units]),
    }
    return templates.get_template(name).render(
        report=report, title=report_title(report), summary=summary_lines(report), tables=tables,
        charts=charts, cell=cell_text,
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
        subject=(f"[CCHC] Tổng hợp tiến độ đến ngày {report.as_of:%d/%m/%Y}: "
                 f"{progress_line(report)}"),
        text=render_report(report, ".md"),
        html=render_report(report, ".html"),
        workbook=workbook_bytes(report),
        workbook_name=f"tien-do-cchc-{report.as_of:%d-%m-%Y}.xlsx",
    )


def workbook_bytes(report: StatusReport) -> bytes:
    """The summary sentences on the first sheet, then one sheet per table: a bold, frozen
    header row, set column widths, counts as numbers, rates as percentages, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    summary.append([f"{report_title(report)} — tiến độ đến ngày {report.as_of:%d/%m/%Y}"])
    for line in summary_lines(report):
        summary.append([line])
    summary["A1"].font = Font(bold=True, size=13)
    summary.column_dimensions["A"].width = 120
    summary.append([])
    _headline_numbers(summary, report)
    for table in report_tables(report):
        _sheet(workbook.create_sheet(table.sheet), table)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADLINE_HEADER = ("Chỉ tiêu", "Nhiệm vụ kế hoạch", "Nhiệm vụ khắc phục")


def _headline_numbers(sheet, report: StatusReport) -> None:
    """The headline again as typed cells under the sentences, so that a secretariat can chart
    or sum it without reading numbers out of text."""
    from openpyxl.styles import Font

    t, r = report.tasks, report.remediation
    missing = (NO_ITEMS, NOTHING_DUE)
    rows = (
        ("Tổng số", t.total, r.total),
        ("Hoàn thành", t.done, r.done),
        ("Đang thực hiện", t.total - t.done, r.total - r.done),
        ("Quá hạn", t.overdue, r.overdue),
        ("Tỷ lệ hoàn thành / tổng số", Percent(t.rates.of_all, missing[0]),
         Percent(r.rates.of_all, missing[0])),
        ("Tỷ lệ hoàn thành / đã đến hạn", Percent(t.rates.of_due, missing[1]),
         Percent(r.rates.of_due, missing[1])),
    )
    sheet.append(HEADLINE_HEADER)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for label, *values in rows:
        sheet.append([label, *(_excel_value(v) for v in values)])
        for cell, value in zip(sheet[sheet.max_row][1:], values, strict=True):
            cell.number_format = _number_format(value) or "General"
    for letter in "BC":
        sheet.column_dimensions[letter].width = 20


def _sheet(sheet, table: ReportTable) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append([column.header for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([_excel_value(value) for value in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if number_format := _number_format(value):
                cell.number_format = number_format
    if not table.rows and table.empty:
        sheet.append([table.empty])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def _number_format(value) -> str | None:
    if isinstance(value, Percent) and value.value is not None:
        return "0.0%"
    if isinstance(value, date):
        return "DD/MM/YYYY"
    if isinstance(value, int) and not isinstance(value, bool):
        return "#,##0"
    return None


def _excel_value(value):
    """Numbers stay numbers (a rate as a fraction, shown with a percent format); a rate with
    nothing to divide by is the sentence that says so."""
    if isinstance(value, Percent):
        return str(value) if value.value is None else float(value.value) / 100
    return value
