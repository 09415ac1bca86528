"""Each period's due date and label, and how late a report came: pure rules, no database."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import WorkingCalendar
from domain.deadlines import parse_deadline
from domain.occurrences import (
    PeriodError,
    is_report,
    occurrence_label,
    parse_period,
    period_due,
    periods_of_year,
    report_standing,
)

CALENDAR = WorkingCalendar()


def dues(cell: str, report: bool, year: int = 2021) -> list[tuple[str, date]]:
    rule = parse_deadline(cell, year=year).rule
    return [(p.label, period_due(p, rule, report=report)) for p in periods_of_year(rule.periods, year)]


def test_a_quarterly_report_falls_due_on_day_20_of_each_quarters_last_month():
    assert dues("Hằng quý", report=True) == [
        ("Q1/2021", date(2021, 3, 20)), ("Q2/2021", date(2021, 6, 20)),
        ("Q3/2021", date(2021, 9, 20)), ("Q4/2021", date(2021, 12, 20))]


def test_a_recurring_task_that_is_no_report_falls_due_on_its_periods_last_day():
    assert [d for _, d in dues("Hằng quý", report=False)] == [
        date(2021, 3, 31), date(2021, 6, 30), date(2021, 9, 30), date(2021, 12, 31)]


def test_quarter_half_year_and_year_means_q1_h1_q3_and_the_year():
    assert [label for label, _ in dues("Báo cáo quý, 6 tháng, năm", report=True)] == [
        "Q1/2021", "H1/2021", "Q3/2021", "N/2021"]


def test_the_cells_own_day_wins_over_the_policys_default():
    assert dues("Trước ngày 15 của tháng cuối quý", report=True)[1] == ("Q2/2021", date(2021, 6, 15))
    monthly = dues("Trước ngày 10 hằng tháng", report=True)
    assert len(monthly) == 12 and monthly[1] == ("T2/2021", date(2021, 2, 10))
    assert dues("Trước 30/4 hằng năm", report=False) == [("N/2021", date(2021, 4, 30))]


def test_a_day_of_each_quarters_last_month_falls_in_that_month():
    assert dues("Chậm nhất ngày 18 của tháng cuối mỗi quý", report=True) == [
        ("Q1/2021", date(2021, 3, 18)), ("Q2/2021", date(2021, 6, 18)),
        ("Q3/2021", date(2021, 9, 18)), ("Q4/2021", date(2021, 12, 18))]


def test_a_day_of_the_next_quarters_first_month_falls_after_the_quarter_the_last_next_year():
    assert dues("Trước ngày 5 của tháng đầu quý sau", report=True) == [
        ("Q1/2021", date(2021, 4, 5)), ("Q2/2021", date(2021, 7, 5)),
        ("Q3/2021", date(2021, 10, 5)), ("Q4/2021", date(2022, 1, 5))]


def test_a_day_past_the_months_end_is_its_last_day():
    assert dues("Trước ngày 31 hằng tháng", report=True)[1] == ("T2/2021", date(2021, 2, 28))


def test_a_report_is_a_task_whose_product_or_content_says_bao_cao():
    assert is_report("Báo cáo", "Tiếp nhận phản ánh") and is_report(None, "BÁO CÁO CCHC quý")
    assert not is_report("Quyết định", "Thực hiện chế độ, chính sách")


@pytest.mark.parametrize("text, label, title", [
    ("Q2/2021", "Q2/2021", "quý II/2021"), ("Quý II/2021", "Q2/2021", "quý II/2021"),
    ("T6/2021", "T6/2021", "tháng 6/2021"), ("H1/2021", "H1/2021", "6 tháng đầu năm 2021"),
    ("N/2021", "N/2021", "năm 2021"), ("2021", "N/2021", "năm 2021"),
])
def test_a_period_is_read_as_the_secretariat_writes_it(text, label, title):
    period = parse_period(text)
    assert (period.label, period.title) == (label, title)


@pytest.mark.parametrize("text", ["Q5/2021", "T13/2021", "quý hai", ""])
def test_an_impossible_period_is_refused_with_the_forms_it_takes(text):
    with pytest.raises(PeriodError, match="Q2/2021"):
        parse_period(text)


def test_the_label_says_which_report_of_which_period():
    assert occurrence_label(parse_period("Q2/2021"), True) == "Báo cáo quý II/2021"
    assert occurrence_label(parse_period("H1/2021"), False) == "Kỳ 6 tháng đầu năm 2021"


def test_a_report_is_late_by_the_working_days_after_its_due_date():
    due = date(2021, 3, 15)  # a Monday
    assert report_standing(due, date(2021, 3, 15), date(2021, 3, 25), CALENDAR) == ("on_time", 0)
    assert report_standing(due, date(2021, 3, 18), date(2021, 3, 25), CALENDAR) == ("late", 3)
    assert report_standing(due, None, date(2021, 3, 25), CALENDAR) == ("missing", 0)
    assert report_standing(due, None, date(2021, 3, 15), CALENDAR) == ("pending", 0)
    # received after the day asked about: not yet received on that day
    assert report_standing(due, date(2021, 3, 18), date(2021, 3, 16), CALENDAR) == ("missing", 0)


def test_a_report_due_on_a_sunday_and_sent_that_monday_is_late_by_one_working_day():
    assert report_standing(date(2021, 6, 20), date(2021, 6, 21), date(2021, 6, 25),
                           CALENDAR) == ("late", 1)
