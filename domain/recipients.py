"""Who gets a rung: the unit's head for its own items, supervisors up the unit tree for
escalations, with the copies the policy asks for. Dissolved units hand their items to their
successor; a unit without a head's address escalates to the next ancestor that has one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.ladder import Rung, RungKind, Track
from domain.policy import Policy


@dataclass(frozen=True)
class UnitInfo:
    code: str
    name: str
    parent: str | None
    head_title: str | None
    head_email: str | None
    focal_email: str | None
    active: bool = True
    successor: str | None = None


class Role:
    RESPONSIBLE = "responsible"  # the unit's own head: its items
    SUPERVISOR = "supervisor"  # an ancestor's head: a subordinate unit's overdue items
    SECRETARIAT = "secretariat"  # the secretariat's alert: items just escalated, any unit


@dataclass(frozen=True)
class Delivery:
    to: str
    unit: UnitInfo  # whose head (or focal officer) `to` is
    role: str
    cc: tuple[str, ...] = ()


class UnitTree:
    def __init__(self, units: Iterable[UnitInfo]) -> None:
        self.units = {u.code: u for u in units}

    def responsible(self, code: str) -> UnitInfo:
        """The unit that answers for items assigned to `code`, following dissolutions."""
        unit, seen = self.units[code], {code}
        while not unit.active and unit.successor and unit.successor not in seen:
            seen.add(unit.successor)
            unit = self.units[unit.successor]
        return unit

    def ancestors_with_head(self, code: str) -> list[UnitInfo]:
        """Ancestors of `code` whose head has an address, nearest first."""
        found, seen = [], {code}
        parent = self.units[code].parent
        while parent is not None and parent not in seen:
            seen.add(parent)
            unit = self.units[parent]
            if unit.head_email:
                found.append(unit)
            parent = unit.parent
        return found

    def subtree(self, code: str) -> set[str]:
        """`code` and every unit below it."""
        children: dict[str, list[str]] = {}
        for unit in self.units.values():
            if unit.parent is not None:
                children.setdefault(unit.parent, []).append(unit.code)
        found, todo = set(), [code]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(children.get(current, []))
        return found

    def root(self, code: str) -> UnitInfo:
        unit, seen = self.units[code], {code}
        while unit.parent is not None and unit.parent not in seen:
            seen.add(unit.parent)
            unit = self.units[unit.parent]
        return unit

    def supervisor(self, code: str, level: int, levels: int) -> UnitInfo | None:
        """Level 1 goes to the nearest ancestor with a head's address; the last of two or more
        levels to the root's head (DESIGN: E1 parent, E2 root)."""
        ancestors = self.ancestors_with_head(code)
        if not ancestors:
            return None
        if level >= levels > 1:
            root = self.root(code)
            return root if root.head_email and root.code != code else ancestors[-1]
        return ancestors[min(level, len(ancestors)) - 1]


def delivery_for(tree: UnitTree, unit_code: str, rung: Rung, policy: Policy) -> Delivery | None:
    """Where the notice for `rung` of an item of `unit_code` goes. None when nobody has an
    address (the ledger records that, so `cchc explain` can say so)."""
    unit = tree.responsible(unit_code)
    secretariat = (policy.secretariat_email,) if policy.secretariat_email else ()
    if rung.track is Track.UNIT:
        roles = policy.cc_overdue if rung.kind is RungKind.OVERDUE else policy.cc_reminder
        if not unit.head_email:
            return None
        cc = _cc(roles, unit, secretariat)
        return Delivery(unit.head_email, unit, Role.RESPONSIBLE, _without(cc, unit.head_email))

    levels = len(policy.escalation_days)
    supervisor = tree.supervisor(unit.code, rung.level, levels)
    if supervisor is None:
        return None
    cc = _cc(policy.cc_escalation[rung.level - 1], unit, secretariat)
    return Delivery(supervisor.head_email, supervisor, Role.SUPERVISOR,
                    _without(cc, supervisor.head_email))


def _cc(roles: tuple[str, ...], unit: UnitInfo, secretariat: tuple[str, ...]) -> tuple[str, ...]:
    cc = []
    if "unit_head" in roles and unit.head_email:
        cc.append(unit.head_email)
    if "focal" in roles and unit.focal_email:
        cc.append(unit.focal_email)
    if "secretariat" in roles:
        cc.extend(secretariat)
    return tuple(dict.fromkeys(cc))


def _without(addresses: tuple[str, ...], recipient: str) -> tuple[str, ...]:
    return tuple(a for a in addresses if a.lower() != recipient.lower())
