"""The check's planning: a batch of open items becomes ledger rows, digest deliveries and
events as plain values — no database."""

from __future__ import annotations

from datetime import date

from domain.calendar import WorkingCalendar
from domain.events import EventName
from domain.ladder import Track
from domain.planning import OpenItem, digest_recipients, plan_batch
from domain.policy import Policy
from domain.recipients import UnitInfo, UnitTree
from domain.states import LedgerState, RecipientRole

CAL = WorkingCalendar()
POLICY = Policy(secretariat_email="cchc@noivu.example")
# Monday 04/03/2024; items due Monday 11/03/2024 (5 working days left: R7 passed, R3 not yet).
CHECK = date(2024, 3, 4)
DUE = date(2024, 3, 11)


def unit(code, parent=None, head=True):
    return UnitInfo(code=code, name=f"Đơn vị {code}", parent=parent, head_title="Chủ tịch",
                    head_email=f"{code.lower()}@x.example" if head else None,
                    focal_email=None, active=True, successor=None)


TREE = UnitTree([unit("TINH"), unit("HUYEN", "TINH"), unit("XA", "HUYEN", head=False)])


def plan(items, recorded=None, as_of=CHECK):
    return plan_batch(items, recorded or {}, as_of=as_of, calendar=CAL, policy=POLICY, tree=TREE,
                      organisation_of=lambda owner: owner)


def rows(batch_plan):
    return [(row["item_id"], row["rung"], row["state"]) for row in batch_plan.ledger]


def test_an_item_in_reach_of_r7_is_queued_to_its_unit_head_with_one_rung_reached_event():
    result = plan([OpenItem(1, "1.1", "HUYEN", DUE)])
    assert rows(result) == [(1, "R7", LedgerState.QUEUED)]
    [(index, delivery)] = result.deliveries
    assert (index, delivery.to, delivery.role) == (0, "huyen@x.example", RecipientRole.RESPONSIBLE)
    assert [(e["name"], e["item_id"], e["data"]["rung"]) for e in result.events] == [
        (EventName.RUNG_REACHED, 1, "R7")]
    assert (result.queued, result.skipped, result.unaddressed) == (1, 0, 0)


def test_a_rung_already_recorded_under_the_same_due_date_plans_nothing():
    result = plan([OpenItem(1, "1.1", "HUYEN", DUE)], {1: {(Track.UNIT, "R7")}})
    assert (result.ledger, result.deliveries, result.events) == ([], [], [])


def test_after_downtime_only_the_most_advanced_rung_is_queued_and_earlier_ones_skipped():
    # Checked first on the due date: R7, R3 and R1 were never recorded.
    result = plan([OpenItem(1, "1.1", "HUYEN", DUE)], as_of=DUE)
    assert rows(result) == [(1, "R7", LedgerState.SKIPPED), (1, "R3", LedgerState.SKIPPED),
                            (1, "R1", LedgerState.SKIPPED), (1, "R0", LedgerState.QUEUED)]
    assert result.ledger[0]["reason"] == "đã có bậc mới hơn: R0"
    assert (result.queued, result.skipped) == (1, 3)


def test_a_unit_without_a_head_address_is_unaddressed_and_goes_to_no_digest():
    result = plan([OpenItem(2, "1.2", "XA", DUE)])
    assert rows(result) == [(2, "R7", LedgerState.UNADDRESSED)]
    assert result.ledger[0]["reason"] == "không có địa chỉ e-mail người nhận"
    assert (result.deliveries, result.unaddressed) == ([], 1)


def test_two_items_of_one_unit_make_one_digest_whose_address_is_case_insensitive():
    result = plan([OpenItem(1, "1.1", "HUYEN", DUE), OpenItem(3, "1.3", "HUYEN", DUE)])
    assert list(digest_recipients([d for _, d in result.deliveries])) == ["huyen@x.example"]
    assert [index for index, _ in result.deliveries] == [0, 1]


def test_an_item_whose_report_awaits_review_plans_nothing_beside_one_due_the_same_day():
    waiting = OpenItem(1, "1.1", "HUYEN", DUE, awaiting_review=True)
    result = plan([waiting, OpenItem(3, "1.3", "HUYEN", DUE)])
    assert rows(result) == [(3, "R7", LedgerState.QUEUED)]
    assert [e["item_id"] for e in result.events] == [3]
