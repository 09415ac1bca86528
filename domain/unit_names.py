"""Which unit a cell means: its code, its name or one of its other names (tên khác), or a unit
group's name ("UBND các xã, phường") meaning every member. Names match whatever the case,
accents, spacing and punctuation, with "Ủy ban nhân dân" and "UBND" taken as one; where two
units bear the same name, the one inside the plan owner's subtree is meant."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from domain.columns import header_key

_ABBREVIATIONS = (("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd"))


def name_key(text: str) -> str:
    key = f" {header_key(text)} "
    for words, short in _ABBREVIATIONS:
        key = key.replace(f" {words} ", f" {short} ")
    return key.strip()


def split_names(text: str | None) -> list[str]:
    """"Sở GTVT; Sở Giao thông" → two names (the units file's ";"-separated cells)."""
    return [name.strip() for name in (text or "").split(";") if name.strip()]


@dataclass(frozen=True)
class UnitEntry:
    code: str
    name: str
    other_names: tuple[str, ...] = ()
    parent: str | None = None
    active: bool = True


@dataclass(frozen=True)
class GroupEntry:
    name: str
    aliases: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class Lead:
    """What a lead cell names: one unit, or a group's members."""

    codes: tuple[str, ...]
    group: str | None = None
    by_name: bool = False  # named in words rather than by code


@dataclass(frozen=True)
class Partners:
    """What a partner cell names: units, with the role written beside some, and the rest."""

    codes: tuple[str, ...]
    kept: tuple[str, ...]  # parts naming no unit, as written
    roles: Mapping[str, str] = field(default_factory=dict)  # code → "thẩm định"


# A comma outside brackets separates partners; a unit's role follows it in brackets.
_PARTS = re.compile(r",(?![^()]*\))")
_ROLE = re.compile(r"(.+?)\s*\(([^()]+)\)\s*")


class UnknownUnit(ValueError):
    def __init__(self, message: str, *, ambiguous: bool = False) -> None:
        super().__init__(message)
        self.ambiguous = ambiguous  # two units bear the name, rather than none


@dataclass
class UnitDirectory:
    units: Mapping[str, UnitEntry]
    groups: list[GroupEntry] = field(default_factory=list)
    # The plan owner: of two units with the same name, the one under it is meant.
    owner: str | None = None

    def __post_init__(self) -> None:
        self._by_name: dict[str, list[str]] = {}
        for unit in self.units.values():
            for name in (unit.name, *unit.other_names):
                codes = self._by_name.setdefault(name_key(name), [])
                if unit.code not in codes:
                    codes.append(unit.code)
        self._by_group = {name_key(n): g for g in self.groups for n in (g.name, *g.aliases)}
        self._by_code = {code.casefold(): code for code in self.units}

    def lead(self, text: str) -> Lead:
        """The unit or group `text` names; UnknownUnit says why not, with the closest units."""
        if code := self._by_code.get(text.strip().casefold()):
            return Lead((code,))
        key = name_key(text)
        if group := self._by_group.get(key):
            members = tuple(c for c in group.members if c in self.units and self.units[c].active)
            return Lead(members, group=group.name, by_name=True)
        codes = self._by_name.get(key, [])
        if len(codes) > 1 and self.owner is not None:
            inside = [c for c in codes if self._under_owner(c)]
            codes = inside or codes
        if len(codes) == 1:
            return Lead((codes[0],), by_name=True)
        if codes:
            raise UnknownUnit("tên này trùng với nhiều đơn vị: " + self._shown(codes)
                              + " — hãy ghi mã đơn vị", ambiguous=True)
        closest = self.closest(text)
        hint = f"; gần nhất: {self._shown(closest)}" if closest else ""
        raise UnknownUnit("không có đơn vị hay nhóm đơn vị mang mã hoặc tên này"
                          f"{hint} (hãy nhập danh sách đơn vị trước, hoặc thêm vào cột Tên khác)")

    def names_none(self, text: str) -> bool:
        """Whether `text` names no unit or group at all (not merely two units of one name)."""
        try:
            self.lead(text)
        except UnknownUnit as error:
            return not error.ambiguous
        return False

    def read_partners(self, text: str) -> Partners:
        """The units a partner cell (cơ quan phối hợp) names, and the parts that name none:
        the whole cell first, else each part between commas or semicolons outside brackets. A
        role in brackets after a unit ("Sở Tư pháp (thẩm định)") is kept beside it. Partners
        are informed, never reminded, so a part that names no unit is kept as written."""
        parts = [text.strip()] if self._names_one(text) else [
            part.strip() for part in _PARTS.split(text.replace(";", ",")) if part.strip()]
        codes: list[str] = []
        kept: list[str] = []
        roles: dict[str, str] = {}
        for part in parts:
            role = _ROLE.fullmatch(part)
            try:
                lead = self.lead(part)
            except UnknownUnit:
                if role is None or not self._names_one(role[1]):
                    kept.append(part)
                    continue
                lead = self.lead(role[1])
                roles |= {code: role[2].strip() for code in lead.codes}
            codes += [c for c in lead.codes if c not in codes]
        return Partners(tuple(codes), tuple(kept), roles)

    def _names_one(self, text: str) -> bool:
        try:
            self.lead(text)
        except UnknownUnit:
            return False
        return True

    def unit_named(self, lines: Iterable[str]) -> str | None:
        """The one unit a heading names, if any (the issuing unit of a plan)."""
        for line in lines:
            codes = self._by_name.get(name_key(line), [])
            if len(codes) == 1:
                return codes[0]
        return None

    def closest(self, text: str, count: int = 3) -> list[str]:
        keys = difflib.get_close_matches(name_key(text), list(self._by_name), n=count, cutoff=0.6)
        return list(dict.fromkeys(code for key in keys for code in self._by_name[key]))[:count]

    def _under_owner(self, code: str | None) -> bool:
        seen = set()
        while code is not None and code not in seen:
            if code == self.owner:
                return True
            seen.add(code)
            code = self.units[code].parent if code in self.units else None
        return False

    def _shown(self, codes: Iterable[str]) -> str:
        return ", ".join(f"{c} ({self.units[c].name})" for c in codes)
