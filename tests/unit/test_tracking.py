"""What a secretariat may record by hand about an item, decided without a database: extending
and dating a deadline, completing (on a day that can be), reopening, correcting a completion;
each decision's changes and events, the item it reads left as it was."""

from __future__ import annotations

from datetime import date

import pytest

from domain import tracking
from domain.events import (
    CompletionCorrected,
    DeadlineSet,
    ItemCompleted,
    ItemExtended,
    ItemReopened,
    ReopenedAfterEvaluation,
)
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


# -- the decisions: what changes, what is recorded, and the item read left as it was ----------

def decided(decide, item, *args, **options):
    """The decision, checking it left the item it read unchanged."""
    before = item.model_dump()
    decision = decide(item, *args, **options)
    assert item.model_dump() == before
    return decision


def test_a_completion_on_time_sets_its_day_and_evidence_and_records_who():
    decision = decided(tracking.complete, item(id=7), date(2021, 6, 30), "CV 12/UBND",
                       today=TODAY, origin=Origin(), by="cchc", ip="10.0.0.1")
    assert decision.changes == {"completed_on": date(2021, 6, 30), "evidence": "CV 12/UBND"}
    assert decision.events == (ItemCompleted(
        item_id=7, on=date(2021, 6, 30), evidence="CV 12/UBND", due=date(2021, 6, 30),
        on_time=True, source="command", by="cchc", ip="10.0.0.1"),)


def test_a_late_completion_without_evidence_keeps_the_evidence_recorded():
    decision = decided(tracking.complete, item(id=7, evidence="Báo cáo cũ"), date(2021, 7, 1),
                       today=TODAY, origin=Origin(), source="web")
    assert decision.changes == {"completed_on": date(2021, 7, 1)}
    (event,) = decision.events
    assert (event.on_time, event.source, event.evidence) == (False, "web", None)


def test_a_completion_after_a_reopening_is_measured_against_the_date_it_missed():
    reopened = item(id=7, due=date(2021, 9, 30), reopened_on=date(2021, 7, 5),
                    due_when_reopened=date(2021, 6, 30))
    (event,) = decided(tracking.complete, reopened, date(2021, 9, 1), today=TODAY,
                       origin=Origin()).events
    assert event.on_time is False


def test_a_completion_refused_by_its_rule_decides_nothing():
    with pytest.raises(ItemError, match="chưa đến"):
        tracking.complete(item(), date(2027, 1, 1), today=TODAY, origin=Origin())


def test_reopening_clears_the_completion_and_keeps_it_in_the_event():
    done = item(id=7, completed_on=date(2021, 7, 2), evidence="CV 12")
    decision = decided(tracking.reopen, done, "  Ghi nhầm  ")
    assert decision.changes == {"completed_on": None, "evidence": None}
    assert decision.events == (ItemReopened(item_id=7, completed_on=date(2021, 7, 2),
                                            evidence="CV 12", reason="Ghi nhầm"),)


def test_correcting_a_completion_keeps_the_date_it_replaces():
    done = item(id=7, completed_on=date(2021, 7, 2))
    decision = decided(tracking.correct_completion, done, date(2021, 6, 29), "Ghi nhầm ngày",
                       today=TODAY, origin=Origin(), by="cchc")
    assert decision.changes == {"completed_on": date(2021, 6, 29)}
    assert decision.events == (CompletionCorrected(
        item_id=7, previous=date(2021, 7, 2), on=date(2021, 6, 29), on_time=True,
        reason="Ghi nhầm ngày", by="cchc"),)


def test_an_extension_moves_the_due_date_and_its_event_holds_the_extension_row():
    decision = decided(tracking.extend, item(id=7), date(2021, 7, 31), " Chờ bộ thủ tục ",
                       "Chủ tịch UBND", ip="10.0.0.1")
    assert decision.changes == {"due_date": date(2021, 7, 31)}
    assert decision.events == (ItemExtended(
        item_id=7, previous_due=date(2021, 6, 30), new_due=date(2021, 7, 31),
        original_due=date(2021, 6, 30), reason="Chờ bộ thủ tục", approved_by="Chủ tịch UBND",
        ip="10.0.0.1"),)
    with pytest.raises(ItemError, match="phải sau hạn hiện tại"):
        tracking.extend(item(), date(2021, 6, 30), "Chờ")


def test_a_first_evaluation_reopening_remembers_the_date_missed():
    decision = decided(tracking.reopen_after_evaluation, item(id=7), date(2021, 9, 30),
                       "Chưa đủ hồ sơ", date(2021, 7, 5), by="cchc")
    assert decision.changes == {"due_date": date(2021, 9, 30), "reopened_on": date(2021, 7, 5),
                                "due_when_reopened": date(2021, 6, 30)}
    assert decision.events == (ReopenedAfterEvaluation(
        item_id=7, previous_due=date(2021, 6, 30), new_due=date(2021, 9, 30),
        missed_due=date(2021, 6, 30), comment="Chưa đủ hồ sơ", by="cchc"),)


def test_a_second_evaluation_reopening_keeps_the_first_date_missed():
    again = item(id=7, due=date(2021, 9, 30), reopened_on=date(2021, 7, 5),
                 due_when_reopened=date(2021, 6, 30))
    decision = decided(tracking.reopen_after_evaluation, again, date(2021, 11, 30), "Vẫn thiếu",
                       date(2021, 10, 1))
    assert decision.changes == {"due_date": date(2021, 11, 30)}
    (event,) = decision.events
    assert (event.previous_due, event.missed_due) == (date(2021, 9, 30), date(2021, 6, 30))


def test_dating_an_undetermined_deadline_makes_it_the_original_date():
    undetermined = item("1.2", "undetermined", "Theo kế hoạch", None, id=7)
    decision = decided(tracking.set_deadline, undetermined, date(2021, 9, 30), " Công văn 12 ")
    assert decision.changes == {"due_date": date(2021, 9, 30),
                                "original_due_date": date(2021, 9, 30), "deadline_kind": "fixed"}
    assert decision.events == (DeadlineSet(item_id=7, due=date(2021, 9, 30),
                                           deadline="Theo kế hoạch", reason="Công văn 12"),)


def test_a_recurring_rule_is_read_in_the_plans_year_and_recorded_as_read():
    undetermined = item("1.2", "undetermined", "Theo kế hoạch", None, id=7)
    decision = decided(tracking.set_rule, undetermined, "Trước ngày 10 hằng tháng", "CV 12",
                       plan_year=2021)
    assert decision.changes == {
        "due_date": None, "original_due_date": None, "deadline_kind": "recurring",
        "deadline_rule": {"periods": ["month"], "day": 10, "month": None}}
    assert decision.events == (DeadlineSet(item_id=7, rule="định kỳ hằng tháng, ngày 10",
                                           deadline="Theo kế hoạch", reason="CV 12"),)


def test_a_rule_is_refused_for_an_item_of_no_plan_or_when_it_is_no_rule():
    undetermined = item("1.2", "undetermined", "Theo kế hoạch", None)
    assert "không thuộc kế hoạch nào" in refusal(
        lambda: tracking.set_rule(undetermined, "Hằng tháng", "CV 12", plan_year=None))
    assert "đọc là 30/09/2021" in refusal(
        lambda: tracking.set_rule(undetermined, "Quý III/2021", "CV 12", plan_year=2021))
