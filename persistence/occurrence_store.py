"""Periodic reports in the database: each period's occurrence materialised as a tracked item (so
the ladder, digests, escalation, extension, explain and history apply unchanged), a report
received recorded on its occurrence, and the periodic-reports table read back."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import Session

from domain.calendar import WorkingCalendar
from domain.deadlines import Recurrence
from domain.decisions import Decision
from domain.events import Imported, ItemCreated
from domain.models import Plan, TrackedItem, Unit, UnitGroup, UnitGroupMember
from domain.occurrences import (
    OBLIGATIONS_SCOPE,
    Obligation,
    Period,
    PeriodError,
    PeriodicRow,
    is_report,
    occurrence_label,
    parse_period,
    period_due,
    periods_of_year,
    report_standing,
)
from domain.policy import Policy, PolicyError
from domain.states import DeadlineKind, ItemKind, ReportStanding
from domain.status import Status, status_of
from domain.tracking import ItemError, complete, receipt_problem
from domain.unit_names import name_key, split_names
from persistence.events import record
from persistence.tracking import origin, store

if TYPE_CHECKING:
    from domain.importers import ImportSummary, Table

OCCURRENCE_KIND = ItemKind.PERIODIC  # TrackedItem.kind of an occurrence


def materialise(session: Session, policy: Policy, years: Iterable[int] = ()) -> int:
    """Create the occurrences not yet there: each recurring open task's in its plan's year, and
    each obligation's per member unit in `years` and the plans' years. Creates nothing twice;
    returns how many it created."""
    existing = set(session.execute(
        select(TrackedItem.scope, TrackedItem.code).where(TrackedItem.occurrence_of.is_not(None))
    ).all())
    created = 0
    parents = session.execute(
        select(TrackedItem, Plan.year).join(Plan, Plan.code == TrackedItem.plan_code)
        .where(TrackedItem.deadline_kind == DeadlineKind.RECURRING.value,
               TrackedItem.occurrence_of.is_(None), TrackedItem.completed_on.is_(None))
    ).all()
    for parent, year in parents:
        rule = Recurrence.from_dict(parent.deadline_rule or {})
        report = is_report(parent.product, parent.content)
        for period in periods_of_year(rule.periods, year):
            code = f"{parent.code}/{period.code}"
            if (parent.scope, code) in existing:
                continue
            due = period_due(period, rule, report=report, report_day=policy.report_due_day)
            _create(session, TrackedItem(
                kind=OCCURRENCE_KIND, scope=parent.scope, code=code, plan_code=parent.plan_code,
                group_id=parent.group_id, position=parent.position, task_code=parent.task_code,
                lead_group=parent.lead_group, content=parent.content, unit_code=parent.unit_code,
                cooperating=parent.cooperating, product=parent.product,
                deadline_text=occurrence_label(period, report), deadline_kind=DeadlineKind.FIXED,
                due_date=due, original_due_date=due, opens_on=period.first_day,
                period=period.label, occurrence_of=parent.code,
            ))
            created += 1
    years = set(years) | set(session.execute(select(Plan.year)).scalars())
    for obligation in policy.obligations:
        members = group_members(session, obligation.group)
        if members is None:
            raise PolicyError("tệp chính sách", f"obligations.{obligation.code}.group",
                              f"không có nhóm đơn vị '{obligation.group}' trong danh sách đơn vị")
        for year in sorted(years):
            for period in periods_of_year(obligation.rule.periods, year):
                due = period_due(period, obligation.rule, report=True,
                                 report_day=policy.report_due_day)
                for unit in members:
                    code = f"{obligation.code}/{unit}/{period.code}"
                    if (OBLIGATIONS_SCOPE, code) in existing:
                        continue
                    _create(session, TrackedItem(
                        kind=OCCURRENCE_KIND, scope=OBLIGATIONS_SCOPE, code=code,
                        lead_group=obligation.group, content=obligation.name, unit_code=unit,
                        cooperating=obligation.to, product="Báo cáo",
                        deadline_text=occurrence_label(period, True), deadline_kind=DeadlineKind.FIXED,
                        due_date=due, original_due_date=due, opens_on=period.first_day,
                        period=period.label, occurrence_of=obligation.code,
                    ))
                    created += 1
    return created


def _create(session: Session, item: TrackedItem) -> None:
    session.add(item)
    session.flush()
    record(session, ItemCreated(item_id=item.id, code=item.code, unit=item.unit_code,
                                due=item.due_date, deadline=item.deadline_text,
                                period=item.period, occurrence_of=item.occurrence_of))


def group_members(session: Session, name: str) -> list[str] | None:
    """The member units of the group called `name` (or one of its other names); None when no
    group is."""
    key = name_key(name)
    for group in session.exec(select(UnitGroup)).scalars():
        if key in {name_key(n) for n in (group.name, *split_names(group.aliases))}:
            return list(session.exec(
                select(UnitGroupMember.unit_code).where(UnitGroupMember.group_id == group.id)
                .order_by(UnitGroupMember.unit_code)
            ).scalars())
    return None


def received_occurrence(session: Session, policy: Policy, source: str, unit: str | None,
                        period_text: str) -> TrackedItem:
    """The occurrence whose report `cchc report-received` records: the period of `source` (a
    recurring task's code or an obligation's) from `unit`, created first if not yet there."""
    try:
        period = parse_period(period_text)
    except PeriodError as error:
        raise ItemError(str(error)) from None
    materialise(session, policy, [period.year])
    return find_occurrence(session, policy, source, unit, period)


def find_occurrence(session: Session, policy: Policy, source: str, unit: str | None,
                    period: Period) -> TrackedItem:
    if unit is not None and session.get(Unit, unit) is None:
        raise ItemError(f"không có đơn vị mã {unit} trong danh sách đơn vị (--unit)")
    obligation = next((o for o in policy.obligations if o.code == source), None)
    query = select(TrackedItem).where(TrackedItem.kind == OCCURRENCE_KIND,
                                      TrackedItem.period == period.label)
    if obligation is not None:
        if unit is None:
            raise ItemError(f"báo cáo {source} do nhiều đơn vị gửi: cần --unit")
        query = query.where(TrackedItem.scope == OBLIGATIONS_SCOPE,
                            TrackedItem.occurrence_of == source)
    else:
        query = query.where((TrackedItem.occurrence_of == source)
                            | (TrackedItem.task_code == source))
    if unit is not None:
        query = query.where(TrackedItem.unit_code == unit)
    found = session.exec(query).scalars().all()
    if len(found) == 1:
        return found[0]
    who = f" của đơn vị {unit}" if unit else ""
    if found:
        units = ", ".join(sorted(i.unit_code for i in found))
        raise ItemError(f"{source} kỳ {period.label} có báo cáo của nhiều đơn vị ({units}): "
                        "cần --unit")
    known = [o.code for o in policy.obligations]
    raise ItemError(f"không có kỳ báo cáo {period.label} ({period.title}) của {source}{who}: "
                    "cần mã một nhiệm vụ định kỳ của kế hoạch"
                    + (f" hoặc một nghĩa vụ báo cáo ({', '.join(known)})" if known else "")
                    + ", và một kỳ của nó")


def import_received_reports(session: Session, policy: Policy, table: Table, *,
                            today: date | None = None) -> ImportSummary:
    """A register of reports received: each row's occurrence completed on its date, with its
    document; every row checked first (no day after `today` or before the period opened),
    nothing written when one is wrong."""
    from domain.importers import ImportSummary, RowChecker  # only an import needs them

    check = RowChecker(table)
    rows = []
    for row in table.rows:
        source = check.text(row, "source")
        unit = check.text(row, "unit", required=False)
        period_text = check.text(row, "period")
        on = check.day(row, "received_on")
        if row.values.get("received_on") in (None, ""):
            check.fail(row, "received_on", None, "ô này không được để trống")
        period = None
        if period_text:
            try:
                period = parse_period(period_text)
            except PeriodError as error:
                check.fail(row, "period", period_text, str(error))
        if source and period and on:
            rows.append((row, source, unit, period, on, check.text(row, "document",
                                                                  required=False)))
    materialise(session, policy, {period.year for _, _, _, period, _, _ in rows})
    received: dict[int, tuple[TrackedItem, Decision]] = {}
    unchanged = 0
    for row, source, unit, period, on, document in rows:
        try:
            item = find_occurrence(session, policy, source, unit, period)
        except ItemError as error:
            check.fail(row, "source", source, str(error))
            continue
        known = origin(session, item)
        if item.id in received:
            check.fail(row, "period", period.label, f"báo cáo {item.code} có ở dòng khác")
        elif (problem := receipt_problem(item, on, today, known)) is not None:
            check.fail(row, "received_on", on, problem)
        elif item.completed_on == on:
            unchanged += 1
        elif item.completed_on is not None:
            check.fail(row, "received_on", on, f"báo cáo {item.code} đã ghi nhận nhận ngày "
                       f"{item.completed_on:%d/%m/%Y}")
        else:
            received[item.id] = (item, complete(item, on, document, today=today, origin=known))
    check.raise_if_any()
    for item, decision in received.values():
        store(session, item, decision)
    summary = ImportSummary(len(received), 0, unchanged, reading=tuple(table.reading))
    record(session, Imported(file=table.file, what="reports", **summary.event_data()))
    return summary


def periodic_rows(
    session: Session, as_of: date, calendar: WorkingCalendar, *, scopes: Collection[str],
    units: Collection[str] | None = None, obligations: Collection[Obligation] = (),
) -> list[PeriodicRow]:
    """Every period due by `as_of`, or within the week after it, of the occurrences in `scopes`, per
    obligation or recurring task, in order of due date."""
    names = {o.code: o.name for o in obligations}
    rows: dict[tuple[str, str], PeriodicRow] = {}
    query = (select(TrackedItem).where(TrackedItem.kind == OCCURRENCE_KIND,
                                       TrackedItem.scope.in_(scopes))
             .order_by(TrackedItem.due_date, TrackedItem.position, TrackedItem.code))
    for item in session.exec(query).scalars():
        if units is not None and item.unit_code not in units:
            continue
        standing, days = report_standing(item.due_date, item.completed_on, as_of, calendar)
        source = item.task_code or item.occurrence_of
        row = rows.get((source, item.period))
        if row is None:
            # A period not yet due shows once it falls due within the coming week.
            if standing == ReportStanding.PENDING and item.due_date > as_of + timedelta(days=7):
                continue
            period = parse_period(item.period)
            row = rows[(source, item.period)] = PeriodicRow(
                source, names.get(source, item.content), item.period, period.title,
                item.due_date, report=item.scope == OBLIGATIONS_SCOPE
                or is_report(item.product, item.content))
        if standing == ReportStanding.LATE:
            row.late.append((item.unit_code, days))
        else:
            getattr(row, standing).append(item.unit_code)
    return list(rows.values())


def last_occurrence_status(
    session: Session, scopes: Collection[str], as_of: date, calendar: WorkingCalendar
) -> dict[tuple[str, str], Status]:
    """For each recurring task (scope, code) whose last occurrence of the year is done on
    `as_of`, that occurrence's status: the task is done when its last period is."""
    last: dict[tuple[str, str], TrackedItem] = {}
    query = select(TrackedItem).where(TrackedItem.kind == OCCURRENCE_KIND,
                                      TrackedItem.scope.in_(scopes),
                                      TrackedItem.scope != OBLIGATIONS_SCOPE)
    for item in session.exec(query).scalars():
        key = (item.scope, item.occurrence_of)
        if key not in last or item.original_due_date > last[key].original_due_date:
            last[key] = item
    done = {}
    for key, item in last.items():
        status = status_of(due=item.due_date, opens=item.opens_on,
                           completed_on=item.completed_on, extended=item.extended,
                           as_of=as_of, calendar=calendar)
        if status.is_done:
            done[key] = status
    return done
