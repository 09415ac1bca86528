"""Importing the plan (kế hoạch) and the inspection findings (kết luận kiểm tra) into tracked
items. The checking machinery is shared with the unit import (`domain.importers`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from domain.calendar import WorkingCalendar
from domain.deadlines import Deadline, DeadlineError, normalise, parse_deadline
from domain.events import EventName, record
from domain.importers import (
    ImportSummary,
    Row,
    RowChecker,
    Table,
    assign_changes,
    completion_from,
)
from domain.models import FINDINGS_SCOPE, Finding, Inspection, Plan, TaskGroup, TrackedItem, Unit

_ROMAN = re.compile(r"(?=[IVX]+$)X{0,3}(IX|IV|V?I{0,3})", re.IGNORECASE)


@dataclass(frozen=True)
class PlanHeader:
    """What the title block says (or the command line, where it is silent)."""

    code: str
    year: int
    title: str
    decision_number: str | None
    decision_date: date | None
    owner_unit_code: str | None


def read_plan_header(
    session: Session,
    table: Table,
    *,
    code: str | None = None,
    year: int | None = None,
    owner: str | None = None,
) -> PlanHeader:
    """The plan's identity from the title block: "KẾ HOẠCH ... NĂM 2021", "Quyết định số
    32/QĐ-UBND ngày 07/01/2021", and the issuing unit's name on the first line."""
    check = RowChecker(table)
    lines = table.title_lines
    title = next((line for line in lines if normalise(line).startswith("ke hoach")), None)
    joined = " ".join(lines)
    if year is None:
        found = re.search(r"n[aă]m\s+(\d{4})", title or "", re.IGNORECASE)
        year = int(found[1]) if found else None
    if year is None:
        check.fail(None, None, None, "không rõ năm của kế hoạch: thêm dòng tiêu đề hoặc --year")
    decision = re.search(
        r"Quy[ếe]t\s+đ[ịi]nh\s+s[ốo]\s+(\S+)\s+ng[àa]y\s+(\d{1,2})/(\d{1,2})/(\d{4})",
        joined,
        re.IGNORECASE,
    )
    units = {normalise(u.name): u.code for u in session.exec(select(Unit))}
    if owner is None and lines:
        owner = units.get(normalise(lines[0]))
    elif owner is not None and owner not in units.values():
        check.fail(None, None, owner, "không có đơn vị chủ quản mang mã này")
    check.raise_if_any()
    return PlanHeader(
        code=code or f"KH-{year}",
        year=year,
        title=title or f"Kế hoạch cải cách hành chính năm {year}",
        decision_number=decision[1] if decision else None,
        decision_date=date(int(decision[4]), int(decision[3]), int(decision[2]))
        if decision
        else None,
        owner_unit_code=owner,
    )


def import_plan(
    session: Session, table: Table, header: PlanHeader, calendar: WorkingCalendar
) -> ImportSummary:
    check = RowChecker(table)
    units = set(session.exec(select(Unit.code)))
    groups: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        number = _code_text(row.values.get("number"))
        content = check.text(row, "content")
        if number and _ROMAN.fullmatch(number):
            groups.append({"numeral": number.upper(), "title": content, "position": len(groups)})
            continue
        if number is None:
            check.fail(row, "number", None, "thiếu số thứ tự (STT) của nhiệm vụ")
        elif number in seen:
            check.fail(row, "number", number, f"số thứ tự trùng với dòng {seen[number]}"
                       " (nếu nhập trong Excel, hãy để cột STT ở dạng Văn bản: 1.10 ≠ 1.1)")
        else:
            seen[number] = row.number
        deadline = _deadline(check, row, year=header.year)
        tasks.append(
            {
                "code": number,
                "group": groups[-1]["numeral"] if groups else None,
                "content": content,
                "unit_code": _unit(check, row, units),
                "deadline": deadline,
                "completed_on": completion_from(check, row),
                "position": len(tasks),
            }
            # Optional columns the file lacks leave what the database holds alone.
            | {key: check.text(row, key, required=False)
               for key in ("cooperating", "product") if key in table.letters}
        )
    check.raise_if_any()

    plan = session.get(Plan, header.code) or Plan(code=header.code, year=header.year, title="")
    assign_changes(plan, {k: v for k, v in header.__dict__.items() if k != "code"})
    session.add(plan)
    group_ids = {}
    for values in groups:
        group = session.exec(
            select(TaskGroup).where(
                TaskGroup.plan_code == plan.code, TaskGroup.numeral == values["numeral"]
            )
        ).first() or TaskGroup(plan_code=plan.code, **values)
        assign_changes(group, values)
        session.add(group)
        session.flush()
        group_ids[group.numeral] = group.id
    summary = _upsert_items(
        session,
        scope=plan.code,
        kind="task",
        rows=[
            {**{k: v for k, v in t.items() if k != "group"},
             "plan_code": plan.code, "group_id": group_ids.get(t["group"])}
            for t in tasks
        ],
    )
    record(session, EventName.IMPORTED, file=table.file, what="plan", plan=plan.code,
           summary=str(summary))
    return summary


