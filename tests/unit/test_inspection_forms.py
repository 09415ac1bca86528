"""The secretariat's inspection pages, without a database: their forms read (every problem at
once, beside its field), a plan's standing at a glance, and a findings file accepted by its
content."""

from __future__ import annotations

from datetime import date

import pytest

from domain.explanation import TargetFacts
from domain.inspection_forms import conclusion_form, drop_form, target_form, visit_form
from domain.inspections import standing
from domain.responses import FormProblems
from domain.states import InspectionMode, TargetState
from domain.status import Status
from domain.tallies import ItemLine
from domain.uploads import CSV, OOXML, UploadRefused, table_type

TODAY = date(2019, 9, 20)


def problems(read, *args) -> dict[str, str]:
    with pytest.raises(FormProblems) as refused:
        read(*args)
    return refused.value.problems


def test_a_visit_of_one_day_leaves_its_last_day_blank():
    assert visit_form({"on": "23/09/2019", "to": ""}) == (date(2019, 9, 23), date(2019, 9, 23))
    assert visit_form({"on": "23/09/2019", "to": "25/09/2019"}) == (date(2019, 9, 23),
                                                                   date(2019, 9, 25))
    assert problems(visit_form, {"on": "", "to": "32/09/2019"}) == {
        "on": "chưa nhập ngày", "to": "không phải ngày hợp lệ: '32/09/2019' (dạng DD/MM/YYYY)"}


def test_a_conclusion_is_with_its_findings_file_or_without_findings_never_both():
    typed = {"doc": " Thông báo số 45/TB-UBND ", "on": "04/10/2019"}
    chosen = conclusion_form(typed | {"findings_kind": "yes"}, has_file=True)
    assert (chosen.doc, chosen.on, chosen.with_findings) == ("Thông báo số 45/TB-UBND",
                                                              date(2019, 10, 4), True)
    assert not conclusion_form(typed | {"findings_kind": "no"}, has_file=False).with_findings
    assert "chưa chọn tệp" in problems(conclusion_form, typed | {"findings_kind": "yes"},
                                       False)["findings"]
    assert "lại có tệp" in problems(conclusion_form, typed | {"findings_kind": "no"},
                                    True)["findings"]
    assert set(problems(conclusion_form, {"doc": "TB\r\n1"}, False)) == {"doc", "on",
                                                                         "findings"}


def test_a_reason_left_blank_is_for_the_decision_to_refuse():
    # The form passes it on: the decision says why a reason is needed (`domain/inspections.py`).
    assert drop_form({"reason": "  "}) == ""
    added = target_form({"unit": "P-YT", "mode": "qua báo cáo", "window": "", "reason": ""})
    assert (added.unit, added.mode, added.window, added.reason) == ("P-YT", "qua báo cáo",
                                                                     None, "")
    assert set(problems(target_form, {"unit": "", "mode": ""})) == {"unit", "mode"}


def facts(unit: str, state: TargetState, closes: date | None, *remediation: Status
          ) -> TargetFacts:
    lines = tuple(ItemLine(i, f"KT-{unit}-{i}", "remediation", "KT", "Khắc phục", unit, "",
                           None, None, status, 0, "fixed", None)
                  for i, status in enumerate(remediation))
    return TargetFacts("KT-2019", "Kế hoạch", None, None, unit, unit, InspectionMode.DIRECT,
                       state, None, None, closes, None, None, None, TODAY,
                       remediation=lines)


def test_a_plan_at_a_glance_names_who_is_next_who_is_late_and_what_is_open():
    targets = [
        facts("LATE", TargetState.PLANNED, date(2019, 6, 30)),
        facts("NEXT-1", TargetState.PLANNED, date(2019, 9, 30)),
        facts("LATER", TargetState.PLANNED, date(2019, 12, 31)),
        facts("NEXT-2", TargetState.PLANNED, date(2019, 9, 30)),
        facts("UNDATED", TargetState.PLANNED, None),
        facts("VISITED", TargetState.INSPECTED, date(2019, 9, 25)),
        facts("OPEN", TargetState.CONCLUDED, date(2019, 6, 30), Status.OVERDUE,
              Status.DONE_ON_TIME, Status.IN_PROGRESS),
        facts("CLOSED", TargetState.CONCLUDED, date(2019, 6, 30), Status.DONE_LATE),
        facts("GONE", TargetState.DROPPED, date(2019, 6, 30)),
    ]
    glance = standing(targets, TODAY)
    assert dict(glance.by_state) == {TargetState.PLANNED: 5, TargetState.INSPECTED: 1,
                                     TargetState.CONCLUDED: 2, TargetState.DROPPED: 1}
    assert (glance.next_up, glance.next_closes) == (("NEXT-1", "NEXT-2"), date(2019, 9, 30))
    assert glance.late == {"LATE"}
    assert glance.awaiting_conclusion == ("VISITED",)
    assert glance.remediation_open == {"OPEN": 2}
    assert standing([], TODAY).next_up == ()


def test_a_findings_file_is_an_xlsx_or_a_csv_by_its_content():
    assert table_type(b"PK\x03\x04", "tồn tại.XLSX") is OOXML
    assert table_type("Mã,Tồn tại".encode(), "tontai.csv") is CSV
    for head, name in [(b"%PDF-1.4", "tontai.csv"), (b"PK\x03\x04", "tontai.csv"),
                       (b"a,b\x00c", "tontai.csv"), (b"Ma,Ton tai", "tontai.xlsx"),
                       (b"PK\x03\x04", "tontai.docx"), (b"Ma,Ton tai", "tontai.txt")]:
        with pytest.raises(UploadRefused):
            table_type(head, name)
