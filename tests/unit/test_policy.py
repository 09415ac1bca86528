"""The secretariat's policy file: the ladder's defaults (docs/architecture.md), valid changes,
and every bad key/value refused with the key named."""

from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import CalendarOverrides, WorkingCalendar
from domain.policy import (
    InspectionReminders,
    Policy,
    PolicyError,
    Secretariat,
    policy_from_mapping,
)

SOURCE = "policy.yaml"


def test_defaults_are_the_ladder_of_design_md():
    policy = Policy()
    assert policy.reminder_days == (7, 3, 1)
    assert policy.overdue_repeat_days == 3
    assert policy.escalation_days == (5, 15)
    assert policy.due_soon_days == 7
    # R7..R0 cc the focal officer; overdue notices cc the secretariat too;
    # E1 cc the unit head and secretariat, E2 cc the secretariat.
    assert policy.cc_reminder == ("focal",)
    assert policy.cc_overdue == ("focal", "secretariat")
    assert policy.cc_escalation == (("unit_head", "secretariat"), ("secretariat",))
    assert policy.calendar == CalendarOverrides()


def test_the_secretariat_may_name_its_phone_officer_and_the_unit_it_serves():
    policy = policy_from_mapping({"secretariat": {
        "name": "Phòng Nội vụ thành phố Sơn La", "email": "cchc@pnv.example",
        "phone": "0212 3852 123", "officer": "Nguyễn Văn An", "organisation": "TP-SL"}}, SOURCE)
    assert policy.secretariat == Secretariat("Phòng Nội vụ thành phố Sơn La", "cchc@pnv.example",
                                             "0212 3852 123", "Nguyễn Văn An")
    assert policy.organisation == "TP-SL"
    assert Policy().organisation is None  # the latest plan's issuing unit, else the root


def test_an_empty_policy_file_gives_the_defaults():
    assert policy_from_mapping({}, SOURCE) == Policy()


def test_a_valid_mapping_changes_every_value_it_names():
    policy = policy_from_mapping(
        {
            "reminder_days": [10, 5],
            "overdue_repeat_days": 5,
            "escalation_days": [3],
            "cc": {
                "reminder": [],
                "overdue": ["secretariat"],
                "escalation": [["unit_head"]],
            },
            "secretariat": {"name": "  Phòng Nội vụ thành phố Sơn La ", "email": "pnv@sonla.example"},
            "calendar": {
                "days_off": ["11/06/2024", date(2024, 6, 12)],
                "working_days": ["2024-06-08"],
            },
        },
        SOURCE,
    )
    assert policy.reminder_days == (10, 5)
    assert policy.due_soon_days == 10
    assert policy.overdue_repeat_days == 5
    assert policy.escalation_days == (3,)
    assert policy.cc_reminder == ()
    assert policy.cc_overdue == ("secretariat",)
    assert policy.cc_escalation == (("unit_head",),)
    assert policy.secretariat_name == "Phòng Nội vụ thành phố Sơn La"
    assert policy.secretariat_email == "pnv@sonla.example"
    assert policy.calendar.days_off == frozenset({date(2024, 6, 11), date(2024, 6, 12)})
    assert policy.calendar.working_days == frozenset({date(2024, 6, 8)})


def test_policy_calendar_overrides_change_working_day_counting():
    policy = policy_from_mapping(
        {"calendar": {"days_off": ["11/06/2024"], "working_days": ["08/06/2024"]}}, SOURCE
    )
    calendar = WorkingCalendar(policy.calendar)
    assert not calendar.is_working_day(date(2024, 6, 11))
    assert calendar.is_working_day(date(2024, 6, 8))


def test_the_inspection_reminders_default_to_the_readmes_and_each_can_be_switched_off():
    assert Policy().inspections == InspectionReminders(
        self_report_days=5, report_reminders=True, window_alerts=True, conclusion_days=15)
    off = policy_from_mapping({"inspections": {
        "self_report_days": 0, "report_reminders": False, "window_alerts": False,
        "conclusion_days": 0}}, SOURCE)
    assert off.inspections == InspectionReminders(0, False, False, 0)
    assert off.reminder_days == Policy().reminder_days
    assert policy_from_mapping({"inspections": {"conclusion_days": 10}}, SOURCE).inspections \
        == InspectionReminders(conclusion_days=10)


