"""Importing the plan (kế hoạch) and the inspection findings (kết luận kiểm tra) into tracked
items. The checking machinery is shared with the unit import (`domain.importers`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlmodel import Session, select

from domain.calendar import WorkingCalendar
from domain.deadline_phrases import with_row_periods
from domain.deadlines import Deadline, DeadlineError, parse_deadline
from domain.events import Imported, ItemCompleted, ItemCreated, ItemUpdated
from domain.importers import (
    CellReading,
    ImportSummary,
    Row,
    RowChecker,
    Table,
    assign_changes,
    completion_from,
)
from domain.models import (
    FINDINGS_SCOPE,
    Finding,
    Inspection,
    Plan,
    TaskGroup,
    TrackedItem,
)
from domain.plan_header import PlanHeader
from domain.plan_rows import (
    TaskRow,
    excel_ate_a_zero,
    lead_of,
    number_text,
    numbering_restarts,
)
from domain.states import DeadlineKind, ItemKind
from domain.tracking import Origin
from domain.unit_names import Lead, Partners, UnitDirectory
from persistence.events import record
from persistence.unit_directory import load_directory, read_plan_header  # noqa: F401  (the plan import's first step)

_ROMAN = re.compile(r"(?=[IVX]+$)X{0,3}(IX|IV|V?I{0,3})", re.IGNORECASE)
# A plan may name units the secretariat does not track (a council's committee, a bank branch).
_SKIP_HINT = ("; nếu đơn vị này không thuộc diện theo dõi, nhập với --skip-unknown-units để "
              "bỏ qua dòng")
_IDENTITY_WORDS = {"year": "năm", "title": "tiêu đề", "decision_number": "số văn bản",
                   "decision_date": "ngày văn bản", "owner_unit_code": "đơn vị ban hành"}


def import_plan(
    session: Session, table: Table, header: PlanHeader, calendar: WorkingCalendar,
    *, strict: bool = False, skip_unknown_units: bool = False, today: date | None = None,
) -> ImportSummary:
    """`strict`: a deadline that names no calendar date refuses the file instead of being
    imported as undetermined (chưa xác định thời hạn). `skip_unknown_units`: a row given to a
    unit the units file lacks is skipped and listed rather than refused. `today`: no
    completion after it."""
    check = RowChecker(table)
    readings: list[CellReading] = []
    directory = load_directory(session, header.owner_unit_code)
    groups, rows, skipped = _groups_and_tasks(check, table, directory, skip_unknown_units)
    scoped = numbering_restarts(rows)
    reading = [*table.reading, *header.reading, *_layout_said(groups, skipped, scoped)]
    tasks, said = _plan_tasks(check, table, rows, directory, readings, scoped=scoped,
                              strict=strict, year=header.year, today=today)
    check.raise_if_any()
    reading += said

    plan, said = _plan_identity(session, header)
    reading += said
    group_ids = _save_groups(session, plan.code, groups)
    counts = _upsert_items(
        session,
        scope=plan.code,
        kind=ItemKind.TASK,
        rows=[
            {**{k: v for k, v in t.items() if k != "group"},
             "plan_code": plan.code, "group_id": group_ids.get(t["group"])}
            for t in tasks
        ],
    )
    summary = ImportSummary(*counts, readings=tuple(readings), reading=tuple(reading))
    record(session, Imported(file=table.file, what="plan", plan=plan.code,
                             undetermined=len(summary.undetermined), **summary.event_data()))
    return summary


def _layout_said(
    groups: list[dict[str, Any]], skipped: list[TaskRow], scoped: bool
) -> list[str]:
    """What the reading says of the file's layout: the rows skipped, the group headings and
    a numbering that restarts in each group."""
    said = []
    if skipped:
        said.append(f"bỏ qua {len(skipped)} dòng giao cho đơn vị không có trong danh sách "
                    "đơn vị (--skip-unknown-units): " + ", ".join(
                        f"dòng {t.row.number} '{t.row.values['unit']}'" for t in skipped))
    if groups:
        said.append(f"dòng {', '.join(str(g['row']) for g in groups)}: tiêu đề nhóm "
                    f"{', '.join(g['numeral'] for g in groups)} (không phải nhiệm vụ)")
    if scoped:
        said.append("số thứ tự bắt đầu lại trong mỗi nhóm: mã nhiệm vụ ghi kèm số nhóm "
                    "(vd. II.1)")
    return said


def _plan_tasks(
    check: RowChecker, table: Table, rows: list[TaskRow], directory: UnitDirectory,
    readings: list[CellReading], *, scoped: bool, strict: bool, year: int | None,
    today: date | None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The items of the task rows, each row's problems noted in `check`; and what the reading
    says of them: tasks given to a group, units named by name, the cooperating units."""
    tasks: list[dict[str, Any]] = []
    said: list[str] = []
    seen: dict[str, int] = {}
    named: dict[str, str] = {}
    partners_read: list[str] = []
    partners_unknown: list[str] = []
    for task in rows:
        row = task.row
        code = _task_code(check, task, rows, scoped, seen)
        values = _task_values(check, table, task, readings, strict=strict, year=year,
                              today=today)
        if values.get("cooperating"):
            partners = directory.read_partners(values["cooperating"])
            values["partner_codes"] = list(partners.codes) or None
            (partners_read if partners.codes else partners_unknown).append(
                _partners_text(values["cooperating"], partners))
        lead = lead_of(check, row, directory, unknown_hint=_SKIP_HINT)
        if lead is not None and lead.group is None and lead.by_name:
            named[check.text(row, "unit") or ""] = lead.codes[0]
        if lead is not None and lead.group is not None:
            said.append(f"nhiệm vụ {code} giao '{lead.group}' → {len(lead.codes)} đơn vị: "
                        f"{', '.join(lead.codes)}")
        tasks += _task_items(code, values, lead, position=len(tasks))
    if named:
        said.append("đơn vị chủ trì ghi bằng tên: " + "; ".join(
            f"'{text}' → {target}" for text, target in named.items()))
    if partners_read:
        said.append("đơn vị phối hợp (để biết, không nhắc việc): " + "; ".join(
            dict.fromkeys(partners_read)))
    if partners_unknown:
        said.append("đơn vị phối hợp không khớp đơn vị nào (giữ như ghi): " + "; ".join(
            dict.fromkeys(partners_unknown)))
    return tasks, said


