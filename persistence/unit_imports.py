"""The unit list's import: validated rows written as one transaction's changes."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from domain.addresses import AddressError, validate_address

# The column tables live with their synonyms; importing code reaches them from here too.
from domain.columns import FINDING_COLUMNS, PLAN_COLUMNS, UNIT_COLUMNS  # noqa: F401
from domain.deadlines import normalise
from domain.events import Imported
from domain.importers import (
    ImportSummary,
    Row,
    RowChecker,
    Table,
    assign_changes,
    cell_text,
)
from domain.models import Unit
from domain.states import UnitKind
from domain.unit_groups import declared_groups
from domain.unit_kinds import KIND_WORDS, UnitKindReading, kind_from_word, unit_kind
from domain.unit_names import split_names
from persistence.events import record
from persistence.unit_groups import save_groups


def import_units(session: Session, table: Table) -> ImportSummary:
    check = RowChecker(table)
    known = {u.code: u for u in session.exec(select(Unit))}
    parsed, seen = _parse(check, table, known)
    codes = set(seen) | set(known)
    for values in parsed:
        for key, field_name in (("parent", "parent_code"), ("successor", "successor_code")):
            target = values[field_name]
            if target and target not in codes:
                check.fail(values["row"], key, target, "không có đơn vị mang mã này")
        if values["successor_code"] and values["active"]:
            check.fail(values["row"], "successor", values["successor_code"],
                       "chỉ đơn vị đã giải thể mới có đơn vị kế thừa")
    _refuse_cycles(check, parsed, known)
    check.raise_if_any()

    parents = _parent_map(parsed, known)
    kinds = _read_kinds(parsed, known, parents, with_column="kind" in table.letters)
    created, updated, unchanged = _write(session, parsed, known, parents, kinds)
    reading = list(table.reading)
    if "groups" in table.letters:
        groups = declared_groups(
            (v["code"], cell_text(row.values.get("groups"))) for v, row in zip(parsed, table.rows))
        reading += save_groups(session, groups, {v["code"] for v in parsed})
    summary = ImportSummary(created, updated, unchanged, reading=tuple(reading),
                            unit_kinds=tuple(kinds[v["code"]] for v in parsed))
    record(session, Imported(file=table.file, what="units", **summary.event_data()))
    return summary


def _parse(check: RowChecker, table: Table, known: dict[str, Unit]
           ) -> tuple[list[dict[str, Any]], dict[str, Row]]:
    """Each row's values, checked one by one, and the row each code was first seen on."""
    seen: dict[str, Row] = {}
    parsed: list[dict[str, Any]] = []
    for row in table.rows:
        code = check.text(row, "code")
        name = check.text(row, "name")
        if code in seen:
            check.fail(row, "code", code, f"mã đơn vị trùng với dòng {seen[code].number}")
        elif code:
            seen[code] = row
        values = {
            "code": code,
            "name": name,
            "parent_code": check.text(row, "parent", required=False),
            "head_title": check.text(row, "head_title", required=False),
            "head_email": _email(check, row, "head_email"),
            "focal_email": _email(check, row, "focal_email"),
            "active": _active(check, row),
            "successor_code": check.text(row, "successor", required=False),
            "other_names": "; ".join(split_names(check.text(row, "other_names", required=False)))
            or None,
            "kind": _kind(check, row),
        }
        # A file without the reorganisation or the other-names columns leaves what the
        # database knows alone.
        for key, field_name in (("active", "active"), ("successor", "successor_code"),
                                ("other_names", "other_names")):
            if key not in table.letters and values["code"] in known:
                values[field_name] = getattr(known[values["code"]], field_name)
        parsed.append({"row": row, **values})
    return parsed, seen


