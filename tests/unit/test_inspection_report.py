"""An inspection plan's reading as of a day, without a database: where each target stood that
day, whose conclusion a remediation item belongs to, the counts by mode and by kind of unit,
the PAR figures, and the sentences a secretariat writes of them — among them the district's
account: "đã thực hiện công tác kiểm tra theo kế hoạch tại 12 phòng ban chuyên môn thuộc huyện
và 13 xã, thị trấn. Trong đó: Kiểm tra trực tiếp tại 5 xã và 1 thị trấn; 6 cơ quan chuyên
môn. Kiểm tra qua báo cáo của 7 xã và 6 cơ quan chuyên môn." """

from __future__ import annotations

from datetime import date

from domain.inspection_report import (
    Conclusion,
    RemediationItem,
    UnitFacts,
    counted_units,
    owning_target,
    plan_reading,
    remediation_of,
    state_as_of,
    target_line,
)
from domain.models import InspectionPlan, InspectionTarget
from domain.par_index import IndicatorKind
from domain.states import InspectionMode, SubmissionState, TargetState, UnitKind
from domain.status import Status
from notifications.summary import inspection_lines

DIRECT, BY_REPORT = InspectionMode.DIRECT, InspectionMode.BY_REPORT
DISTRICT = UnitFacts("H-MS", "UBND huyện Mai Sơn", None, UnitKind.DISTRICT)
PLAN = InspectionPlan(code="KHKT-2019", title="Kiểm tra công tác cải cách hành chính năm 2019",
                      year=2019, decision_number="53/QĐ-UBND", decision_date=date(2019, 1, 7),
                      issuing_unit_code="H-MS")
VISIT = (date(2019, 9, 23), date(2019, 9, 25))


def target(unit: str, mode: InspectionMode = DIRECT, state=TargetState.PLANNED,
           **extra) -> InspectionTarget:
    values = {"window_text": "Quý III", "window_opens": date(2019, 7, 1),
              "window_closes": date(2019, 9, 30)} | extra
    return InspectionTarget(plan_code=PLAN.code, unit_code=unit, mode=mode.value,
                            state=state.value, **values)


def inspected(unit: str, mode: InspectionMode = DIRECT, **extra) -> InspectionTarget:
    return target(unit, mode, TargetState.INSPECTED, inspected_from=VISIT[0],
                  inspected_to=VISIT[1], **extra)


def line(t: InspectionTarget, kind: UnitKind, as_of=date(2019, 12, 31), conclusion=None,
         items=()):
    return target_line(t, f"Đơn vị {t.unit_code}", kind, conclusion, items, as_of)


def the_account(as_of=date(2019, 12, 31)):
    """The district's plan: 12 direct (6 offices, 5 communes, the town), 13 by report (6
    offices, 7 communes), every one inspected."""
    plan = [(f"P{n}", UnitKind.OFFICE, DIRECT if n < 6 else BY_REPORT) for n in range(12)]
    plan += [(f"X{n}", UnitKind.COMMUNE, DIRECT if n < 5 else BY_REPORT) for n in range(12)]
    plan += [("TT", UnitKind.TOWNSHIP, DIRECT)]
    return [line(inspected(code, mode), kind, as_of) for code, kind, mode in plan]


def reading(lines, as_of=date(2019, 12, 31), eligible=None, counted=()):
    return plan_reading(PLAN, lines, as_of, eligible or {}, counted, DISTRICT)


def test_the_district_account_is_said_as_its_secretariat_says_it():
    said = inspection_lines(reading(the_account()))
    assert said[0] == (
        "Kế hoạch kiểm tra KHKT-2019 (Kiểm tra công tác cải cách hành chính năm 2019; Quyết "
        "định số 53/QĐ-UBND ngày 07/01/2019): 25 đơn vị — 12 phòng ban chuyên môn thuộc huyện "
        "và 13 xã, thị trấn. Kiểm tra trực tiếp tại 5 xã và 1 thị trấn; 6 cơ quan chuyên môn. "
        "Kiểm tra qua báo cáo của 7 xã và 6 cơ quan chuyên môn.")
    assert said[1] == (
        "Đến ngày 31/12/2019, đã thực hiện công tác kiểm tra theo kế hoạch tại 12 phòng ban "
        "chuyên môn thuộc huyện và 13 xã, thị trấn. Trong đó: Kiểm tra trực tiếp tại 5 xã và 1 "
        "thị trấn; 6 cơ quan chuyên môn. Kiểm tra qua báo cáo của 7 xã và 6 cơ quan chuyên "
        "môn.")


