"""Status (tình trạng) of a tracked item as of a day, in the government's own taxonomy, and the
two completion rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from domain.calendar import WorkingCalendar


class Status(StrEnum):
    """Stable codes (used in JSON); `notifications/words.py` names them for the secretariat."""

    NOT_YET_DUE = "not_yet_due"
    IN_PROGRESS = "in_progress"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_ON_TIME_EXTENDED = "done_on_time_extended"
    DONE_LATE = "done_late"
    NO_DEADLINE = "no_deadline"
    # Chưa đạt: an evaluation found the remediation not done and reopened it under a new due
    # date, its first one missed; overdue again once the new one passes.
    REOPENED = "reopened"

    @property
    def is_done(self) -> bool:
        return self in (Status.DONE_ON_TIME, Status.DONE_ON_TIME_EXTENDED, Status.DONE_LATE)

    @property
    def past_deadline(self) -> bool:
        """Open and past a deadline: overdue, or reopened after missing it (counted as late)."""
        return self in (Status.OVERDUE, Status.REOPENED)


def status_of(
    *,
    due: date | None,
    opens: date | None,
    completed_on: date | None,
    extended: bool,
    as_of: date,
    calendar: WorkingCalendar,
    due_soon_days: int = 7,
    reopened_on: date | None = None,
    first_due: date | None = None,
) -> Status:
    """The item's status on `as_of`.

    A completion dated after `as_of` has not happened yet on that day. Lateness is measured
    against the due date in force (after extensions). Overdue means at least one working day
    past the due date — the same count the ladder uses, so status and e-mails never disagree.
    An item reopened (`reopened_on`) after an evaluation found it not done (chưa đạt) is
    measured against the deadline it had then (`first_due`): its new due date is a second
    chance, not an extension. Open past that deadline, it is reopened (not within its
    deadline); done after it, it is done late.
    """
    if reopened_on is not None and reopened_on <= as_of and first_due is not None:
        if completed_on is not None and completed_on <= as_of:
            return completion_status(completed_on, due, extended, missed=first_due)
        if due is not None and calendar.overdue(due, as_of) >= 1:
            return Status.OVERDUE
        if calendar.overdue(first_due, as_of) >= 1:
            return Status.REOPENED
    if completed_on is not None and completed_on <= as_of:
        return completion_status(completed_on, due, extended)
    if due is None:
        return Status.NO_DEADLINE
    if calendar.overdue(due, as_of) >= 1:
        return Status.OVERDUE
    if calendar.remaining(as_of, due) <= due_soon_days:
        return Status.DUE_SOON
    if opens is not None and as_of < opens:
        return Status.NOT_YET_DUE
    return Status.IN_PROGRESS


def completion_status(completed_on: date, due: date | None, extended: bool,
                      missed: date | None = None) -> Status:
    """A completion's status: on time against the due date in force, extended or not; for an
    item reopened after an evaluation (chưa đạt), against the deadline it had then (`missed`),
    which its new one does not excuse."""
    if missed is not None:
        return Status.DONE_LATE if completed_on > missed else Status.DONE_ON_TIME
    if due is None or completed_on <= due:
        return Status.DONE_ON_TIME_EXTENDED if extended else Status.DONE_ON_TIME
    return Status.DONE_LATE


# The open statuses, most pressing first: a task shared by units is as late as its latest unit.
_PRESSING = (Status.OVERDUE, Status.REOPENED, Status.DUE_SOON, Status.IN_PROGRESS, Status.NOT_YET_DUE,
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
