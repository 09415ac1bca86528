"""Periodic reports (báo cáo định kỳ): the periods of a year a recurring deadline falls due in,
each period's due date, its label ("Báo cáo quý II/2021"), and how late a report came, in
working days. Pure: the year, the rule and the calendar are parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from domain.calendar import WorkingCalendar
from domain.deadline_values import PERIODS, Recurrence, month_end, normalise, quarter_number
from domain.states import ReportStanding

# Months in each kind of period; a week is no period of a plan's year here.
_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
_LETTERS = {"month": "T", "quarter": "Q", "half_year": "H", "year": "N"}
_ROMAN = ("I", "II", "III", "IV")
# The scope of the occurrences of report obligations (a plan's occurrences keep its scope).
OBLIGATIONS_SCOPE = "BC"
# The day of the period's last month a report falls due when its cell sets none: the Ministry
# of Home Affairs' guidance for CCHC reports.
REPORT_DUE_DAY = 20


@dataclass(frozen=True)
class Period:
    """One period of a year: tháng 6, quý II, 6 tháng đầu năm, năm 2021."""

    kind: str  # "month" | "quarter" | "half_year" | "year"
    year: int
    number: int  # its place in the year: month 1–12, quarter 1–4, half 1–2, year 1

    @property
    def last_month(self) -> int:
        return self.number * _MONTHS[self.kind]

    @property
    def first_day(self) -> date:
        return date(self.year, self.last_month - _MONTHS[self.kind] + 1, 1)

    @property
    def last_day(self) -> date:
        return month_end(self.year, self.last_month)

    @property
    def label(self) -> str:
        """How `--period` and the register write it: T6/2021, Q2/2021, H1/2021, N/2021."""
        number = "" if self.kind == "year" else str(self.number)
        return f"{_LETTERS[self.kind]}{number}/{self.year}"

    @property
    def code(self) -> str:
        """Its part of an occurrence's code: 1.6/Q2-2021."""
        return self.label.replace("/", "-")

    @property
    def title(self) -> str:
        """In words: "tháng 6/2021", "quý II/2021", "6 tháng đầu năm 2021", "năm 2021"."""
        if self.kind == "month":
            return f"tháng {self.number}/{self.year}"
        if self.kind == "quarter":
            return f"quý {_ROMAN[self.number - 1]}/{self.year}"
        if self.kind == "half_year":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"năm {self.year}"


def periods_of_year(kinds: tuple[str, ...], year: int) -> list[Period]:
    """The periods a rule recurs on in `year`, in date order. Where several end in the same
    month the largest stands for them: "quý, 6 tháng, năm" is Q1, H1, Q3 and the year."""
    by_end: dict[int, Period] = {}
    for kind in PERIODS:  # smallest first: a larger period ending in the same month replaces it
        if kind in kinds and kind in _MONTHS:
            for number in range(1, 12 // _MONTHS[kind] + 1):
                period = Period(kind, year, number)
                by_end[period.last_month] = period
    return [by_end[month] for month in sorted(by_end)]


_PERIOD_FORMS = (
    (re.compile(r"(?:t|thang)\s*(\d{1,2})\s*[/-]\s*(\d{4})"), "month"),
    (re.compile(r"(?:q|quy)\s*([1-4]|i{1,3}|iv)\s*[/-]\s*(\d{4})"), "quarter"),
    (re.compile(r"h\s*([12])\s*[/-]\s*(\d{4})"), "half_year"),
    (re.compile(r"(?:(?:n|nam)\s*[/-]?\s*)?()(\d{4})"), "year"),
)


class PeriodError(ValueError):
    pass


def parse_period(text: str) -> Period:
    """"Q2/2021", "Quý II/2021", "T6/2021", "H1/2021", "N/2021" or "2021" → the period."""
    key = normalise(text or "")
    for pattern, kind in _PERIOD_FORMS:
        if m := pattern.fullmatch(key):
            number = 1 if kind == "year" else (quarter_number(m[1]) if kind == "quarter"
                                                else int(m[1]))
            if kind == "month" and not 1 <= number <= 12:
                break
            return Period(kind, int(m[2]), number)
    raise PeriodError(f"kỳ báo cáo '{text}' không rõ: cần dạng T6/2021 (tháng), Q2/2021 (quý), "
                      "H1/2021 (6 tháng), N/2021 (năm)")


def is_report(*texts: str | None) -> bool:
    """A task whose product or content says "báo cáo" is a report."""
    return any(text and "bao cao" in normalise(text) for text in texts)


def period_due(period: Period, rule: Recurrence, *, report: bool,
               report_day: int = REPORT_DUE_DAY) -> date:
    """The period's due date: the rule's day when it has one (of the month it names, of the
    month after the period for "tháng đầu quý sau", else of the period's last month); else day
    `report_day` of the last month for a report, and the period's last day for any other
    task."""
    if rule.day is None and not report:
        return period.last_day
    day = report_day if rule.day is None else rule.day
    month = rule.month if isinstance(rule.month, int) else period.last_month
    year = period.year
    if rule.month == "next":  # quý IV's report is due in January of the next year
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    end_of_month = month_end(year, month)
    return end_of_month.replace(day=min(day, end_of_month.day))


def occurrence_label(period: Period, report: bool) -> str:
    """How an occurrence's deadline is shown: "Báo cáo quý II/2021", "Kỳ quý II/2021"."""
    return f"{'Báo cáo' if report else 'Kỳ'} {period.title}"


def working_days_late(due: date, received: date, calendar: WorkingCalendar) -> int:
    """How many working days after its due date a report came (0: on time)."""
    return calendar.overdue(due, received) if received > due else 0


def report_standing(due: date, received: date | None, as_of: date, calendar: WorkingCalendar
                    ) -> tuple[ReportStanding, int]:
    """Where one unit's report for one period stands on `as_of`: ("on_time", 0), ("late", n
    working days), ("missing", 0) once a working day has passed since its due date without it,
    else ("pending", 0). A report dated after `as_of` had not arrived yet on that day."""
    if received is not None and received <= as_of:
        days = working_days_late(due, received, calendar)
        return (ReportStanding.LATE, days) if days else (ReportStanding.ON_TIME, 0)
    if calendar.overdue(due, as_of) >= 1:
        return ReportStanding.MISSING, 0
    return ReportStanding.PENDING, 0


@dataclass(frozen=True)
class Obligation:
    """A report many units owe each period (nghĩa vụ báo cáo): every commune's quarterly CCHC
    report to Phòng Nội vụ by day 15 of the quarter's last month."""

    code: str
    name: str
    rule: Recurrence  # its periods, and the day and month they fall due
    group: str  # the unit group that owes it
    to: str | None = None  # whom it is sent to (a unit's code or name, as written)
    due_text: str = ""  # the due rule as the policy writes it


@dataclass
class PeriodicRow:
    """One obligation's (or recurring task's) period: who sent on time, late, and who not."""

    source: str  # "1.6" or the obligation's code
    name: str
    period: str  # "Q2/2021"
    title: str  # "quý II/2021"
    due: date
    on_time: list[str] = field(default_factory=list)
    late: list[tuple[str, int]] = field(default_factory=list)  # (unit, working days late)
    missing: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # not yet due, not yet received
    # A report (an obligation, or a task whose product or content is one): what the PAR
    # index's periodic-reports figure counts; a recurring task of another kind is not.
    report: bool = True