def test_the_counts_by_mode_and_kind_are_the_accounts():
    counts = reading(the_account()).counts
    assert counts.of("done", DIRECT) == {UnitKind.OFFICE: 6, UnitKind.COMMUNE: 5,
                                         UnitKind.TOWNSHIP: 1}
    assert counts.of("done", BY_REPORT) == {UnitKind.OFFICE: 6, UnitKind.COMMUNE: 7}
    assert counts.of("planned") == {UnitKind.OFFICE: 12, UnitKind.COMMUNE: 12,
                                    UnitKind.TOWNSHIP: 1}


def test_before_the_visits_the_plan_is_said_and_who_is_left_and_next():
    lines = [line(target("H1", window_text="Quý I", window_closes=date(2019, 3, 31)),
                  UnitKind.DISTRICT, date(2019, 6, 1)),
             line(target("S1", window_text="Tháng 9/2019", window_closes=date(2019, 9, 30)),
                  UnitKind.DEPARTMENT, date(2019, 6, 1)),
             line(target("B1", BY_REPORT, window_text="Quý III"), UnitKind.BOARD,
                  date(2019, 6, 1))]
    said = inspection_lines(plan_reading(PLAN, lines, date(2019, 6, 1), {}, (), None))
    assert ": 3 đơn vị — 2 sở, ban và 1 UBND cấp huyện." in said[0]
    assert said[0].endswith("Kiểm tra trực tiếp tại 1 UBND cấp huyện và 1 sở. Kiểm tra qua "
                            "báo cáo của 1 ban.")
    assert said[1] == "Đến ngày 01/06/2019, chưa kiểm tra đơn vị nào theo kế hoạch."
    assert said[2] == ("Chưa kiểm tra: 3 đơn vị, trong đó 1 đã quá thời gian kiểm tra theo kế "
                       "hoạch: H1 (Đơn vị H1).")
    assert said[3] == ("Tiếp theo: S1 (Đơn vị S1, trực tiếp, Tháng 9/2019); B1 (Đơn vị B1, qua "
                       "báo cáo, Quý III).")


def test_one_mode_done_is_said_in_the_sentence_itself():
    lines = [line(inspected("TP"), UnitKind.DISTRICT), line(target("S1"), UnitKind.DEPARTMENT)]
    said = inspection_lines(reading(lines))
    assert said[1] == ("Đến ngày 31/12/2019, đã thực hiện công tác kiểm tra theo kế hoạch tại 1 "
                       "UBND cấp huyện (kiểm tra trực tiếp).")


def test_a_target_stands_that_day_where_what_was_recorded_by_then_puts_it():
    conclusion = Conclusion("Thông báo số 12/TB-SNV", date(2019, 10, 4))
    concluded = target("TP", state=TargetState.CONCLUDED, inspected_from=VISIT[0],
                       inspected_to=VISIT[1], has_findings=True)
    assert state_as_of(concluded, conclusion, date(2019, 9, 24)) is TargetState.PLANNED
    assert state_as_of(concluded, conclusion, date(2019, 9, 25)) is TargetState.INSPECTED
    assert state_as_of(concluded, conclusion, date(2019, 10, 4)) is TargetState.CONCLUDED
    added = target("X", added_on=date(2019, 5, 2), added_reason="bổ sung")
    assert state_as_of(added, None, date(2019, 5, 1)) is None
    dropped = target("Y", state=TargetState.DROPPED, dropped_on=date(2019, 8, 1),
                     dropped_reason="sáp nhập")
    assert state_as_of(dropped, None, date(2019, 7, 31)) is TargetState.PLANNED
    assert state_as_of(dropped, None, date(2019, 8, 1)) is TargetState.DROPPED
    # Before its conclusion, a target's findings are not its own yet.
    items = [RemediationItem("TP", "KT19-01", Status.OVERDUE)]
    assert line(concluded, UnitKind.DISTRICT, date(2019, 10, 3), conclusion,
                items).remediation.items == 0
    assert line(concluded, UnitKind.DISTRICT, date(2019, 10, 4), conclusion,
                items).remediation.items == 1


