"""What a secretariat may record by hand about an item, decided without a database: extending
and dating a deadline, completing (on a day that can be), reopening, correcting a completion."""

from __future__ import annotations

from datetime import date

import pytest

from domain.models import TrackedItem
from domain.tracking import (
    ItemError,
    Origin,
    check_completion,
    check_completion_correction,
    check_deadline_setting,
    check_extension,
    check_reopening,
    completion_date_problem,
    plan_start,
)

TODAY = date(2026, 12, 7)


def item(code="3.2", kind="fixed", text="Quý II/2021", due=date(2021, 6, 30), **extra):
    return TrackedItem(kind="task", scope="KH-2021", code=code, content="…", unit_code="VP",
                       deadline_text=text, deadline_kind=kind, due_date=due,
                       original_due_date=due, **extra)


def refusal(check, *args) -> str:
    with pytest.raises(ItemError) as refused:
        check(*args)
    return str(refused.value)


def test_extending_an_undetermined_deadline_is_refused_pointing_to_task_deadline():
    said = refusal(check_extension, item("1.2", "undetermined", "Theo kế hoạch", None),
                   date(2021, 9, 30), "Chờ hướng dẫn")
    assert "chưa xác định thời hạn" in said and "cchc task deadline 1.2" in said


def test_extending_a_continuous_task_is_refused_as_having_no_deadline():
    said = refusal(check_extension, item("2.1", "continuous", "Thường xuyên", None),
                   date(2021, 9, 30), "Chờ")
    assert "thường xuyên" in said and "không có hạn" in said


def test_extending_a_recurring_task_itself_names_its_periods_codes():
    parent = item("1.6", "recurring", "Hằng quý", None)
    said = refusal(check_extension, parent, date(2021, 9, 30), "Chờ",
                   ["1.6/Q3-2021", "1.6/N-2021"])
    assert "định kỳ" in said and "1.6/Q3-2021, 1.6/N-2021" in said
    # Also when its cell gives it a date of the plan's year ("Trước 30/4 hằng năm").
    dated = item("1.7", "recurring", "Trước 30/4 hằng năm", date(2021, 4, 30))
    assert "1.7/N-2021" in refusal(check_extension, dated, date(2021, 9, 30), "Chờ",
                                   ["1.7/N-2021"])


@pytest.mark.parametrize(("undated", "instead"), [
    (item("2.1", "continuous", "Thường xuyên", None), "không có hạn"),
    (item("1.6", "recurring", "Hằng quý", None), "theo mã của kỳ (các kỳ chưa hoàn thành: "
                                                 "1.6/Q3-2021)"),
])
def test_dating_an_item_without_a_deadline_does_not_point_to_extend(undated, instead):
    said = refusal(check_deadline_setting, undated, "Công văn 12", ["1.6/Q3-2021"])
    assert "extend" not in said and instead in said
    # A dated item is moved by extending it.
    assert "cchc task extend" in refusal(check_deadline_setting, item(), "Công văn 12")


def test_a_completion_cannot_be_dated_after_today_or_before_its_plan_began():
    # The 2021 plan, issued 07/01/2021, begins with its year.
    plan = Origin(plan_starts=plan_start(2021, date(2021, 1, 7)))
    said = refusal(check_completion, item(), date(2026, 12, 8), TODAY, plan)
    assert said == "ngày hoàn thành 08/12/2026 chưa đến (hôm nay 07/12/2026)"
    said = refusal(check_completion, item(), date(2020, 12, 31), TODAY, plan)
    assert said == "ngày hoàn thành 31/12/2020 trước ngày bắt đầu kế hoạch 01/01/2021"
    check_completion(item(), TODAY, TODAY, plan)
    check_completion(item(), date(2021, 1, 5), TODAY, plan)


def test_a_plan_issued_before_its_year_begins_on_its_issue():
    assert plan_start(2022, date(2021, 12, 21)) == date(2021, 12, 21)
    assert plan_start(2021, date(2021, 1, 7)) == plan_start(2021, None) == date(2021, 1, 1)


def test_a_day_is_checked_against_the_latest_origin_known():
    origin = Origin(plan_starts=date(2021, 1, 1), period_opens=date(2021, 4, 1))
    assert "trước ngày bắt đầu kỳ 01/04/2021" in completion_date_problem(
        date(2021, 3, 31), TODAY, origin, "ngày nhận")
    remediation = Origin(concluded_on=date(2019, 10, 4))
    assert "trước ngày kết luận kiểm tra 04/10/2019" in completion_date_problem(
        date(2019, 10, 3), TODAY, remediation)


def test_a_recurring_task_is_done_only_once_its_periods_are():
    parent = item("1.6", "recurring", "Hằng quý", None)
    said = refusal(check_completion, parent, date(2021, 12, 31), TODAY, Origin(),
                   ["1.6/Q3-2021", "1.6/N-2021"])
    assert "còn 2 kỳ chưa hoàn thành: 1.6/Q3-2021, 1.6/N-2021" in said
    check_completion(parent, date(2021, 12, 31), TODAY, Origin(), [])


def test_reopening_and_correcting_need_a_recorded_completion_and_a_reason():
    done = item(completed_on=date(2021, 7, 2))
    assert "chưa hoàn thành" in refusal(check_reopening, item(), "Ghi nhầm")
    assert "lý do" in refusal(check_reopening, done, "  ")
    assert "--correct" in refusal(check_completion_correction, item(), date(2021, 7, 1),
                                  "Ghi nhầm", TODAY, Origin())
    assert "chưa đến" in refusal(check_completion_correction, done, date(2027, 1, 1),
                                 "Ghi nhầm", TODAY, Origin())
    check_completion_correction(done, date(2021, 6, 29), "Ghi nhầm ngày", TODAY, Origin())
