"""The reminder ladder (thang nhắc việc): which rung an open item has reached on a day.

Two tracks per item. The unit track: R7, R3, R1 (nhắc việc), R0 (đến hạn), then O1, O4, O7, …
(đôn đốc) while overdue. The escalation track: E1, E2 (chuyển cấp trên). Per item and track a
check sends only the most advanced rung reached and not yet recorded; earlier unrecorded rungs
are recorded as skipped (repeats of the overdue notice excepted), so after downtime nothing
stale goes out and nothing is lost.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache

from domain.calendar import WorkingCalendar
from domain.policy import Policy


class Track(StrEnum):
    UNIT = "unit"
    ESCALATION = "escalation"


class RungKind(StrEnum):
    REMINDER = "reminder"  # nhắc việc
    DUE = "due"  # đến hạn
    OVERDUE = "overdue"  # đôn đốc
    ESCALATION = "escalation"  # chuyển cấp trên


@dataclass(frozen=True)
class Rung:
    track: Track
    kind: RungKind
    # Working days left (reminder, due) or overdue (overdue, escalation) when it is reached.
    days: int
    level: int = 0  # escalation level, 1-based
    # "R7", "O4", "E1": read for every item of every check, so set once.
    name: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind in (RungKind.REMINDER, RungKind.DUE):
            name = f"R{self.days}"
        elif self.kind is RungKind.OVERDUE:
            name = f"O{self.days}"
        else:
            name = f"E{self.level}"
        object.__setattr__(self, "name", name)

    def reached_on(self, due: date, calendar: WorkingCalendar) -> date:
        """The first working day on which this rung is reached for due date `due`."""
        if self.kind in (RungKind.REMINDER, RungKind.DUE):
            return calendar.working_day_with_remaining(due, self.days)
        return calendar.add_working_days(due, self.days)


def _before_due(policy: Policy) -> list[Rung]:
    return list(_rungs_before_due(policy.reminder_days))


@lru_cache(maxsize=16)  # asked for every item of every check, with the same few policies
def _rungs_before_due(reminder_days: tuple[int, ...]) -> tuple[Rung, ...]:
    reminders = tuple(Rung(Track.UNIT, RungKind.REMINDER, days) for days in reminder_days)
    return reminders + (Rung(Track.UNIT, RungKind.DUE, 0),)


def passed_before(track: Track, last: Rung, policy: Policy) -> list[Rung]:
    """The rungs of `track` before `last` that the ledger records when a check passes them.
    Repeats of the overdue notice (O4, O7, …) are the same notice again: one passed unsent is
    not worth a ledger row (an item two years late would get hundreds)."""
    if track is Track.ESCALATION:
        return [escalation_rung(level, policy) for level in range(1, last.level)]
    rungs = _before_due(policy)
    if last.kind is RungKind.OVERDUE:
        return rungs + [Rung(Track.UNIT, RungKind.OVERDUE, 1)] * (last.days > 1)
    return rungs[: rungs.index(last)]


def overdue_round(days: int, repeat_days: int) -> int:
    """Which overdue notice the rung O`days` is (đôn đốc lần thứ n): O1 the first, then one
    every `repeat_days` working days (the policy's `overdue_repeat_days`)."""
    return 1 + (days - 1) // repeat_days


def escalation_rung(level: int, policy: Policy) -> Rung:
    return Rung(Track.ESCALATION, RungKind.ESCALATION, policy.escalation_days[level - 1], level)


def reached(track: Track, due: date, as_of: date, calendar: WorkingCalendar, policy: Policy):
    """The most advanced rung of `track` reached on `as_of`, or None."""
    overdue = calendar.overdue(due, as_of)
    if track is Track.ESCALATION:
        levels = [i + 1 for i, days in enumerate(policy.escalation_days) if overdue >= days]
        return escalation_rung(levels[-1], policy) if levels else None
    if overdue >= 1:
        step = policy.overdue_repeat_days
        return Rung(Track.UNIT, RungKind.OVERDUE, 1 + (overdue_round(overdue, step) - 1) * step)
    remaining = calendar.remaining(as_of, due)
    for rung in reversed(_before_due(policy)):
        if remaining <= rung.days:
            return rung
    return None


def rungs_reached(
    due: date, as_of: date, calendar: WorkingCalendar, policy: Policy
) -> tuple[str | None, str | None]:
    """The names of the most advanced rungs of the unit and escalation tracks reached on `as_of`
    by an item due on `due`. With both recorded under that due date, `decide` has nothing to
    add for the item: it cannot move that day."""
    unit, escalation = (reached(track, due, as_of, calendar, policy) for track in Track)
    return (unit.name if unit else None), (escalation.name if escalation else None)


def next_rung(track: Track, due: date, as_of: date, calendar: WorkingCalendar, policy: Policy):
    """(rung, date) of the next rung of `track` after `as_of`, or None when the track is done."""
    current = reached(track, due, as_of, calendar, policy)
    if track is Track.ESCALATION:
        level = current.level + 1 if current else 1
        if level > len(policy.escalation_days):
            return None
        rung = escalation_rung(level, policy)
    elif current is not None and current.kind is RungKind.OVERDUE:
        rung = Rung(Track.UNIT, RungKind.OVERDUE, current.days + policy.overdue_repeat_days)
    else:
        ladder = _before_due(policy) + [Rung(Track.UNIT, RungKind.OVERDUE, 1)]
        rung = ladder[ladder.index(current) + 1] if current else ladder[0]
    return rung, rung.reached_on(due, calendar)


def horizon(as_of: date, calendar: WorkingCalendar, policy: Policy) -> date:
    """The first due date out of the ladder's reach on `as_of`: an item due on or after it has
    more working days left than the earliest reminder, so a check need not read it. Overdue
    items are all within reach (their escalations and repeated notices go on)."""
    return calendar.add_working_days(as_of, max(policy.reminder_days, default=0) + 1)


@dataclass(frozen=True)
class Decision:
    """What a check does for one item and track: send `send`, record `skip` as skipped."""

    track: Track
    send: Rung
    skip: tuple[Rung, ...]


def decide(
    due: date | None,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
    recorded: Collection[tuple[Track, str]] = (),
    *,
    awaiting_review: bool = False,
) -> list[Decision]:
    """The ladder's decisions for an open item on `as_of`.

    `recorded` holds the (track, rung name) pairs the ledger already has for this item and due
    date. A check on a non-working day decides nothing: the next working day catches up.
    `awaiting_review`: the unit's completion report awaits the secretariat's review (and was
    sent under a policy that pauses the ladder for it): no rung is reached until it is decided;
    a returned report resumes the ladder, which then sends the most advanced rung reached.
    """
    if due is None or awaiting_review or not calendar.is_working_day(as_of):
        return []
    decisions = []
    for track in Track:
        rung = reached(track, due, as_of, calendar, policy)
        if rung is None or _rank(rung) <= max(
            (_rank_of(name) for t, name in recorded if t is track), default=(-1, 0)
        ):
            # Already recorded, or a check dated before one already made: nothing to add.
            continue
        earlier = passed_before(track, rung, policy)
        skip = tuple(r for r in earlier if (track, r.name) not in recorded)
        decisions.append(Decision(track, rung, skip))
    return decisions


def _rank(rung: Rung) -> tuple[int, int]:
    """Order of rungs within a track: R7 < R3 < R1 < R0 < O1 < O4 < …; E1 < E2."""
    if rung.kind in (RungKind.REMINDER, RungKind.DUE):
        return 0, -rung.days
    return (1, rung.days) if rung.kind is RungKind.OVERDUE else (2, rung.level)


def parse_rung(name: str) -> tuple[RungKind, int]:
    """A rung's kind and number from its stored name ("R7" → reminder, 7; "E2" → escalation,
    level 2): the one place a name is read back."""
    number = int(name[1:])
    if name[0] == "E":
        return RungKind.ESCALATION, number
    if name[0] == "O":
        return RungKind.OVERDUE, number
    return (RungKind.DUE if number == 0 else RungKind.REMINDER), number


def _rank_of(name: str) -> tuple[int, int]:
    kind, number = parse_rung(name)
    if kind in (RungKind.REMINDER, RungKind.DUE):
        return 0, -number
    return (1, number) if kind is RungKind.OVERDUE else (2, number)
