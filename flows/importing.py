"""Importing a file: read it, check every row, write all of it or nothing, then track the periods
of the recurring tasks and report obligations it brings. The `cchc import` commands and the demo
call it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from adapters.tables import read_table
from domain.columns import COLUMNS_BY_KIND
from flows.application import Application
from persistence import inspection_imports, item_imports, unit_imports
from persistence.occurrence_store import import_received_reports, materialise


class ImportKind(StrEnum):
    units = "units"
    plan = "plan"
    findings = "findings"
    reports = "reports"
    inspections = "inspections"


def import_file(
    app: Application, kind: ImportKind, file: Path, columns: tuple[str, dict] | None = None, *,
    dry_run: bool = False, strict: bool = False, skip_unknown_units: bool = False,
    **plan_options: Any,
) -> Any:
    """The import's summary. `columns`: where an explicit column mapping comes from and the
    mapping (the command line's `--columns`); without it, the policy's [import.columns]. A dry
    run writes nothing. `skip_unknown_units`: a plan's rows given to a unit the units file
    lacks are skipped and listed instead of refusing the file."""
    settings = app.settings
    source, mapping = columns or ("chính sách [import.columns]",
                                  settings.policy.import_columns.get(kind))
    table = read_table(file, COLUMNS_BY_KIND[kind.value], mapping, source)
    with app.uow.reading() if dry_run else app.uow.transaction() as session:
        if kind is ImportKind.units:
            summary = unit_imports.import_units(session, table)
        elif kind is ImportKind.plan:
            header = item_imports.read_plan_header(session, table, **plan_options)
            summary = item_imports.import_plan(session, table, header, settings.calendar,
                                               strict=strict, today=app.today(),
                                               skip_unknown_units=skip_unknown_units)
        elif kind is ImportKind.inspections:
            summary = inspection_imports.import_inspection_plan(session, table, **plan_options)
        elif kind is ImportKind.reports:
            summary = import_received_reports(session, settings.policy, table,
                                              today=app.today())
        else:
            summary = item_imports.import_findings(session, table, settings.calendar,
                                                   strict=strict, today=app.today())
        # A recurring task's periods, and the obligations of the units' groups, are tracked
        # from the moment the plan or the units are in.
        materialise(session, settings.policy, [app.today().year])
    return summary
