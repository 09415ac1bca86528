"""The Vietnamese working-day calendar (lịch làm việc): weekends, public holidays including lunar
Tết and the government's swapped days (PyPI `holidays`, country VN), plus local overrides.

Counting follows the ladder of docs/architecture.md:
- `remaining(d, D)`: working days in (d, D] — 0 on the last working day on or before D;
- `overdue(D, d)`:   working days in (D, d] — 1 on the first working day after D.
"""

from __future__ import annotations

import sys
import threading
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class CalendarOverrides:
    """Days the local government decides differently from the national calendar."""

    days_off: frozenset[date] = field(default_factory=frozenset)
    working_days: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        both = self.days_off & self.working_days
        if both:
            listed = ", ".join(d.strftime("%d/%m/%Y") for d in sorted(both))
            raise ValueError(f"a day cannot be both a day off and a working day: {listed}")


class WorkingCalendar:
    """Working days of the Vietnamese civil service, built a year at a time on demand.

    Working days are kept as sorted ordinals, so counting and stepping are binary searches:
    a sweep over a country's items never walks day by day.
    """

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        self.overrides = overrides or CalendarOverrides()
        self._national = _vietnam_module().Vietnam(language="vi")
        self._years: set[int] = set()
        self._ordinals: list[int] = []

    @classmethod
    def with_overrides(
        cls, days_off: Iterable[date] = (), working_days: Iterable[date] = ()
    ) -> WorkingCalendar:
        return cls(CalendarOverrides(frozenset(days_off), frozenset(working_days)))

    def holiday_name(self, day: date) -> str | None:
        """The Vietnamese name of the public holiday on `day`, if any."""
        self._ensure_years(day.year, day.year)
        return self._national.get(day)

    def is_working_day(self, day: date) -> bool:
        self._ensure_years(day.year, day.year)
        return self._is_working(day)

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days in (start, end]; 0 when end <= start."""
        if end <= start:
            return 0
        self._ensure_years(start.year, end.year)
        return bisect_right(self._ordinals, end.toordinal()) - bisect_right(
            self._ordinals, start.toordinal()
        )

    def remaining(self, as_of: date, due: date) -> int:
        """Working days left: those in (as_of, due]."""
        return self.working_days_between(as_of, due)

    def overdue(self, due: date, as_of: date) -> int:
        """Working days overdue: those in (due, as_of]."""
        return self.working_days_between(due, as_of)

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (`start` itself is not counted)."""
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        year = start.year
        # A year holds ~245 working days; build enough years ahead to contain the answer.
        self._ensure_years(year, year + count // 200 + 1)
        index = bisect_right(self._ordinals, start.toordinal()) + count - 1
        while index >= len(self._ordinals):
            self._ensure_years(year, max(self._years) + 1)
        return date.fromordinal(self._ordinals[index])

    def working_day_with_remaining(self, due: date, count: int) -> date:
        """The working day on which exactly `count` working days remain before `due`
        (count 0: the last working day on or before `due`)."""
        self._ensure_years(due.year - 1 - count // 200, due.year)
        index = bisect_right(self._ordinals, due.toordinal()) - count - 1
        return date.fromordinal(self._ordinals[index])

    def _ensure_years(self, first: int, last: int) -> None:
        missing = [y for y in range(first, last + 1) if y not in self._years]
        if not missing:
            return
        # Keep the ordinals contiguous: fill every year between the known ones and the new ones.
        span = self._years | set(missing)
        years = range(min(span), max(span) + 1)
        for y in years:
            _ = date(y, 1, 1) in self._national  # a lookup makes `holidays` populate that year
        self._years = set(years)
        ordinals = []
        day = date(years.start, 1, 1)
        end = date(years.stop - 1, 12, 31)
        while day <= end:
            if self._is_working(day):
                ordinals.append(day.toordinal())
            day += timedelta(days=1)
        self._ordinals = ordinals

    def _is_working(self, day: date) -> bool:
        if day in self.overrides.working_days:
            return True
        if day in self.overrides.days_off:
            return False
        if day in self._national.weekend_workdays:
            return True
        return day.weekday() < 5 and day not in self._national


_VIETNAM = "holidays.countries.vietnam"
_loading = threading.Lock()


def _vietnam_module() -> ModuleType:
    """`holidays`' module of Vietnam, loaded on its own when a calendar is first needed: the
    package `holidays.countries` imports all of its two hundred countries (a fifth of a second
    of every command's start) to name one. Registered under its own name, so that a later import
    of the package uses it."""
    with _loading:
        module = sys.modules.get(_VIETNAM)
        if module is None:
            import holidays

            path = Path(holidays.__file__).parent / "countries" / "vietnam.py"
            spec = spec_from_file_location(_VIETNAM, path)
            module = module_from_spec(spec)
            sys.modules[_VIETNAM] = module
            spec.loader.exec_module(module)
        return module