def _write(session: Session, parsed: list[dict[str, Any]], known: dict[str, Unit],
           parents: dict[str, str | None], kinds: dict[str, UnitKindReading]
           ) -> tuple[int, int, int]:
    """The rows written: (created, updated, unchanged)."""
    created = updated = unchanged = 0
    # Parents first and successors last, so foreign keys hold at every insert.
    for values in sorted(parsed, key=lambda v: _depth(v["code"], parents)):
        del values["row"]
        values["kind"] = kinds[values["code"]].kind
        successor = values.pop("successor_code")
        unit = known.get(values["code"])
        if unit is None:
            unit = known[values["code"]] = Unit(**values)
            session.add(unit)
            created += 1
        elif assign_changes(unit, values):
            updated += 1
        else:
            unchanged += 1
        values["successor_code"] = successor
    session.flush()
    for values in parsed:
        unit = known[values["code"]]
        if unit.successor_code != values["successor_code"]:
            unit.successor_code = values["successor_code"]
            session.add(unit)
    session.flush()
    return created, updated, unchanged


def _read_kinds(parsed: list[dict[str, Any]], known: dict[str, Unit],
                parents: dict[str, str | None], *, with_column: bool
                ) -> dict[str, UnitKindReading]:
    """Each row's kind and where it came from, parents before children (a Thanh tra's or a
    Văn phòng's level is its parent's): the Loại cell, else — in a file without the column —
    the kind a known unit has, else its name's."""
    kinds = {code: UnitKind(unit.kind) for code, unit in known.items()}
    readings: dict[str, UnitKindReading] = {}
    for values in sorted(parsed, key=lambda v: _depth(v["code"], parents)):
        code = values["code"]
        kept = kinds.get(code) if not with_column else None
        kind, source = unit_kind(values["name"] or "", given=values["kind"],
                                 parent=kinds.get(values["parent_code"] or ""), kept=kept)
        kinds[code] = kind
        readings[code] = UnitKindReading(code, values["name"] or "", kind, source)
    return readings


def _parent_map(parsed: list[dict[str, Any]], known: dict[str, Unit]) -> dict[str, str | None]:
    parents = {code: unit.parent_code for code, unit in known.items()}
    parents.update({v["code"]: v["parent_code"] for v in parsed if v["code"]})
    return parents


def _refuse_cycles(check: RowChecker, parsed: list[dict[str, Any]], known: dict[str, Unit]) -> None:
    parents = _parent_map(parsed, known)
    for values in parsed:
        code, steps = values["code"], 0
        current = parents.get(code)
        while current is not None and steps <= len(parents):
            if current == code:
                check.fail(values["row"], "parent", values["parent_code"],
                           "cây đơn vị bị vòng: đơn vị là cấp trên của chính nó")
                break
            current, steps = parents.get(current), steps + 1


def _depth(code: str, parents: dict[str, str | None]) -> int:
    depth = 0
    while (code := parents.get(code)) is not None:
        depth += 1
    return depth
def _email(check: RowChecker, row: Row, key: str) -> str | None:
    text = check.text(row, key, required=False)
    if text:
        try:
            validate_address(text)
        except AddressError as error:
            check.fail(row, key, text, f"địa chỉ e-mail không hợp lệ: {error.reason}")
    return text


def _kind(check: RowChecker, row: Row) -> UnitKind | None:
    """The kind a Loại cell says; None when it is blank (the name will say it)."""
    text = check.text(row, "kind", required=False)
    if text is None:
        return None
    kind = kind_from_word(text)
    if kind is None:
        check.fail(row, "kind", text, "loại đơn vị không rõ: cần một trong "
                   + ", ".join(KIND_WORDS) + " (hoặc để trống để đọc từ tên đơn vị)")
    return kind


def _active(check: RowChecker, row: Row) -> bool:
    text = check.text(row, "active", required=False)
    if text is None:
        return True
    word = normalise(text)
    if word in ("co", "x", "1", "con hoat dong"):
        return True
    if word in ("khong", "0", "da giai the", "giai the"):
        return False
    check.fail(row, "active", text, "cần Có hoặc Không")
    return True
