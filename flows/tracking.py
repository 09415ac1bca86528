"""The use cases of what the secretariat records by hand about one item (`cchc task done |
reopen | extend | deadline`, `cchc report-received`): each in one transaction, the item and the
facts its decision needs loaded, the decision taken by `domain/tracking.py`, stored with its
events; each returns what its caller says. (The review page's decisions on what a unit sent
are `flows/responses.py`'s, taken by `domain/responses.py`.)

`complete_item`, `extend_item` and `set_item_deadline` do the same on an item already loaded
in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from domain import tracking as rules
from domain.decisions import Decision
from domain.events import DeadlineSet
from domain.models import TrackedItem
from domain.status import Status
from flows.application import Application
from persistence import tracking as store
from persistence.occurrence_store import received_occurrence


def complete_item(session: Session, item: TrackedItem, on: date, evidence: str | None = None,
                  *, today: date | None, source: str = "command", by: str | None = None,
                  ip: str | None = None) -> Decision:
    decision = rules.complete(item, on, evidence, today=today, origin=store.origin(session, item),
                              open_periods=store.open_periods(session, item), source=source,
                              by=by, ip=ip)
    store.store(session, item, decision)
    return decision


def extend_item(session: Session, item: TrackedItem, to: date, reason: str,
                approved_by: str | None = None, *, by: str | None = None,
                ip: str | None = None) -> Decision:
    decision = rules.extend(item, to, reason, approved_by,
                            open_periods=store.open_periods(session, item), by=by, ip=ip)
    store.store(session, item, decision)
    return decision


def set_item_deadline(session: Session, item: TrackedItem, to: date | str, reason: str, *,
                      by: str | None = None, ip: str | None = None) -> DeadlineSet:
    """A date, or a recurring rule written as a plan's cell would be; returns the event (the
    deadline's text, the date or the rule as read)."""
    periods = store.open_periods(session, item)
    if isinstance(to, date):
        decision = rules.set_deadline(item, to, reason, open_periods=periods, by=by, ip=ip)
    else:
        decision = rules.set_rule(item, to, reason, plan_year=store.plan_year(session, item),
                                  open_periods=periods, by=by, ip=ip)
    store.store(session, item, decision)
    return decision.events[0]


# -- the use cases, each its own transaction ---------------------------------------------------

def complete(app: Application, code: str, on: date, evidence: str | None = None,
             plan: str | None = None, *, by: str | None = None, ip: str | None = None
             ) -> Status:
    """Hoàn thành: returns the status the completion gives (on time, with an extension,
    late)."""
    with app.uow.transaction() as session:
        item = store.find_item(session, code, plan)
        complete_item(session, item, on, evidence, today=app.today(), by=by, ip=ip)
        return rules.completion_of(item, on)


def correct_completion(app: Application, code: str, on: date, reason: str,
                       plan: str | None = None, *, by: str | None = None, ip: str | None = None
                       ) -> tuple[date, Status]:
    """Sửa ngày hoàn thành: returns the date replaced and the status the new one gives."""
    with app.uow.transaction() as session:
        item = store.find_item(session, code, plan)
        previous = item.completed_on
        store.store(session, item, rules.correct_completion(
            item, on, reason, today=app.today(), origin=store.origin(session, item), by=by,
            ip=ip))
        return previous, rules.completion_of(item, on)


def reopen(app: Application, code: str, reason: str, plan: str | None = None, *,
           by: str | None = None, ip: str | None = None) -> date:
    """Mở lại: returns the completion date undone."""
    with app.uow.transaction() as session:
        item = store.find_item(session, code, plan)
        completed = item.completed_on
        store.store(session, item, rules.reopen(item, reason, by=by, ip=ip))
        return completed


def extend(app: Application, code: str, to: date, reason: str, approved_by: str | None = None,
           plan: str | None = None, *, by: str | None = None, ip: str | None = None
           ) -> date | None:
    """Gia hạn: returns the due date replaced (None: the item had none)."""
    with app.uow.transaction() as session:
        item = store.find_item(session, code, plan)
        previous = item.due_date
        extend_item(session, item, to, reason, approved_by, by=by, ip=ip)
        return previous


def set_deadline(app: Application, code: str, to: date | str, reason: str,
                 plan: str | None = None, *, by: str | None = None, ip: str | None = None
                 ) -> DeadlineSet:
    """Đặt thời hạn (a date, or a recurring rule): returns its event."""
    with app.uow.transaction() as session:
        return set_item_deadline(session, store.find_item(session, code, plan), to, reason,
                                 by=by, ip=ip)


@dataclass(frozen=True)
class Received:
    """A periodic report recorded: its occurrence's code and due date."""

    code: str
    due: date


def report_received(app: Application, source: str, unit: str | None, period: str, on: date,
                    document: str | None) -> Received:
    """Nhận báo cáo định kỳ: the occurrence of `source` for `period` from `unit` completed on
    `on`, with the document as its evidence."""
    with app.uow.transaction() as session:
        item = received_occurrence(session, app.policy, source, unit, period)
        store.store(session, item, rules.receive_report(
            item, on, document, today=app.today(), origin=store.origin(session, item)))
        return Received(item.code, item.due_date)
