"""What the secretariat records by hand: a completion (hoàn thành), an extension (gia hạn), or
the date of a deadline the plan left undetermined (chưa xác định thời hạn); undoing a completion
recorded wrongly, correcting its date; and a remediation item reopened after an evaluation
found it not done (chưa đạt). Pure rules: the item, the day (`today`) and what the database
knows around it (its periods, the day its plan or conclusion was issued) are parameters. Each
decision (`complete`, `reopen`, `correct_completion`, `extend`, `set_deadline`, `set_rule`,
`reopen_after_evaluation`) reads the item, never changes it, and returns the `Decision`: the
fields to change and the event to record (`persistence/events.py: apply` stores it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.deadline_phrases import with_row_periods
from domain.deadlines import DeadlineError, parse_deadline
from domain.decisions import Decision
from domain.events import (
    CompletionCorrected,
    DeadlineSet,
    ItemCompleted,
    ItemExtended,
    ItemReopened,
    ReopenedAfterEvaluation,
)
from domain.models import TrackedItem
from domain.states import DeadlineKind
from domain.status import Status, completion_status


class ItemError(ValueError):
    """A user's mistake about an item: unknown code, ambiguous code, impossible change."""


def is_recurring_parent(item: TrackedItem) -> bool:
    """A recurring task itself (định kỳ), as opposed to one of its periods: never due, its
    periods are (each under its own code)."""
    return item.deadline_kind == DeadlineKind.RECURRING and item.occurrence_of is None


def _no_deadline(item: TrackedItem, open_periods: Sequence[str]) -> str | None:
    """Why `item` has no deadline to extend or to date, saying what to use instead; None
    when it has one to move."""
    if is_recurring_parent(item):
        periods = (f"các kỳ chưa hoàn thành: {', '.join(open_periods)}" if open_periods
                   else "không còn kỳ nào chưa hoàn thành")
        return (f"nhiệm vụ {item.code} là nhiệm vụ định kỳ ({item.deadline_text}): mỗi kỳ có "
                f"hạn riêng, theo dõi theo mã của kỳ ({periods})")
    if item.deadline_kind == DeadlineKind.CONTINUOUS:
        return (f"nhiệm vụ {item.code} thực hiện thường xuyên ({item.deadline_text}): không có "
                "hạn để đặt hay gia hạn")
    return None


def check_extension(item: TrackedItem, to: date, reason: str,
                    open_periods: Sequence[str] = ()) -> None:
    """Gia hạn moves a deadline in force: an item without one (undetermined, continuous, a
    recurring task itself) is refused, naming what to use instead."""
    if item.completed_on is not None:
        raise ItemError(f"nhiệm vụ {item.code} đã hoàn thành, không gia hạn được")
    if (why := _no_deadline(item, open_periods)) is not None:
        raise ItemError(why)
    if item.deadline_kind == DeadlineKind.UNDETERMINED or item.due_date is None:
        raise ItemError(
            f"nhiệm vụ {item.code} chưa xác định thời hạn ({item.deadline_text}): chưa có hạn "
            f"để gia hạn; đặt thời hạn bằng `cchc task deadline {item.code} --to DD/MM/YYYY "
            "--reason …`")
    if not reason.strip():
        raise ItemError("cần nêu lý do gia hạn")
    if to <= item.due_date:
        raise ItemError(
            f"hạn mới {to:%d/%m/%Y} phải sau hạn hiện tại {item.due_date:%d/%m/%Y}"
        )


def check_deadline_setting(item: TrackedItem, reason: str,
                           open_periods: Sequence[str] = ()) -> None:
    """Đặt thời hạn dates an undetermined deadline only; a dated item is moved by extending it,
    an item without a deadline has none to date."""
    if item.completed_on is not None:
        raise ItemError(f"nhiệm vụ {item.code} đã hoàn thành, không đặt thời hạn được")
    if (why := _no_deadline(item, open_periods)) is not None:
        raise ItemError(why)
    if item.deadline_kind != DeadlineKind.UNDETERMINED:
        raise ItemError(
            f"nhiệm vụ {item.code} đã có thời hạn ({item.deadline_text}): "
            "dùng `cchc task extend` để gia hạn"
        )
    if not reason.strip():
        raise ItemError("cần nêu căn cứ đặt thời hạn")


def plan_start(year: int, issued: date | None) -> date:
    """The day a plan begins: the first of its year, or its issue when that came earlier (a
    2022 plan issued in December 2021). Work done early in its year, before a plan issued on
    07/01, is still its work."""
    first = date(year, 1, 1)
    return min(first, issued) if issued is not None else first


@dataclass(frozen=True)
class Origin:
    """The days before which nothing of an item can have been done: its plan's start
    (`plan_start`), its inspection's conclusion, its period's first day (each when known)."""

    plan_starts: date | None = None
    concluded_on: date | None = None
    period_opens: date | None = None

    def earliest(self) -> tuple[date, str] | None:
        """The latest of those days, with what it is; None when none is known."""
        known = [(day, what) for day, what in (
            (self.plan_starts, "ngày bắt đầu kế hoạch"),
            (self.concluded_on, "ngày kết luận kiểm tra"),
            (self.period_opens, "ngày bắt đầu kỳ"),
        ) if day is not None]
        return max(known, default=None, key=lambda pair: pair[0])