def test_what_a_conclusion_found_is_counted_as_remedied_on_time_late_open_and_evaluated():
    items = [
        RemediationItem("P-TH", "KT19-01", Status.DONE_ON_TIME, SubmissionState.CONFIRMED),
        RemediationItem("X-CX", "KT19-02", Status.DONE_LATE),
        RemediationItem("VP", "KT19-03", Status.DONE_ON_TIME_EXTENDED),
        RemediationItem("X-CX", "KT19-05", Status.REOPENED, SubmissionState.RETURNED),
        # Confirmed after the day: not yet done, not yet đạt.
        RemediationItem("P-TH", "KT19-06", Status.OVERDUE, SubmissionState.CONFIRMED),
        RemediationItem("X-HL", "KT19-05", Status.IN_PROGRESS),  # one finding, two units
    ]
    r = remediation_of(items)
    assert (r.findings, r.items, r.on_time, r.late, r.open, r.overdue) == (5, 6, 2, 1, 3, 2)
    assert (r.passed, r.failed, r.done) == (1, 1, 3)


def test_a_finding_belongs_to_the_target_of_its_unit_or_of_the_nearest_unit_above_it():
    parents = {"TP": "TINH", "PNV": "TP", "P-TH": "TP", "TO-1": "P-TH", "TINH": None,
               "SNV": "TINH"}
    targets = {"TP", "P-TH"}
    assert owning_target("P-TH", targets, parents) == "P-TH"
    assert owning_target("TO-1", targets, parents) == "P-TH"
    assert owning_target("PNV", targets, parents) == "TP"
    assert owning_target("SNV", targets, parents) is None


def test_the_index_counts_a_provinces_departments_and_districts_a_districts_offices_and_communes():
    units = {u.code: u for u in [
        UnitFacts("TINH", "UBND tỉnh Sơn La", None, UnitKind.PROVINCE),
        UnitFacts("SNV", "Sở Nội vụ", "TINH", UnitKind.DEPARTMENT),
        UnitFacts("BDT", "Ban Dân tộc", "TINH", UnitKind.BOARD),
        UnitFacts("CA", "Công an tỉnh", "TINH", UnitKind.OTHER),
        UnitFacts("SCU", "Sở cũ", "TINH", UnitKind.DEPARTMENT, active=False),
        UnitFacts("TP", "UBND thành phố Sơn La", "TINH", UnitKind.DISTRICT),
        UnitFacts("PNV", "Phòng Nội vụ", "TP", UnitKind.OFFICE),
        UnitFacts("X", "UBND xã Chiềng Xôm", "TP", UnitKind.COMMUNE),
    ]}
    assert counted_units(units, "TINH") == (
        {"SNV": UnitKind.DEPARTMENT, "BDT": UnitKind.BOARD, "TP": UnitKind.DISTRICT},
        (UnitKind.DEPARTMENT, UnitKind.BOARD, UnitKind.DISTRICT))
    assert counted_units(units, "TP")[0] == {"PNV": UnitKind.OFFICE, "X": UnitKind.COMMUNE}
    assert counted_units(units, None) == ({}, ())


def test_the_par_figures_are_the_share_inspected_against_30_percent_and_the_share_remedied():
    eligible = {f"S{n}": UnitKind.DEPARTMENT for n in range(10)}
    kinds = (UnitKind.DEPARTMENT, UnitKind.BOARD, UnitKind.DISTRICT)
    three = [line(inspected(f"S{n}", DIRECT if n else BY_REPORT), UnitKind.DEPARTMENT)
             for n in range(3)]
    units, findings = reading(three, eligible=eligible, counted=kinds).indicators
    assert units.kind is IndicatorKind.PLAN_UNITS_INSPECTED
    assert (units.done, units.total, units.meets_bar, units.direct) == (3, 10, True, 2)
    assert findings.kind is IndicatorKind.PLAN_FINDINGS_HANDLED and findings.total == 0
    two = reading(three[:2], eligible=eligible, counted=kinds)
    assert two.indicators[0].meets_bar is False
    assert inspection_lines(two)[-1] == (
        "Chỉ số CCHC: 2/10 sở, ban và UBND cấp huyện được kiểm tra trong năm 2019 (20,0%, "
        "chưa đạt mức 30%); tồn tại, hạn chế sau kiểm tra đã khắc phục 0/0 (chưa có dữ "
        "liệu).")