def _task_code(
    check: RowChecker, task: TaskRow, rows: list[TaskRow], scoped: bool, seen: dict[str, int]
) -> str | None:
    """The task's code: its number, with its group's when the numbering restarts in each
    group; a missing or repeated one is refused."""
    row = task.row
    code = f"{task.group}.{task.number}" if scoped and task.group and task.number else task.number
    if code is None:
        check.fail(row, "number", None, "thiếu số thứ tự (STT) của nhiệm vụ")
    elif code in seen:
        hint = (" (nếu nhập trong Excel, hãy để cột STT ở dạng Văn bản: 1.10 ≠ 1.1)"
                if excel_ate_a_zero(task, rows) else "")
        check.fail(row, "number", row.values.get("number"),
                   f"số thứ tự trùng với dòng {seen[code]}{hint}")
    else:
        seen[code] = row.number
    return code


def _task_values(
    check: RowChecker, table: Table, task: TaskRow, readings: list[CellReading], *,
    strict: bool, year: int | None, today: date | None,
) -> dict[str, Any]:
    """A task row's group, content, deadline, completion and the optional columns the file
    has."""
    row = task.row
    return {
        "group": task.group,
        "content": check.text(row, "content"),
        "deadline": _deadline(check, row, readings, strict, year=year),
        # Only the future is refused here: the plan's year may be the file's guess or
        # --year's, and its own record of past work stands.
        "completed_on": completion_from(check, row, today),
    } | {key: check.text(row, key, required=False)
         # Optional columns the file lacks leave what the database holds alone.
         for key in ("cooperating", "product") if key in table.letters}


def _task_items(
    code: str | None, values: dict[str, Any], lead: Lead | None, *, position: int
) -> list[dict[str, Any]]:
    """The items of one task row from `position` on: one, or one per member unit when the
    task is given to a group (each tracked, reminded and escalated on its own)."""
    if lead is None:
        return [values | {"code": code, "unit_code": None, "position": position}]
    if lead.group is None:
        return [values | {"code": code, "unit_code": lead.codes[0], "task_code": None,
                          "lead_group": None, "position": position}]
    return [values | {"code": f"{code}/{unit_code}", "unit_code": unit_code, "task_code": code,
                      "lead_group": lead.group, "position": position + n}
            for n, unit_code in enumerate(lead.codes)]