def completion_date_problem(on: date, today: date | None, origin: Origin,
                            what: str = "ngày hoàn thành") -> str | None:
    """Why `on` cannot be the day something was done (or a report received): after today, or
    before the item existed. None when it can. `today` None: not checked against the clock."""
    if today is not None and on > today:
        return f"{what} {on:%d/%m/%Y} chưa đến (hôm nay {today:%d/%m/%Y})"
    earliest = origin.earliest()
    if earliest is not None and on < earliest[0]:
        return f"{what} {on:%d/%m/%Y} trước {earliest[1]} {earliest[0]:%d/%m/%Y}"
    return None


def check_completion(item: TrackedItem, on: date, today: date | None, origin: Origin,
                     open_periods: Sequence[str] = ()) -> None:
    """A completion: once, on a day that can be; a recurring task only once its periods are
    all done (each is recorded under its own code)."""
    if item.completed_on is not None:
        raise ItemError(
            f"nhiệm vụ {item.code} đã hoàn thành ngày {item.completed_on:%d/%m/%Y}"
        )
    if is_recurring_parent(item) and open_periods:
        raise ItemError(
            f"nhiệm vụ định kỳ {item.code} hoàn thành khi mọi kỳ đã hoàn thành; còn "
            f"{len(open_periods)} kỳ chưa hoàn thành: {', '.join(open_periods)} (ghi nhận "
            f"từng kỳ theo mã của kỳ, vd. `cchc task done {open_periods[0]} --on …`)")
    _check_day(on, today, origin)


def _check_day(on: date, today: date | None, origin: Origin) -> None:
    if (problem := completion_date_problem(on, today, origin)) is not None:
        raise ItemError(problem)


def check_reopening(item: TrackedItem, reason: str) -> None:
    """Mở lại: a completion recorded wrongly is undone, with why."""
    if item.completed_on is None:
        raise ItemError(f"nhiệm vụ {item.code} chưa hoàn thành: không có gì để mở lại")
    if not reason.strip():
        raise ItemError("cần nêu lý do mở lại")


def check_completion_correction(item: TrackedItem, on: date, reason: str, today: date | None,
                                origin: Origin) -> None:
    """Sửa ngày hoàn thành: a recorded completion's date corrected, with why."""
    if item.completed_on is None:
        raise ItemError(f"nhiệm vụ {item.code} chưa hoàn thành: ghi nhận bằng `cchc task done "
                        f"{item.code} --on DD/MM/YYYY` (không có --correct)")
    if not reason.strip():
        raise ItemError("cần nêu lý do sửa ngày hoàn thành")
    if on == item.completed_on:
        raise ItemError(f"nhiệm vụ {item.code} đã ghi hoàn thành đúng ngày {on:%d/%m/%Y}")
    _check_day(on, today, origin)


def check_evaluation_reopening(item: TrackedItem, to: date) -> None:
    """Chưa đạt reopens an open remediation item under a later due date."""
    if item.completed_on is not None:
        raise ItemError(f"nhiệm vụ {item.code} đã hoàn thành ngày {item.completed_on:%d/%m/%Y}")
    if item.due_date is not None and to <= item.due_date:
        raise ItemError(f"hạn mới {to:%d/%m/%Y} phải sau hạn hiện tại {item.due_date:%d/%m/%Y}")


def completion_of(item: TrackedItem, on: date) -> Status:
    """The status a completion on `on` gives the item (done on time, with an extension, late)."""
    missed = item.due_when_reopened if item.reopened_on is not None else None
    return completion_status(on, item.due_date, item.extended, missed=missed)


def completed_on_time(item: TrackedItem, on: date) -> bool:
    return completion_of(item, on) is not Status.DONE_LATE


# -- the decisions -----------------------------------------------------------------------------

def complete(item: TrackedItem, on: date, evidence: str | None = None, *, today: date | None,
             origin: Origin, open_periods: Sequence[str] = (), source: str = "command",
             by: str | None = None, ip: str | None = None) -> Decision:
    """Hoàn thành on `on`: on or before the date in force is on time (the README's status
    taxonomy). `today`: the engine's today, after which no completion can be dated."""
    check_completion(item, on, today, origin, open_periods)
    changes: dict[str, object] = {"completed_on": on}
    if evidence:
        changes["evidence"] = evidence
    return Decision(changes, (ItemCompleted(
        item_id=item.id, on=on, evidence=evidence, due=item.due_date,
        on_time=completed_on_time(item, on), source=source, by=by, ip=ip),))


def receipt_problem(item: TrackedItem, on: date, today: date | None, origin: Origin
                    ) -> str | None:
    """Why the periodic report of an occurrence cannot have been received on `on`."""
    return completion_date_problem(on, today, origin, f"ngày nhận {item.code}")


