"""The values of a deadline reading — a deadline, its recurring rule, the error that quotes
an unreadable text — and the date arithmetic both grammars share: the plain forms
(`deadlines.py`) and the longer cells (`deadline_phrases.py`)."""

from __future__ import annotations

import calendar as _gregorian
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.states import DeadlineKind

# Periods of a recurring deadline, smallest first (tháng, quý, 6 tháng, năm).
PERIODS = ("week", "month", "quarter", "half_year", "year")
_PERIOD_WORDS = {"week": "tuần", "month": "tháng", "quarter": "quý", "half_year": "6 tháng",
                 "year": "năm"}


@dataclass(frozen=True)
class Recurrence:
    """A recurring deadline's rule, kept for turning into each period's due date.

    `periods`: the periods it recurs on (empty: "each reporting period" without saying which);
    `day`: the day of the month it falls due, if written; `month`: which month of the period
    that day is in — a number for a yearly rule (30/4 hằng năm → 4), "last" for the period's
    last month (ngày 18 tháng cuối quý), "next" for the month after the period (ngày 5 của
    tháng đầu quý sau), None for every month (ngày 10 hằng tháng)."""

    periods: tuple[str, ...]
    day: int | None = None
    month: int | str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"periods": list(self.periods), "day": self.day, "month": self.month}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Recurrence:
        return cls(tuple(data.get("periods", ())), data.get("day"), data.get("month"))

    def describe(self) -> str:
        every = ", ".join(f"hằng {_PERIOD_WORDS[p]}" for p in self.periods) or "mỗi kỳ"
        if self.day is None:
            return f"định kỳ {every}"
        if isinstance(self.month, int):
            return f"định kỳ {every}, ngày {self.day:02d}/{self.month:02d}"
        if self.month == "last":
            return f"định kỳ {every}, ngày {self.day} tháng cuối kỳ"
        if self.month == "next":
            return f"định kỳ {every}, ngày {self.day} tháng đầu kỳ sau"
        return f"định kỳ {every}, ngày {self.day}"


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: DeadlineKind
    due: date | None = None
    # The first day of the period the deadline closes (Quý III/2021 → 01/07/2021); None when
    # the work may start at once. Before it, an item is "chưa đến hạn".
    opens: date | None = None
    rule: Recurrence | None = None  # for RECURRING
    # True for the plain forms of the README's first rows; False when read by a rule a
    # secretariat should see (a year taken from the plan, a date inside a sentence, …).
    plain: bool = True
    # Why an undetermined deadline names no date, or where a recurring rule's periods came from.
    note: str | None = field(default=None, compare=False)

    @property
    def recurrence(self) -> str | None:
        """The Vietnamese word of the smallest period: "tháng" | "quý" | "năm"."""
        if self.rule is None or not self.rule.periods:
            return None
        return _PERIOD_WORDS[self.rule.periods[0]]

    def reading(self) -> str:
        """How the cell was read, in the secretariat's words: "30/06/2022",
        "chưa xác định thời hạn", "thường xuyên", "định kỳ hằng quý"."""
        if self.kind is DeadlineKind.UNDETERMINED:
            return "chưa xác định thời hạn" + (f" ({self.note})" if self.note else "")
        if self.kind is DeadlineKind.CONTINUOUS:
            return "thường xuyên"
        if self.kind is DeadlineKind.RECURRING:
            text = self.rule.describe() if self.rule else "định kỳ"
            text += f", hạn năm nay {self.due:%d/%m/%Y}" if self.due else ""
            return text + (f" ({self.note})" if self.note else "")
        shown = f"{self.due:%d/%m/%Y}"
        if self.opens and self.opens != self.due:
            shown += f" (từ {self.opens:%d/%m/%Y})"
        return shown


class DeadlineError(ValueError):
    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f'không đọc được thời hạn "{text}": {reason}')
        self.text = text
        self.reason = reason


# Plans and conclusions of public administration; anything outside is a typing mistake.
FIRST_YEAR, LAST_YEAR = 1990, 2100
_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# A hyphen beside another separator is a range ("Tháng 7-8/2023"), never a date.
DATE = (r"(?!\d{1,2}\s*-\s*\d{1,2}\s*[/.]|\d{1,2}\s*[/.]\s*\d{1,2}\s*-)"
         r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
DATE_WORDS = r"(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})"


def normalise(text: str) -> str:
    """Lower case, no accents, đ → d, single spaces: what a secretariat types, made comparable."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", bare)


def dated(text: str, due: date, opens: date | None, *, plain: bool = True) -> Deadline:
    if not FIRST_YEAR <= due.year <= LAST_YEAR:
        raise DeadlineError(text, f"năm {due.year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}")
    return Deadline(text, DeadlineKind.FIXED, due=due, opens=opens, plain=plain)


def real_date(text: str, year: int, month: int, day: int) -> date:
    """The day, or the error that names it when the calendar has no such day (31/02)."""
    try:
        return date(year, month, day)
    except ValueError:
        raise DeadlineError(text, f"ngày {day:02d}/{month:02d}/{year} không có thật") from None


def quarter_number(word: str) -> int:
    return _ROMAN_QUARTERS.get(word) or int(word)


def month_deadline(text: str, year: int, first: int, last: int, *, plain: bool = True
                   ) -> Deadline:
    """Months `first`..`last` of `year`: due at the end of the last, open from the first."""
    for month in (first, last):
        if not 1 <= month <= 12:
            raise DeadlineError(text, f"không có tháng {month}")
    if last < first:
        raise DeadlineError(text, f"tháng {first} đến tháng {last}: tháng cuối trước tháng đầu")
    return dated(text, month_end(year, last), date(year, first, 1), plain=plain)


def quarter_deadline(text: str, year: int, first: int, last: int, *, plain: bool = True
                     ) -> Deadline:
    if last < first:
        raise DeadlineError(text, f"quý {first} đến quý {last}: quý cuối trước quý đầu")
    return dated(text, month_end(year, last * 3), date(year, first * 3 - 2, 1), plain=plain)


def month_end(year: int, month: int) -> date:
    return date(year, month, _gregorian.monthrange(year, month)[1])