def _save_groups(
    session: Session, plan_code: str, groups: list[dict[str, Any]]
) -> dict[str, int]:
    """Each group heading's row, created or updated; its id by numeral."""
    group_ids = {}
    for heading in groups:
        values = {k: v for k, v in heading.items() if k != "row"}  # the row is the reading's
        group = session.exec(
            select(TaskGroup).where(
                TaskGroup.plan_code == plan_code, TaskGroup.numeral == values["numeral"]
            )
        ).first() or TaskGroup(plan_code=plan_code, **values)
        assign_changes(group, values)
        session.add(group)
        session.flush()
        group_ids[group.numeral] = group.id
    return group_ids


def _groups_and_tasks(
    check: RowChecker, table: Table, directory: UnitDirectory, skip_unknown_units: bool
) -> tuple[list[dict[str, Any]], list[TaskRow], list[TaskRow]]:
    """The group headings (I, II, …) and the task rows under them; and, with
    `skip_unknown_units`, the task rows given to a unit the units file lacks, set apart."""
    groups: list[dict[str, Any]] = []
    rows: list[TaskRow] = []
    skipped: list[TaskRow] = []
    for row in table.rows:
        number, typed = number_text(row.values.get("number"))
        if number and _ROMAN.fullmatch(number):
            title = check.text(row, "content")
            # A group's title typed over two lines in its cell is one title.
            groups.append({"numeral": number.upper(), "title": title and " ".join(title.split()),
                           "position": len(groups), "row": row.number})
            continue
        lead = row.values.get("unit")
        task = TaskRow(row, number, groups[-1]["numeral"] if groups else None, typed)
        unknown = skip_unknown_units and lead and directory.names_none(str(lead).strip())
        (skipped if unknown else rows).append(task)
    return groups, rows, skipped


def _partners_text(cell: str, partners: Partners) -> str:
    """"'Sở Tư pháp (thẩm định), Công an tỉnh' → STP (thẩm định) (giữ như ghi: Công an tỉnh)";
    a cell naming no unit, as written."""
    if not partners.codes:
        return f"'{cell}'"
    codes = ", ".join(f"{code} ({partners.roles[code]})" if code in partners.roles else code
                      for code in partners.codes)
    kept = f" (giữ như ghi: {', '.join(partners.kept)})" if partners.kept else ""
    return f"'{cell}' → {codes}{kept}"


def _plan_identity(session: Session, header: PlanHeader) -> tuple[Plan, list[str]]:
    """The plan row, with what the file says of its identity: what it does not say is kept,
    what it changes is said."""
    said = {k: getattr(header, k) for k in _IDENTITY_WORDS if getattr(header, k) is not None}
    plan = session.get(Plan, header.code)
    if plan is None:
        plan = Plan(code=header.code, year=header.year,
                    title=header.title or f"Kế hoạch cải cách hành chính năm {header.year}")
        assign_changes(plan, said)
        session.add(plan)
        return plan, [f"kế hoạch mới {plan.code}"]
    changes = assign_changes(plan, said)
    session.add(plan)
    lines = [f"kế hoạch {plan.code}: {_IDENTITY_WORDS[key]} {_shown(old)} → {_shown(new)}"
             for key, (old, new) in changes.items()]
    kept = [_IDENTITY_WORDS[k] for k in _IDENTITY_WORDS
            if k not in said and getattr(plan, k) is not None]
    if kept:
        lines.append(f"kế hoạch {plan.code}: tệp không ghi {', '.join(kept)} — giữ như đã có")
    return plan, lines


