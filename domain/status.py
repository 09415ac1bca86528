"""Status (tình trạng) of a tracked item as of a day, in the government's own taxonomy, the two
completion rates, and Vietnamese number formatting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.calendar import WorkingCalendar


class Status(StrEnum):
    """Stable codes (used in JSON); `label` is what the secretariat reads."""

    NOT_YET_DUE = "not_yet_due"
    IN_PROGRESS = "in_progress"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_ON_TIME_EXTENDED = "done_on_time_extended"
    DONE_LATE = "done_late"
    NO_DEADLINE = "no_deadline"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def is_done(self) -> bool:
        return self in (Status.DONE_ON_TIME, Status.DONE_ON_TIME_EXTENDED, Status.DONE_LATE)


_LABELS = {
    Status.NOT_YET_DUE: "chưa đến hạn",
    Status.IN_PROGRESS: "đang thực hiện trong hạn",
    Status.DUE_SOON: "sắp đến hạn",
    Status.OVERDUE: "đang thực hiện quá hạn",
    Status.DONE_ON_TIME: "hoàn thành đúng hạn",
    Status.DONE_ON_TIME_EXTENDED: "hoàn thành đúng hạn (có gia hạn)",
    Status.DONE_LATE: "hoàn thành quá hạn",
    Status.NO_DEADLINE: "không thời hạn",
}


def status_of(
    *,
    due: date | None,
    opens: date | None,
    completed_on: date | None,
    extended: bool,
    as_of: date,
    calendar: WorkingCalendar,
    due_soon_days: int = 7,
) -> Status:
    """The item's status on `as_of`.

    A completion dated after `as_of` has not happened yet on that day. Lateness is measured
    against the due date in force (after extensions). Overdue means at least one working day
    past the due date — the same count the ladder uses, so status and e-mails never disagree.
    """
    if completed_on is not None and completed_on <= as_of:
        if due is None or completed_on <= due:
            return Status.DONE_ON_TIME_EXTENDED if extended else Status.DONE_ON_TIME
        return Status.DONE_LATE
    if due is None:
        return Status.NO_DEADLINE
    if calendar.overdue(due, as_of) >= 1:
        return Status.OVERDUE
    if calendar.remaining(as_of, due) <= due_soon_days:
        return Status.DUE_SOON
    if opens is not None and as_of < opens:
        return Status.NOT_YET_DUE
    return Status.IN_PROGRESS


# The open statuses, most pressing first: a task shared by units is as late as its latest unit.
_PRESSING = (Status.OVERDUE, Status.DUE_SOON, Status.IN_PROGRESS, Status.NOT_YET_DUE,
             Status.NO_DEADLINE)


def shared_status(statuses: list[Status]) -> Status:
    """The status of a task given to several units, from each unit's: done when every unit is
    (late if one was late), else the most pressing of the open ones."""
    open_ones = [s for s in statuses if not s.is_done]
    if open_ones:
        return min(open_ones, key=_PRESSING.index)
    for done in (Status.DONE_LATE, Status.DONE_ON_TIME_EXTENDED):
        if done in statuses:
            return done
    return Status.DONE_ON_TIME


@dataclass(frozen=True)
class CompletionRates:
    """Both ways of counting: done ÷ all (36/70) and done ÷ already due (36/38)."""

    total: int
    done: int
    due_total: int
    due_done: int

    @property
    def of_all(self) -> Decimal | None:
        return percent(self.done, self.total)

    @property
    def of_due(self) -> Decimal | None:
        return percent(self.due_done, self.due_total)


def already_due(due: date | None, as_of: date) -> bool:
    """Counted in the second rate (done ÷ already due): due on or before `as_of`."""
    return due is not None and due <= as_of


def percent(numerator: int, denominator: int) -> Decimal | None:
    """A percentage to one decimal, half up (36/70 → 51.4); None when nothing to divide by."""
    if denominator == 0:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_number(value: int | Decimal, decimals: int = 0) -> str:
    """Vietnamese style: `.` groups thousands, `,` marks decimals (7.182; 95,8)."""
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{format_number(value, 1)}%"
