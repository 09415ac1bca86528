"""Deadline text as plans and inspection conclusions write it (and as a secretariat types it)
→ due date. Unknown text is an error quoting the text, never a guess."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.calendar import WorkingCalendar
from domain.deadlines import DeadlineError, parse_deadline
from domain.states import DeadlineKind


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


CAL = WorkingCalendar()
CONCLUDED = d("04/10/2019")  # the 2019 inspection's conclusion date


def parse(text: str, **context):
    context.setdefault("year", 2021)
    context.setdefault("start", CONCLUDED)
    context.setdefault("calendar", CAL)
    return parse_deadline(text, **context)


# --- the forms of the README's deadline table and examples/sonla-2021 -----------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Tháng 01/2021", "31/01/2021"),
        ("Tháng 6/2021", "30/06/2021"),
        ("Tháng 2/2021", "28/02/2021"),
        ("Tháng 2/2024", "29/02/2024"),
        ("Quý I/2021", "31/03/2021"),
        ("Quý II/2021", "30/06/2021"),
        ("Quý III/2021", "30/09/2021"),
        ("Quý IV/2021", "31/12/2021"),
        ("Quý IV/2019", "31/12/2019"),
        ("Quý IV/2020", "31/12/2020"),
        ("6 tháng đầu năm", "30/06/2021"),
        ("6 tháng cuối năm", "31/12/2021"),
        ("Năm 2021", "31/12/2021"),
        ("Trước 30/6/2021", "30/06/2021"),
        ("Trước 15/11/2021", "15/11/2021"),
        ("Trước 31/10/2019", "31/10/2019"),
        ("15 ngày làm việc", "25/10/2019"),
    ],
)
def test_documented_deadline_forms_give_their_due_date(text, due):
    deadline = parse(text)
    assert deadline.kind is DeadlineKind.FIXED
    assert deadline.due == d(due)
    assert deadline.text == text


@pytest.mark.parametrize(
    ("text", "year", "due"),
    [
        ("6 tháng đầu năm", 2021, "30/06/2021"),
        ("6 tháng đầu năm", 2019, "30/06/2019"),
        ("6 tháng cuối năm", 2020, "31/12/2020"),
    ],
)
def test_half_year_deadline_takes_the_plans_year(text, year, due):
    assert parse(text, year=year).due == d(due)


def test_continuous_deadline_has_no_due_date():
    deadline = parse("Thường xuyên")
    assert deadline.kind is DeadlineKind.CONTINUOUS
    assert deadline.due is None
    assert deadline.opens is None


@pytest.mark.parametrize(
    ("text", "recurrence"),
    [("Hằng quý", "quý"), ("Hằng tháng", "tháng"), ("Hàng quý", "quý"), ("Hằng năm", "năm")],
)
def test_recurring_deadline_has_no_single_due_date(text, recurrence):
    deadline = parse(text)
    assert deadline.kind is DeadlineKind.RECURRING
    assert deadline.due is None
    assert deadline.recurrence == recurrence


# --- what a secretariat actually types ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("QUÝ  II/2021", "30/06/2021"),
        ("  tháng 6/2021 ", "30/06/2021"),
        ("THÁNG 06/2021", "30/06/2021"),
        ("Quý 2/2021", "30/06/2021"),
        ("quý II năm 2021", "30/06/2021"),
        ("Quý\u00a0II/2021", "30/06/2021"),  # non-breaking space pasted from Word/Excel
        ("Quy II/2021", "30/06/2021"),  # typed without accents
        ("Thang 6/2021", "30/06/2021"),
        ("6 thang dau nam", "30/06/2021"),
        ("Nam 2021", "31/12/2021"),
        ("trước ngày 30/6/2021", "30/06/2021"),
        ("TRƯỚC 15/11/2021", "15/11/2021"),
        ("Truoc 30/06/2021", "30/06/2021"),
        ("Trước ngày 30 tháng 6 năm 2021", "30/06/2021"),
        ("15 ngay lam viec", "25/10/2019"),
    ],
)
def test_typed_variants_of_case_spacing_and_accents_are_understood(text, due):
    assert parse(text).due == d(due)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("thường  xuyên", DeadlineKind.CONTINUOUS),
        ("Thuong xuyen", DeadlineKind.CONTINUOUS),
        ("HẰNG QUÝ", DeadlineKind.RECURRING),
        ("Hang thang", DeadlineKind.RECURRING),
    ],
)
def test_typed_variants_of_undated_deadlines_are_understood(text, kind):
    deadline = parse(text)
    assert deadline.kind is kind
    assert deadline.due is None


def test_text_is_kept_as_written_without_surrounding_spaces():
    assert parse("  tháng 6/2021 ").text == "tháng 6/2021"


def test_decomposed_unicode_is_read_like_composed_unicode():
    import unicodedata

    assert parse(unicodedata.normalize("NFD", "Quý III/2021")).due == d("30/09/2021")


# --- N ngày (calendar days) vs N ngày làm việc (working days) -----------------------------------


@pytest.mark.parametrize(
    ("text", "start", "due"),
    [
        ("15 ngày", "04/10/2019", "19/10/2019"),  # calendar days: may land on a Saturday
        ("15 ngày làm việc", "04/10/2019", "25/10/2019"),
        ("30 ngày", "04/10/2019", "03/11/2019"),
        ("15 ngày làm việc", "19/08/2022", "13/09/2022"),
        ("Trong vòng 15 ngày làm việc kể từ ngày kết luận", "04/10/2019", "25/10/2019"),
    ],
)
def test_days_count_from_the_start_date_in_calendar_or_working_days(text, start, due):
    deadline = parse(text, start=d(start))
    assert deadline.kind is DeadlineKind.FIXED
    assert deadline.due == d(due)
    assert deadline.opens == d(start)


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Quý V/2021",
        "Quý 5/2021",
        "Quý 0/2021",
        "Tháng 13/2021",
        "Tháng 0/2021",
    ],
)
def test_a_period_that_cannot_exist_is_refused_quoting_the_text(text):
    with pytest.raises(DeadlineError) as raised:
        parse(text)
    assert f'"{text}"' in str(raised.value)
    assert raised.value.text == text


def test_unknown_deadline_text_is_undetermined_never_a_guessed_date():
    deadline = parse("sớm nhất có thể")
    assert deadline.kind is DeadlineKind.UNDETERMINED
    assert (deadline.due, deadline.opens) == (None, None)
    assert deadline.text == "sớm nhất có thể"


@pytest.mark.parametrize("text", ["Trước 31/02/2021", "Trước 29/02/2021", "31/02/2021"])
def test_a_date_that_does_not_exist_is_refused(text):
    with pytest.raises(DeadlineError) as raised:
        parse(text)
    assert text in str(raised.value)


def test_leap_day_in_a_leap_year_is_accepted():
    assert parse("Trước 29/02/2024").due == d("29/02/2024")


@pytest.mark.parametrize("text", ["6 tháng đầu năm", "6 tháng cuối năm"])
def test_half_year_without_the_plans_year_is_refused(text):
    with pytest.raises(DeadlineError):
        parse_deadline(text)


def test_half_year_with_its_own_year_needs_no_plan_year():
    assert parse_deadline("6 tháng đầu năm 2022").due == d("30/06/2022")


@pytest.mark.parametrize("text", ["15 ngày làm việc", "15 ngày"])
def test_days_without_a_start_date_are_refused(text):
    with pytest.raises(DeadlineError) as raised:
        parse_deadline(text, year=2021, calendar=CAL)
    assert text in str(raised.value)


def test_zero_days_is_refused():
    with pytest.raises(DeadlineError):
        parse("0 ngày làm việc")


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_deadline_is_refused(text):
    with pytest.raises(DeadlineError):
        parse_deadline(text, year=2021)


@pytest.mark.parametrize("text", ["Năm 0000", "Quý I/0000", "Tháng 6/0000"])
def test_year_zero_is_refused_as_a_deadline_error(text):
    with pytest.raises(DeadlineError):
        parse(text)


# --- opens: the first day of the period the deadline closes --------------------------------------


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("Quý I/2021", "01/01/2021"),
        ("Quý II/2021", "01/04/2021"),
        ("Quý III/2021", "01/07/2021"),
        ("Quý IV/2021", "01/10/2021"),
        ("Tháng 6/2021", "01/06/2021"),
        ("Tháng 01/2021", "01/01/2021"),
        ("6 tháng đầu năm", "01/01/2021"),
        ("6 tháng cuối năm", "01/07/2021"),
        ("Năm 2021", "01/01/2021"),
    ],
)
def test_period_deadlines_open_on_the_first_day_of_the_period(text, opens):
    assert parse(text).opens == d(opens)


@pytest.mark.parametrize("text", ["Trước 30/6/2021", "trước ngày 15/11/2021", "Trước 31/10/2019"])
def test_before_a_date_deadlines_are_open_at_once(text):
    assert parse(text).opens is None


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("06 tháng đầu năm", "30/06/2021"),
        ("06 tháng cuối năm", "31/12/2021"),
        ("Quý I / 2021", "31/03/2021"),
        ("Tháng 6 / 2021", "30/06/2021"),
    ],
)
def test_leading_zero_and_spaces_around_the_slash_are_understood(text, due):
    assert parse(text).due == d(due)