def _shown(value: Any) -> str:
    """A value from the history's old → new pair, as a person writes it."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{date.fromisoformat(value):%d/%m/%Y}"
    return "(trống)" if value is None else f"'{value}'"


def import_findings(
    session: Session, table: Table, calendar: WorkingCalendar, *, strict: bool = False,
    today: date | None = None,
) -> ImportSummary:
    """`today`: no completion after it (nor before its inspection's conclusion)."""
    check = RowChecker(table)
    readings: list[CellReading] = []
    directory = load_directory(session)
    inspections = {i.name: i for i in session.exec(select(Inspection))}
    concluded: dict[str, tuple[date, int]] = {}
    authority: dict[str, str] = {}
    seen: dict[str, int] = {}
    items: list[dict[str, Any]] = []
    fanned: list[str] = []
    for row in table.rows:
        code = check.text(row, "code")
        if code in seen:
            check.fail(row, "code", code, f"mã trùng với dòng {seen[code]}")
        elif code:
            seen[code] = row.number
        inspection, day = _conclusion_of(check, row, directory, inspections, concluded,
                                         authority)
        lead = lead_of(check, row, directory)
        values = {
            "code": code,
            "finding_code": code,
            "inspection": inspection,
            "concluded_on": day,
            "finding": check.text(row, "finding"),
            "content": check.text(row, "requirement"),
            "unit_code": lead.codes[0] if lead else None,
            "deadline": _deadline(check, row, readings, strict, start=day, calendar=calendar),
            "completed_on": completion_from(check, row, today, Origin(concluded_on=day)),
        }
        # A finding addressed to a group is remedied, and tracked, once per member unit.
        if lead and lead.group:
            fanned.append(f"tồn tại {code} giao '{lead.group}' → {len(lead.codes)} đơn vị: "
                          f"{', '.join(lead.codes)}")
        for unit_code in lead.codes if lead and lead.group else [values["unit_code"]]:
            unit_values = {"code": f"{code}/{unit_code}", "unit_code": unit_code} if (
                lead and lead.group) else {}
            items.append(values | unit_values | {"position": len(items)})
    check.raise_if_any()
    _store_findings(session, items, inspections, authority)
    counts = _upsert_items(
        session,
        scope=FINDINGS_SCOPE,
        kind=ItemKind.REMEDIATION,
        rows=[
            {k: v for k, v in values.items() if k not in ("inspection", "concluded_on", "finding")}
            for values in items
        ],
    )
    reading = [*table.reading, *fanned, *(f"đợt kiểm tra '{name}': cơ quan kết luận {code}"
                                          for name, code in authority.items())]
    summary = ImportSummary(*counts, readings=tuple(readings), reading=tuple(reading))
    record(session, Imported(file=table.file, what="findings",
                             undetermined=len(summary.undetermined), **summary.event_data()))
    return summary


def _conclusion_of(
    check: RowChecker, row: Row, directory: UnitDirectory, inspections: dict[str, Inspection],
    concluded: dict[str, tuple[date, int]], authority: dict[str, str],
) -> tuple[str | None, date | None]:
    """A finding's inspection and date of conclusion, one date and one concluding unit per
    inspection (`concluded`, `authority`: what the rows before said)."""
    inspection = check.text(row, "inspection")
    day = check.day(row, "concluded_on")
    if day is None and row.values.get("concluded_on") in (None, ""):
        check.fail(row, "concluded_on", None, "thiếu ngày kết luận")
    if inspection and day:
        first = concluded.setdefault(inspection, (day, row.number))
        known = inspections.get(inspection)
        if first[0] != day or (known and known.concluded_on != day):
            check.fail(row, "concluded_on", row.values.get("concluded_on"),
                       "cùng đợt kiểm tra nhưng khác ngày kết luận")
    by = lead_of(check, row, directory, "concluded_by", group_allowed=False)
    if inspection and by and authority.setdefault(inspection, by.codes[0]) != by.codes[0]:
        check.fail(row, "concluded_by", check.text(row, "concluded_by"),
                   "cùng đợt kiểm tra nhưng khác cơ quan kết luận")
    return inspection, day


def _store_findings(session: Session, items: list[dict[str, Any]],
                    inspections: dict[str, Inspection], authority: dict[str, str]) -> None:
    """The inspections and findings the items belong to."""
    for values in items:
        inspection = inspections.get(values["inspection"])
        if inspection is None:
            inspection = Inspection(name=values["inspection"], concluded_on=values["concluded_on"])
            inspections[inspection.name] = inspection
        # A file without the column leaves the concluding unit the database knows.
        if inspection.name in authority:
            inspection.concluded_by_unit_code = authority[inspection.name]
        session.add(inspection)
        session.flush()
        finding = session.get(Finding, values["finding_code"]) or Finding(
            code=values["finding_code"], inspection_id=inspection.id, description=""
        )
        assign_changes(finding, {"inspection_id": inspection.id, "description": values["finding"]})
        session.add(finding)
    session.flush()


def _upsert_items(
    session: Session, *, scope: str, kind: str, rows: list[dict[str, Any]]
) -> tuple[int, int, int]:
    """Created, updated and unchanged items."""
    existing = {
        item.code: item
        for item in session.exec(select(TrackedItem).where(TrackedItem.scope == scope))
    }
    created = updated = unchanged = 0
    for values in rows:
        deadline: Deadline = values.pop("deadline")
        completed_on = values.pop("completed_on")
        item = existing.get(values["code"])
        if item is not None:
            # Its place in the plan moves when a unit joins a group: no change to report.
            item.position = values.pop("position")
        fields = {
            **values,
            "deadline_text": deadline.text,
            "deadline_kind": deadline.kind.value,
            "deadline_rule": deadline.rule.as_dict() if deadline.rule else None,
            "opens_on": deadline.opens,
            "original_due_date": deadline.due,
        }
        if item is None:
            _create_item(session, scope, kind, fields, deadline, completed_on)
            created += 1
        elif _update_item(session, item, fields, deadline, completed_on):
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return created, updated, unchanged


def _create_item(
    session: Session, scope: str, kind: str, fields: dict[str, Any], deadline: Deadline,
    completed_on: date | None,
) -> None:
    item = TrackedItem(
        scope=scope, kind=kind, due_date=deadline.due, completed_on=completed_on, **fields
    )
    session.add(item)
    session.flush()
    record(session, ItemCreated(item_id=item.id, code=item.code, unit=item.unit_code,
                                due=item.due_date, deadline=deadline.text))
    if completed_on:
        record(session, ItemCompleted(item_id=item.id, on=completed_on, source="import"))


def _update_item(
    session: Session, item: TrackedItem, fields: dict[str, Any], deadline: Deadline,
    completed_on: date | None,
) -> bool:
    """Apply the file's fields to a known item, keeping what was recorded here; whether any
    changed."""
    # A date or rule set here for an undetermined deadline outlives the same text
    # re-imported.
    if (deadline.kind is DeadlineKind.UNDETERMINED and item.deadline_text == deadline.text
            and (item.due_date is not None or item.deadline_rule)):
        for key in ("deadline_kind", "deadline_rule", "opens_on", "original_due_date"):
            del fields[key]
    # An extension recorded here outlives the spreadsheet's original deadline.
    elif item.due_date == item.original_due_date:
        fields["due_date"] = deadline.due
    # A completion recorded here is never cleared by a spreadsheet that lacks it.
    if completed_on is not None:
        fields["completed_on"] = completed_on
    changes = assign_changes(item, fields)
    if not changes:
        return False
    session.add(item)
    record(session, ItemUpdated(item_id=item.id, code=item.code, changes=changes))
    if "completed_on" in changes:
        record(session, ItemCompleted(item_id=item.id, on=completed_on, source="import"))
    return True


def _deadline(
    check: RowChecker, row: Row, readings: list[CellReading], strict: bool, **context: Any
) -> Deadline | None:
    text = _deadline_text(row.values.get("deadline"))
    content = row.values.get("content")  # a plan's task: the periods a rule may leave unsaid
    try:
        # A person reads a blank deadline cell as "not set yet".
        deadline = (with_row_periods(parse_deadline(text, **context),
                                     None if content is None else str(content))
                    if text.strip() else Deadline(text, DeadlineKind.UNDETERMINED, plain=False))
    except DeadlineError as error:
        check.fail(row, "deadline", text, error.reason)
        return None
    if strict and deadline.kind is DeadlineKind.UNDETERMINED:
        check.fail(row, "deadline", text, f"{deadline.reading()}: không nhận khi nhập --strict")
    readings.append(CellReading(check.table.file, row.number, check.column("deadline"), text,
                                deadline.kind.value, deadline.reading(), deadline.plain))
    return deadline


def _deadline_text(value: Any) -> str:
    """The cell as the officer sees it: a date cell as DD/MM/YYYY, never datetime(…)."""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
