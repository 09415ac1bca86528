"""What a unit may send back through its page, and what the secretariat's decisions mean: pure
rules over plain values, the day (`today`) and the moment (`now`) parameters.

A link grants a recipient the units they answer for (head or focal officer); an item belongs
to the unit that answers for it now (a dissolved unit's items follow its successor). What a
unit sends (`report`) and each decision on it (`confirm_report`, `return_report`,
`approve_extension`, `refuse_extension`) is a `Decision`: the fields its row gets and its
events; persistence stores it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from domain import tracking
from domain.addresses import folded
from domain.decisions import Decision
from domain.events import (
    ExtensionApproved,
    ExtensionRefused,
    ExtensionRequested,
    ItemAcknowledged,
    ItemReported,
    ProgressReported,
    ReportConfirmed,
    ReportReturned,
)
from domain.models import Submission, TrackedItem
from domain.recipients import UnitTree
from domain.states import ItemKind, SubmissionKind, SubmissionState
from domain.tracking import Origin
from domain.uploads import StoredFile

MAX_LINE = 200  # a document number, a name
MAX_NOTE = 2000  # a note, a reason, a comment
MIN_PASSWORD = 10  # a secretariat login's
# Control characters other than the line breaks and tabs a note may hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Scope:
    """What a page link grants: its recipient and the units they answer for."""

    recipient: str
    units: frozenset[str]


def answerable_units(tree: UnitTree, address: str) -> frozenset[str]:
    """The units whose head or focal officer (đầu mối CCHC) is `address`. A dissolved one
    stays (its head may still be asked about the units below it); its own items answer to its
    successor (`in_scope`)."""
    wanted = folded(address)
    return frozenset(
        unit.code for unit in tree.units.values()
        if wanted in (folded(unit.head_email or ""), folded(unit.focal_email or ""))
    )


def in_scope(tree: UnitTree, unit_code: str, units: Iterable[str]) -> bool:
    """Whether an item assigned to `unit_code` is answered for by one of `units`."""
    return unit_code in tree.units and tree.responsible(unit_code).code in set(units)


def supervised_units(tree: UnitTree, units: Iterable[str]) -> set[str]:
    """The units whose items a supervisor of `units` sees (read-only, once escalated): those
    whose items are answered for by a unit below `units`, not by `units` themselves."""
    own = set(units)
    below = set().union(*(tree.subtree(code) for code in own)) - own if own else set()
    return {code for code in tree.units
            if tree.responsible(code).code in below and tree.responsible(code).code not in own}


class FormProblems(ValueError):
    """Every problem of a form at once: field name → what is wrong, in Vietnamese."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {why}" for field, why in problems.items()))
        self.problems = dict(problems)


def form_date(text: str | None, field: str, problems: dict[str, str], *,
              required: bool = True) -> date | None:
    """A date as a browser's date field sends it (YYYY-MM-DD) or as typed (DD/MM/YYYY)."""
    text = (text or "").strip()
    if not text:
        if required:
            problems[field] = "chưa nhập ngày"
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    problems[field] = f"không phải ngày hợp lệ: {text!r} (dạng DD/MM/YYYY)"
    return None


def one_line(text: str | None, field: str, problems: dict[str, str], *,
             required: bool = True) -> str | None:
    """A single-line field: no line break, no control character, at most MAX_LINE long."""
    text = (text or "").strip()
    if not text:
        if required:
            problems[field] = "chưa nhập"
        return None
    if "\r" in text or "\n" in text or _CONTROL.search(text):
        problems[field] = "không được xuống dòng hay chứa ký tự điều khiển"
    elif len(text) > MAX_LINE:
        problems[field] = f"dài quá {MAX_LINE} ký tự"
    return text


def check_password(text: str, problems: dict[str, str]) -> None:
    """A secretariat login's new password: at least MIN_PASSWORD characters."""
    if len(text) < MIN_PASSWORD:
        problems["password"] = f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự"


