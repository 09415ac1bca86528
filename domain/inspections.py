"""The inspection cycle's decisions (kế hoạch kiểm tra): a target inspected — visited, or its
report received and reviewed — then concluded, with or without findings; a target added to or
dropped from the plan after its approval, with the reason. Each is a pure function over the
target, its plan and the day (`today`), refusing what cannot be with an `InspectionError` in
Vietnamese, and returning a `Decision`: the target's new field values and the typed events
(`domain/events.py`) to record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from domain.deadlines import Deadline, DeadlineError, normalise, parse_deadline
from domain.decisions import Decision
from domain.events import (
    InspectionConcluded,
    InspectionDone,
    TargetAdded,
    TargetDropped,
)
from domain.importers import ImportProblem, ImportSummary, Row, RowChecker, Table
from domain.models import InspectionPlan, InspectionTarget
from domain.states import DeadlineKind, InspectionMode, TargetState


class InspectionError(ValueError):
    """A user's mistake about an inspection target. `field` names the input it is about
    ("on", "doc", "findings", "reason", "mode", "window", "unit"): the command line says its
    option, a page puts it beside its field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class InspectionImportSummary(ImportSummary):
    """An inspection plan's import: its targets by mode, beside the counts every import has."""

    by_mode: tuple[tuple[InspectionMode, int], ...] = ()


# --- reading a plan's cells ------------------------------------------------------------------

_MODES = {
    "truc tiep": InspectionMode.DIRECT,
    "qua bao cao": InspectionMode.BY_REPORT,
    "thong qua bao cao": InspectionMode.BY_REPORT,
    "gian tiep": InspectionMode.BY_REPORT,
}


def read_mode(text: str) -> InspectionMode | None:
    """"Trực tiếp", "Kiểm tra trực tiếp" → direct; "Qua báo cáo", "Kiểm tra qua báo cáo",
    "Gián tiếp" → by report; None for any other text."""
    key = re.sub(r"[^a-z ]+", " ", normalise(text))
    key = re.sub(r"^\s*(?:hinh thuc\s+)?(?:kiem tra\s+)?", "", " ".join(key.split()))
    return _MODES.get(key)


def mode_in_heading(text: str) -> InspectionMode | None:
    """The mode a section heading names ("A. KIỂM TRA TRỰC TIẾP (12 đơn vị)"), if one."""
    key = normalise(text)
    direct = "truc tiep" in key
    by_report = "qua bao cao" in key or "gian tiep" in key
    if direct == by_report:
        return None
    return InspectionMode.DIRECT if direct else InspectionMode.BY_REPORT


@dataclass(frozen=True)
class Window:
    """When a target is to be inspected: the cell as written, the first day of the period it
    names (when it names one) and its last day; and the deadline it was read as."""

    text: str | None
    opens: date | None = None
    closes: date | None = None
    deadline: Deadline | None = field(default=None, compare=False)


def read_window(text: str | None, year: int) -> Window:
    """A window cell read by the deadline grammar of a plan's cells, in the plan's year. One
    that names no date ("Theo kế hoạch", "Thường xuyên") is kept as written, without dates."""
    if text is None or not text.strip():
        return Window(None)
    try:
        deadline = parse_deadline(text, year=year)
    except DeadlineError as error:
        raise InspectionError(error.reason, "window") from None
    if deadline.kind is DeadlineKind.RECURRING:
        raise InspectionError(f"thời gian kiểm tra “{text}” là định kỳ: cần một thời điểm hoặc "
                              "một khoảng thời gian (vd. Quý III, Từ 23 đến 25/9/2019)", "window")
    if deadline.kind is not DeadlineKind.FIXED:
        return Window(text.strip(), deadline=deadline)
    return Window(text.strip(), deadline.opens, deadline.due, deadline)


# --- the decisions ---------------------------------------------------------------------------

def _who(target: InspectionTarget) -> str:
    return f"đơn vị {target.unit_code} (kế hoạch {target.plan_code})"


