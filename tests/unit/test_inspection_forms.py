"""The secretariat's inspection pages, without a database: their forms read (every problem at
once, beside its field), and a findings file accepted by its content."""

from __future__ import annotations

from datetime import date

import pytest

from domain.inspection_forms import conclusion_form, drop_form, target_form, visit_form
from domain.responses import FormProblems
from domain.uploads import CSV, OOXML, UploadRefused, table_type


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


def test_a_conclusion_is_with_its_findings_file_without_findings_or_with_the_registers():
    typed = {"doc": " Thông báo số 45/TB-UBND ", "on": "04/10/2019"}
    chosen = conclusion_form(typed | {"findings_kind": "yes"}, has_file=True)
    assert (chosen.doc, chosen.on, chosen.with_findings) == ("Thông báo số 45/TB-UBND",
                                                              date(2019, 10, 4), True)
    assert not conclusion_form(typed | {"findings_kind": "no"}, has_file=False).with_findings
    assert "chưa chọn tệp" in problems(conclusion_form, typed | {"findings_kind": "yes"},
                                       False)["findings"]
    registered = conclusion_form(typed | {"findings_kind": "registered"}, has_file=False)
    assert (registered.with_findings, registered.registered) == (False, True)
    for answer in ("no", "registered"):
        assert "đã chọn tệp" in problems(conclusion_form, typed | {"findings_kind": answer},
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


def test_a_findings_file_is_an_xlsx_or_a_csv_by_its_content():
    assert table_type(b"PK\x03\x04", "tồn tại.XLSX") is OOXML
    assert table_type("Mã,Tồn tại".encode(), "tontai.csv") is CSV
    for head, name in [(b"%PDF-1.4", "tontai.csv"), (b"PK\x03\x04", "tontai.csv"),
                       (b"a,b\x00c", "tontai.csv"), (b"Ma,Ton tai", "tontai.xlsx"),
                       (b"PK\x03\x04", "tontai.docx"), (b"Ma,Ton tai", "tontai.txt")]:
        with pytest.raises(UploadRefused):
            table_type(head, name)
