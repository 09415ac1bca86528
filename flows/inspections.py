"""The use cases of an inspection plan's targets: a visit (or a report reviewed) recorded, a
conclusion with its findings file or without findings, a target added or dropped after the
plan's approval, and what `explain` says of one; and what the secretariat's inspection pages
read. Each decides through `domain/inspections.py` inside one transaction: refused, it writes
nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from adapters.tables import read_table
from domain.columns import CONCLUSION_FINDING_COLUMNS
from domain.explanation import TargetFacts
from domain.importers import ImportSummary
from domain.inspection_report import PlanReading
from domain.inspections import InspectionError, read_mode
from domain.events import DomainEvent
from domain.states import InspectionMode
from flows.application import Application
from persistence import inspection_reads as reads
from persistence import inspections as store


def _facts(app: Application, session, target, plan, as_of: date | None = None) -> TargetFacts:
    return store.target_facts(session, target, plan, as_of or app.today(), app.calendar,
                              app.policy)


def record_visit(app: Application, unit: str, plan: str, on_from: date, on_to: date, *,
                 by: str | None = None, ip: str | None = None) -> TargetFacts:
    """Đã kiểm tra: visited from `on_from` to `on_to`, or (by report) the report received on
    `on_from` and reviewed on `on_to`. `by`, `ip`: who recorded it, from where (a login on the
    secretariat's pages; the command line names nobody)."""
    with app.uow.transaction() as session:
        target, chosen = store.find_target(session, unit, plan)
        store.record_visit(session, target, chosen, on_from, on_to, app.today(), by=by, ip=ip)
        return _facts(app, session, target, chosen)


def record_conclusion(
    app: Application, unit: str, plan: str, doc: str, on: date, findings: Path | None,
    columns: tuple[str, dict] | None = None, *, registered: bool = False,
    by: str | None = None, ip: str | None = None,
) -> tuple[TargetFacts, ImportSummary | None]:
    """Kết luận: `findings` (a findings file, read before anything is written) imported under
    it, or None for a conclusion that found nothing to remedy — or, `registered`, whose
    findings the findings register already holds under `doc` (imported before the plan of
    inspections was). `columns`: as `cchc import findings` takes them."""
    table = None
    if findings is not None:
        source, mapping = columns or ("chính sách [import.columns]",
                                      app.policy.import_columns.get("findings"))
        table = read_table(findings, CONCLUSION_FINDING_COLUMNS, mapping, source)
    with app.uow.transaction() as session:
        target, chosen = store.find_target(session, unit, plan)
        summary = store.record_conclusion(session, target, chosen, doc, on, app.today(), table,
                                          app.calendar, registered=registered, by=by,
                                          ip=ip)
        return _facts(app, session, target, chosen), summary


def _mode_of(text: str) -> InspectionMode:
    mode = read_mode(text)
    if mode is None:
        raise InspectionError(f"hình thức kiểm tra “{text}” không rõ: cần trực tiếp hoặc qua "
                              "báo cáo", "mode")
    return mode


def add_target(app: Application, unit: str, plan: str, mode: str, window: str | None,
               reason: str, *, by: str | None = None, ip: str | None = None) -> TargetFacts:
    """Thêm đơn vị vào kế hoạch đã phê duyệt (`mode`, `window` as a plan's cells write them)."""
    with app.uow.transaction() as session:
        chosen = store.find_plan(session, plan)
        target = store.add_target(session, chosen, unit, _mode_of(mode), window, reason,
                                  app.today(), by=by, ip=ip)
        return _facts(app, session, target, chosen)


def drop_target(app: Application, unit: str, plan: str, reason: str, *, by: str | None = None,
                ip: str | None = None) -> TargetFacts:
    with app.uow.transaction() as session:
        target, chosen = store.find_target(session, unit, plan)
        store.drop_target(session, target, reason, app.today(), by=by, ip=ip)
        return _facts(app, session, target, chosen)


def is_inspection_plan(app: Application, code: str) -> bool:
    """Whether `code` names an inspection plan (`cchc explain UNIT --plan CODE`)."""
    with app.uow.reading() as session:
        return store.plan_exists(session, code)


def explain_target(app: Application, unit: str, plan: str, as_of: date) -> TargetFacts:
    with app.uow.reading() as session:
        target, chosen = store.find_target(session, unit, plan)
        return _facts(app, session, target, chosen, as_of)


def target_timeline(app: Application, unit: str, plan: str
                    ) -> tuple[str, list[tuple[datetime, DomainEvent]]]:
    """The target's name as its history is titled ("P-NV (KHKT-2019)"), and its events."""
    with app.uow.reading() as session:
        target, chosen = store.find_target(session, unit, plan)
        return f"{target.unit_code} ({chosen.code})", store.target_timeline(session, target)


# -- the secretariat's pages -------------------------------------------------------------------

@dataclass(frozen=True)
class PlanPage:
    """A plan of inspections as its page lists it: its reading today (as `cchc inspections`
    reads it) and its targets' row ids by unit code, which the page's addresses carry."""

    reading: PlanReading
    ids: dict[str, int]


def plan_pages(app: Application) -> list[PlanPage]:
    """Every plan of inspections, the latest first."""
    today = app.today()
    with app.uow.reading() as session:
        units, ids = reads.unit_facts(session), store.target_ids(session)
        return [PlanPage(reads.read_plan(session, plan, today, app.calendar, app.policy,
                                         units=units), ids.get(plan.code, {}))
                for plan in reversed(reads.all_plans(session))]


def target_named(app: Application, target_id: int) -> tuple[str, str] | None:
    """The unit and plan codes of the target a page's address names, as the recording use
    cases take them; None when there is no such target."""
    with app.uow.reading() as session:
        found = store.target_by_id(session, target_id)
        return None if found is None else (found[0].unit_code, found[1].code)


def target_view(app: Application, target_id: int
                ) -> tuple[TargetFacts, list[tuple[datetime, DomainEvent]]] | None:
    """A target's page: its facts today and its history; None when there is no such target."""
    with app.uow.reading() as session:
        found = store.target_by_id(session, target_id)
        if found is None:
            return None
        target, plan = found
        return _facts(app, session, target, plan), store.target_timeline(session, target)
