"""Status in the government's taxonomy as of a day, the two completion rates, and Vietnamese
number formatting (. for thousands, , for decimals, one decimal, half up)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from domain.calendar import WorkingCalendar
from domain.status import Status, percent, status_of
from domain.tallies import Tally
from notifications import words
from notifications.words import format_number, format_percent


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


CAL = WorkingCalendar()


def status(due, as_of, *, opens=None, completed_on=None, extended=False, **kwargs) -> Status:
    return status_of(
        due=d(due) if due else None,
        opens=d(opens) if opens else None,
        completed_on=d(completed_on) if completed_on else None,
        extended=extended,
        as_of=d(as_of),
        calendar=CAL,
        **kwargs,
    )


# --- every status of the taxonomy, reached by a concrete case ------------------------------------


def test_item_whose_period_has_not_opened_is_not_yet_due():
    # Quý III/2021 (opens 01/07, due 30/09) seen on 25/06/2021.
    assert status("30/09/2021", "25/06/2021", opens="01/07/2021") is Status.NOT_YET_DUE


def test_item_inside_its_period_and_far_from_due_is_in_progress():
    assert status("30/09/2021", "15/07/2021", opens="01/07/2021") is Status.IN_PROGRESS


def test_item_with_no_period_and_far_from_due_is_in_progress():
    # Trước 30/6/2021 seen on 01/06/2021: 21 working days left.
    assert status("30/06/2021", "01/06/2021") is Status.IN_PROGRESS


def test_item_within_seven_working_days_of_due_is_due_soon():
    assert status("30/06/2021", "25/06/2021") is Status.DUE_SOON


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("18/06/2021", Status.IN_PROGRESS),  # 8 working days left
        ("21/06/2021", Status.DUE_SOON),  # 7 working days left
        ("30/06/2021", Status.DUE_SOON),  # the due date itself
    ],
)
def test_due_soon_starts_exactly_seven_working_days_before_due(as_of, expected):
    assert status("30/06/2021", as_of) is expected


def test_due_soon_window_follows_the_policy_days():
    # 25/06 → 30/06/2021: 3 working days left.
    assert status("30/06/2021", "25/06/2021", due_soon_days=2) is Status.IN_PROGRESS
    assert status("30/06/2021", "25/06/2021", due_soon_days=3) is Status.DUE_SOON


def test_open_item_past_its_due_date_is_overdue():
    # Tasks 3.2 (Quý II/2021) and 4.3 (Trước 30/6/2021) on 01/07/2021.
    assert status("30/06/2021", "01/07/2021", opens="01/04/2021") is Status.OVERDUE
    assert status("30/06/2021", "01/07/2021") is Status.OVERDUE


def test_item_completed_before_due_is_done_on_time():
    assert status("30/06/2021", "25/06/2021", completed_on="20/05/2021") is Status.DONE_ON_TIME


def test_item_completed_on_the_check_day_counts_as_done():
    # Task 4.6: completed on 25/06/2021 itself, counted done on time that day.
    assert status("30/06/2021", "25/06/2021", completed_on="25/06/2021") is Status.DONE_ON_TIME


def test_item_completed_on_its_due_date_is_done_on_time():
    # KT19-01: due 25/10/2019, done that day.
    assert status("25/10/2019", "01/11/2019", completed_on="25/10/2019") is Status.DONE_ON_TIME


def test_item_completed_after_its_due_date_is_done_late():
    # KT19-02: due 25/10/2019, done 28/10/2019.
    assert status("25/10/2019", "01/11/2019", completed_on="28/10/2019") is Status.DONE_LATE


def test_item_extended_and_completed_on_time_is_done_on_time_with_extension():
    assert (
        status("31/07/2021", "01/08/2021", completed_on="20/07/2021", extended=True)
        is Status.DONE_ON_TIME_EXTENDED
    )


def test_item_extended_and_still_completed_late_is_done_late():
    assert (
        status("31/07/2021", "10/08/2021", completed_on="05/08/2021", extended=True)
        is Status.DONE_LATE
    )


def test_item_without_due_date_has_no_deadline_status():
    # Thường xuyên / Hằng quý: never overdue.
    assert status(None, "01/07/2021") is Status.NO_DEADLINE
    assert status(None, "31/12/2030") is Status.NO_DEADLINE


def test_completion_dated_after_the_check_day_does_not_count_yet():
    # Completed 30/06/2021, but on 25/06/2021 it is still open (due soon).
    assert status("30/06/2021", "25/06/2021", completed_on="30/06/2021") is Status.DUE_SOON
    # KT19-02 (done late on 28/10/2019) seen on 28/10 is done late, on the Friday before not yet.
    assert status("25/10/2019", "24/10/2019", completed_on="28/10/2019") is Status.DUE_SOON
    assert status("25/10/2019", "28/10/2019", completed_on="28/10/2019") is Status.DONE_LATE


def test_late_completion_dated_after_the_check_day_leaves_the_item_overdue():
    assert status("30/06/2021", "02/07/2021", completed_on="05/07/2021") is Status.OVERDUE


# --- overdue counts working days -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("07/06/2024", Status.DUE_SOON),  # Friday, the due date
        ("08/06/2024", Status.DUE_SOON),  # Saturday: no working day has passed yet
        ("09/06/2024", Status.DUE_SOON),  # Sunday
        ("10/06/2024", Status.OVERDUE),  # Monday: one working day overdue
    ],
)
def test_item_due_friday_becomes_overdue_on_monday_not_on_the_weekend(as_of, expected):
    assert status("07/06/2024", as_of) is expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("12/02/2024", Status.DUE_SOON), ("14/02/2024", Status.DUE_SOON), ("15/02/2024", Status.OVERDUE)],
)
def test_item_due_during_tet_becomes_overdue_on_the_first_working_day_after_tet(as_of, expected):
    assert status("10/02/2024", as_of) is expected


# --- labels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label"),
    [
        (Status.NOT_YET_DUE, "chưa đến hạn"),
        (Status.IN_PROGRESS, "đang thực hiện trong hạn"),
        (Status.DUE_SOON, "sắp đến hạn"),
        (Status.OVERDUE, "đang thực hiện quá hạn"),
        (Status.DONE_ON_TIME, "hoàn thành đúng hạn"),
        (Status.DONE_LATE, "hoàn thành quá hạn"),
        (Status.NO_DEADLINE, "không thời hạn"),
    ],
)
def test_status_labels_are_the_governments_wording(code, label):
    assert words.label(code) == label


def test_only_the_three_completed_statuses_count_as_done():
    done = {s for s in Status if s.is_done}
    assert done == {Status.DONE_ON_TIME, Status.DONE_ON_TIME_EXTENDED, Status.DONE_LATE}


# --- completion rates ---------------------------------------------------------------------------


def completion_rates(items, as_of: date):
    tally = Tally()
    for item_status, due in items:
        tally.add(item_status, due, as_of)
    return tally.rates


def _sonla_items():
    """The seed on 01/07/2021: 36 done (due by 30/06), 3.2 and 4.3 overdue, 32 due later."""
    return (
        [(Status.DONE_ON_TIME, d("30/06/2021"))] * 36
        + [(Status.OVERDUE, d("30/06/2021"))] * 2
        + [(Status.NOT_YET_DUE, d("30/09/2021"))] * 20
        + [(Status.IN_PROGRESS, d("31/12/2021"))] * 10
        + [(Status.NO_DEADLINE, None)] * 2
    )


def test_completion_rate_of_all_tasks_is_36_of_70():
    rates = completion_rates(_sonla_items(), d("01/07/2021"))
    assert (rates.done, rates.total) == (36, 70)
    assert rates.of_all == Decimal("51.4")


def test_completion_rate_of_tasks_already_due_is_36_of_38():
    rates = completion_rates(_sonla_items(), d("01/07/2021"))
    assert (rates.due_done, rates.due_total) == (36, 38)
    assert rates.of_due == Decimal("94.7")


def test_an_item_due_on_the_check_day_is_already_due():
    rates = completion_rates([(Status.DUE_SOON, d("30/06/2021"))], d("30/06/2021"))
    assert rates.due_total == 1
    rates = completion_rates([(Status.DUE_SOON, d("30/06/2021"))], d("29/06/2021"))
    assert rates.due_total == 0


def test_a_done_item_not_yet_due_counts_as_done_but_not_among_the_due():
    rates = completion_rates([(Status.DONE_ON_TIME, d("31/12/2021"))], d("01/07/2021"))
    assert (rates.done, rates.total, rates.due_done, rates.due_total) == (1, 1, 0, 0)
    assert rates.of_due is None


def test_completion_rates_of_nothing_are_none():
    rates = completion_rates([], d("01/07/2021"))
    assert rates.of_all is None and rates.of_due is None


# --- percent and Vietnamese formatting ----------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "value", "text"),
    [
        (36, 70, "51.4", "51,4%"),
        (36, 38, "94.7", "94,7%"),
        (4704, 4910, "95.8", "95,8%"),
        (1, 8, "12.5", "12,5%"),
        (1, 16, "6.3", "6,3%"),  # 6.25: half up, not half even
        (3, 16, "18.8", "18,8%"),  # 18.75
        (1, 3, "33.3", "33,3%"),
        (2, 3, "66.7", "66,7%"),
        (70, 70, "100.0", "100,0%"),
        (0, 70, "0.0", "0,0%"),
    ],
)
def test_percent_has_one_decimal_rounded_half_up_with_a_decimal_comma(
    numerator, denominator, value, text
):
    result = percent(numerator, denominator)
    assert result == Decimal(value)
    assert format_percent(result) == text


def test_percent_of_zero_is_none_and_shows_as_a_dash():
    assert percent(0, 0) is None
    assert percent(5, 0) is None
    assert format_percent(None) == "—"


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (7182, 0, "7.182"),
        (4910, 0, "4.910"),
        (70, 0, "70"),
        (0, 0, "0"),
        (1234567, 0, "1.234.567"),
        (Decimal("95.8"), 1, "95,8"),
        (Decimal("1234567.85"), 1, "1.234.567,9"),
        (Decimal("2.5"), 0, "3"),  # half up
        (Decimal("0.05"), 1, "0,1"),  # half up
        (Decimal("51.4"), 1, "51,4"),
    ],
)
def test_numbers_use_dot_for_thousands_and_comma_for_decimals(value, decimals, text):
    assert format_number(value, decimals) == text


# --- a remediation item reopened by its evaluation (chưa đạt) ----------------------------------


def test_a_remediation_reopened_after_missing_its_deadline_is_reopened_not_within_its_deadline():
    reopened = dict(reopened_on=d("15/06/2021"), first_due=d("31/12/2019"), extended=True)
    assert status("31/07/2021", "25/06/2021", **reopened) is Status.REOPENED
    assert words.label(Status.REOPENED) == "chưa đạt, đang khắc phục lại (quá hạn)"
    # Before the evaluation it was overdue; after its new deadline, overdue again.
    assert status("31/12/2019", "14/06/2021", **reopened) is Status.OVERDUE
    assert status("31/07/2021", "03/08/2021", **reopened) is Status.OVERDUE


def test_a_reopened_remediation_done_by_its_new_deadline_is_done_late_not_on_time_extended():
    reopened = dict(reopened_on=d("15/06/2021"), first_due=d("31/12/2019"), extended=True)
    assert status("31/07/2021", "30/07/2021", completed_on="20/07/2021",
                  **reopened) is Status.DONE_LATE
    # Reopened before its first deadline passed, and done by then: on time.
    assert status("31/07/2021", "30/07/2021", completed_on="20/06/2021", extended=True,
                  reopened_on=d("10/06/2021"), first_due=d("30/06/2021")) is Status.DONE_ON_TIME


def test_a_reopened_item_counts_as_overdue_and_not_within_the_deadline():
    tally = Tally()
    tally.add(Status.REOPENED, d("31/07/2021"), d("25/06/2021"))
    tally.add(Status.OVERDUE, d("31/05/2021"), d("25/06/2021"))
    assert (tally.overdue, tally.within_deadline, tally.done) == (2, 0, 0)
