"""The rules of what a unit may send back and what a decision means (domain/responses.py), what
an attachment is (domain/uploads.py), and the policy's [web] keys."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain import responses, uploads
from domain.events import (
    DeadlineSet,
    ExtensionApproved,
    ExtensionRefused,
    ExtensionRequested,
    ItemAcknowledged,
    ItemCompleted,
    ItemExtended,
    ItemReported,
    ProgressReported,
    ReopenedAfterEvaluation,
    ReportConfirmed,
    ReportReturned,
)
from domain.models import Submission, TrackedItem
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
from domain.states import DeadlineKind, SubmissionKind, SubmissionState
from domain.status import Status, completion_status
from domain.tracking import ItemError, Origin
from domain.uploads import StoredFile

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


# -- what a unit sends, and the decisions on it: values in, a Decision out ----------------------

NOW = datetime(2024, 5, 6, 3, 15, tzinfo=UTC)
DUE = date(2024, 5, 10)
UNIT = "gd@a"


def _item(kind="task", due=DUE, **extra) -> TrackedItem:
    return TrackedItem(id=7, kind=kind, scope="KH-2024", code="1.1", content="…", unit_code="A",
                       deadline_text=f"Trước {due:%d/%m/%Y}" if due else "Theo kế hoạch",
                       deadline_kind=DeadlineKind.FIXED if due else DeadlineKind.UNDETERMINED,
                       due_date=due, original_due_date=due, **extra)


def _report(kind, form, item=None, **options):
    """What the unit sends, checking the item it read was left unchanged."""
    item = item or _item()
    before = item.model_dump()
    decision = responses.report(kind, form, item, **{
        "today": TODAY, "by": UNIT, "ip": "10.0.0.9", "origin": Origin(),
        "pause_on_report": True, **options})
    assert item.model_dump() == before
    return decision


def test_a_completion_report_is_a_waiting_submission_that_pauses_the_ladder_and_its_event():
    attachment = StoredFile("bao cao.pdf", "ab12.pdf", "application/pdf", 2048)
    decision = _report(SubmissionKind.COMPLETION, {
        "completed_on": "2024-05-03", "doc_number": "15/BC", "doc_date": "2024-05-06",
        "note": "Xong"}, attachment=attachment)
    assert decision.changes == {
        "item_id": 7, "kind": SubmissionKind.COMPLETION, "state": SubmissionState.PENDING,
        "submitted_by": UNIT, "submitted_on": TODAY, "client_ip": "10.0.0.9",
        "completed_on": date(2024, 5, 3), "doc_number": "15/BC", "doc_date": TODAY,
        "note": "Xong", "pauses_ladder": True, "dedup_key": "waiting:7",
        "attachment_name": "bao cao.pdf", "attachment_file": "ab12.pdf",
        "attachment_type": "application/pdf", "attachment_size": 2048}
    # The submission's id is the stored row's: persistence names it.
    assert decision.events == (ItemReported(
        item_id=7, by=UNIT, ip="10.0.0.9", completed_on=date(2024, 5, 3), doc_number="15/BC",
        doc_date=TODAY, note="Xong", attachment="bao cao.pdf"),)
    unpaused = _report(SubmissionKind.COMPLETION, {
        "completed_on": "2024-05-03", "doc_number": "1", "doc_date": "2024-05-03"},
        pause_on_report=False)
    assert unpaused.changes["pauses_ladder"] is False
    assert "attachment_name" not in unpaused.changes


def test_a_completion_dated_before_the_item_existed_is_refused_at_the_form():
    with pytest.raises(FormProblems) as refused:
        _report(SubmissionKind.COMPLETION, {"completed_on": "2024-01-03", "doc_number": "1",
                                            "doc_date": "2024-05-03"},
                origin=Origin(concluded_on=date(2024, 2, 1)))
    assert refused.value.problems == {
        "completed_on": "ngày hoàn thành 03/01/2024 trước ngày kết luận kiểm tra 01/02/2024"}


def test_an_extension_request_waits_and_holds_the_items_place():
    decision = _report(SubmissionKind.EXTENSION, {"proposed_due": "2024-06-01",
                                                  "reason": "Chờ ý kiến"})
    assert decision.changes == {
        "item_id": 7, "kind": SubmissionKind.EXTENSION, "state": SubmissionState.PENDING,
        "submitted_by": UNIT, "submitted_on": TODAY, "client_ip": "10.0.0.9",
        "proposed_due": date(2024, 6, 1), "note": "Chờ ý kiến", "dedup_key": "waiting:7"}
    assert decision.events == (ExtensionRequested(
        item_id=7, by=UNIT, ip="10.0.0.9", proposed_due=date(2024, 6, 1), note="Chờ ý kiến"),)


def test_a_progress_note_and_an_acknowledgement_are_recorded_once_each():
    note = _report(SubmissionKind.PROGRESS, {"note": "Đang trình ký"})
    again = _report(SubmissionKind.PROGRESS, {"note": "Đang trình ký"})
    other = _report(SubmissionKind.PROGRESS, {"note": "Đã ký"})
    assert note.changes["state"] is SubmissionState.RECORDED
    assert note.changes["dedup_key"] == again.changes["dedup_key"] != other.changes["dedup_key"]
    assert note.events == (ProgressReported(item_id=7, by=UNIT, ip="10.0.0.9",
                                            note="Đang trình ký"),)
    seen = _report(SubmissionKind.ACKNOWLEDGEMENT, {})
    assert (seen.changes["state"], seen.changes["dedup_key"]) == (
        SubmissionState.RECORDED, "ack:7:2024-05-10:gd@a")
    moved = _report(SubmissionKind.ACKNOWLEDGEMENT, {}, _item(due=date(2024, 6, 1)))
    assert moved.changes["dedup_key"] == "ack:7:2024-06-01:gd@a"  # a new deadline, a new one
    assert seen.events == (ItemAcknowledged(item_id=7, by=UNIT, ip="10.0.0.9"),)


def _waiting(kind=SubmissionKind.COMPLETION, **values) -> Submission:
    return Submission(id=3, item_id=7, kind=kind, state=SubmissionState.PENDING,
                      dedup_key="waiting:7", submitted_by=UNIT, submitted_on=date(2024, 5, 4),
                      completed_on=date(2024, 5, 3), doc_number="15/BC",
                      doc_date=date(2024, 5, 4), pauses_ladder=True, **values)


def _reviewed(decide, submission, item, *args, **options):
    """The decision, checking it left the submission and the item it read unchanged."""
    before = submission.model_dump(), item.model_dump() if item is not None else None
    reviewed = decide(submission, *((item,) if item is not None else ()), *args,
                      now=NOW, by="thuongtruc", ip="10.0.0.1", **options)
    assert (submission.model_dump(), item.model_dump() if item is not None else None) == before
    return reviewed


def _decided(state, note=None, due=None) -> dict:
    return {"state": state, "decided_by": "thuongtruc", "decided_at": NOW,
            "decision_note": note, "decided_due": due, "dedup_key": None}


def test_confirming_completes_the_item_on_the_reported_day_then_decides_the_report():
    reviewed = _reviewed(responses.confirm_report, _waiting(), _item(), today=TODAY,
                         origin=Origin())
    assert reviewed.item.changes == {"completed_on": date(2024, 5, 3),
                                     "evidence": "Văn bản số 15/BC ngày 04/05/2024"}
    assert reviewed.item.events == (ItemCompleted(
        item_id=7, on=date(2024, 5, 3), evidence="Văn bản số 15/BC ngày 04/05/2024", due=DUE,
        on_time=True, source="web", by="thuongtruc", ip="10.0.0.1"),)
    assert reviewed.submission.changes == _decided(SubmissionState.CONFIRMED)
    assert reviewed.submission.events == (ReportConfirmed(
        item_id=7, submission=3, by="thuongtruc", ip="10.0.0.1", reported_by=UNIT),)
    with pytest.raises(ItemError):  # completed meanwhile
        _reviewed(responses.confirm_report, _waiting(), _item(completed_on=date(2024, 5, 2)),
                  today=TODAY, origin=Origin())


def test_returning_a_tasks_report_leaves_the_item_and_says_why():
    reviewed = _reviewed(responses.return_report, _waiting(), _item(),
                         {"comment": "Thiếu phụ lục"}, today=TODAY)
    assert reviewed.item.changes == {} and reviewed.item.events == ()
    assert reviewed.submission.changes == _decided(SubmissionState.RETURNED, "Thiếu phụ lục")
    assert reviewed.submission.events == (ReportReturned(
        item_id=7, submission=3, by="thuongtruc", ip="10.0.0.1", comment="Thiếu phụ lục",
        reported_by=UNIT),)
    with pytest.raises(FormProblems) as refused:
        _reviewed(responses.return_report, _waiting(), _item(), {"comment": " "}, today=TODAY)
    assert refused.value.problems == {"comment": "chưa nhập"}


def test_a_remediation_found_not_done_is_reopened_under_its_new_deadline():
    remediation = _item("remediation", due=date(2024, 4, 30))
    form = {"comment": "Chưa đạt", "new_due": "2024-06-15"}
    reviewed = _reviewed(responses.return_report, _waiting(), remediation, form, today=TODAY)
    assert reviewed.item.changes == {"due_date": date(2024, 6, 15), "reopened_on": TODAY,
                                     "due_when_reopened": date(2024, 4, 30)}
    assert reviewed.item.events == (ReopenedAfterEvaluation(
        item_id=7, previous_due=date(2024, 4, 30), new_due=date(2024, 6, 15),
        missed_due=date(2024, 4, 30), comment="Chưa đạt", by="thuongtruc", ip="10.0.0.1"),)
    assert reviewed.submission.changes == _decided(SubmissionState.RETURNED, "Chưa đạt",
                                                   date(2024, 6, 15))
    # The comment is asked for first; then a deadline ahead of both today and the one missed.
    with pytest.raises(FormProblems) as refused:
        _reviewed(responses.return_report, _waiting(), remediation, {"new_due": "x"},
                  today=TODAY)
    assert set(refused.value.problems) == {"comment"}
    with pytest.raises(FormProblems) as refused:
        _reviewed(responses.return_report, _waiting(), remediation,
                  {"comment": "Chưa đạt", "new_due": "2024-05-01"}, today=TODAY)
    assert set(refused.value.problems) == {"new_due"}


def test_approving_an_extension_extends_the_item_for_the_units_reason():
    request = _waiting(SubmissionKind.EXTENSION, proposed_due=date(2024, 6, 1),
                       note="Chờ ý kiến")
    reviewed = _reviewed(responses.approve_extension, request, _item(),
                         {"new_due": "2024-05-31"}, today=TODAY)
    assert reviewed.item.changes == {"due_date": date(2024, 5, 31)}
    # Approved by the user; done through no page of the unit's (no `by`), from the user's IP.
    assert reviewed.item.events == (ItemExtended(
        item_id=7, previous_due=DUE, new_due=date(2024, 5, 31), original_due=DUE,
        reason="Chờ ý kiến", approved_by="thuongtruc", ip="10.0.0.1"),)
    assert reviewed.submission.changes == _decided(SubmissionState.APPROVED,
                                                   due=date(2024, 5, 31))
    assert reviewed.submission.events == (ExtensionApproved(
        item_id=7, submission=3, by="thuongtruc", ip="10.0.0.1", new_due=date(2024, 5, 31),
        reported_by=UNIT),)


def test_refusing_an_extension_keeps_the_deadline_and_says_why():
    request = _waiting(SubmissionKind.EXTENSION, proposed_due=date(2024, 6, 1))
    reviewed = _reviewed(responses.refuse_extension, request, None, {"comment": "Không đủ"})
    assert reviewed.item.changes == {} and reviewed.item.events == ()
    assert reviewed.submission.changes == _decided(SubmissionState.REFUSED, "Không đủ")
    assert reviewed.submission.events == (ExtensionRefused(
        item_id=7, submission=3, by="thuongtruc", ip="10.0.0.1", comment="Không đủ",
        reported_by=UNIT),)


def test_only_a_submission_still_waiting_of_the_kind_asked_is_decided():
    assert responses.awaits_decision(_waiting(), SubmissionKind.COMPLETION)
    assert not responses.awaits_decision(_waiting(), SubmissionKind.EXTENSION)
    decided = _waiting()
    decided.state = SubmissionState.CONFIRMED
    assert not responses.awaits_decision(decided, SubmissionKind.COMPLETION)


def test_a_deadline_given_from_the_review_page_dates_the_item_with_a_reason():
    undetermined = _item(due=None)
    decision = responses.give_deadline(undetermined, {"new_due": "2024-06-30",
                                                      "reason": "Theo KH 12"},
                                       today=TODAY, by="thuongtruc", ip="10.0.0.1")
    assert decision.changes == {"due_date": date(2024, 6, 30),
                                "original_due_date": date(2024, 6, 30),
                                "deadline_kind": DeadlineKind.FIXED.value}
    assert decision.events == (DeadlineSet(item_id=7, due=date(2024, 6, 30),
                                           deadline="Theo kế hoạch", reason="Theo KH 12",
                                           by="thuongtruc", ip="10.0.0.1"),)
    assert undetermined.due_date is None
    assert _problems(lambda form: responses.give_deadline(form=form, item=undetermined,
                                                          today=TODAY, by="x", ip=None),
                     {"new_due": "2024-06-30"}) == {"reason": "chưa nhập"}
