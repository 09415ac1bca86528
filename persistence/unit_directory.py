"""The units as the importers resolve names against them."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from domain import plan_header
from domain.importers import Table
from domain.models import Unit
from domain.plan_header import PlanHeader
from domain.unit_names import UnitDirectory, UnitEntry, split_names
from persistence.unit_groups import stored_groups


def load_directory(session: Session, owner: str | None = None) -> UnitDirectory:
    units = {
        u.code: UnitEntry(u.code, u.name, tuple(split_names(u.other_names)), u.parent_code,
                          u.active)
        for u in session.exec(select(Unit))
    }
    return UnitDirectory(units, stored_groups(session), owner)


def read_plan_header(session: Session, table: Table, **identity: Any) -> PlanHeader:
    """The plan's identity read from its title block, against the units stored."""
    return plan_header.read_plan_header(load_directory(session), table, **identity)
