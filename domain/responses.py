"""What a unit may send back through its page, and what the secretariat's decisions mean: pure
rules over plain values, the day (`today`) a parameter.

A link grants a recipient the units they answer for (head or focal officer); an item belongs
to the unit that answers for it now (a dissolved unit's items follow its successor)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.addresses import folded
from domain.recipients import UnitTree

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
