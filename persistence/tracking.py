"""A person's changes to one item: completing, extending, giving a date, reopening, correcting a
completion's date, reopening after an evaluation (chưa đạt); with their events. Whether each may
be done is decided by `domain/tracking.py`; here is what the database knows around the item."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from domain import tracking as rules
from domain.deadline_phrases import with_row_periods
from domain.deadlines import Deadline, DeadlineError, parse_deadline
from domain.events import (
    CompletionCorrected,
    DeadlineSet,
    ItemCompleted,
    ItemExtended,
    ItemReopened,
    ReopenedAfterEvaluation,
)
from domain.models import Extension, Finding, Inspection, Plan, TrackedItem
from domain.states import DeadlineKind, ItemKind
from domain.tracking import ItemError, Origin
from persistence.events import record


def find_item(session: Session, code: str, scope: str | None = None) -> TrackedItem:
    query = select(TrackedItem).where(TrackedItem.code == code)
    if scope:
        query = query.where(TrackedItem.scope == scope)
    items = session.exec(query).scalars().all()
    if not items:
        raise ItemError(f"không có nhiệm vụ mã {code}" + (f" trong {scope}" if scope else ""))
    if len(items) > 1:
        scopes = ", ".join(sorted(i.scope for i in items))
        raise ItemError(f"mã {code} có ở nhiều nơi ({scopes}): hãy chỉ rõ bằng --plan")
    return items[0]


def open_periods(session: Session, item: TrackedItem) -> list[str]:
    """A recurring task's periods not yet done, in date order (none for any other item)."""
    if not rules.is_recurring_parent(item):
        return []
    return list(session.exec(
        select(TrackedItem.code).where(TrackedItem.scope == item.scope,
                                       TrackedItem.occurrence_of == item.code,
                                       TrackedItem.completed_on.is_(None))
        .order_by(TrackedItem.due_date, TrackedItem.code)
    ).scalars())


def origin(session: Session, item: TrackedItem) -> Origin:
    """The days the item's plan began, its inspection concluded, its period opened."""
    plan = session.get(Plan, item.plan_code) if item.plan_code else None
    concluded = session.exec(
        select(Inspection.concluded_on).join(Finding, Finding.inspection_id == Inspection.id)
        .where(Finding.code == item.finding_code)).scalars().first() if item.finding_code else None
    opens = item.opens_on if item.kind == ItemKind.PERIODIC else None
    return Origin(rules.plan_start(plan.year, plan.decision_date) if plan else None, concluded,
                  opens)


def complete_item(
    session: Session, item: TrackedItem, on: date, evidence: str | None = None,
    *, today: date | None = None, source: str = "command", **who: str | None,
) -> TrackedItem:
    """Record the completion; on or before the date in force is on time (the README's status taxonomy).
    `today`: the engine's today, after which no completion can be dated. `who`: who did it and
    from where (`by`, `ip`), for the event."""
    rules.check_completion(item, on, today, origin(session, item), open_periods(session, item))
    item.completed_on = on
    if evidence:
        item.evidence = evidence
    session.add(item)
    record(session, ItemCompleted(item_id=item.id, on=on, evidence=evidence,
                                  due=item.due_date, on_time=rules.completed_on_time(item, on),
                                  source=source, **who))
    return item


def reopen_item(session: Session, item: TrackedItem, reason: str, **who: str | None
                ) -> TrackedItem:
    """Mở lại: a completion recorded wrongly is undone; its date and evidence stay in the
    event, and the ladder resumes under the due date in force."""
    rules.check_reopening(item, reason)
    record(session, ItemReopened(item_id=item.id, completed_on=item.completed_on,
                                 evidence=item.evidence, reason=reason.strip(), **who))
    item.completed_on = item.evidence = None
    session.add(item)
    return item


