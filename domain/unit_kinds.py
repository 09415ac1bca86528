"""A unit's kind (tỉnh, sở, ban, huyện/thành phố/thị xã, phòng, xã, phường, thị trấn, khác): as
the units file's Loại column writes it, or else as its name says it, the way a secretariat reads
"UBND xã Chiềng Xôm" or "Phòng Tư pháp".

Where a name alone does not say the level, its place in the tree does, as it does for a reader
of the units list: "Thanh tra thành phố" and "Văn phòng HĐND và UBND thành phố" are among a
district's specialised offices (phòng ban chuyên môn, Decree 37/2014/NĐ-CP), "Thanh tra tỉnh" and
"Văn phòng UBND tỉnh" among the province's departments (Decree 24/2014/NĐ-CP), which is where the
PAR index counts them; a "Ban" is a provincial board, or one of a district's offices when it is
under a district. Party and mass bodies ("Huyện ủy", "Tỉnh đoàn"), the police, the army and
service centres are khác, as is a name that says nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from domain.columns import header_key
from domain.states import UnitKind, UnitKindSource
from domain.unit_names import name_key

# What a Loại cell may say, made comparable (`header_key`).
_WORDS: Mapping[str, UnitKind] = {
    "tinh": UnitKind.PROVINCE, "cap tinh": UnitKind.PROVINCE,
    "so": UnitKind.DEPARTMENT, "so nganh": UnitKind.DEPARTMENT,
    "ban": UnitKind.BOARD,
    "huyen": UnitKind.DISTRICT, "thanh pho": UnitKind.DISTRICT, "thi xa": UnitKind.DISTRICT,
    "quan": UnitKind.DISTRICT, "cap huyen": UnitKind.DISTRICT,
    "huyen thanh pho thi xa": UnitKind.DISTRICT,
    "phong": UnitKind.OFFICE, "phong ban": UnitKind.OFFICE,
    "phong ban chuyen mon": UnitKind.OFFICE, "co quan chuyen mon thuoc huyen": UnitKind.OFFICE,
    "xa": UnitKind.COMMUNE, "phuong": UnitKind.WARD, "thi tran": UnitKind.TOWNSHIP,
    "khac": UnitKind.OTHER,
}
# The words a Loại cell's error message offers.
KIND_WORDS = ("tỉnh", "sở", "ban", "huyện", "thành phố", "thị xã", "phòng", "xã", "phường",
              "thị trấn", "khác")

# A local government's name, after "UBND" or on its own ("Xã Chiềng Xôm", "UBND TP Sơn La"):
# its level word, then a proper name (after "UBND" the name may be left out: "UBND tỉnh"). A
# level word followed by "ủy", "đoàn" or "hội" is a Party or mass body ("Huyện ủy", "Tỉnh đoàn").
_LEVELS = (
    ("tinh", UnitKind.PROVINCE),
    ("thanh pho|tp|huyen|thi xa|tx", UnitKind.DISTRICT),
    ("thi tran|tt", UnitKind.TOWNSHIP),
    ("xa", UnitKind.COMMUNE),
    ("phuong", UnitKind.WARD),
)
_COUNCILS = ("hdnd", "ubnd", "va")  # "HĐND và UBND", "HĐND-UBND" before the level
_NAMED = r" (?!uy\b|doan\b|hoi\b)\S"
# "quan" (quận) and "p" (phường) are levels only after "UBND": elsewhere they start other words.
_AFTER_UBND = (("quan", UnitKind.DISTRICT), ("p", UnitKind.WARD))
_DISTRICT_WORD = re.compile(r"\b(huyen|thanh pho|tp|thi xa|tx)\b")
_PROVINCE_WORD = re.compile(r"\btinh\b")
_OFFICE = re.compile(r"(?:van phong|vp) ")


@dataclass(frozen=True)
class UnitKindReading:
    """How an import read one unit's kind."""

    code: str
    name: str
    kind: UnitKind
    source: UnitKindSource


def kind_from_word(text: str) -> UnitKind | None:
    """What a Loại cell says ("Xã", "thành phố", "Phòng ban"), or None for a word it does not
    know."""
    return _WORDS.get(header_key(text))


def kind_from_name(name: str, parent: UnitKind | None = None) -> UnitKind | None:
    """What a unit's name says it is, given its parent's kind where the name leaves the level
    open; None when the name says nothing."""
    key = name_key(name)
    first, _, rest = key.partition(" ")
    if first == "so" and rest:
        return UnitKind.DEPARTMENT
    if first == "phong" and rest:
        return UnitKind.OFFICE
    if first == "ban" and rest:
        return UnitKind.OFFICE if _at_district(rest, parent) else UnitKind.BOARD
    if key == "thanh tra" or key.startswith("thanh tra "):
        return _district_or_province(key.removeprefix("thanh tra"), parent)
    if office := _OFFICE.match(key):
        rest = key[office.end():]
        return _district_or_province(rest, parent) if re.search(r"\bubnd\b", rest) else None
    return _local_government(key)


def unit_kind(name: str, *, given: UnitKind | None = None, parent: UnitKind | None = None,
              kept: UnitKind | None = None) -> tuple[UnitKind, UnitKindSource]:
    """A unit's kind on import and where it was taken from: the Loại cell when it says one
    (`given`), the kind already known when the file has no Loại column (`kept`), else the
    name's, else khác."""
    if given is not None:
        return given, UnitKindSource.COLUMN
    if kept is not None:
        return kept, UnitKindSource.KEPT
    read = kind_from_name(name, parent)
    if read is None:
        return UnitKind.OTHER, UnitKindSource.UNREAD
    return read, UnitKindSource.NAME


def kinds_in_tree(units: Mapping[str, tuple[str, str | None]]) -> dict[str, UnitKind]:
    """code → (name, parent code) → code → the kind its name says (khác when none), parents
    read before their children: what a database that knew no kinds fills in."""
    kinds: dict[str, UnitKind] = {}

    def kind_of(code: str, seen: frozenset[str]) -> UnitKind:
        if code not in kinds:
            name, parent = units[code]
            above = kind_of(parent, seen | {code}) \
                if parent in units and parent not in seen else None
            kinds[code] = kind_from_name(name, above) or UnitKind.OTHER
        return kinds[code]

    for code in units:
        kind_of(code, frozenset())
    return kinds


def _at_district(rest: str, parent: UnitKind | None) -> bool:
    return parent is UnitKind.DISTRICT or bool(_DISTRICT_WORD.search(rest))


def _district_or_province(rest: str, parent: UnitKind | None) -> UnitKind | None:
    """A Thanh tra or a Văn phòng: one of a district's offices, or a provincial department."""
    if _at_district(rest, parent):
        return UnitKind.OFFICE
    if parent is UnitKind.PROVINCE or _PROVINCE_WORD.search(rest):
        return UnitKind.DEPARTMENT
    return None


def _local_government(key: str) -> UnitKind | None:
    """"ubnd xa chieng xom", "thanh pho son la", "ubnd tp son la", "ubnd tinh" → its level."""
    words = key.split()
    start = next((i for i, word in enumerate(words) if word not in _COUNCILS), len(words))
    rest, after_ubnd = " ".join(words[start:]), "ubnd" in words[:start]
    tail = f"(?:$|{_NAMED})" if after_ubnd else _NAMED
    levels = _LEVELS + _AFTER_UBND if after_ubnd else _LEVELS
    for words, kind in levels:
        if re.match(f"(?:{words}){tail}", rest):
            return kind
    return None
