"""Unit groups declared in the unit list, stored and read back."""

from __future__ import annotations

from sqlmodel import Session, select

from domain.models import UnitGroup, UnitGroupMember
from domain.unit_groups import DeclaredGroup
from domain.unit_names import GroupEntry, name_key, split_names


def save_groups(session: Session, groups: list[DeclaredGroup], listed: set[str]) -> list[str]:
    """Write the groups: the listed units' memberships become what the file says; a group
    left without members goes. Returns a line per group for the import summary."""
    stored = {g.id: g for g in session.exec(select(UnitGroup))}
    by_key = {name_key(n): g for g in stored.values() for n in (g.name, *split_names(g.aliases))}
    for member in session.exec(select(UnitGroupMember)):
        if member.unit_code in listed:
            session.delete(member)
    session.flush()
    lines = []
    for declared in groups:
        row = next((by_key[name_key(n)] for n in declared.names() if name_key(n) in by_key),
                   None) or UnitGroup(name=declared.name)
        aliases = [n for n in [*split_names(row.aliases), *declared.names()]
                   if name_key(n) != name_key(row.name)]
        row.aliases = "; ".join(dict.fromkeys(aliases)) or None
        session.add(row)
        session.flush()
        for code in declared.members:
            session.add(UnitGroupMember(group_id=row.id, unit_code=code))
        also = f" (tên khác: {row.aliases})" if row.aliases else ""
        lines.append(f"nhóm '{row.name}'{also}: {len(declared.members)} đơn vị trong tệp")
    session.flush()
    for row in session.exec(select(UnitGroup)):
        if session.exec(select(UnitGroupMember).where(UnitGroupMember.group_id == row.id)).first() is None:
            session.delete(row)
    session.flush()
    return lines


def stored_groups(session: Session) -> list[GroupEntry]:
    members: dict[int, list[str]] = {}
    for member in session.exec(select(UnitGroupMember).order_by(UnitGroupMember.unit_code)):
        members.setdefault(member.group_id, []).append(member.unit_code)
    return [GroupEntry(g.name, tuple(split_names(g.aliases)), tuple(members.get(g.id, ())))
            for g in session.exec(select(UnitGroup).order_by(UnitGroup.name))]
