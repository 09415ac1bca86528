"""One item's line as of a day (its status, how late it is) and the counts of a slice of items
(the plan, a group, a unit, the findings) that the report's tables are made of."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.calendar import WorkingCalendar
from domain.models import TrackedItem
from domain.policy import Policy
from domain.states import DeadlineKind
from domain.status import CompletionRates, Status, already_due, status_of


@dataclass(frozen=True)
class ItemLine:
    item_id: int
    code: str
    kind: str
    scope: str
    content: str
    unit_code: str
    deadline_text: str
    due: date | None
    original_due: date | None
    status: Status
    overdue_days: int
    deadline_kind: str
    finding_code: str | None
    opens: date | None = None
    completed_on: date | None = None
    deadline_rule: dict[str, Any] | None = None
    partners: tuple[str, ...] = ()  # the units the partner cell names
    product: str | None = None  # sản phẩm, as the plan writes it

    @property
    def undetermined(self) -> bool:
        """Open, with a deadline that names no calendar date yet (chưa xác định thời hạn)."""
        return self.deadline_kind == DeadlineKind.UNDETERMINED and not self.status.is_done


@dataclass
class Tally:
    """Counts for one slice (the plan, a group, a unit, the findings)."""

    statuses: Counter = field(default_factory=Counter)
    due_total: int = 0  # already due on the report's day (the second rate's denominator)
    due_done: int = 0
    undated: int = 0  # thường xuyên, recurring or undetermined: no single due date
    undetermined: int = 0  # open, with no calendar date named: to be given one

    def add(self, status: Status, due: date | None, as_of: date, *,
            undetermined: bool = False) -> None:
        """Count an item of `status` on `as_of` whose due date in force is `due`."""
        self.statuses[status] += 1
        self.undated += due is None
        self.undetermined += undetermined
        if already_due(due, as_of):
            self.due_total += 1
            self.due_done += status.is_done

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def done(self) -> int:
        return sum(n for s, n in self.statuses.items() if s.is_done)

    @property
    def overdue(self) -> int:
        """Past the deadline and not done: overdue, or reopened after missing it (chưa đạt)."""
        return sum(n for s, n in self.statuses.items() if s.past_deadline)

    @property
    def within_deadline(self) -> int:
        """Open and not overdue, with a deadline: đang thực hiện trong hạn."""
        return sum(self.statuses[s] for s in (Status.NOT_YET_DUE, Status.IN_PROGRESS,
                                              Status.DUE_SOON))

    @property
    def rates(self) -> CompletionRates:
        return CompletionRates(self.total, self.done, self.due_total, self.due_done)


def _overdue_days(item: TrackedItem, status: Status, as_of: date,
                  calendar: WorkingCalendar) -> int:
    """Working days past the deadline in force; a reopened item's, past the one it missed."""
    if status is Status.REOPENED:
        return calendar.overdue(item.due_when_reopened, as_of)
    return calendar.overdue(item.due_date, as_of) if item.due_date and not status.is_done else 0


def item_line(item: TrackedItem, as_of: date, calendar: WorkingCalendar, policy: Policy) -> ItemLine:
    status = status_of(
        due=item.due_date,
        opens=item.opens_on,
        completed_on=item.completed_on,
        extended=item.extended,
        as_of=as_of,
        calendar=calendar,
        due_soon_days=policy.due_soon_days,
        reopened_on=item.reopened_on,
        first_due=item.due_when_reopened,
    )
    due = item.due_date
    return ItemLine(
        item_id=item.id,
        code=item.code,
        kind=item.kind,
        scope=item.scope,
        content=item.content,
        unit_code=item.unit_code,
        deadline_text=item.deadline_text,
        due=due,
        original_due=item.original_due_date,
        status=status,
        overdue_days=_overdue_days(item, status, as_of, calendar),
        deadline_kind=item.deadline_kind,
        finding_code=item.finding_code,
        opens=item.opens_on,
        # Nothing after `as_of` is shown as of that day: a later completion had not happened.
        completed_on=item.completed_on if status.is_done else None,
        deadline_rule=item.deadline_rule,
        partners=tuple(item.partner_codes or ()),
        product=item.product,
    )

