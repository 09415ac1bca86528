"""The report's rules and its three renderings, on reports built in memory: PAR-index bands,
Vietnamese number and date formats, escaping of what users typed, typed workbook cells."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from domain import par_index
from domain.models import Plan, TaskGroup, Unit
from domain.report_lines import InspectionTally, OverdueLine
from domain.reports import StatusReport
from domain.status import Status
from domain.tallies import ItemLine, Tally
from notifications.charts import bar_chart
from notifications.par_index import indicator_text
from notifications.reports import render_report, summary_email, workbook_bytes
from notifications.summary import summary_lines

AS_OF = date(2024, 3, 1)
HOSTILE = "<script>alert(1)</script> | cột\r\nhai dòng"


@pytest.mark.parametrize(("done", "total", "band"), [
    (70, 70, "mức: hoàn thành 100% kế hoạch"),
    (56, 70, "mức: từ 80% đến dưới 100%"),
    (9_999, 10_000, "mức: từ 80% đến dưới 100%"),  # shown as 100,0%, yet not all done
    (55, 70, "mức: dưới 80%"),
])
def test_plan_completion_falls_in_its_band(done, total, band):
    assert indicator_text(par_index.plan_completion(done, total, AS_OF)).assessment == band


@pytest.mark.parametrize(("inspected", "eligible", "value", "verdict"), [
    (3, 10, "30,0%", "đạt mức 30%"),
    (299, 1_000, "29,9%", "chưa đạt mức 30%"),
    (5, 15, "33,3%", "đạt mức 30%"),
])
def test_the_share_of_units_inspected_is_held_to_the_30_percent_bar(
    inspected, eligible, value, verdict
):
    indicator = indicator_text(par_index.units_inspected(inspected, eligible, 2024))
    assert (indicator.value_text, indicator.assessment) == (value, verdict)
    assert indicator.inputs.startswith(f"{inspected:,}/{eligible:,}".replace(",", "."))


def test_indicators_with_nothing_to_count_say_there_is_no_data():
    for indicator in map(indicator_text, (par_index.plan_completion(0, 0, AS_OF),
                                          par_index.units_inspected(0, 0, 2024),
                                          par_index.findings_handled(0, 0),
                                          par_index.periodic_reports([], []))):
        assert indicator.value is None
        assert indicator.value_text == indicator.assessment == "chưa có dữ liệu"


def _line(code: str, status: Status, due: date | None, content: str = "Nhiệm vụ") -> ItemLine:
    return ItemLine(item_id=hash(code), code=code, kind="task", scope="KH-2024", content=content,
                    unit_code="XA", deadline_text="Quý I/2024", due=due, original_due=due,
                    status=status, overdue_days=3 if status is Status.OVERDUE else 0,
                    deadline_kind="fixed", finding_code=None)


def _report(tasks: Tally, items: list[ItemLine]) -> StatusReport:
    unit = Unit(code="XA", name=HOSTILE)
    return StatusReport(
        as_of=AS_OF,
        plan=Plan(code="KH-2024", year=2024, title="Kế hoạch CCHC năm 2024",
                  decision_number="12/QĐ-UBND", decision_date=date(2024, 1, 5)),
        scope=None,
        tasks=tasks,
        remediation=Tally(),
        groups=[(TaskGroup(plan_code="KH-2024", numeral="I", title=HOSTILE, position=0), tasks)],
        units=[(unit, tasks)],
        idle_units=[],
        items=items,
        overdue_details=[OverdueLine("XA", HOSTILE, "1.2", "task", HOSTILE, date(2024, 2, 26), 3,
                                     date(2024, 2, 29), "O1", 0)],
        inspections=[InspectionTally("Đoàn kiểm tra 2023", date(2023, 11, 20), 4, 3, 1, 4)],
        indicators=[par_index.plan_completion(tasks.done, tasks.total, AS_OF)],
    )


@pytest.fixture
def big() -> StatusReport:
    """1.234 of 2.000 tasks done, 1.500 already due; item 1.2 overdue with hostile text."""
    tasks = Tally(statuses=Counter({Status.DONE_ON_TIME: 1_234, Status.OVERDUE: 266,
                                    Status.IN_PROGRESS: 500}), due_total=1_500, due_done=1_234)
    items = [_line("1.1", Status.DONE_ON_TIME, date(2024, 1, 31)),
             _line("1.2", Status.OVERDUE, date(2024, 2, 26), HOSTILE)]
    return _report(tasks, items)


def test_numbers_and_dates_are_written_the_vietnamese_way(big):
    markdown = render_report(big, ".md")
    assert "- Đến ngày 01/03/2024, đã hoàn thành 1.234/2.000 nhiệm vụ (đạt 61,7%), " \
           "đang thực hiện 766/2.000 nhiệm vụ." in markdown
    assert "- Hoàn thành nhiệm vụ đã đến hạn: 1.234/1.500 (đạt 82,3%)." in markdown
    assert ("| 26/02/2024 | 3 | 29/02/2024 | đôn đốc lần thứ 1 | chưa chuyển cấp trên |"
            in markdown)
    assert "| Đoàn kiểm tra 2023 | 20/11/2023 | 4 | 4 | 3 | 0 | 1 | 75,0% |" in markdown
    assert "(Quyết định 12/QĐ-UBND ngày 05/01/2024)" in markdown


def test_what_users_typed_cannot_break_the_markdown_table_or_the_page(big):
    markdown = render_report(big, ".md")
    row = next(line for line in markdown.splitlines() if "| 1.2 |" in line)
    assert row.count("|") == 9 and "\n" not in row and "\r" not in row
    html = render_report(big, ".html")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    chart = bar_chart("Theo đơn vị", [(HOSTILE, big.tasks)])
    assert "<script>" not in chart and "&lt;script&gt;" in chart
    assert chart.count("<rect") == 5 + 3  # the legend's five, then done, in progress, overdue …
    assert ">2.000</text>" in chart  # … and the total beside the bar


def test_the_html_page_needs_nothing_beside_it_and_prints(big):
    html = render_report(big, ".html")
    assert "<style>" in html and "@media print" in html and "@page" in html
    assert "<link" not in html and "<script" not in html and "<img" not in html
    assert html.count("<svg") == 2  # per group and per unit


def test_the_workbook_keeps_numbers_numbers_and_dates_dates(big):
    workbook = load_workbook(BytesIO(workbook_bytes(big)))
    units = workbook["Theo đơn vị"]
    assert [cell.value for cell in units[2]][1:8] == [2000, 1234, 0, 0, 500, 266, 0]
    assert units["I2"].value == pytest.approx(0.617) and units["I2"].number_format == "0.0%"
    assert units["B2"].number_format == "#,##0"
    overdue = workbook["Quá hạn"]
    assert overdue["D2"].value == datetime(2024, 2, 26) and overdue["D2"].number_format == "DD/MM/YYYY"
    assert overdue["F2"].value == datetime(2024, 2, 29)
    assert workbook["Chỉ số CCHC"]["C2"].value == pytest.approx(0.617)


def test_a_rate_with_nothing_due_is_a_sentence_in_every_format():
    continuous = [_line(f"1.{n}", Status.NO_DEADLINE, None) for n in (1, 2, 3)]
    tasks = Tally()
    for line in continuous:
        tasks.add(line.status, line.due, AS_OF)
    report = _report(tasks, continuous)
    assert summary_lines(report)[1] == (
        "Cả 3 nhiệm vụ không có hạn cụ thể (thường xuyên hoặc định kỳ): chưa có nhiệm vụ nào "
        "đến hạn để tính tỷ lệ hoàn thành nhiệm vụ đã đến hạn."
    )
    assert "| 0,0% | chưa có việc đến hạn |" in render_report(report, ".md")
    workbook = load_workbook(BytesIO(workbook_bytes(report)))
    assert workbook["Theo nhóm"]["J2"].value == "chưa có việc đến hạn"


def test_the_summary_email_carries_the_headline_in_its_subject(big):
    email = summary_email(big)
    assert email.subject == ("[CCHC] Tổng hợp tiến độ đến ngày 01/03/2024: đã hoàn thành "
                             "1.234/2.000 nhiệm vụ (đạt 61,7%), đang thực hiện 766/2.000 nhiệm vụ")
    assert email.workbook_name == "tien-do-cchc-01-03-2024.xlsx"
    assert Decimal(str(load_workbook(BytesIO(email.workbook))["Theo nhóm"]["I2"].value)) \
        == Decimal("0.617")


def test_the_weekly_summary_names_the_undetermined_deadlines_in_every_format():
    from dataclasses import replace

    from notifications.reports import summary_email

    waiting = replace(_line("1.5", Status.NO_DEADLINE, None, HOSTILE),
                      deadline_kind="undetermined", deadline_text="Theo kế hoạch")
    tasks = Tally()
    tasks.add(waiting.status, waiting.due, AS_OF, undetermined=waiting.undetermined)
    email = summary_email(_report(tasks, [waiting]))
    assert "không có hạn cụ thể (thường xuyên, định kỳ hoặc chưa xác định)" in email.text
    for body in (email.text, email.html):
        assert "Chưa xác định thời hạn: 1 nhiệm vụ (1.5), cần đặt thời hạn." in body
        assert "Nhiệm vụ chưa xác định thời hạn" in body and "Theo kế hoạch" in body
    sheet = load_workbook(BytesIO(email.workbook))["Chưa xác định thời hạn"]
    assert [sheet["A2"].value, sheet["B2"].value, sheet["D2"].value] == [
        "XA", "1.5", "Theo kế hoạch"]


def test_the_periodic_reports_figure_counts_reports_only_and_names_what_it_counted():
    from domain.occurrences import PeriodicRow
    from notifications.par_index import indicator_text

    rows = [PeriodicRow("6.10", "Thanh toán", "T1/2021", "tháng 1/2021", date(2021, 1, 20),
                        on_time=["PTCKH"]),
            PeriodicRow("5.10", "Nâng lương", "Q1/2021", "quý I/2021", date(2021, 3, 31),
                        missing=["PNV"], report=False),
            PeriodicRow("BCQ", "Báo cáo quý", "Q1/2021", "quý I/2021", date(2021, 3, 15),
                        on_time=["X-CX"], late=[("P-CL", 3)])]
    indicator = par_index.periodic_reports(rows, ["1.6", "6.10", "BCQ"])
    assert (indicator.done, indicator.total) == (2, 3)
    text = indicator_text(indicator)
    assert text.inputs == ("2/3 báo cáo đã đến hạn được gửi đúng hạn (gửi muộn 1, chưa gửi 0); "
                           "tính báo cáo của: 6.10, BCQ; không tính nhiệm vụ định kỳ không phải "
                           "báo cáo: 5.10")
    nothing_due = indicator_text(par_index.periodic_reports([], ["1.6", "BCQ"]))
    assert nothing_due.inputs == "báo cáo định kỳ: 1.6, BCQ; chưa có kỳ báo cáo nào đến hạn"
