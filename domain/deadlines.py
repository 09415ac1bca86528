"""Deadline text (thời hạn, thời gian hoàn thành) → due date, as real plans and inspection
conclusions write it. Unknown text is an error that quotes it: never a guess."""

from __future__ import annotations

import calendar as _gregorian
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.calendar import WorkingCalendar


class DeadlineKind(StrEnum):
    FIXED = "fixed"  # one due date
    CONTINUOUS = "continuous"  # thường xuyên: no due date, never overdue
    RECURRING = "recurring"  # hằng tháng / hằng quý / hằng năm: no single due date


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: DeadlineKind
    due: date | None = None
    # The first day of the period the deadline closes (Quý III/2021 → 01/07/2021); None when
    # the work may start at once. Before it, an item is "chưa đến hạn".
    opens: date | None = None
    recurrence: str | None = None  # "tháng" | "quý" | "năm" for RECURRING


class DeadlineError(ValueError):
    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f'không đọc được thời hạn "{text}": {reason}')
        self.text = text
        self.reason = reason


# Plans and conclusions of public administration; anything outside is a typing mistake.
_FIRST_YEAR, _LAST_YEAR = 1990, 2100
_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"(?:\s*[/.-]\s*|\s+nam\s+|\s+)(\d{4})"
_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_DATE_WORDS = r"(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})"

_MONTH = re.compile(rf"thang\s+(\d{{1,2}}){_YEAR}")
_QUARTER = re.compile(rf"quy\s+(i{{1,3}}|iv|[1-4]){_YEAR}")
_HALF = re.compile(r"(?:0?6|sau)\s+thang\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?")
_YEAR_ONLY = re.compile(r"nam\s+(\d{4})")
_BEFORE = re.compile(rf"(?:truoc|han chot|cham nhat)?\s*(?:ngay\s+)?(?:{_DATE}|{_DATE_WORDS})")
_DAYS = re.compile(
    r"(?:trong\s+(?:vong|thoi\s+han)\s+)?(\d{1,3})\s+ngay(\s+lam\s+viec)?"
    r"(?:\s+(?:ke\s+)?tu\s+ngay\s+(?:ket\s+luan|ky|ban\s+hanh))?"
)
_RECURRING = re.compile(r"hang\s+(thang|quy|nam)")
_RECURRENCE_WORDS = {"thang": "tháng", "quy": "quý", "nam": "năm"}


def normalise(text: str) -> str:
    """Lower case, no accents, đ → d, single spaces: what a secretariat types, made comparable."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", bare)


def parse_deadline(
    text: str,
    *,
    year: int | None = None,
    start: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """Read a deadline as written.

    `year` is the plan's year (for "6 tháng đầu năm"); `start` is the date counted from for
    "N ngày" / "N ngày làm việc" (an inspection's conclusion date); `calendar` counts working days.
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
    key = normalise(original)

    if key == "thuong xuyen":
        return Deadline(original, DeadlineKind.CONTINUOUS)
    if m := _RECURRING.fullmatch(key):
        return Deadline(original, DeadlineKind.RECURRING, recurrence=_RECURRENCE_WORDS[m[1]])
    if m := _MONTH.fullmatch(key):
        month, y = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise DeadlineError(original, f"không có tháng {month}")
        return _fixed(original, _month_end(y, month), date(y, month, 1))
    if m := _QUARTER.fullmatch(key):
        quarter = _ROMAN_QUARTERS.get(m[1]) or int(m[1])
        y = int(m[2])
        return _fixed(original, _month_end(y, quarter * 3), date(y, quarter * 3 - 2, 1))
    if m := _HALF.fullmatch(key):
        y = int(m[2]) if m[2] else year
        if y is None:
            raise DeadlineError(original, "không rõ năm nào (cần năm của kế hoạch)")
        if m[1] == "dau":
            return _fixed(original, date(y, 6, 30), date(y, 1, 1))
        return _fixed(original, date(y, 12, 31), date(y, 7, 1))
    if m := _YEAR_ONLY.fullmatch(key):
        y = int(m[1])
        return _fixed(original, date(y, 12, 31), date(y, 1, 1))
    if m := _BEFORE.fullmatch(key):
        day, month, y = (int(g) for g in (m.groups()[:3] if m[1] else m.groups()[3:]))
        try:
            due = date(y, month, day)
        except ValueError:
            raise DeadlineError(original, f"ngày {day:02d}/{month:02d}/{y} không có thật") from None
        return _fixed(original, due, None)
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
        return _fixed(original, due, start)
    raise DeadlineError(original, "không phải dạng thời hạn đã biết (xem README: các dạng thời hạn)")


def _fixed(text: str, due: date, opens: date | None) -> Deadline:
    if not _FIRST_YEAR <= due.year <= _LAST_YEAR:
        raise DeadlineError(text, f"năm {due.year} nằm ngoài khoảng {_FIRST_YEAR}–{_LAST_YEAR}")
    return Deadline(text, DeadlineKind.FIXED, due=due, opens=opens)


def _month_end(year: int, month: int) -> date:
    return date(year, month, _gregorian.monthrange(year, month)[1])
