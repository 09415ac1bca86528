"""Who gets a rung: pure functions over a unit tree, no database."""

from __future__ import annotations

from domain.ladder import Rung, RungKind, Track, escalation_rung
from domain.policy import Policy
from domain.recipients import Role, UnitInfo, UnitTree, delivery_for

SECRETARIAT = "cchc@noivu.example"
POLICY = Policy(secretariat_email=SECRETARIAT)
R3 = Rung(Track.UNIT, RungKind.REMINDER, 3)
O1 = Rung(Track.UNIT, RungKind.OVERDUE, 1)


def unit(code, parent=None, head=True, focal=None, active=True, successor=None):
    return UnitInfo(code=code, name=f"Đơn vị {code}", parent=parent, head_title="Chủ tịch",
                    head_email=f"{code.lower()}@x.example" if head else None,
                    focal_email=focal, active=active, successor=successor)


def tree(*units):
    return UnitTree(units)


PROVINCE = tree(unit("TINH"), unit("HUYEN", "TINH"), unit("XA", "HUYEN", focal="motcua@xa.example"))


def test_a_reminder_goes_to_the_unit_head_copied_to_its_focal_officer_only():
    delivery = delivery_for(PROVINCE, "XA", R3, POLICY)
    assert (delivery.to, delivery.cc, delivery.role) == (
        "xa@x.example", ("motcua@xa.example",), Role.RESPONSIBLE)


def test_an_overdue_notice_is_also_copied_to_the_secretariat():
    assert delivery_for(PROVINCE, "XA", O1, POLICY).cc == ("motcua@xa.example", SECRETARIAT)


def test_e1_goes_to_the_parents_head_copied_to_the_unit_head_and_the_secretariat():
    delivery = delivery_for(PROVINCE, "XA", escalation_rung(1, POLICY), POLICY)
    assert (delivery.to, delivery.cc, delivery.role) == (
        "huyen@x.example", ("xa@x.example", SECRETARIAT), Role.SUPERVISOR)


def test_e2_goes_to_the_root_units_head_copied_to_the_secretariat():
    delivery = delivery_for(PROVINCE, "XA", escalation_rung(2, POLICY), POLICY)
    assert (delivery.to, delivery.cc) == ("tinh@x.example", (SECRETARIAT,))


def test_a_parent_without_a_head_address_is_passed_over_for_the_next_ancestor():
    headless = tree(unit("TINH"), unit("HUYEN", "TINH", head=False), unit("XA", "HUYEN"))
    assert delivery_for(headless, "XA", escalation_rung(1, POLICY), POLICY).to == "tinh@x.example"


def test_a_root_unit_has_nobody_to_escalate_to_and_a_headless_unit_nobody_to_remind():
    assert delivery_for(PROVINCE, "TINH", escalation_rung(1, POLICY), POLICY) is None
    assert delivery_for(tree(unit("XA", head=False)), "XA", R3, POLICY) is None


def test_a_dissolved_units_items_go_to_its_successor_and_its_supervisor():
    merged = tree(unit("TINH"), unit("HUYEN", "TINH"), unit("HUYEN2", "TINH"),
                  unit("XA", "HUYEN", active=False, successor="XA2"), unit("XA2", "HUYEN2"))
    assert delivery_for(merged, "XA", R3, POLICY).to == "xa2@x.example"
    assert delivery_for(merged, "XA", escalation_rung(1, POLICY), POLICY).to == "huyen2@x.example"


def test_a_cycle_of_successors_stops_instead_of_looping():
    looped = tree(unit("A", active=False, successor="B"), unit("B", active=False, successor="A"))
    assert delivery_for(looped, "A", R3, POLICY).to == "b@x.example"


def test_no_secretariat_address_means_no_secretariat_copy():
    assert delivery_for(PROVINCE, "XA", O1, Policy()).cc == ("motcua@xa.example",)
