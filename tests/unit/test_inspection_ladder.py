"""The ladder for inspections (README, "The ladder for inspections"), driven day by day: a direct
target's self-assessment report before a visit right after Tết 2024, a by-report target's report
due at the end of Quý I/2024 across Giỗ Tổ Hùng Vương, and the secretariat's two alerts — each
on its policy day, each switched off by the policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from domain.calendar import WorkingCalendar
from domain.events import EventName
from domain.inspection_ladder import OpenTarget, decide_target, plan_targets, self_report_due
from domain.policy import InspectionReminders, Policy
from domain.recipients import UnitInfo, UnitTree
from domain.states import InspectionMode, LedgerState, RecipientRole, TargetState, TargetTrack


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


CAL = WorkingCalendar()
POLICY = Policy(secretariat_email="cchc@noivu.example")
OFF = replace(POLICY, inspections=InspectionReminders(
    self_report_days=0, report_reminders=False, window_alerts=False, conclusion_days=0))

# Visited "Từ 15 đến 16/02/2024": the first two working days after Tết (08–14/02/2024 off).
DIRECT = OpenTarget(1, "KHKT-2024", "X-CX", InspectionMode.DIRECT, TargetState.PLANNED,
                    d("15/02/2024"), d("16/02/2024"), None)
# Inspected through its report, "Quý I/2024": the quarter ends on Sunday 31/03/2024.
BY_REPORT = OpenTarget(2, "KHKT-2024", "X-HL", InspectionMode.BY_REPORT, TargetState.PLANNED,
                       d("01/01/2024"), d("31/03/2024"), None)
# Sơn La 2019: visited 23–25/09/2019, concluded 04/10/2019 (7 working days after).
VISITED = OpenTarget(3, "KHKT-2019", "TP-SL", InspectionMode.DIRECT, TargetState.INSPECTED,
                     d("23/09/2019"), d("25/09/2019"), d("25/09/2019"))


def drive(target, first, last, policy=POLICY, recorded=None):
    """decide_target on every calendar day first..last, recording what it decides; returns
    [(day, track, rung sent, rungs skipped)]."""
    recorded = set() if recorded is None else recorded
    log, day = [], first
    while day <= last:
        for decision in decide_target(target, day, CAL, policy, recorded):
            log.append((f"{day:%d/%m/%Y}", decision.track, decision.send.name,
                        [r.name for r in decision.skip]))
            recorded.update((decision.track, r.name, decision.due)
                            for r in (*decision.skip, decision.send))
        day += timedelta(days=1)
    return log


def test_a_direct_targets_report_falls_due_five_working_days_before_a_visit_right_after_tet():
    # Counted in calendar days it would fall in Tết (10/02); in working days, Tết is skipped.
    assert self_report_due(DIRECT.window_opens, CAL, 5) == d("01/02/2024")
    # The report before a Monday visit is due the Monday before (Sơn La's 23/09/2019).
    assert self_report_due(d("23/09/2019"), CAL, 5) == d("16/09/2019")


def test_a_direct_target_is_reminded_on_the_reminder_days_before_its_report_and_not_after():
    log = drive(DIRECT, d("01/01/2024"), d("14/02/2024"), replace(POLICY, inspections=replace(
        POLICY.inspections, window_alerts=False)))
    assert log == [("23/01/2024", TargetTrack.SELF_REPORT, "R7", []),
                   ("29/01/2024", TargetTrack.SELF_REPORT, "R3", []),
                   ("31/01/2024", TargetTrack.SELF_REPORT, "R1", []),
                   ("01/02/2024", TargetTrack.SELF_REPORT, "R0", [])]


def test_after_downtime_one_catch_up_reminder_goes_with_the_passed_ones_skipped():
    (caught_up,) = drive(DIRECT, d("30/01/2024"), d("30/01/2024"))
    assert caught_up == ("30/01/2024", TargetTrack.SELF_REPORT, "R3", ["R7"])
    # Past its day, a report is not asked for again (whether it came is not recorded).
    assert drive(DIRECT, d("02/02/2024"), d("14/02/2024")) == []


def test_a_by_report_target_is_reminded_until_its_report_is_received():
    policy = replace(POLICY, inspections=replace(POLICY.inspections, window_alerts=False))
    log = drive(BY_REPORT, d("01/03/2024"), d("23/04/2024"), policy)
    assert [(day, rung) for day, _, rung, _ in log] == [
        ("20/03/2024", "R7"), ("26/03/2024", "R3"), ("28/03/2024", "R1"),
        ("29/03/2024", "R0"),  # the last working day of the quarter
        ("01/04/2024", "O1"), ("04/04/2024", "O4"), ("09/04/2024", "O7"),
        ("12/04/2024", "O10"), ("17/04/2024", "O13"),
        ("23/04/2024", "O16"),  # 18/04/2024, Giỗ Tổ Hùng Vương, is no working day
    ]
    assert {track for _, track, _, _ in log} == {TargetTrack.REPORT}
    received = replace(BY_REPORT, state=TargetState.INSPECTED, inspected_to=d("24/04/2024"))
    assert drive(received, d("24/04/2024"), d("10/05/2024"), policy) == []


def test_the_secretariat_is_told_once_of_a_window_passed_with_nothing_recorded():
    alerts = [entry for entry in drive(DIRECT, d("01/02/2024"), d("15/03/2024"))
              if entry[1] is TargetTrack.WINDOW_PASSED]
    assert alerts == [("19/02/2024", TargetTrack.WINDOW_PASSED, "O1", [])]
    # A check first run weeks later still tells it, once.
    assert drive(DIRECT, d("11/03/2024"), d("15/03/2024"))[-1][:3] == (
        "11/03/2024", TargetTrack.WINDOW_PASSED, "O1")


def test_the_secretariat_is_told_of_an_inspection_unconcluded_fifteen_working_days_after_it():
    assert drive(VISITED, d("26/09/2019"), d("31/12/2019")) == [
        ("16/10/2019", TargetTrack.CONCLUSION_LATE, "O15", [])]
    # Sơn La's conclusion came on 04/10/2019, 7 working days after: under the default, no alert.
    assert CAL.working_days_between(d("25/09/2019"), d("04/10/2019")) == 7
    concluded = replace(VISITED, state=TargetState.CONCLUDED)
    assert drive(concluded, d("26/09/2019"), d("31/12/2019")) == []


def test_a_visit_recorded_again_with_other_days_rearms_the_conclusions_alert():
    recorded = {(TargetTrack.CONCLUSION_LATE, "O15", d("25/09/2019"))}
    corrected = replace(VISITED, inspected_to=d("27/09/2019"))
    assert drive(corrected, d("16/10/2019"), d("31/10/2019"), recorded=recorded) == [
        ("18/10/2019", TargetTrack.CONCLUSION_LATE, "O15", [])]


def test_each_reminder_switched_off_in_the_policy_decides_nothing():
    for target in (DIRECT, BY_REPORT, VISITED):
        assert drive(target, d("01/01/2019"), d("31/12/2024"), OFF) == []
    shorter = replace(POLICY, inspections=replace(POLICY.inspections, conclusion_days=5))
    assert drive(VISITED, d("26/09/2019"), d("31/10/2019"), shorter)[0][:3] == (
        "02/10/2019", TargetTrack.CONCLUSION_LATE, "O5")


def test_nothing_is_decided_on_a_day_off_nor_for_a_target_dropped_or_without_dates():
    assert decide_target(DIRECT, d("10/02/2024"), CAL, POLICY) == []  # Tết
    dropped = replace(BY_REPORT, state=TargetState.DROPPED)
    undated = replace(BY_REPORT, window_opens=None, window_closes=None)
    for target in (dropped, undated):
        assert drive(target, d("01/01/2024"), d("30/06/2024")) == []


UNITS = UnitTree([
    UnitInfo("TP-SL", "UBND thành phố Sơn La", None, "Chủ tịch UBND thành phố",
             "chutich@tpsonla.example", None),
    UnitInfo("X-CX", "UBND xã Chiềng Xôm", "TP-SL", "Chủ tịch UBND xã Chiềng Xôm",
             "chutich@chiengxom.example", "cchc@chiengxom.example"),
    UnitInfo("X-HL", "UBND xã Hua La", "TP-SL", "Chủ tịch UBND xã Hua La", None, None),
])


def test_a_heads_rung_goes_to_the_head_with_the_focal_officer_copied_and_the_secretariats_waits():
    plan = plan_targets([DIRECT, BY_REPORT], {}, as_of=d("01/04/2024"), calendar=CAL,
                        policy=POLICY, tree=UNITS)
    # X-CX: its window passed (secretariat). X-HL: O1 of its report (no head's address, so
    # unaddressed, R7..R0 skipped) and its window passed.
    assert [(row["target_id"], row["track"], row["rung"], row["state"], row["role"])
            for row in plan.rows] == [
        (1, TargetTrack.WINDOW_PASSED, "O1", LedgerState.QUEUED, RecipientRole.SECRETARIAT),
        *[(2, TargetTrack.REPORT, rung, LedgerState.SKIPPED, RecipientRole.RESPONSIBLE)
          for rung in ("R7", "R3", "R1", "R0")],
        (2, TargetTrack.REPORT, "O1", LedgerState.UNADDRESSED, RecipientRole.RESPONSIBLE),
        (2, TargetTrack.WINDOW_PASSED, "O1", LedgerState.QUEUED, RecipientRole.SECRETARIAT),
    ]
    assert (plan.alerts, plan.unaddressed, plan.skipped, plan.deliveries) == (2, 1, 4, [])
    assert [event.name for event in plan.events] == [EventName.TARGET_REMINDED] * 3

    plan = plan_targets([DIRECT], {}, as_of=d("29/01/2024"), calendar=CAL, policy=POLICY,
                        tree=UNITS)
    ((index, delivery),) = plan.deliveries
    assert plan.rows[index]["rung"] == "R3" and delivery.to == "chutich@chiengxom.example"
    assert delivery.cc == ("cchc@chiengxom.example",) and delivery.role is RecipientRole.RESPONSIBLE


def test_without_a_secretariat_address_its_rungs_are_recorded_unaddressed():
    plan = plan_targets([VISITED], {}, as_of=d("16/10/2019"), calendar=CAL, policy=Policy(),
                        tree=UNITS)
    assert [(row["state"], row["reason"]) for row in plan.rows] == [
        (LedgerState.UNADDRESSED, "chính sách chưa có secretariat.email")]
    assert plan.alerts == 0
