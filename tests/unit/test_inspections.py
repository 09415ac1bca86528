"""The inspection cycle's decisions, without a database: a target inspected, concluded, added
to or dropped from its plan — each transition with its event, each refusal with its reason."""

from __future__ import annotations

from datetime import date

import pytest

from domain.events import (
    EventName,
    InspectionConcluded,
    InspectionDone,
    TargetAdded,
    TargetDropped,
    parse,
)
from domain.inspections import (
    InspectionError,
    Window,
    add_target,
    conclude,
    drop_target,
    inspect,
    read_mode,
    read_window,
)
from domain.models import InspectionPlan, InspectionTarget
from domain.states import InspectionMode, TargetState

TODAY = date(2019, 12, 2)
PLAN = InspectionPlan(code="KT-2019", title="Kế hoạch kiểm tra CCHC năm 2019", year=2019,
                      decision_number="53/QĐ-UBND", decision_date=date(2019, 1, 7))


def target(state=TargetState.PLANNED, mode=InspectionMode.DIRECT, **extra) -> InspectionTarget:
    values = {"window_text": "Từ 23 đến 25/9/2019", "window_opens": date(2019, 9, 23),
              "window_closes": date(2019, 9, 25)} | extra
    return InspectionTarget(plan_code="KT-2019", unit_code="TP-SL", mode=mode.value,
                            state=state.value, **values)


def visited(**extra) -> InspectionTarget:
    return target(TargetState.INSPECTED, inspected_from=date(2019, 9, 23),
                  inspected_to=date(2019, 9, 25), **extra)


def refusal(decide, *args, **kwargs) -> InspectionError:
    with pytest.raises(InspectionError) as refused:
        decide(*args, **kwargs)
    return refused.value


def test_a_visit_inspects_the_target_and_says_whether_it_kept_its_window():
    decision = inspect(target(), PLAN, date(2019, 9, 23), date(2019, 9, 25), TODAY)
    assert decision.changes == {"state": "inspected", "inspected_from": date(2019, 9, 23),
                                "inspected_to": date(2019, 9, 25)}
    (event,) = decision.events
    assert isinstance(event, InspectionDone) and event.name is EventName.INSPECTION_DONE
    assert event.data() == {
        "plan": "KT-2019", "unit": "TP-SL", "mode": "direct", "inspected_from": "2019-09-23",
        "inspected_to": "2019-09-25", "within_window": True, "previous_from": None,
        "previous_to": None, "by": None, "ip": None}  # the command line names nobody
    assert parse(event.name, event.data()) == event  # stored, and read back by history
    late = inspect(target(), PLAN, date(2019, 10, 1), date(2019, 10, 1), TODAY)
    assert late.events[0].within_window is False
    windowless = target(window_text=None, window_opens=None, window_closes=None)
    assert inspect(windowless, PLAN, date(2019, 10, 1), date(2019, 10, 1),
                   TODAY).events[0].within_window is None


def test_a_report_reviewed_is_the_inspection_of_a_by_report_target():
    decision = inspect(target(mode=InspectionMode.BY_REPORT), PLAN, date(2019, 6, 20),
                       date(2019, 6, 20), TODAY)
    assert decision.changes["state"] == TargetState.INSPECTED
    assert decision.events[0].mode is InspectionMode.BY_REPORT


def test_a_visit_recorded_again_before_its_conclusion_corrects_its_dates():
    decision = inspect(visited(), PLAN, date(2019, 9, 24), date(2019, 9, 26), TODAY)
    event = decision.events[0]
    assert (event.previous_from, event.previous_to) == (date(2019, 9, 23), date(2019, 9, 25))
    assert decision.changes["inspected_to"] == date(2019, 9, 26)


@pytest.mark.parametrize(("on_from", "on_to", "said"), [
    (date(2019, 1, 6), date(2019, 1, 6), "trước ngày quyết định phê duyệt kế hoạch 07/01/2019"),
    (date(2019, 12, 1), date(2019, 12, 3), "03/12/2019 là ngày trong tương lai"),
    (date(2019, 9, 25), date(2019, 9, 23), "ngày cuối 23/09/2019 trước ngày đầu 25/09/2019"),
])
def test_a_visit_on_impossible_days_is_refused_naming_the_day(on_from, on_to, said):
    error = refusal(inspect, target(), PLAN, on_from, on_to, TODAY)
    assert said in str(error) and error.field == "on"