def correct_completion(session: Session, item: TrackedItem, on: date, reason: str, *,
                       today: date | None = None, **who: str | None) -> date:
    """Sửa ngày hoàn thành: the recorded completion's date corrected, with why; returns the
    date it replaced."""
    rules.check_completion_correction(item, on, reason, today, origin(session, item))
    previous = item.completed_on
    item.completed_on = on
    session.add(item)
    record(session, CompletionCorrected(item_id=item.id, previous=previous, on=on,
                                        on_time=rules.completed_on_time(item, on),
                                        reason=reason.strip(), **who))
    return previous


def extend_item(
    session: Session,
    item: TrackedItem,
    to: date,
    reason: str,
    approved_by: str | None = None,
    **who: str | None,
) -> Extension:
    """Move the due date; the original stays, the ladder re-arms under the new date."""
    rules.check_extension(item, to, reason, open_periods(session, item))
    extension = Extension(
        item_id=item.id,
        previous_due=item.due_date,
        new_due=to,
        reason=reason.strip(),
        approved_by=approved_by,
    )
    item.due_date = to
    session.add_all([item, extension])
    record(session, ItemExtended(item_id=item.id, previous_due=extension.previous_due,
                                 new_due=to, original_due=item.original_due_date,
                                 reason=extension.reason, approved_by=approved_by, **who))
    return extension


def reopen_after_evaluation(session: Session, item: TrackedItem, to: date, comment: str,
                            on: date, **who: str | None) -> TrackedItem:
    """Chưa đạt: the evaluation of a remediation item's completion report reopens it under a
    new due date `to`, on `on`. Not an extension: the due date it had stays its measure."""
    rules.check_evaluation_reopening(item, to)
    previous = item.due_date
    if item.reopened_on is None:
        item.reopened_on, item.due_when_reopened = on, previous
    item.due_date = to
    session.add(item)
    record(session, ReopenedAfterEvaluation(item_id=item.id, previous_due=previous, new_due=to,
                                            missed_due=item.due_when_reopened, comment=comment,
                                            **who))
    return item


def set_deadline(session: Session, item: TrackedItem, to: date, reason: str,
                 **who: str | None) -> TrackedItem:
    """Give an undetermined deadline (chưa xác định thời hạn) its date. It becomes the item's
    original date, so it is not counted as an extension; the ladder starts under it."""
    rules.check_deadline_setting(item, reason, open_periods(session, item))
    item.due_date = item.original_due_date = to
    item.deadline_kind = DeadlineKind.FIXED.value
    session.add(item)
    record(session, DeadlineSet(item_id=item.id, due=to, deadline=item.deadline_text,
                                reason=reason.strip(), **who))
    return item


def set_rule(session: Session, item: TrackedItem, text: str, reason: str,
             **who: str | None) -> Deadline:
    """Give an undetermined deadline a recurring rule, written as a plan's cell would be
    ("Trước ngày 10 hằng tháng"); the next check creates its periods in the plan's year."""
    rules.check_deadline_setting(item, reason, open_periods(session, item))
    plan = session.get(Plan, item.plan_code) if item.plan_code else None
    if plan is None:
        raise ItemError(f"{item.code} không thuộc kế hoạch nào: chỉ đặt được một ngày")
    try:
        deadline = with_row_periods(parse_deadline(text, year=plan.year), item.content)
    except DeadlineError as error:
        raise ItemError(f"--to: {error}") from None
    if deadline.kind is not DeadlineKind.RECURRING:
        shown = deadline.reading()
        raise ItemError(f"--to: cần ngày DD/MM/YYYY hoặc một quy tắc định kỳ (vd. \"Trước ngày "
                        f"10 hằng tháng\"); \"{text}\" đọc là {shown}")
    item.due_date = item.original_due_date = deadline.due
    item.deadline_kind = DeadlineKind.RECURRING.value
    item.deadline_rule = deadline.rule.as_dict()
    session.add(item)
    record(session, DeadlineSet(item_id=item.id, rule=deadline.reading(),
                                deadline=item.deadline_text, reason=reason.strip(), **who))
    return deadline

