"""Who gets a rung: pure functions over a unit tree, no database."""

from __future__ import annotations

from domain.ladder import Rung, RungKind, Track, escalation_rung
from domain.policy import Policy
from domain.recipients import UnitInfo, UnitTree, delivery_for
from domain.states import RecipientRole

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
        "xa@x.example", ("motcua@xa.example",), RecipientRole.RESPONSIBLE)


def test_an_overdue_notice_is_also_copied_to_the_secretariat():
    assert delivery_for(PROVINCE, "XA", O1, POLICY).cc == ("motcua@xa.example", SECRETARIAT)


def test_e1_goes_to_the_parents_head_copied_to_the_unit_head_and_the_secretariat():
    delivery = delivery_for(PROVINCE, "XA", escalation_rung(1, POLICY), POLICY)
    assert (delivery.to, delivery.cc, delivery.role) == (
        "huyen@x.example", ("xa@x.example", SECRETARIAT), RecipientRole.SUPERVISOR)


def test_without_a_plan_or_an_organisation_e2_goes_to_the_root_units_head_copied_to_the_secretariat():
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


# Escalation along the chain of command: a province, a city under it, the city's departments
# and communes (as in the Sơn La example), and a district with communes for a longer chain.
E1, E2 = escalation_rung(1, POLICY), escalation_rung(2, POLICY)
CITY = tree(unit("TINH"), unit("SO", "TINH"), unit("TP", "TINH"), unit("VP", "TP"),
            unit("XA", "TP"), unit("HUYEN", "TINH"), unit("XA2", "HUYEN"))


def test_a_city_plans_task_escalates_no_higher_than_the_city_which_issued_the_plan():
    for level in (E1, E2):
        delivery = delivery_for(CITY, "VP", level, POLICY, organisation="TP", assigned_by="TP")
        assert delivery.to == "tp@x.example"


def test_without_an_organisation_named_the_plans_issuing_unit_is_still_the_ceiling():
    assert delivery_for(CITY, "XA", E2, POLICY, assigned_by="TP").to == "tp@x.example"


def test_a_remediation_item_concluded_by_the_province_stops_at_the_top_of_the_city():
    delivery = delivery_for(CITY, "XA", E2, POLICY, organisation="TP", assigned_by="TINH")
    assert delivery.to == "tp@x.example"


def test_a_remediation_item_concluded_inside_the_organisation_stops_at_the_concluding_unit():
    delivery = delivery_for(CITY, "XA2", E2, POLICY, organisation="TINH", assigned_by="HUYEN")
    assert delivery.to == "huyen@x.example"


def test_a_city_secretariat_escalates_nothing_of_a_unit_outside_the_city_nor_of_the_city_itself():
    assert delivery_for(CITY, "SO", E1, POLICY, organisation="TP") is None
    assert delivery_for(CITY, "TP", E2, POLICY, organisation="TP", assigned_by="TP") is None


def test_a_ceiling_without_a_head_address_leaves_the_highest_head_below_it():
    headless_city = tree(unit("TINH"), unit("TP", "TINH", head=False), unit("PHONG", "TP"),
                         unit("TO", "PHONG"))
    delivery = delivery_for(headless_city, "TO", E2, POLICY, organisation="TP")
    assert delivery.to == "phong@x.example"


def test_e1_and_e2_climb_one_level_each_up_to_the_ceiling():
    assert delivery_for(CITY, "XA2", E1, POLICY, organisation="TINH").to == "huyen@x.example"
    assert delivery_for(CITY, "XA2", E2, POLICY, organisation="TINH").to == "tinh@x.example"


def test_a_catch_up_straight_to_e2_copies_whoever_e1_would_have_gone_to():
    delivery = delivery_for(CITY, "XA2", E2, POLICY, organisation="TINH", passed_over=(E1,))
    assert delivery.to == "tinh@x.example"
    # E1's addressee and its copies (the unit's head), besides E2's own copy to the secretariat
    assert set(delivery.cc) == {"huyen@x.example", "xa2@x.example", SECRETARIAT}


def test_a_catch_up_whose_e1_would_have_gone_to_the_same_head_copies_nobody_twice():
    delivery = delivery_for(CITY, "XA", E2, POLICY, organisation="TP", passed_over=(E1,))
    assert delivery.to == "tp@x.example" and "tp@x.example" not in delivery.cc
    assert set(delivery.cc) == {"xa@x.example", SECRETARIAT}


def test_the_ceiling_is_the_assigning_unit_within_the_organisation_else_its_top():
    assert CITY.ceiling("XA2", "TINH", "HUYEN") == "HUYEN"
    assert CITY.ceiling("XA", "TP", "TINH") == "TP"
    assert CITY.ceiling("XA", None, None) == "TINH"