def receive_report(item: TrackedItem, on: date, document: str | None, *, today: date | None,
                   origin: Origin) -> Decision:
    """Nhận báo cáo định kỳ: an occurrence completed on the day its report arrived, the
    report's document its evidence."""
    if (problem := receipt_problem(item, on, today, origin)) is not None:
        raise ItemError(problem)
    return complete(item, on, document, today=today, origin=origin)


def reopen(item: TrackedItem, reason: str, *, by: str | None = None, ip: str | None = None
           ) -> Decision:
    """Mở lại: a completion recorded wrongly is undone; its date and evidence stay in the
    event, and the ladder resumes under the due date in force."""
    check_reopening(item, reason)
    return Decision({"completed_on": None, "evidence": None}, (ItemReopened(
        item_id=item.id, completed_on=item.completed_on, evidence=item.evidence,
        reason=reason.strip(), by=by, ip=ip),))


def correct_completion(item: TrackedItem, on: date, reason: str, *, today: date | None,
                       origin: Origin, by: str | None = None, ip: str | None = None
                       ) -> Decision:
    """Sửa ngày hoàn thành: the recorded completion's date corrected, with why; the event
    keeps the date it replaces (`previous`)."""
    check_completion_correction(item, on, reason, today, origin)
    return Decision({"completed_on": on}, (CompletionCorrected(
        item_id=item.id, previous=item.completed_on, on=on,
        on_time=completed_on_time(item, on), reason=reason.strip(), by=by, ip=ip),))


def extend(item: TrackedItem, to: date, reason: str, approved_by: str | None = None, *,
           open_periods: Sequence[str] = (), by: str | None = None, ip: str | None = None
           ) -> Decision:
    """Gia hạn: the due date moves to `to`; the original stays, the ladder re-arms under the
    new date. Its event holds the extension's row (previous and new date, reason, approval),
    which persistence keeps in the extension table."""
    check_extension(item, to, reason, open_periods)
    return Decision({"due_date": to}, (ItemExtended(
        item_id=item.id, previous_due=item.due_date, new_due=to,
        original_due=item.original_due_date, reason=reason.strip(), approved_by=approved_by,
        by=by, ip=ip),))


def reopen_after_evaluation(item: TrackedItem, to: date, comment: str | None, on: date, *,
                            by: str | None = None, ip: str | None = None) -> Decision:
    """Chưa đạt: the evaluation of a remediation item's completion report reopens it under a
    new due date `to`, on `on`. Not an extension: the due date it had stays its measure (the
    first reopening's, when it is reopened again)."""
    check_evaluation_reopening(item, to)
    changes: dict[str, object] = {"due_date": to}
    missed = item.due_when_reopened
    if item.reopened_on is None:
        changes.update(reopened_on=on, due_when_reopened=item.due_date)
        missed = item.due_date
    return Decision(changes, (ReopenedAfterEvaluation(
        item_id=item.id, previous_due=item.due_date, new_due=to, missed_due=missed,
        comment=comment, by=by, ip=ip),))


def set_deadline(item: TrackedItem, to: date, reason: str, *, open_periods: Sequence[str] = (),
                 by: str | None = None, ip: str | None = None) -> Decision:
    """Give an undetermined deadline (chưa xác định thời hạn) its date. It becomes the item's
    original date, so it is not counted as an extension; the ladder starts under it."""
    check_deadline_setting(item, reason, open_periods)
    return Decision(
        {"due_date": to, "original_due_date": to, "deadline_kind": DeadlineKind.FIXED.value},
        (DeadlineSet(item_id=item.id, due=to, deadline=item.deadline_text,
                     reason=reason.strip(), by=by, ip=ip),))


def set_rule(item: TrackedItem, text: str, reason: str, *, plan_year: int | None,
             open_periods: Sequence[str] = (), by: str | None = None, ip: str | None = None
             ) -> Decision:
    """Give an undetermined deadline a recurring rule, written as a plan's cell would be
    ("Trước ngày 10 hằng tháng"), read in its plan's year (`plan_year`, None when it belongs
    to no plan); the next check creates its periods. The event's `rule` is the rule as read."""
    check_deadline_setting(item, reason, open_periods)
    if plan_year is None:
        raise ItemError(f"{item.code} không thuộc kế hoạch nào: chỉ đặt được một ngày")
    try:
        deadline = with_row_periods(parse_deadline(text, year=plan_year), item.content)
    except DeadlineError as error:
        raise ItemError(f"--to: {error}") from None
    if deadline.kind is not DeadlineKind.RECURRING:
        shown = deadline.reading()
        raise ItemError(f"--to: cần ngày DD/MM/YYYY hoặc một quy tắc định kỳ (vd. \"Trước ngày "
                        f"10 hằng tháng\"); \"{text}\" đọc là {shown}")
    return Decision(
        {"due_date": deadline.due, "original_due_date": deadline.due,
         "deadline_kind": DeadlineKind.RECURRING.value, "deadline_rule": deadline.rule.as_dict()},
        (DeadlineSet(item_id=item.id, rule=deadline.reading(), deadline=item.deadline_text,
                     reason=reason.strip(), by=by, ip=ip),))
