"""The secretariat's forms on an inspection plan's targets, read: dates typed dd/mm/yyyy, texts
on one line; every problem of a form at once (`FormProblems`, field → reason). What the values
mean — a visit before the plan's approval, a conclusion before its visit, a reason left blank —
is decided by `domain/inspections.py`, whose refusals name the same fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.responses import FormProblems, form_date, one_line

# The conclusion form's answer to "with findings?": its file, none to remedy, or those the
# findings register already holds under the conclusion's document.
WITH_FINDINGS, NO_FINDINGS, REGISTERED = "yes", "no", "registered"


def _checked(problems: dict[str, str]) -> None:
    if problems:
        raise FormProblems(problems)


def visit_form(form: Mapping[str, str]) -> tuple[date, date]:
    """Đã kiểm tra: the first day (`on`) and the last (`to`; blank: the same day)."""
    problems: dict[str, str] = {}
    first = form_date(form.get("on"), "on", problems)
    last = form_date(form.get("to"), "to", problems, required=False)
    _checked(problems)
    return first, last or first


@dataclass(frozen=True)
class ConclusionForm:
    doc: str
    on: date
    with_findings: bool  # its findings file is imported under it
    registered: bool = False  # its findings are those the register holds under `doc`


def conclusion_form(form: Mapping[str, str], has_file: bool) -> ConclusionForm:
    """Kết luận: its document, its date, and with findings (their file chosen, `has_file`),
    without, or with those of the findings register (no file for either)."""
    problems: dict[str, str] = {}
    doc = one_line(form.get("doc"), "doc", problems)
    on = form_date(form.get("on"), "on", problems)
    answer = form.get("findings_kind")
    if answer not in (WITH_FINDINGS, NO_FINDINGS, REGISTERED):
        problems["findings"] = "chưa chọn kết luận có hay không có tồn tại, hạn chế"
    elif answer == WITH_FINDINGS and not has_file:
        problems["findings"] = "chưa chọn tệp tồn tại, hạn chế (.xlsx hoặc .csv)"
    elif answer != WITH_FINDINGS and has_file:
        problems["findings"] = ("đã chọn tệp tồn tại, hạn chế nhưng không chọn “có tồn tại, "
                                "hạn chế: tệp kèm theo”: bỏ tệp, hoặc chọn mục đó")
    _checked(problems)
    return ConclusionForm(doc, on, answer == WITH_FINDINGS, answer == REGISTERED)


@dataclass(frozen=True)
class TargetForm:
    unit: str
    mode: str
    window: str | None
    reason: str


def target_form(form: Mapping[str, str]) -> TargetForm:
    """Thêm đơn vị: the unit (code or name), the mode and the window as a plan's cells write
    them, and why."""
    problems: dict[str, str] = {}
    unit = one_line(form.get("unit"), "unit", problems)
    mode = one_line(form.get("mode"), "mode", problems)
    window = one_line(form.get("window"), "window", problems, required=False)
    reason = one_line(form.get("reason"), "reason", problems, required=False)
    _checked(problems)
    return TargetForm(unit, mode, window, reason or "")


def drop_form(form: Mapping[str, str]) -> str:
    """Đưa ra khỏi kế hoạch: why."""
    problems: dict[str, str] = {}
    reason = one_line(form.get("reason"), "reason", problems, required=False)
    _checked(problems)
    return reason or ""
