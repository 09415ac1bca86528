"""Unit groups as the units file declares them, in its "Nhóm" column: each cell lists the groups
the unit belongs to, separated by ";", and a group's other names follow its name after "=":

    UBND các xã, phường = UBND cấp xã = Các xã, phường; Đơn vị có bộ phận một cửa

Names joined by "=" in any cell are one group (its name is the first written), so the aliases
need be written once. A units file with the column says each listed unit's groups in full."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, select

from domain.models import UnitGroup, UnitGroupMember
from domain.unit_names import GroupEntry, name_key, split_names


@dataclass
class DeclaredGroup:
    name: str
    aliases: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


def declared_groups(cells: Iterable[tuple[str, str | None]]) -> list[DeclaredGroup]:
    """(unit code, "Nhóm" cell) pairs → the groups, in the order first named."""
    groups: list[DeclaredGroup] = []
    by_key: dict[str, DeclaredGroup] = {}
    for code, cell in cells:
        for entry in split_names(cell):
            names = [n.strip() for n in entry.split("=") if n.strip()]
            found = [by_key[name_key(n)] for n in names if name_key(n) in by_key]
            group = found[0] if found else DeclaredGroup(names[0])
            if not found:
                groups.append(group)
            for other in found[1:]:
                if other is not group:  # two groups named as one: merge them
                    groups.remove(other)
                    for n in other.names():
                        _add_name(group, n)
                    group.members += [m for m in other.members if m not in group.members]
            for n in names:
                _add_name(group, n)
            for n in group.names():
                by_key[name_key(n)] = group
            if code not in group.members:
                group.members.append(code)
    return groups


def _add_name(group: DeclaredGroup, name: str) -> None:
    if name_key(name) not in {name_key(n) for n in group.names()}:
        group.aliases.append(name)


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
