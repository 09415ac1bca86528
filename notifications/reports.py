"""The progress report as a file the secretariat can send on: Markdown, HTML (one self-contained
page with charts, printable) or Excel (one sheet per table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

from domain.reports import StatusReport
from notifications.charts import bar_chart
from notifications.report_tables import Percent, ReportTable, cell_text, report_tables
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
        report=report, title=report_title(report), tables=tables, charts=charts,
        cell=cell_text,
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
    """The summary sentences on the first sheet, then one sheet per table: a bold, frozen
    header row, set column widths, counts as numbers, rates as percentages, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = "Tổng hợp"
    summary.append([f"{report_title(report)} — tiến độ đến ngày {report.as_of:%d/%m/%Y}"])
    for line in report.summary():
        summary.append([line])
    summary["A1"].font = Font(bold=True, size=13)
    summary.column_dimensions["A"].width = 120
    for table in report_tables(report):
        _sheet(workbook.create_sheet(table.sheet), table)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
            if isinstance(value, Percent) and value.value is not None:
                cell.number_format = "0.0%"
            elif isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, int):
                cell.number_format = "#,##0"
    if not table.rows and table.empty:
        sheet.append([table.empty])
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def _excel_value(value):
    """Numbers stay numbers (a rate as a fraction, shown with a percent format); a rate with
    nothing to divide by is the sentence that says so."""
    if isinstance(value, Percent):
        return str(value) if value.value is None else float(value.value) / 100
    return value