def test_a_plan_without_a_decision_date_refuses_visits_before_its_year():
    undated = InspectionPlan(code="KT-2019", title="…", year=2019)
    error = refusal(inspect, target(), undated, date(2018, 12, 31), date(2018, 12, 31), TODAY)
    assert "đầu năm của kế hoạch (01/01/2019)" in str(error)


def test_a_concluded_or_dropped_target_cannot_be_inspected():
    concluded = target(TargetState.CONCLUDED, inspected_from=date(2019, 9, 23),
                       inspected_to=date(2019, 9, 25))
    assert "đã có kết luận" in str(refusal(inspect, concluded, PLAN, date(2019, 9, 23),
                                           date(2019, 9, 23), TODAY))
    dropped = target(TargetState.DROPPED, dropped_on=date(2019, 5, 2),
                     dropped_reason="Sáp nhập")
    said = str(refusal(inspect, dropped, PLAN, date(2019, 9, 23), date(2019, 9, 23), TODAY))
    assert "đưa ra khỏi kế hoạch ngày 02/05/2019 (Sáp nhập)" in said


def test_a_conclusion_with_findings_concludes_the_target():
    decision = conclude(visited(), " Thông báo số 12/TB-SNV ", date(2019, 10, 4), TODAY, True,
                        findings=5, by="thuongtruc", ip="10.0.0.7")
    assert decision.changes == {"state": "concluded", "has_findings": True}
    (event,) = decision.events
    assert isinstance(event, InspectionConcluded)
    # Recorded on the secretariat's pages: the login and its address.
    assert event.data() == {"plan": "KT-2019", "unit": "TP-SL", "doc": "Thông báo số 12/TB-SNV",
                            "on": "2019-10-04", "has_findings": True, "findings": 5,
                            "by": "thuongtruc", "ip": "10.0.0.7"}
    assert parse(event.name, event.data()) == event


def test_a_conclusion_without_findings_is_a_result():
    decision = conclude(visited(), "Thông báo số 13/TB-SNV", date(2019, 9, 25), TODAY, False)
    assert decision.changes == {"state": "concluded", "has_findings": False}


def test_one_document_may_conclude_several_targets_on_its_one_date():
    conclude(visited(), "TB 12", date(2019, 10, 4), TODAY, False, known_on=date(2019, 10, 4))
    error = refusal(conclude, visited(), "TB 12", date(2019, 10, 5), TODAY, False,
                    known_on=date(2019, 10, 4))
    assert "đã được ghi với ngày kết luận 04/10/2019" in str(error) and error.field == "on"


@pytest.mark.parametrize(("subject", "doc", "on", "has_findings", "findings", "said", "field"), [
    (target(), "TB 12", date(2019, 10, 4), True, 3, "chưa được ghi nhận đã kiểm tra",
     "findings"),
    (target(), "TB 12", date(2019, 10, 4), False, None, "cchc inspection done TP-SL", None),
    (visited(), "TB 12", date(2019, 9, 24), False, None,
     "ngày kết luận 24/09/2019 trước ngày kiểm tra 25/09/2019", "on"),
    (visited(), "TB 12", date(2019, 12, 3), False, None, "là ngày trong tương lai", "on"),
    (visited(), "  ", date(2019, 10, 4), False, None, "cần số, ký hiệu văn bản", "doc"),
    (visited(), "TB 12", date(2019, 10, 4), True, 0, "không có dòng nào", "findings"),
    (visited(), "TB 12", date(2019, 10, 4), False, 2, "lại có tệp tồn tại", "findings"),
    (target(TargetState.CONCLUDED, inspected_to=date(2019, 9, 25)), "TB 12", date(2019, 10, 4),
     False, None, "đã có kết luận", "doc"),
])
def test_a_conclusion_that_cannot_be_is_refused(subject, doc, on, has_findings, findings, said,
                                                field):
    error = refusal(conclude, subject, doc, on, TODAY, has_findings, findings=findings)
    assert said in str(error) and error.field == field


