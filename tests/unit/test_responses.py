"""The rules of what a unit may send back and what a decision means (domain/responses.py), what
an attachment is (domain/uploads.py), and the policy's [web] keys."""

from __future__ import annotations

from datetime import date

import pytest

from domain import uploads
from domain.policy import PolicyError, policy_from_mapping
from domain.recipients import UnitInfo, UnitTree
from domain.responses import (
    FormProblems,
    answerable_units,
    completion_report,
    extension_request,
    in_scope,
    new_deadline,
    supervised_units,
)
from domain.status import Status, completion_status

TODAY = date(2024, 5, 6)


def _problems(call, *args) -> dict[str, str]:
    with pytest.raises(FormProblems) as refused:
        call(*args)
    return refused.value.problems


def test_a_completion_report_needs_its_document_and_no_day_to_come():
    report = completion_report({"completed_on": "2024-05-03", "doc_number": " 15/BC ",
                                "doc_date": "06/05/2024", "note": "a\r\nb"}, TODAY)
    assert (report.completed_on, report.doc_number, report.doc_date, report.note) == (
        date(2024, 5, 3), "15/BC", TODAY, "a\nb")
    assert _problems(completion_report, {"completed_on": "2024-05-07", "doc_number": "",
                                         "doc_date": "2024-02-30"}, TODAY) == {
        "completed_on": "ngày 07/05/2024 chưa đến (hôm nay 06/05/2024)",
        "doc_number": "chưa nhập",
        "doc_date": "không phải ngày hợp lệ: '2024-02-30' (dạng DD/MM/YYYY)",
    }
    assert set(_problems(completion_report, {"completed_on": "2024-05-03", "doc_date":
                                             "2024-05-03", "doc_number": "1\nBcc: x"}, TODAY)
               ) == {"doc_number"}


def test_an_extension_asks_for_a_later_date_and_a_reason():
    due = date(2024, 5, 10)
    assert extension_request({"proposed_due": "2024-06-01", "reason": "chờ"}, due,
                             TODAY).proposed_due == date(2024, 6, 1)
    assert _problems(extension_request, {"proposed_due": "2024-05-10", "reason": ""}, due,
                     TODAY) == {"proposed_due": "hạn đề nghị sớm nhất là ngày 11/05/2024",
                                "reason": "chưa nhập"}
    # An overdue item: after today, not merely after its passed deadline.
    assert "proposed_due" in _problems(extension_request, {"proposed_due": "2024-05-06",
                                                           "reason": "x"}, date(2024, 5, 1),
                                       TODAY)


def test_a_new_deadline_lies_ahead_of_both_today_and_the_deadline_in_force():
    assert new_deadline({"new_due": "2024-06-01"}, date(2024, 5, 1), TODAY) == date(2024, 6, 1)
    assert _problems(new_deadline, {"new_due": "2024-05-01"}, None, TODAY) == {
        "new_due": "ngày 01/05/2024 đã qua"}
    assert _problems(new_deadline, {"new_due": "2024-05-08"}, date(2024, 5, 9), TODAY) == {
        "new_due": "hạn mới phải sau hạn hiện tại 09/05/2024"}


def test_confirming_is_on_time_up_to_the_deadline_in_force():
    # Confirming completes the item on the reported date: one on-time rule, status's.
    assert completion_status(date(2024, 5, 10), date(2024, 5, 10), False) is Status.DONE_ON_TIME
    assert completion_status(date(2024, 5, 11), date(2024, 5, 10), False) is Status.DONE_LATE


def _tree() -> UnitTree:
    return UnitTree([
        UnitInfo("T", "Tỉnh", None, "CT", "ct@t", None),
        UnitInfo("A", "A", "T", "GĐ", "gd@a", "Cchc@A"),
        UnitInfo("C", "C", "A", "CC", "cc@c", None),
        UnitInfo("OLD", "Cũ", "T", None, None, None, active=False, successor="A"),
        UnitInfo("D", "Cũ dưới C", "C", None, None, None, active=False, successor="T"),
    ])


def test_a_link_answers_for_the_units_its_address_heads_or_follows():
    tree = _tree()
    assert answerable_units(tree, "cchc@a") == {"A"}
    assert in_scope(tree, "OLD", {"A"}) and not in_scope(tree, "C", {"A"})
    assert not in_scope(tree, "NOWHERE", {"A"})
    # D sits below C but answers to T now: A's head does not supervise it.
    assert supervised_units(tree, {"A"}) == {"C"}
    assert supervised_units(tree, {"T"}) == {"A", "C", "OLD"}


def test_an_address_answers_for_its_units_however_either_side_spells_it():
    tree = UnitTree([UnitInfo("A", "A", None, "GĐ", " GiamDoc@A.Example ", None)])
    for pasted in ("giamdoc@a.example", "  GIAMDOC@a.example\t"):
        assert answerable_units(tree, pasted) == {"A"}


@pytest.mark.parametrize("head, name, kind", [
    (b"%PDF-1.7", "a.PDF", uploads.PDF),
    (b"\x89PNG\r\n\x1a\n", "a.png", uploads.PNG),
    (b"\xff\xd8\xff\xe0", "anh.jpeg", uploads.JPEG),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "cu.xls", uploads.OLE),
    (b"PK\x03\x04", "moi.docx", uploads.OOXML),
])
def test_an_attachment_is_known_by_its_first_bytes(head, name, kind):
    assert uploads.file_type(head, name) is kind


@pytest.mark.parametrize("head, name", [
    (b"MZ\x90\x00", "a.pdf"), (b"%PDF-1.7", "a.exe"), (b"PK\x03\x04", "a.pdf"),
    (b"<html>", "a.html"), (b"", "rong.pdf"),
])
def test_an_attachment_of_another_kind_or_name_is_refused(head, name):
    with pytest.raises(uploads.UploadRefused):
        uploads.file_type(head, name)


def test_the_policys_web_keys():
    policy = policy_from_mapping({"web": {"link_days": 7, "upload_max_mb": 5,
                                          "pause_on_report": False}}, "p.toml")
    assert (policy.link_days, policy.upload_max_mb, policy.pause_on_report) == (7, 5, False)
    for bad in ({"link_days": 0}, {"pause_on_report": "yes"}, {"other": 1}):
        with pytest.raises(PolicyError, match="web"):
            policy_from_mapping({"web": bad}, "p.toml")