def note_text(text: str | None, field: str, problems: dict[str, str], *,
              required: bool = False) -> str | None:
    """A note: line breaks allowed (shown as such, escaped), at most MAX_NOTE long."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        if required:
            problems[field] = "chưa nhập"
        return None
    if _CONTROL.search(text):
        problems[field] = "chứa ký tự điều khiển"
    elif len(text) > MAX_NOTE:
        problems[field] = f"dài quá {MAX_NOTE} ký tự"
    return text


def _not_future(day: date | None, field: str, today: date, problems: dict[str, str]) -> None:
    if day is not None and day > today and field not in problems:
        problems[field] = f"ngày {day:%d/%m/%Y} chưa đến (hôm nay {today:%d/%m/%Y})"


@dataclass(frozen=True)
class CompletionReport:
    completed_on: date
    doc_number: str
    doc_date: date
    note: str | None


def completion_report(form: Mapping[str, str], today: date) -> CompletionReport:
    """Báo cáo hoàn thành: the completion date and the proving document's number and date are
    required, none in the future."""
    problems: dict[str, str] = {}
    completed_on = form_date(form.get("completed_on"), "completed_on", problems)
    doc_number = one_line(form.get("doc_number"), "doc_number", problems)
    doc_date = form_date(form.get("doc_date"), "doc_date", problems)
    note = note_text(form.get("note"), "note", problems)
    _not_future(completed_on, "completed_on", today, problems)
    _not_future(doc_date, "doc_date", today, problems)
    if problems:
        raise FormProblems(problems)
    return CompletionReport(completed_on, doc_number, doc_date, note)


@dataclass(frozen=True)
class ExtensionRequest:
    proposed_due: date
    reason: str


def extension_request(form: Mapping[str, str], current_due: date | None,
                      today: date) -> ExtensionRequest:
    """Đề nghị gia hạn: a date after the deadline in force (and after today), and a reason."""
    problems: dict[str, str] = {}
    proposed = form_date(form.get("proposed_due"), "proposed_due", problems)
    reason = note_text(form.get("reason"), "reason", problems, required=True)
    if proposed is not None and "proposed_due" not in problems:
        earliest = earliest_proposed_due(current_due, today)
        if proposed < earliest:
            problems["proposed_due"] = f"hạn đề nghị sớm nhất là ngày {earliest:%d/%m/%Y}"
    if problems:
        raise FormProblems(problems)
    return ExtensionRequest(proposed, reason)


def earliest_proposed_due(current_due: date | None, today: date) -> date:
    """The earliest date a unit may ask for: the day after the deadline in force, or after
    today when that is later."""
    return max(filter(None, (current_due, today))) + timedelta(days=1)


def earliest_new_deadline(current_due: date | None, today: date) -> date:
    """The earliest date the secretariat may give (`new_deadline`): today, or the day after the
    deadline in force when that is later."""
    return max(today, current_due + timedelta(days=1)) if current_due else today


def progress_note(form: Mapping[str, str]) -> str:
    problems: dict[str, str] = {}
    note = note_text(form.get("note"), "note", problems, required=True)
    if problems:
        raise FormProblems(problems)
    return note


def decision_comment(form: Mapping[str, str], field: str = "comment") -> str:
    """Why a report is returned or a request refused: required."""
    problems: dict[str, str] = {}
    comment = note_text(form.get(field), field, problems, required=True)
    if problems:
        raise FormProblems(problems)
    return comment


def new_deadline(form: Mapping[str, str], current_due: date | None, today: date,
                 field: str = "new_due") -> date:
    """A date the secretariat gives (an approved extension, a chưa đạt's new deadline, an
    undetermined deadline's date): after the deadline in force, and not in the past."""
    problems: dict[str, str] = {}
    day = form_date(form.get(field), field, problems)
    if day is not None and field not in problems:
        if day < today:
            problems[field] = f"ngày {day:%d/%m/%Y} đã qua"
        elif current_due is not None and day <= current_due:
            problems[field] = f"hạn mới phải sau hạn hiện tại {current_due:%d/%m/%Y}"
    if problems:
        raise FormProblems(problems)
    return day


def evidence_text(doc_number: str, doc_date: date) -> str:
    """The item's evidence (minh chứng) once a report is confirmed: the proving document."""
    return f"Văn bản số {doc_number} ngày {doc_date:%d/%m/%Y}"


# -- what a unit sends, and the secretariat's decisions on it ----------------------------------

SUBMITTED_EVENTS = {
    SubmissionKind.COMPLETION: ItemReported,
    SubmissionKind.EXTENSION: ExtensionRequested,
    SubmissionKind.PROGRESS: ProgressReported,
    SubmissionKind.ACKNOWLEDGEMENT: ItemAcknowledged,
}
DECIDED_EVENTS = {
    SubmissionState.CONFIRMED: ReportConfirmed,
    SubmissionState.RETURNED: ReportReturned,
    SubmissionState.APPROVED: ExtensionApproved,
    SubmissionState.REFUSED: ExtensionRefused,
}


def report(kind: SubmissionKind, form: Mapping[str, str], item: TrackedItem, *, today: date,
           by: str, ip: str | None, origin: Origin, pause_on_report: bool,
           attachment: StoredFile | None = None) -> Decision:
    """What a unit sends about one of its items (`by`: the link's address), validated: the new
    submission's values and its event, whose `submission` persistence names once the row has
    its id. Its `dedup_key` makes the same submission sent twice one row: a completion report
    or an extension request holds the item's key while it waits, an acknowledgement is one per
    address and due date, a progress note one per text. FormProblems: nothing to store."""
    values: dict[str, Any] = {"item_id": item.id, "kind": kind, "state": SubmissionState.PENDING,
                              "submitted_by": by, "submitted_on": today, "client_ip": ip}
    if kind is SubmissionKind.COMPLETION:
        values |= _completion(form, item, today, origin, pause_on_report, attachment)
    elif kind is SubmissionKind.EXTENSION:
        request = extension_request(form, item.due_date, today)
        values |= {"proposed_due": request.proposed_due, "note": request.reason,
                   "dedup_key": f"waiting:{item.id}"}
    elif kind is SubmissionKind.PROGRESS:
        note = progress_note(form)
        digest = hashlib.sha256(note.encode()).hexdigest()[:32]
        values |= {"note": note, "state": SubmissionState.RECORDED,
                   "dedup_key": f"progress:{item.id}:{digest}"}
    else:
        values |= {"state": SubmissionState.RECORDED,
                   "dedup_key": f"ack:{item.id}:{item.due_date}:{by}"[:120]}
    return Decision(values, (SUBMITTED_EVENTS[kind](
        item_id=item.id, by=by, ip=ip, completed_on=values.get("completed_on"),
        doc_number=values.get("doc_number"), doc_date=values.get("doc_date"),
        proposed_due=values.get("proposed_due"), note=values.get("note"),
        attachment=values.get("attachment_name")),))


def _completion(form: Mapping[str, str], item: TrackedItem, today: date, origin: Origin,
                pause_on_report: bool, attachment: StoredFile | None) -> dict[str, Any]:
    """Báo cáo hoàn thành: its values. It pauses the item's ladder while it waits when the
    policy says so (`pause_on_report`, as it was when it was sent)."""
    found = completion_report(form, today)
    # A day before the item existed (its plan, its inspection's conclusion) is refused here,
    # not when the secretariat confirms it.
    if problem := tracking.completion_date_problem(found.completed_on, today, origin):
        raise FormProblems({"completed_on": problem})
    values = {"completed_on": found.completed_on, "doc_number": found.doc_number,
              "doc_date": found.doc_date, "note": found.note,
              "pauses_ladder": pause_on_report, "dedup_key": f"waiting:{item.id}"}
    if attachment is not None:
        values |= {"attachment_name": attachment.original_name,
                   "attachment_file": attachment.stored_name,
                   "attachment_type": attachment.media_type,
                   "attachment_size": attachment.size}
    return values


def awaits_decision(submission: Submission, kind: SubmissionKind) -> bool:
    """Whether `submission` is a `kind` still waiting for the secretariat (not decided yet)."""
    return submission.state == SubmissionState.PENDING and submission.kind == kind


@dataclass(frozen=True)
class Reviewed:
    """A decision on a waiting submission: what its row gets, and what its item's row gets
    (stored first: its event comes before the decision's in the item's history)."""

    submission: Decision
    item: Decision = field(default_factory=Decision)


def _decided(submission: Submission, state: SubmissionState, *, by: str, ip: str | None,
             now: datetime, note: str | None = None, due: date | None = None) -> Decision:
    """The decision on the submission's row, with its event; it no longer holds its item's
    place (`dedup_key`): another may be sent."""
    return Decision(
        {"state": state, "decided_by": by, "decided_at": now, "decision_note": note,
         "decided_due": due, "dedup_key": None},
        (DECIDED_EVENTS[state](item_id=submission.item_id, submission=submission.id, by=by,
                               ip=ip, comment=note, new_due=due,
                               reported_by=submission.submitted_by),))


def confirm_report(submission: Submission, item: TrackedItem, *, today: date, now: datetime,
                   by: str, ip: str | None, origin: Origin,
                   open_periods: Sequence[str] = ()) -> Reviewed:
    """Xác nhận (a remediation: đạt): the item is completed on the reported date, the proving
    document its evidence. ItemError when it cannot be (completed meanwhile)."""
    completion = tracking.complete(
        item, submission.completed_on, evidence_text(submission.doc_number, submission.doc_date),
        today=today, origin=origin, open_periods=open_periods, source="web", by=by, ip=ip)
    return Reviewed(_decided(submission, SubmissionState.CONFIRMED, by=by, ip=ip, now=now),
                    completion)


def return_report(submission: Submission, item: TrackedItem, form: Mapping[str, str], *,
                  today: date, now: datetime, by: str, ip: str | None) -> Reviewed:
    """Trả lại with a comment (a remediation: chưa đạt, with a new deadline, which reopens it:
    not an extension, its missed deadline still counts): the ladder resumes, the unit is told
    why. FormProblems (the comment first, then the deadline); ItemError."""
    comment = decision_comment(form)
    if item.kind != ItemKind.REMEDIATION:
        return Reviewed(_decided(submission, SubmissionState.RETURNED, by=by, ip=ip, now=now,
                                 note=comment))
    due = new_deadline(form, item.due_date, today)
    reopened = tracking.reopen_after_evaluation(item, due, comment, today, by=by, ip=ip)
    return Reviewed(_decided(submission, SubmissionState.RETURNED, by=by, ip=ip, now=now,
                             note=comment, due=due), reopened)


def approve_extension(submission: Submission, item: TrackedItem, form: Mapping[str, str], *,
                      today: date, now: datetime, by: str, ip: str | None,
                      open_periods: Sequence[str] = ()) -> Reviewed:
    """Chấp thuận: the item extended to the date given, for the unit's reason, approved by
    `by`. FormProblems; ItemError."""
    due = new_deadline(form, item.due_date, today)
    extension = tracking.extend(item, due, submission.note or "", approved_by=by,
                                open_periods=open_periods, ip=ip)
    return Reviewed(_decided(submission, SubmissionState.APPROVED, by=by, ip=ip, now=now,
                             due=due), extension)


def refuse_extension(submission: Submission, form: Mapping[str, str], *, now: datetime, by: str,
                     ip: str | None) -> Reviewed:
    """Không chấp thuận, with why: the deadline in force stays. FormProblems."""
    return Reviewed(_decided(submission, SubmissionState.REFUSED, by=by, ip=ip, now=now,
                             note=decision_comment(form)))


def give_deadline(item: TrackedItem, form: Mapping[str, str], *, today: date, by: str,
                  ip: str | None, open_periods: Sequence[str] = ()) -> Decision:
    """Đặt thời hạn from the review page: the date given (not in the past) and the reason
    (`cchc task deadline`'s decision). FormProblems; ItemError."""
    due = new_deadline(form, None, today)
    problems: dict[str, str] = {}
    reason = note_text(form.get("reason"), "reason", problems, required=True)
    if problems:
        raise FormProblems(problems)
    return tracking.set_deadline(item, due, reason, open_periods=open_periods, by=by, ip=ip)