def test_a_target_added_after_approval_is_planned_with_its_reason():
    window = read_window("Quý IV", 2019)
    decision = add_target(PLAN, "X-CX", InspectionMode.BY_REPORT, window, " Theo chỉ đạo ",
                          TODAY)
    assert decision.changes == {
        "plan_code": "KT-2019", "unit_code": "X-CX", "mode": "by_report", "state": "planned",
        "window_text": "Quý IV", "window_opens": date(2019, 10, 1),
        "window_closes": date(2019, 12, 31), "added_on": TODAY, "added_reason": "Theo chỉ đạo",
        "dropped_on": None, "dropped_reason": None}
    (event,) = decision.events
    assert isinstance(event, TargetAdded) and event.data()["reason"] == "Theo chỉ đạo"


def test_adding_a_unit_already_planned_is_refused_and_a_dropped_one_comes_back():
    error = refusal(add_target, PLAN, "TP-SL", InspectionMode.DIRECT, Window(None), "Lý do",
                    TODAY, target())
    assert "đã có trong kế hoạch KT-2019" in str(error)
    dropped = target(TargetState.DROPPED, dropped_on=date(2019, 5, 2), dropped_reason="Sáp nhập")
    back = add_target(PLAN, "TP-SL", InspectionMode.DIRECT, Window(None), "Lý do", TODAY, dropped)
    assert back.changes["state"] == "planned" and back.changes["dropped_on"] is None
    assert "cần nêu lý do" in str(refusal(add_target, PLAN, "X-CX", InspectionMode.DIRECT,
                                          Window(None), " ", TODAY))


def test_a_planned_target_is_dropped_keeping_its_reason():
    decision = drop_target(target(), "Đơn vị đã sáp nhập", TODAY)
    assert decision.changes == {"state": "dropped", "dropped_on": TODAY,
                                "dropped_reason": "Đơn vị đã sáp nhập"}
    assert isinstance(decision.events[0], TargetDropped)
    assert decision.events[0].name is EventName.TARGET_DROPPED


def test_an_inspected_dropped_or_reasonless_target_is_not_dropped():
    assert "đã được kiểm tra ngày 23/09/2019" in str(refusal(drop_target, visited(), "x", TODAY))
    dropped = target(TargetState.DROPPED, dropped_on=date(2019, 5, 2), dropped_reason="Sáp nhập")
    assert "đã được đưa ra khỏi kế hoạch" in str(refusal(drop_target, dropped, "x", TODAY))
    assert refusal(drop_target, target(), "", TODAY).field == "reason"


@pytest.mark.parametrize(("text", "mode"), [
    ("Trực tiếp", InspectionMode.DIRECT), ("Kiểm tra trực tiếp", InspectionMode.DIRECT),
    ("KIỂM TRA TRỰC TIẾP", InspectionMode.DIRECT), ("Qua báo cáo", InspectionMode.BY_REPORT),
    ("Kiểm tra qua báo cáo", InspectionMode.BY_REPORT), ("Gián tiếp", InspectionMode.BY_REPORT),
    ("Thông qua báo cáo", InspectionMode.BY_REPORT), ("Trực tuyến", None), ("", None),
])
def test_a_mode_cell_reads_as_direct_or_by_report(text, mode):
    assert read_mode(text) is mode


@pytest.mark.parametrize(("text", "opens", "closes"), [
    ("Quý III", date(2019, 7, 1), date(2019, 9, 30)),
    ("Tháng 9/2019", date(2019, 9, 1), date(2019, 9, 30)),
    ("Từ 23 đến 25/9/2019", date(2019, 9, 23), date(2019, 9, 25)),
    ("Trước 30/6", None, date(2019, 6, 30)),
    ("Theo kế hoạch của Đoàn", None, None),
])
def test_a_window_is_read_by_the_plans_deadline_grammar(text, opens, closes):
    assert read_window(text, 2019) == Window(text, opens, closes)


def test_a_recurring_or_impossible_window_is_refused():
    assert "định kỳ" in str(refusal(read_window, "Hằng quý", 2019))
    assert refusal(read_window, "Quý V", 2019).field == "window"
    assert read_window("  ", 2019) == Window(None)
