"""Who gets a rung: the unit's head for its own items, supervisors up the chain of command for
escalations, with the copies the policy asks for. An escalation climbs one level at a time up
to the unit that assigned the item, never above the organisation the secretariat serves.
Dissolved units hand their items to their successor; a unit without a head's address
escalates to the next ancestor that has one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.ladder import Rung, RungKind, Track
from domain.policy import Policy
from domain.states import RecipientRole


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

    def is_within(self, code: str, top: str) -> bool:
        """Whether `code` is `top` or a unit below it."""
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen and current in self.units:
            if current == top:
                return True
            seen.add(current)
            current = self.units[current].parent
        return False

    def ceiling(self, code: str, organisation: str | None, assigned_by: str | None) -> str:
        """The highest unit an item of `code` escalates to (cấp giao việc): the unit that
        assigned it (a plan's issuing unit, an inspection's concluding unit) when that lies
        inside the organisation the secretariat serves, else that organisation's top; without
        a named organisation, the root of the unit's tree."""
        top = organisation if organisation is not None else self.root(code).code
        if assigned_by is not None and assigned_by in self.units and self.is_within(assigned_by, top):
            return assigned_by
        return top

    def escalation_chain(self, code: str, ceiling: str) -> list[UnitInfo]:
        """The heads an overdue item of `code` escalates to, nearest first, one level at a time
        up to `ceiling` and never above it; empty when the ceiling is not above the unit (its
        own items, or a unit outside the organisation: a secretariat writes to no one there)."""
        chain = []
        for ancestor in self.ancestors_with_head(code):
            chain.append(ancestor)
            if ancestor.code == ceiling:
                return chain
        # The ceiling has no head's address, or is not above `code` at all.
        if code != ceiling and self.is_within(code, ceiling):
            return [u for u in chain if self.is_within(u.code, ceiling)]
        return []


def supervisor_for(chain: Sequence[UnitInfo], level: int, levels: int) -> UnitInfo | None:
    """Level 1 goes to the nearest head of the chain, the last of two or more levels to its
    ceiling's head, the levels between one step up each. Where the chain is shorter than the
    levels, a higher level goes again to the highest head (đôn đốc lần 2)."""
    if not chain:
        return None
    if level >= levels > 1:
        return chain[-1]
    return chain[min(level, len(chain)) - 1]


def delivery_for(
    tree: UnitTree,
    unit_code: str,
    rung: Rung,
    policy: Policy,
    *,
    organisation: str | None = None,
    assigned_by: str | None = None,
    passed_over: Sequence[Rung] = (),
) -> Delivery | None:
    """Where the notice for `rung` of an item of `unit_code` goes. None when nobody has an
    address (the ledger records that, so `cchc explain` can say so).

    An escalation climbs one level at a time up to the item's ceiling (`UnitTree.ceiling` of
    the unit that assigned it and the organisation the secretariat serves); whoever would
    have had an escalation level in `passed_over` (a catch-up skipped it) is copied, so no
    level of the chain is skipped silently."""
    unit = tree.responsible(unit_code)
    secretariat = (policy.secretariat_email,) if policy.secretariat_email else ()
    if rung.track is Track.UNIT:
        roles = policy.cc_overdue if rung.kind is RungKind.OVERDUE else policy.cc_reminder
        if not unit.head_email:
            return None
        cc = _cc(roles, unit, secretariat)
        return Delivery(unit.head_email, unit, RecipientRole.RESPONSIBLE, _without(cc, unit.head_email))

    chain = tree.escalation_chain(unit.code, tree.ceiling(unit.code, organisation, assigned_by))
    levels = len(policy.escalation_days)
    supervisor = supervisor_for(chain, rung.level, levels)
    if supervisor is None:
        return None
    cc = list(_cc(policy.cc_escalation[rung.level - 1], unit, secretariat))
    for skipped in passed_over:
        if skipped.track is Track.ESCALATION:
            lower = supervisor_for(chain, skipped.level, levels)
            if lower is not None:
                cc += [lower.head_email,
                       *_cc(policy.cc_escalation[skipped.level - 1], unit, secretariat)]
    cc = list(dict.fromkeys(cc))
    return Delivery(supervisor.head_email, supervisor, RecipientRole.SUPERVISOR,
                    _without(tuple(cc), supervisor.head_email))


def no_escalation_reason(
    tree: UnitTree, unit_code: str, *, organisation: str | None, assigned_by: str | None
) -> str | None:
    """Why an item of `unit_code` escalates to nobody, when the chain of command is the cause:
    the unit is the ceiling itself, or lies outside it (a secretariat writes to no one above
    the organisation it serves). None when the chain is there."""
    unit = tree.responsible(unit_code)
    ceiling = tree.ceiling(unit.code, organisation, assigned_by)
    if unit.code == ceiling:
        return f"đơn vị {unit.code} là cấp giao việc, không có cấp trên để báo cáo"
    if not tree.is_within(unit.code, ceiling):
        return f"đơn vị {unit.code} không thuộc {ceiling}, không báo cáo cấp trên ngoài phạm vi đó"
    return None


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
