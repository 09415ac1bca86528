"""The reminder ladder (docs/architecture.md, "The ladder"), driven day by day around an item due on
Saturday 10/02/2024 — the first day of Tết, with 08/02–14/02/2024 off."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.calendar import WorkingCalendar
from domain.ladder import (
    Rung,
    RungKind,
    Track,
    decide,
    horizon,
    next_rung,
    reached,
    rungs_reached,
)
from domain.policy import Policy


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


CAL = WorkingCalendar()
DEFAULT = Policy()
DUE = d("10/02/2024")


def drive(due, first, last, policy=DEFAULT, recorded=None, calendar=CAL):
    """Call decide on every calendar day first..last, recording what was sent and skipped.
    Returns [(day, track, sent rung name, skipped rung names)]."""
    recorded = set() if recorded is None else recorded
    log = []
    day = first
    while day <= last:
        for decision in decide(due, day, calendar, policy, recorded):
            log.append((day, decision.track, decision.send.name, [r.name for r in decision.skip]))
            recorded.add((decision.track, decision.send.name))
            recorded.update((decision.track, r.name) for r in decision.skip)
        day += timedelta(days=1)
    return log


def sent(log, track):
    return [(name, day.strftime("%d/%m/%Y")) for day, t, name, _ in log if t is track]


FULL_RUN = drive(DUE, d("22/01/2024"), d("08/03/2024"))


# --- the default ladder, day by day --------------------------------------------------------------


def test_unit_track_sends_each_rung_on_its_working_day():
    assert sent(FULL_RUN, Track.UNIT) == [
        ("R7", "29/01/2024"),
        ("R3", "02/02/2024"),
        ("R1", "06/02/2024"),
        ("R0", "07/02/2024"),  # the last working day before Tết, on or before the due date
        ("O1", "15/02/2024"),  # the first working day after Tết
        ("O4", "20/02/2024"),
        ("O7", "23/02/2024"),
        ("O10", "28/02/2024"),
        ("O13", "04/03/2024"),
        ("O16", "07/03/2024"),
    ]


def test_overdue_notice_repeats_every_three_working_days():
    overdue_days = [
        CAL.overdue(DUE, day)
        for day, track, name, _ in FULL_RUN
        if track is Track.UNIT and name.startswith("O")
    ]
    assert overdue_days == [1, 4, 7, 10, 13, 16]


def test_escalation_track_sends_e1_after_five_and_e2_after_fifteen_working_days_overdue():
    assert sent(FULL_RUN, Track.ESCALATION) == [("E1", "21/02/2024"), ("E2", "06/03/2024")]
    assert CAL.overdue(DUE, d("21/02/2024")) == 5
    assert CAL.overdue(DUE, d("06/03/2024")) == 15


def test_a_daily_check_never_skips_a_rung():
    assert all(skipped == [] for _, _, _, skipped in FULL_RUN)


def test_nothing_is_decided_on_weekends_or_tet_days():
    days = {day for day, *_ in FULL_RUN}
    assert all(CAL.is_working_day(day) for day in days)
    tet = {d("08/02/2024") + timedelta(days=i) for i in range(7)}
    assert not days & tet


@pytest.mark.parametrize(
    "day", ["08/02/2024", "10/02/2024", "12/02/2024", "14/02/2024", "17/02/2024", "18/02/2024"]
)
def test_a_check_on_a_non_working_day_decides_nothing_even_with_nothing_recorded(day):
    assert decide(DUE, d(day), CAL, DEFAULT, set()) == []


def test_a_check_on_a_swapped_working_saturday_does_decide():
    # Saturday 04/05/2024 is a working day; an item due Tuesday 07/05 has 2 working days left.
    [decision] = decide(d("07/05/2024"), d("04/05/2024"), CAL, DEFAULT, set())
    assert (decision.track, decision.send.name) == (Track.UNIT, "R3")


# --- catching up after downtime: one decision per track, never a pile ----------------------------


@pytest.mark.parametrize(
    ("last_check", "unit_skip"),
    [
        ("07/02/2024", ["O1"]),  # R0 went out; O1 missed
        ("06/02/2024", ["R0", "O1"]),  # R0 and O1 missed
        (None, ["R7", "R3", "R1", "R0", "O1"]),  # nothing ever went out
    ],
)
def test_check_after_a_missed_week_sends_one_rung_per_track_and_skips_the_rest(last_check, unit_skip):
    recorded = set()
    if last_check:
        drive(DUE, d("22/01/2024"), d(last_check), recorded=recorded)
    decisions = decide(DUE, d("22/02/2024"), CAL, DEFAULT, recorded)
    by_track = {decision.track: decision for decision in decisions}
    assert len(decisions) == 2 and set(by_track) == {Track.UNIT, Track.ESCALATION}
    assert by_track[Track.UNIT].send.name == "O4"
    assert [r.name for r in by_track[Track.UNIT].skip] == unit_skip
    assert by_track[Track.ESCALATION].send.name == "E1"
    assert by_track[Track.ESCALATION].skip == ()


def test_a_report_awaiting_review_pauses_both_tracks_and_its_return_catches_up_once():
    recorded = set()
    drive(DUE, d("22/01/2024"), d("02/02/2024"), recorded=recorded)  # R7 and R3 went out
    # Reported on 05/02, returned on 22/02: every day's check reaches nothing meanwhile.
    day = d("05/02/2024")
    while day < d("22/02/2024"):
        assert decide(DUE, day, CAL, DEFAULT, recorded, awaiting_review=True) == [], day
        day += timedelta(days=1)
    log = drive(DUE, d("22/02/2024"), d("22/02/2024"), recorded=recorded)
    assert [(track, name, skipped) for _, track, name, skipped in log] == [
        (Track.UNIT, "O4", ["R1", "R0", "O1"]), (Track.ESCALATION, "E1", [])]


def test_catching_up_past_e2_skips_e1():
    [escalation] = [
        x for x in decide(DUE, d("06/03/2024"), CAL, DEFAULT, set()) if x.track is Track.ESCALATION
    ]
    assert escalation.send.name == "E2"
    assert [r.name for r in escalation.skip] == ["E1"]


def test_after_catching_up_the_ladder_continues_on_its_usual_days():
    recorded = set()
    drive(DUE, d("22/01/2024"), d("07/02/2024"), recorded=recorded)
    log = drive(DUE, d("22/02/2024"), d("08/03/2024"), recorded=recorded)
    assert sent(log, Track.UNIT) == [
        ("O4", "22/02/2024"),
        ("O7", "23/02/2024"),
        ("O10", "28/02/2024"),
        ("O13", "04/03/2024"),
        ("O16", "07/03/2024"),
    ]
    assert sent(log, Track.ESCALATION) == [("E1", "22/02/2024"), ("E2", "06/03/2024")]


def test_a_rerun_of_the_same_check_decides_nothing():
    recorded = set()
    for day in ("29/01/2024", "15/02/2024", "21/02/2024", "23/02/2024"):
        first = decide(DUE, d(day), CAL, DEFAULT, recorded)
        assert first, day
        for decision in first:
            recorded.add((decision.track, decision.send.name))
            recorded.update((decision.track, r.name) for r in decision.skip)
        assert decide(DUE, d(day), CAL, DEFAULT, recorded) == []


def test_an_item_with_no_due_date_decides_nothing():
    day = d("22/01/2024")
    while day <= d("08/03/2024"):
        assert decide(None, day, CAL, DEFAULT, set()) == []
        day += timedelta(days=1)


def test_an_item_far_from_its_due_date_decides_nothing():
    assert decide(DUE, d("22/01/2024"), CAL, DEFAULT, set()) == []


# --- reached / next_rung ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "track", "expected"),
    [
        ("26/01/2024", Track.UNIT, None),
        ("29/01/2024", Track.UNIT, "R7"),
        ("01/02/2024", Track.UNIT, "R7"),
        ("02/02/2024", Track.UNIT, "R3"),
        ("10/02/2024", Track.UNIT, "R0"),
        ("19/02/2024", Track.UNIT, "O1"),
        ("22/02/2024", Track.UNIT, "O4"),
        ("20/02/2024", Track.ESCALATION, None),
        ("21/02/2024", Track.ESCALATION, "E1"),
        ("05/03/2024", Track.ESCALATION, "E1"),
        ("06/03/2024", Track.ESCALATION, "E2"),
    ],
)
def test_reached_is_the_most_advanced_rung_of_the_track(as_of, track, expected):
    rung = reached(track, DUE, d(as_of), CAL, DEFAULT)
    assert (rung.name if rung else None) == expected


@pytest.mark.parametrize(
    ("as_of", "track", "name", "on"),
    [
        ("22/01/2024", Track.UNIT, "R7", "29/01/2024"),
        ("29/01/2024", Track.UNIT, "R3", "02/02/2024"),
        ("01/02/2024", Track.UNIT, "R3", "02/02/2024"),
        ("02/02/2024", Track.UNIT, "R1", "06/02/2024"),
        ("06/02/2024", Track.UNIT, "R0", "07/02/2024"),
        ("07/02/2024", Track.UNIT, "O1", "15/02/2024"),
        ("10/02/2024", Track.UNIT, "O1", "15/02/2024"),
        ("15/02/2024", Track.UNIT, "O4", "20/02/2024"),
        ("22/02/2024", Track.UNIT, "O7", "23/02/2024"),
        ("22/01/2024", Track.ESCALATION, "E1", "21/02/2024"),
        ("20/02/2024", Track.ESCALATION, "E1", "21/02/2024"),
        ("21/02/2024", Track.ESCALATION, "E2", "06/03/2024"),
    ],
)
def test_next_rung_names_the_coming_rung_and_its_day(as_of, track, name, on):
    rung, day = next_rung(track, DUE, d(as_of), CAL, DEFAULT)
    assert (rung.name, day) == (name, d(on))


def test_next_rung_is_none_once_the_last_escalation_is_reached():
    assert next_rung(Track.ESCALATION, DUE, d("06/03/2024"), CAL, DEFAULT) is None


def test_next_rung_day_is_the_day_decide_sends_it():
    for as_of, track in [("22/01/2024", Track.UNIT), ("07/02/2024", Track.UNIT),
                         ("22/02/2024", Track.UNIT), ("21/02/2024", Track.ESCALATION)]:
        rung, day = next_rung(track, DUE, d(as_of), CAL, DEFAULT)
        assert (day, track, rung.name) in {(x[0], x[1], x[2]) for x in FULL_RUN}


def test_rung_names_and_kinds():
    assert Rung(Track.UNIT, RungKind.REMINDER, 7).name == "R7"
    assert Rung(Track.UNIT, RungKind.DUE, 0).name == "R0"
    assert Rung(Track.UNIT, RungKind.OVERDUE, 4).name == "O4"
    assert Rung(Track.ESCALATION, RungKind.ESCALATION, 15, level=2).name == "E2"


# --- a custom policy changes the days -------------------------------------------------------------


CUSTOM = Policy(reminder_days=(10, 5), overdue_repeat_days=5, escalation_days=(3,))


def test_custom_policy_changes_the_reminder_overdue_and_escalation_days():
    log = drive(DUE, d("15/01/2024"), d("08/03/2024"), policy=CUSTOM)
    assert sent(log, Track.UNIT) == [
        ("R10", "24/01/2024"),
        ("R5", "31/01/2024"),
        ("R0", "07/02/2024"),
        ("O1", "15/02/2024"),
        ("O6", "22/02/2024"),
        ("O11", "29/02/2024"),
        ("O16", "07/03/2024"),
    ]
    assert sent(log, Track.ESCALATION) == [("E1", "19/02/2024")]
    assert CAL.remaining(d("24/01/2024"), DUE) == 10
    assert CAL.overdue(DUE, d("19/02/2024")) == 3


def test_custom_policy_catch_up_skips_its_own_rungs():
    decisions = decide(DUE, d("23/02/2024"), CAL, CUSTOM, set())
    by_track = {x.track: x for x in decisions}
    assert by_track[Track.UNIT].send.name == "O6"
    assert [r.name for r in by_track[Track.UNIT].skip] == ["R10", "R5", "R0", "O1"]
    assert by_track[Track.ESCALATION].send.name == "E1"


def test_custom_policy_next_rung():
    assert next_rung(Track.UNIT, DUE, d("15/02/2024"), CAL, CUSTOM)[0].name == "O6"
    assert next_rung(Track.UNIT, DUE, d("22/01/2024"), CAL, CUSTOM) == (
        Rung(Track.UNIT, RungKind.REMINDER, 10),
        d("24/01/2024"),
    )
    assert next_rung(Track.ESCALATION, DUE, d("19/02/2024"), CAL, CUSTOM) is None


def test_a_local_day_off_moves_the_ladder():
    # An extra local day off on Monday 19/02/2024 pushes O4 and E1 one working day later.
    local = WorkingCalendar.with_overrides(days_off=[d("19/02/2024")])
    log = drive(DUE, d("15/02/2024"), d("23/02/2024"), calendar=local)
    assert sent(log, Track.UNIT) == [("O1", "15/02/2024"), ("O4", "21/02/2024")]
    assert sent(log, Track.ESCALATION) == [("E1", "22/02/2024")]


def test_a_check_dated_before_one_already_made_sends_nothing_older():
    calendar, policy = WorkingCalendar(), Policy()
    due = date(2024, 2, 10)
    recorded = {(Track.UNIT, "O1")}
    assert decide(due, date(2024, 2, 6), calendar, policy, recorded) == []
    later = decide(due, date(2024, 2, 20), calendar, policy, recorded)
    assert [d.send.name for d in later] == ["O4"]


@pytest.mark.parametrize("policy", [DEFAULT, Policy(reminder_days=(10, 2))])
def test_an_item_due_on_or_after_the_horizon_reaches_no_rung_and_one_due_before_does(policy):
    # Check days around Tết 2024, so that the horizon has to jump the holiday.
    for as_of in (d("01/02/2024"), d("07/02/2024"), d("15/02/2024"), d("26/02/2024")):
        limit = horizon(as_of, CAL, policy)
        for due in (as_of + timedelta(days=n) for n in range(-400, 120)):
            assert bool(decide(due, as_of, CAL, policy)) == (due < limit), (as_of, due)


@pytest.mark.parametrize("policy", [DEFAULT, Policy(reminder_days=(10, 2), escalation_days=(3,))])
def test_the_rungs_reached_that_day_recorded_leave_nothing_to_decide(policy):
    # What lets a daily check leave an item unread: with the rungs its due date reached that
    # day in its ledger, the ladder has nothing to add; lacking any of them, it has.
    for as_of in (d("01/02/2024"), d("15/02/2024"), d("26/02/2024")):
        for due in (as_of + timedelta(days=n) for n in range(-400, 30)):
            names = dict(zip(Track, rungs_reached(due, as_of, CAL, policy), strict=True))
            recorded = {(track, name) for track, name in names.items() if name}
            assert decide(due, as_of, CAL, policy, recorded) == [], (as_of, due)
            for track in recorded:
                decided = decide(due, as_of, CAL, policy, recorded - {track})
                assert [(x.track, x.send.name) for x in decided] == [track], (as_of, due)
            assert bool(decide(due, as_of, CAL, policy)) == bool(recorded), (as_of, due)
