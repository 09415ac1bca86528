"""Deadline text (thời hạn, thời gian hoàn thành) → due date, as real plans and inspection
conclusions write it. Text that names no calendar date is "chưa xác định thời hạn"
(undetermined), never a guess; an impossible date is an error that quotes the text."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from domain.calendar import WorkingCalendar
from domain.deadline_phrases import bound_by_notes, read_phrase
from domain.deadline_values import (
    DATE,
    DATE_WORDS,
    Deadline,
    DeadlineError,
    Recurrence,
    dated,
    month_deadline,
    normalise,
    quarter_deadline,
    quarter_number,
    real_date,
)
from domain.states import DeadlineKind

_YEAR = r"(?:\s*[/.-]\s*|\s+nam\s+|\s+)(\d{4})"
_MONTH = re.compile(rf"thang\s+(\d{{1,2}}){_YEAR}")
_QUARTER = re.compile(rf"quy\s+(i{{1,3}}|iv|[1-4]){_YEAR}")
_HALF = re.compile(r"(?:0?6|sau)\s+thang\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?")
_YEAR_ONLY = re.compile(r"nam\s+(\d{4})")
_BEFORE = re.compile(rf"(?:truoc|han chot|cham nhat)?\s*(?:ngay\s+)?(?:{DATE}|{DATE_WORDS})")
_DAYS = re.compile(
    r"(?:trong\s+(?:vong|thoi\s+han)\s+)?(\d{1,3})\s+ngay(\s+lam\s+viec)?"
    r"(?:\s+(?:ke\s+)?tu\s+ngay\s+(?:ket\s+luan|ky|ban\s+hanh))?"
)
_RECURRING = re.compile(r"hang\s+(thang|quy|nam)")
_RECURRENCE_PERIODS = {"thang": "month", "quy": "quarter", "nam": "year"}


def parse_deadline(
    text: str,
    *,
    year: int | None = None,
    start: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """Read a deadline as written.

    `year` is the plan's year (for "6 tháng đầu năm", "Quý I", "Trước 15/7"); `start` is the
    date counted from for "N ngày" / "N ngày làm việc" (an inspection's conclusion date);
    `calendar` counts working days. Raises DeadlineError only for an empty cell, an impossible
    date or period, or a form that needs context not given; any other text that names no date
    is undetermined.
    """
    if text is None or not str(text).strip():
        raise DeadlineError("", "thời hạn bị để trống")
    original = str(text).strip()
    try:
        return _parse(original, year, start, calendar)
    except DeadlineError:
        raise
    except (ValueError, OverflowError) as error:  # a date that cannot exist: year 0, …
        raise DeadlineError(original, f"ngày không hợp lệ ({error})") from None


def _parse(
    original: str, year: int | None, start: date | None, calendar: WorkingCalendar | None
) -> Deadline:
    # A trailing full stop is still the plain form; a note in brackets is not.
    key = normalise(original).rstrip(" .;,:")
    plain = _plain(original, key, year, start, calendar)
    if plain is not None:
        return plain
    cleaned = re.sub(r"\s+", " ", re.sub(r"\([^()]*\)?", " ", key)).strip(" .;,:-–•+*") or key
    plain = _plain(original, cleaned, year, start, calendar) if cleaned != key else None
    deadline = replace(plain, plain=False) if plain else read_phrase(original, cleaned, year)
    if deadline.kind is DeadlineKind.RECURRING and re.search(r"\([^()]*\bngay\s+\d", key):
        # A note naming a day is part of the rule: "Hằng tháng (trước ngày 10)".
        return read_phrase(original, re.sub(r"\s*[()]\s*", " ", key).strip(), year)
    return bound_by_notes(deadline, key, year)


def _plain(
    original: str, key: str, year: int | None, start: date | None,
    calendar: WorkingCalendar | None,
) -> Deadline | None:
    """The forms of the README's first rows, read as a whole cell; None for any other text."""
    if key == "thuong xuyen":
        return Deadline(original, DeadlineKind.CONTINUOUS)
    if m := _RECURRING.fullmatch(key):
        return Deadline(original, DeadlineKind.RECURRING,
                        rule=Recurrence((_RECURRENCE_PERIODS[m[1]],)))
    if m := _MONTH.fullmatch(key):
        month, y = int(m[1]), int(m[2])
        return month_deadline(original, y, month, month)
    if m := _QUARTER.fullmatch(key):
        quarter = quarter_number(m[1])
        return quarter_deadline(original, int(m[2]), quarter, quarter)
    if m := _HALF.fullmatch(key):
        y = int(m[2]) if m[2] else year
        if y is None:
            raise DeadlineError(original, "không rõ năm nào (cần năm của kế hoạch)")
        if m[1] == "dau":
            return dated(original, date(y, 6, 30), date(y, 1, 1))
        return dated(original, date(y, 12, 31), date(y, 7, 1))
    if m := _YEAR_ONLY.fullmatch(key):
        y = int(m[1])
        return dated(original, date(y, 12, 31), date(y, 1, 1))
    if m := _BEFORE.fullmatch(key):
        day, month, y = (int(g) for g in (m.groups()[:3] if m[1] else m.groups()[3:]))
        return dated(original, real_date(original, y, month, day), None)
    if m := _DAYS.fullmatch(key):
        count, working = int(m[1]), bool(m[2])
        if start is None:
            raise DeadlineError(original, "cần ngày bắt đầu tính (ngày kết luận)")
        if count < 1:
            raise DeadlineError(original, "số ngày phải lớn hơn 0")
        if working:
            if calendar is None:
                raise DeadlineError(original, "cần lịch ngày làm việc để tính")
            due = calendar.add_working_days(start, count)
        else:
            due = start + timedelta(days=count)
        return dated(original, due, start)
    return None