def _refuse_if_dropped(target: InspectionTarget) -> None:
    if target.state == TargetState.DROPPED:
        raise InspectionError(f"{_who(target)} đã được đưa ra khỏi kế hoạch ngày "
                              f"{target.dropped_on:%d/%m/%Y} ({target.dropped_reason})", "unit")


def _not_in_future(day: date, today: date, what: str, field: str) -> None:
    if day > today:
        raise InspectionError(f"{what} {day:%d/%m/%Y} là ngày trong tương lai (hôm nay "
                              f"{today:%d/%m/%Y})", field)


def inspect(target: InspectionTarget, plan: InspectionPlan, on_from: date, on_to: date,
            today: date, *, by: str | None = None, ip: str | None = None) -> Decision:
    """Kiểm tra: the visit's first and last day (a by-report target: the report received, then
    reviewed). Recorded again before the conclusion, the dates are corrected. `by`, `ip`: who
    recorded it (a login and its address; the command line names nobody)."""
    _refuse_if_dropped(target)
    if target.state == TargetState.CONCLUDED:
        raise InspectionError(f"{_who(target)} đã có kết luận: không ghi lại ngày kiểm tra được",
                              "on")
    if on_to < on_from:
        raise InspectionError(f"ngày cuối {on_to:%d/%m/%Y} trước ngày đầu {on_from:%d/%m/%Y}",
                              "on")
    approved = plan.decision_date or date(plan.year, 1, 1)
    if on_from < approved:
        said = (f"ngày quyết định phê duyệt kế hoạch {plan.decision_date:%d/%m/%Y}"
                if plan.decision_date else f"đầu năm của kế hoạch ({approved:%d/%m/%Y})")
        raise InspectionError(f"ngày kiểm tra {on_from:%d/%m/%Y} trước {said}", "on")
    _not_in_future(on_to, today, "ngày kiểm tra", "on")
    closes = target.window_closes
    again = target.state == TargetState.INSPECTED
    event = InspectionDone(
        plan=target.plan_code, unit=target.unit_code, mode=InspectionMode(target.mode),
        inspected_from=on_from, inspected_to=on_to,
        within_window=None if closes is None else on_to <= closes,
        previous_from=target.inspected_from if again else None,
        previous_to=target.inspected_to if again else None, by=by, ip=ip)
    return Decision({"state": TargetState.INSPECTED.value, "inspected_from": on_from,
                     "inspected_to": on_to}, (event,))


def conclude(target: InspectionTarget, doc: str, on: date, today: date, has_findings: bool,
             *, known_on: date | None = None, findings: int | None = None,
             by: str | None = None, ip: str | None = None) -> Decision:
    """Kết luận: the document that concludes the inspection, its date, and whether it found
    anything to remedy (`findings`: the rows of its findings file, when counted). `known_on`:
    the date a conclusion of that document already bears (one document may conclude several
    targets)."""
    _refuse_if_dropped(target)
    doc = " ".join(doc.split())
    if target.state == TargetState.CONCLUDED:
        raise InspectionError(f"{_who(target)} đã có kết luận", "doc")
    if target.state == TargetState.PLANNED:
        about = "findings" if has_findings else None
        raise InspectionError(
            f"{_who(target)} chưa được ghi nhận đã kiểm tra: ghi trước bằng `cchc inspection "
            f"done {target.unit_code} --plan {target.plan_code} --on DD/MM/YYYY`", about)
    if not doc:
        raise InspectionError("cần số, ký hiệu văn bản kết luận", "doc")
    if on < target.inspected_to:
        raise InspectionError(f"ngày kết luận {on:%d/%m/%Y} trước ngày kiểm tra "
                              f"{target.inspected_to:%d/%m/%Y}", "on")
    _not_in_future(on, today, "ngày kết luận", "on")
    if known_on is not None and known_on != on:
        raise InspectionError(f"văn bản “{doc}” đã được ghi với ngày kết luận "
                              f"{known_on:%d/%m/%Y}", "on")
    if has_findings and findings == 0:
        raise InspectionError("tệp tồn tại, hạn chế không có dòng nào (kết luận không có tồn "
                              "tại: --no-findings)", "findings")
    if findings and not has_findings:
        raise InspectionError("kết luận không có tồn tại, hạn chế nhưng lại có tệp tồn tại",
                              "findings")
    event = InspectionConcluded(plan=target.plan_code, unit=target.unit_code, doc=doc, on=on,
                                has_findings=has_findings, findings=findings, by=by, ip=ip)
    return Decision({"state": TargetState.CONCLUDED.value, "has_findings": has_findings},
                    (event,))