def test_a_partial_mapping_keeps_the_other_defaults():
    policy = policy_from_mapping({"overdue_repeat_days": 2}, SOURCE)
    assert policy == Policy(overdue_repeat_days=2)


@pytest.mark.parametrize(
    ("mapping", "key"),
    [
        ({"reminder_day": [7, 3, 1]}, "reminder_day"),  # unknown top-level key (typo)
        ({"reminder_days": [1, 3, 7]}, "reminder_days"),  # not descending
        ({"reminder_days": [7, 7, 3]}, "reminder_days"),  # repeated
        ({"reminder_days": [7, 3, 0]}, "reminder_days"),  # not positive
        ({"reminder_days": []}, "reminder_days"),
        ({"reminder_days": "7, 3, 1"}, "reminder_days"),
        ({"overdue_repeat_days": 0}, "overdue_repeat_days"),
        ({"overdue_repeat_days": "3"}, "overdue_repeat_days"),
        ({"overdue_repeat_days": True}, "overdue_repeat_days"),
        ({"escalation_days": [15, 5]}, "escalation_days"),  # not increasing
        ({"escalation_days": [5, 5]}, "escalation_days"),
        ({"escalation_days": [0, 5]}, "escalation_days"),
        ({"escalation_days": [5, 10, 15]}, "cc.escalation"),  # 3 levels, cc for 2
        ({"cc": {"reminder": ["director"]}}, "cc.reminder"),  # unknown role
        ({"cc": {"overdue": ["focal", "boss"]}}, "cc.overdue"),
        ({"cc": {"escalation": [["secretariat"], ["chairman"]]}}, "cc.escalation[1]"),
        ({"cc": {"escalation": [["secretariat"]]}}, "cc.escalation"),  # one list for two levels
        ({"cc": {"due": ["focal"]}}, "cc.due"),
        ({"cc": ["focal"]}, "cc"),
        ({"secretariat": {"email": "not-an-address"}}, "secretariat.email"),
        ({"secretariat": {"name": "  "}}, "secretariat.name"),
        ({"secretariat": {"fax": "0212"}}, "secretariat.fax"),
        ({"secretariat": {"organisation": " "}}, "secretariat.organisation"),
        ({"secretariat": {"phone": 2123852123}}, "secretariat.phone"),
        ({"calendar": {"days_off": ["31/02/2024"]}}, "calendar.days_off"),  # bad date
        ({"calendar": {"days_off": ["2024-13-01"]}}, "calendar.days_off"),
        ({"calendar": {"days_off": ["mùng 1 Tết"]}}, "calendar.days_off"),
        ({"calendar": {"days_off": "11/06/2024"}}, "calendar.days_off"),  # not a list
        ({"calendar": {"working_days": ["08/06/24x"]}}, "calendar.working_days"),
        ({"calendar": {"holidays": ["11/06/2024"]}}, "calendar.holidays"),
        ({"inspections": {"self_report_days": -1}}, "inspections.self_report_days"),
        ({"inspections": {"self_report_days": "5"}}, "inspections.self_report_days"),
        ({"inspections": {"conclusion_days": True}}, "inspections.conclusion_days"),
        ({"inspections": {"conclusion_days": 7.5}}, "inspections.conclusion_days"),
        ({"inspections": {"report_reminders": "yes"}}, "inspections.report_reminders"),
        ({"inspections": {"window_alerts": 1}}, "inspections.window_alerts"),
        ({"inspections": {"visit_days": 3}}, "inspections.visit_days"),  # unknown key
        ({"inspections": [5]}, "inspections"),
    ],
)
def test_bad_policy_values_are_refused_naming_the_key(mapping, key):
    with pytest.raises(PolicyError) as raised:
        policy_from_mapping(mapping, SOURCE)
    assert raised.value.key == key
    assert raised.value.source == SOURCE
    assert SOURCE in str(raised.value) and key in str(raised.value)


def test_a_day_both_off_and_working_is_refused_naming_the_calendar_and_the_day():
    with pytest.raises(PolicyError) as raised:
        policy_from_mapping(
            {"calendar": {"days_off": ["11/06/2024"], "working_days": ["2024-06-11"]}}, SOURCE
        )
    assert raised.value.key.startswith("calendar")
    assert "11/06/2024" in str(raised.value)
