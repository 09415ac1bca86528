"""The check's planning: for a batch of open items, what the ladder's decisions become — ledger
rows, the recipients whose digest gets a line, and events — as plain values. Nothing here reads
or writes the database: `persistence/ledger.py` stores a plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.calendar import WorkingCalendar
from domain.events import RungReached
from domain.ladder import Rung, Track, decide
from domain.models import utcnow
from domain.policy import Policy
from domain.recipients import Delivery, UnitTree, delivery_for, no_escalation_reason
from domain.states import LedgerState


@dataclass(frozen=True)
class OpenItem:
    id: int
    code: str
    unit_code: str
    due_date: date
    # The unit that assigned it (cấp giao việc): a plan's issuing unit, or the unit that
    # concluded the inspection; None when unknown (the ceiling is the organisation's top).
    assigned_by: str | None = None
    # The issuing unit of the item's plan: by default the organisation its escalation stays in.
    plan_owner: str | None = None
    # A completion report of its unit awaits the secretariat's review, under a policy that
    # pauses the ladder meanwhile (`Submission.pauses_ladder`): the ladder reaches no rung.
    awaiting_review: bool = False


@dataclass
class BatchPlan:
    """What a batch's check writes: ledger rows (as the ledger table's columns), the rows that
    go to someone's digest (index in `ledger`, where it goes), and the events."""

    ledger: list[dict[str, Any]] = field(default_factory=list)
    deliveries: list[tuple[int, Delivery]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    unaddressed: int = 0
    escalated: int = 0  # new rungs of the escalation track, addressed or not

    @property
    def queued(self) -> int:
        return len(self.deliveries)


def plan_batch(
    items: Sequence[OpenItem],
    recorded: Mapping[int, set[tuple[Track, str]]],
    *,
    as_of: date,
    calendar: WorkingCalendar,
    policy: Policy,
    tree: UnitTree,
    organisation_of: Callable[[str | None], str | None],
) -> BatchPlan:
    """Apply the ladder to each item, given the rungs already recorded under its current due
    date: the most advanced new rung per track is queued to its recipient (or unaddressed when
    nobody has an address), the earlier ones are skipped."""
    plan = BatchPlan()
    # The ladder's decision depends only on the due date, the rungs recorded and the pause:
    # items sharing them (most of a country's items in reach) are decided once.
    decided: dict[tuple[date, frozenset, bool], list] = {}
    for item in items:
        done = frozenset(recorded.get(item.id, ()))
        key = (item.due_date, done, item.awaiting_review)
        if key not in decided:
            decided[key] = decide(item.due_date, as_of, calendar, policy, done,
                                  awaiting_review=item.awaiting_review)
        for decision in decided[key]:
            rung = decision.send
            reason = f"đã có bậc mới hơn: {rung.name}"
            plan.ledger += [ledger_row(item, r, as_of, LedgerState.SKIPPED, reason)
                            for r in decision.skip]
            organisation = organisation_of(item.plan_owner)
            target = delivery_for(tree, item.unit_code, rung, policy, organisation=organisation,
                                  assigned_by=item.assigned_by, passed_over=decision.skip)
            if target is not None:
                plan.deliveries.append((len(plan.ledger), target))
                plan.ledger.append(ledger_row(item, rung, as_of, LedgerState.QUEUED, None))
            else:
                why = rung.track is Track.ESCALATION and no_escalation_reason(
                    tree, item.unit_code, organisation=organisation, assigned_by=item.assigned_by)
                plan.ledger.append(ledger_row(item, rung, as_of, LedgerState.UNADDRESSED,
                                              why or "không có địa chỉ e-mail người nhận"))
                plan.unaddressed += 1
            plan.events.append(RungReached(
                item_id=item.id, check_date=as_of, code=item.code, rung=rung.name,
                track=rung.track.value, kind=rung.kind.value, level=rung.level,
                unit=tree.responsible(item.unit_code).code, due=item.due_date,
                skipped=tuple(r.name for r in decision.skip),
            ).row())
            plan.skipped += len(decision.skip)
            if rung.track is Track.ESCALATION:
                plan.escalated += 1
    return plan


def ledger_row(
    item: OpenItem, rung: Rung, as_of: date, state: LedgerState, reason: str | None
) -> dict[str, Any]:
    return {
        "item_id": item.id,
        "track": rung.track.value,
        "rung": rung.name,
        "due_date": item.due_date,
        "check_date": as_of,
        "state": state,
        "reason": reason,
        "created_at": utcnow(),
    }


def ledger_key(row: Mapping[str, Any]) -> tuple:
    """A ledger row's unique key: (item, track, rung, due date)."""
    return row["item_id"], row["track"], row["rung"], row["due_date"]


def digest_recipients(deliveries: Sequence[Delivery]) -> dict[str, tuple[Delivery, set[str]]]:
    """One digest per recipient address (case-insensitive), with the union of the copies its
    lines ask for."""
    wanted: dict[str, tuple[Delivery, set[str]]] = {}
    for target in deliveries:
        wanted.setdefault(target.to.lower(), (target, set()))[1].update(target.cc)
    return wanted


def notice_key(as_of: date, recipient: str, number: int = 1, partition: str = "") -> str:
    """One digest per recipient per check day (a second only after the first was sealed), and
    per unit subtree when checks are partitioned."""
    suffix = (f"#{number}" if number > 1 else "") + (f"@{partition}" if partition else "")
    return f"{as_of.isoformat()}:{recipient.lower()}{suffix}"