def import_findings(session: Session, table: Table, calendar: WorkingCalendar) -> ImportSummary:
    check = RowChecker(table)
    units = set(session.exec(select(Unit.code)))
    inspections = {i.name: i for i in session.exec(select(Inspection))}
    concluded: dict[str, tuple[date, int]] = {}
    seen: dict[str, int] = {}
    items: list[dict[str, Any]] = []
    for row in table.rows:
        code = check.text(row, "code")
        if code in seen:
            check.fail(row, "code", code, f"mã trùng với dòng {seen[code]}")
        elif code:
            seen[code] = row.number
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
        items.append(
            {
                "code": code,
                "inspection": inspection,
                "concluded_on": day,
                "finding": check.text(row, "finding"),
                "content": check.text(row, "requirement"),
                "unit_code": _unit(check, row, units),
                "deadline": _deadline(check, row, start=day, calendar=calendar),
                "completed_on": completion_from(check, row),
                "position": len(items),
            }
        )
    check.raise_if_any()

    for values in items:
        inspection = inspections.get(values["inspection"])
        if inspection is None:
            inspection = Inspection(name=values["inspection"], concluded_on=values["concluded_on"])
            session.add(inspection)
            session.flush()
            inspections[inspection.name] = inspection
        finding = session.get(Finding, values["code"]) or Finding(
            code=values["code"], inspection_id=inspection.id, description=""
        )
        assign_changes(finding, {"inspection_id": inspection.id, "description": values["finding"]})
        session.add(finding)
    session.flush()
    summary = _upsert_items(
        session,
        scope=FINDINGS_SCOPE,
        kind="remediation",
        rows=[
            {k: v for k, v in values.items() if k not in ("inspection", "concluded_on", "finding")}
            | {"finding_code": values["code"]}
            for values in items
        ],
    )
    record(session, EventName.IMPORTED, file=table.file, what="findings", summary=str(summary))
    return summary


def _upsert_items(
    session: Session, *, scope: str, kind: str, rows: list[dict[str, Any]]
) -> ImportSummary:
    existing = {
        item.code: item
        for item in session.exec(select(TrackedItem).where(TrackedItem.scope == scope))
    }
    created = updated = unchanged = 0
    for values in rows:
        deadline: Deadline = values.pop("deadline")
        completed_on = values.pop("completed_on")
        item = existing.get(values["code"])
        fields = {
            **values,
            "deadline_text": deadline.text,
            "deadline_kind": deadline.kind.value,
            "opens_on": deadline.opens,
            "original_due_date": deadline.due,
        }
        if item is None:
            item = TrackedItem(
                scope=scope, kind=kind, due_date=deadline.due, completed_on=completed_on, **fields
            )
            session.add(item)
            session.flush()
            record(session, EventName.ITEM_CREATED, item_id=item.id, code=item.code,
                   unit=item.unit_code, due=_iso(item.due_date), deadline=deadline.text)
            if completed_on:
                record(session, EventName.ITEM_COMPLETED, item_id=item.id, on=_iso(completed_on),
                       source="import")
            created += 1
            continue
        # An extension recorded here outlives the spreadsheet's original deadline.
        if item.due_date == item.original_due_date:
            fields["due_date"] = deadline.due
        # A completion recorded here is never cleared by a spreadsheet that lacks it.
        if completed_on is not None:
            fields["completed_on"] = completed_on
        changes = assign_changes(item, fields)
        if changes:
            session.add(item)
            record(session, EventName.ITEM_UPDATED, item_id=item.id, code=item.code,
                   changes=changes)
            if "completed_on" in changes:
                record(session, EventName.ITEM_COMPLETED, item_id=item.id,
                       on=_iso(completed_on), source="import")
            updated += 1
        else:
            unchanged += 1
    session.flush()
    return ImportSummary(created, updated, unchanged)


def _code_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _unit(check: RowChecker, row: Row, units: set[str]) -> str | None:
    code = check.text(row, "unit")
    if code and code not in units:
        check.fail(row, "unit", code, "không có đơn vị mang mã này (hãy nhập danh sách đơn vị trước)")
    return code


def _deadline(check: RowChecker, row: Row, **context: Any) -> Deadline | None:
    text = row.values.get("deadline")
    try:
        return parse_deadline("" if text is None else str(text), **context)
    except DeadlineError as error:
        check.fail(row, "deadline", text, error.reason)
        return None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
