"""A person's changes to one item: completing, extending, giving a date; with their events."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from domain.deadline_phrases import with_row_periods
from domain.deadlines import Deadline, DeadlineError, parse_deadline
from domain.events import EventName
from domain.models import Extension, Plan, TrackedItem
from domain.states import DeadlineKind
from domain.tracking import ItemError
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


def complete_item(
    session: Session, item: TrackedItem, on: date, evidence: str | None = None,
    *, source: str = "command", **who: str | None,
) -> TrackedItem:
    """Record the completion; on or before the date in force is on time (the README's status taxonomy).
    `who`: who did it and from where (`by`, `ip`), for the event."""
    if item.completed_on is not None:
        raise ItemError(
            f"nhiệm vụ {item.code} đã hoàn thành ngày {item.completed_on:%d/%m/%Y}"
        )
    item.completed_on = on
    if evidence:
        item.evidence = evidence
    session.add(item)
    record(
        session,
        EventName.ITEM_COMPLETED,
        item_id=item.id,
        on=on.isoformat(),
        evidence=evidence,
        due=item.due_date.isoformat() if item.due_date else None,
        on_time=item.due_date is None or on <= item.due_date,
        source=source,
        **who,
    )
    return item


def extend_item(
    session: Session,
    item: TrackedItem,
    to: date,
    reason: str,
    approved_by: str | None = None,
    **who: str | None,
) -> Extension:
    """Move the due date; the original stays, the ladder re-arms under the new date."""
    if item.completed_on is not None:
        raise ItemError(f"nhiệm vụ {item.code} đã hoàn thành, không gia hạn được")
    if not reason.strip():
        raise ItemError("cần nêu lý do gia hạn")
    if item.due_date is not None and to <= item.due_date:
        raise ItemError(
            f"hạn mới {to:%d/%m/%Y} phải sau hạn hiện tại {item.due_date:%d/%m/%Y}"
        )
    extension = Extension(
        item_id=item.id,
        previous_due=item.due_date,
        new_due=to,
        reason=reason.strip(),
        approved_by=approved_by,
    )
    item.due_date = to
    session.add_all([item, extension])
    record(
        session,
        EventName.ITEM_EXTENDED,
        item_id=item.id,
        previous_due=extension.previous_due.isoformat() if extension.previous_due else None,
        new_due=to.isoformat(),
        original_due=item.original_due_date.isoformat() if item.original_due_date else None,
        reason=extension.reason,
        approved_by=approved_by,
        **who,
    )
    return extension


def set_deadline(session: Session, item: TrackedItem, to: date, reason: str,
                 **who: str | None) -> TrackedItem:
    """Give an undetermined deadline (chưa xác định thời hạn) its date. It becomes the item's
    original date, so it is not counted as an extension; the ladder starts under it."""
    _may_set_deadline(item, reason)
    item.due_date = item.original_due_date = to
    item.deadline_kind = DeadlineKind.FIXED.value
    session.add(item)
    record(session, EventName.DEADLINE_SET, item_id=item.id, due=to.isoformat(),
           deadline=item.deadline_text, reason=reason.strip(), **who)
    return item


def set_rule(session: Session, item: TrackedItem, text: str, reason: str,
             **who: str | None) -> Deadline:
    """Give an undetermined deadline a recurring rule, written as a plan's cell would be
    ("Trước ngày 10 hằng tháng"); the next check creates its periods in the plan's year."""
    _may_set_deadline(item, reason)
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
    record(session, EventName.DEADLINE_SET, item_id=item.id, rule=deadline.reading(),
           deadline=item.deadline_text, reason=reason.strip(), **who)
    return deadline


def _may_set_deadline(item: TrackedItem, reason: str) -> None:
    if item.completed_on is not None:
        raise ItemError(f"nhiệm vụ {item.code} đã hoàn thành, không đặt thời hạn được")
    if item.deadline_kind != DeadlineKind.UNDETERMINED:
        raise ItemError(
            f"nhiệm vụ {item.code} đã có thời hạn ({item.deadline_text}): "
            "dùng `cchc task extend` để gia hạn"
        )
    if not reason.strip():
        raise ItemError("cần nêu căn cứ đặt thời hạn")
