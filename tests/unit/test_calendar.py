"""The Vietnamese working-day calendar: weekends, public holidays (Tết), swapped days, local
overrides, and the working-day arithmetic the ladder and the deadlines rely on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import CalendarOverrides, WorkingCalendar


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


CAL = WorkingCalendar()

# Saturday 10/02/2024 is the first day of Tết Giáp Thìn; civil servants were off 08/02–14/02.
TET_DUE = d("10/02/2024")


# --- adding working days (deadlines counted in working days) ----------------------------------


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        # The Sơn La inspection conclusion: 15 working days from 04/10/2019 (a Friday).
        ("04/10/2019", 15, "25/10/2019"),
        # Crosses the National Day holiday 01–02/09/2022 (Thursday and Friday).
        ("19/08/2022", 15, "13/09/2022"),
    ],
)
def test_adding_working_days_skips_weekends_and_public_holidays(start, count, expected):
    assert CAL.add_working_days(d(start), count) == d(expected)


def test_adding_one_working_day_to_a_friday_lands_on_monday():
    assert CAL.add_working_days(d("07/06/2024"), 1) == d("10/06/2024")


def test_adding_working_days_from_before_tet_jumps_over_the_whole_holiday():
    # Wednesday 07/02/2024 is the last working day before Tết; Thursday 15/02 the first after.
    assert CAL.add_working_days(d("07/02/2024"), 1) == d("15/02/2024")


def test_adding_zero_working_days_is_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(d("04/10/2019"), 0)


# --- remaining / overdue around a due date that falls in Tết -----------------------------------


def test_nothing_remains_on_the_last_working_day_before_a_due_date_in_tet():
    assert CAL.remaining(d("07/02/2024"), TET_DUE) == 0


def test_one_working_day_remains_the_day_before_the_last_working_day():
    assert CAL.remaining(d("06/02/2024"), TET_DUE) == 1


def test_first_working_day_after_tet_is_one_working_day_overdue():
    assert CAL.overdue(TET_DUE, d("15/02/2024")) == 1


@pytest.mark.parametrize("holiday", ["08/02/2024", "10/02/2024", "12/02/2024", "14/02/2024"])
def test_tet_days_do_not_count_as_overdue(holiday):
    assert CAL.overdue(TET_DUE, d(holiday)) == 0


@pytest.mark.parametrize(
    ("as_of", "due"),
    [("15/02/2024", "10/02/2024"), ("25/10/2019", "04/10/2019"), ("10/02/2024", "10/02/2024")],
)
def test_remaining_is_zero_when_the_check_is_on_or_after_the_due_date(as_of, due):
    assert CAL.remaining(d(as_of), d(due)) == 0


@pytest.mark.parametrize(
    ("due", "as_of"),
    [("10/02/2024", "29/01/2024"), ("25/10/2019", "04/10/2019"), ("10/02/2024", "10/02/2024")],
)
def test_overdue_is_zero_when_the_check_is_on_or_before_the_due_date(due, as_of):
    assert CAL.overdue(d(due), d(as_of)) == 0


def test_working_days_between_counts_the_half_open_interval():
    # (Fri 07/06/2024, Mon 10/06/2024] holds Monday only.
    assert CAL.working_days_between(d("07/06/2024"), d("10/06/2024")) == 1
    # (Mon 03/06, Fri 07/06] holds Tuesday..Friday.
    assert CAL.working_days_between(d("03/06/2024"), d("07/06/2024")) == 4


# --- which days are working days -----------------------------------------------------------------


@pytest.mark.parametrize("day", ["08/06/2024", "09/06/2024", "05/10/2019", "06/10/2019"])
def test_weekends_are_not_working_days(day):
    assert not CAL.is_working_day(d(day))


@pytest.mark.parametrize("day", ["07/06/2024", "10/06/2024", "04/10/2019"])
def test_ordinary_weekdays_are_working_days(day):
    assert CAL.is_working_day(d(day))


@pytest.mark.parametrize("day", ["08/02/2024", "09/02/2024", "12/02/2024", "13/02/2024", "14/02/2024"])
def test_tet_weekdays_are_days_off(day):
    assert not CAL.is_working_day(d(day))


def test_swapped_saturday_is_a_working_day():
    # 2024: Monday 29/04 off, worked back on Saturday 04/05.
    assert CAL.is_working_day(d("04/05/2024"))


def test_monday_given_off_in_exchange_for_a_saturday_is_a_day_off():
    assert not CAL.is_working_day(d("29/04/2024"))


def test_swapped_days_shift_working_day_counts():
    # (Fri 26/04, Fri 03/05]: 29/04 swapped off, 30/04 and 01/05 holidays → only 02/05 and 03/05.
    assert CAL.working_days_between(d("26/04/2024"), d("03/05/2024")) == 2
    # ... and the swapped Saturday 04/05 counts.
    assert CAL.working_days_between(d("03/05/2024"), d("06/05/2024")) == 2


def test_holiday_name_is_vietnamese_and_none_on_ordinary_days():
    assert CAL.holiday_name(TET_DUE) == "Tết Nguyên Đán"
    assert CAL.holiday_name(d("07/06/2024")) is None


# --- working_day_with_remaining ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("10/02/2024", "07/02/2024"),  # Saturday in Tết → Wednesday before Tết
        ("09/06/2024", "07/06/2024"),  # Sunday → Friday
        ("07/06/2024", "07/06/2024"),  # a working day is its own last working day
        ("05/05/2024", "04/05/2024"),  # Sunday after a swapped Saturday → that Saturday
    ],
)
def test_working_day_with_zero_remaining_is_last_working_day_on_or_before_due(due, expected):
    assert CAL.working_day_with_remaining(d(due), 0) == d(expected)


@pytest.mark.parametrize(("count", "expected"), [(1, "06/02/2024"), (3, "02/02/2024"), (7, "29/01/2024")])
def test_working_day_with_remaining_counts_back_over_weekends(count, expected):
    day = CAL.working_day_with_remaining(TET_DUE, count)
    assert day == d(expected)
    assert CAL.remaining(day, TET_DUE) == count


def test_working_day_with_remaining_reaches_into_the_previous_year_on_a_fresh_calendar():
    fresh = WorkingCalendar()
    # 02/01/2024 is the first working day of 2024 (01/01 is a holiday): 1 remains on 29/12/2023.
    assert fresh.working_day_with_remaining(d("02/01/2024"), 1) == d("29/12/2023")


# --- local overrides -----------------------------------------------------------------------------


def test_an_extra_local_day_off_is_not_counted():
    local = WorkingCalendar.with_overrides(days_off=[d("11/06/2024")])
    assert not local.is_working_day(d("11/06/2024"))
    assert CAL.working_days_between(d("07/06/2024"), d("14/06/2024")) == 5
    assert local.working_days_between(d("07/06/2024"), d("14/06/2024")) == 4
    assert CAL.add_working_days(d("10/06/2024"), 1) == d("11/06/2024")
    assert local.add_working_days(d("10/06/2024"), 1) == d("12/06/2024")


def test_an_extra_local_working_day_is_counted():
    local = WorkingCalendar.with_overrides(working_days=[d("08/06/2024")])
    assert local.is_working_day(d("08/06/2024"))
    assert local.working_days_between(d("07/06/2024"), d("10/06/2024")) == 2
    assert local.add_working_days(d("07/06/2024"), 1) == d("08/06/2024")
    assert local.overdue(d("07/06/2024"), d("08/06/2024")) == 1


def test_a_local_working_day_can_override_a_national_holiday():
    local = WorkingCalendar(CalendarOverrides(working_days=frozenset({d("14/02/2024")})))
    assert local.is_working_day(d("14/02/2024"))
    assert local.overdue(TET_DUE, d("14/02/2024")) == 1


def test_a_day_both_off_and_working_is_refused_and_named():
    with pytest.raises(ValueError, match="11/06/2024"):
        CalendarOverrides(
            days_off=frozenset({d("11/06/2024")}), working_days=frozenset({d("11/06/2024")})
        )
    with pytest.raises(ValueError):
        WorkingCalendar.with_overrides(days_off=[d("11/06/2024")], working_days=[d("11/06/2024")])


# --- property: the fast (bisect) counting agrees with a day-by-day count -------------------------

_FIRST, _LAST = date(2015, 1, 1), date(2030, 12, 31)
# The reference: is_working_day asked once for every day 2015..2031 (2031 for add_working_days).
_REFERENCE = WorkingCalendar()
_DAYS = [_FIRST + timedelta(days=i) for i in range((date(2031, 12, 31) - _FIRST).days + 1)]
_IS_WORKING = [_REFERENCE.is_working_day(day) for day in _DAYS]


def _brute_count(start: date, end: date) -> int:
    """Working days in (start, end], day by day."""
    return sum(_IS_WORKING[(start - _FIRST).days + 1 : (end - _FIRST).days + 1])


def _brute_add(start: date, count: int) -> date:
    index = (start - _FIRST).days
    while count:
        index += 1
        count -= _IS_WORKING[index]
    return _DAYS[index]


_dates = st.dates(min_value=_FIRST, max_value=_LAST)


@settings(max_examples=100, deadline=None, database=None)
@given(a=_dates, b=_dates, n=st.integers(min_value=1, max_value=40))
def test_working_day_counting_agrees_with_a_day_by_day_count(a, b, n):
    a, b = min(a, b), max(a, b)
    # A fresh calendar each time, so building years in any order is exercised too.
    calendar = WorkingCalendar()
    assert calendar.working_days_between(a, b) == _brute_count(a, b)
    assert calendar.working_days_between(b, a) == 0  # reversed order counts nothing

    x = calendar.add_working_days(a, n)
    assert x == _brute_add(a, n)
    # x is the first day with exactly n working days in (a, x].
    assert calendar.working_days_between(a, x) == n
    assert calendar.working_days_between(a, x - timedelta(days=1)) == n - 1