def add_target(plan: InspectionPlan, unit_code: str, mode: InspectionMode, window: Window,
               reason: str, today: date, existing: InspectionTarget | None = None, *,
               by: str | None = None, ip: str | None = None) -> Decision:
    """Thêm đơn vị vào kế hoạch đã phê duyệt, with why; a unit dropped before comes back."""
    if existing is not None and existing.state != TargetState.DROPPED:
        raise InspectionError(f"đơn vị {unit_code} đã có trong kế hoạch {plan.code}", "unit")
    if not reason.strip():
        raise InspectionError("cần nêu lý do thêm đơn vị vào kế hoạch", "reason")
    changes = {
        "plan_code": plan.code, "unit_code": unit_code, "mode": mode.value,
        "window_text": window.text, "window_opens": window.opens,
        "window_closes": window.closes, "state": TargetState.PLANNED.value,
        "added_on": today, "added_reason": reason.strip(),
        "dropped_on": None, "dropped_reason": None,
    }
    return Decision(changes, (TargetAdded(plan=plan.code, unit=unit_code, mode=mode,
                                          window=window.text, reason=reason.strip(), by=by,
                                          ip=ip),))


def drop_target(target: InspectionTarget, reason: str, today: date, *, by: str | None = None,
                ip: str | None = None) -> Decision:
    """Đưa ra khỏi kế hoạch: a target not yet inspected; its row stays, dropped, with why."""
    _refuse_if_dropped(target)
    if target.state != TargetState.PLANNED:
        raise InspectionError(f"{_who(target)} đã được kiểm tra ngày "
                              f"{target.inspected_from:%d/%m/%Y}: không đưa ra khỏi kế hoạch "
                              "được", "unit")
    if not reason.strip():
        raise InspectionError("cần nêu lý do đưa đơn vị ra khỏi kế hoạch", "reason")
    return Decision({"state": TargetState.DROPPED.value, "dropped_on": today,
                     "dropped_reason": reason.strip()},
                    (TargetDropped(plan=target.plan_code, unit=target.unit_code,
                                   reason=reason.strip(), by=by, ip=ip),))


@dataclass(frozen=True)
class Conclusion:
    """A conclusion being recorded, as its findings file is read under it."""

    doc: str
    on: date
    unit_code: str  # the inspected unit: a finding's blank unit is its own


def findings_under(table: Table, conclusion: Conclusion) -> tuple[Table, list[ImportProblem]]:
    """A conclusion's findings file as the findings import reads it: every row's inspection and
    date of conclusion are the conclusion's, a blank unit is the inspected unit; and the
    problems of the rows that name another inspection or date."""
    check = RowChecker(table)
    rows, blank = [], []
    for row in table.rows:
        named = check.text(row, "inspection", required=False)
        if named is not None and " ".join(named.split()) != conclusion.doc:
            check.fail(row, "inspection", named, f"khác văn bản kết luận đang ghi "
                       f"(--doc “{conclusion.doc}”)")
        day = check.day(row, "concluded_on")
        if day is not None and day != conclusion.on:
            check.fail(row, "concluded_on", row.values.get("concluded_on"),
                       f"khác ngày kết luận đang ghi (--on {conclusion.on:%d/%m/%Y})")
        unit = check.text(row, "unit", required=False)
        if unit is None:
            blank.append(str(row.number))
        rows.append(Row(row.number, row.values | {
            "inspection": conclusion.doc, "concluded_on": conclusion.on,
            "unit": unit or conclusion.unit_code}))
    said = [f"dòng {', '.join(blank)}: không ghi đơn vị → đơn vị được kiểm tra "
            f"{conclusion.unit_code}"] if blank else []
    return replace(table, rows=rows, reading=[*table.reading, *said]), check.problems
