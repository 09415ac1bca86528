"""Unit groups as the units file declares them, in its "Nhóm" column: each cell lists the groups
the unit belongs to, separated by ";", and a group's other names follow its name after "=":

    UBND các xã, phường = UBND cấp xã = Các xã, phường; Đơn vị có bộ phận một cửa

Names joined by "=" in any cell are one group (its name is the first written), so the aliases
need be written once. A units file with the column says each listed unit's groups in full."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.unit_names import name_key, split_names


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
