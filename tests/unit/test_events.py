"""An event is stored as its row and read back by `parse` as the value it was: what history,
`explain`, run history and publishing read."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from domain.states import InspectionMode

from domain.events import (
    EVENT_TYPES,
    CompletionCorrected,
    DeadlineSet,
    DomainEvent,
    ExtensionApproved,
    ExtensionRefused,
    ExtensionRequested,
    Imported,
    InspectionConcluded,
    InspectionDone,
    ItemAcknowledged,
    ItemCompleted,
    ItemCreated,
    ItemExtended,
    ItemReopened,
    ItemReported,
    ItemUpdated,
    LinkRequested,
    LinksRevoked,
    NoticeDeferred,
    NoticeFailed,
    NoticeQueued,
    NoticeSent,
    ProgressReported,
    ReopenedAfterEvaluation,
    ReportConfirmed,
    ReportReturned,
    RungReached,
    TargetAdded,
    TargetDropped,
    TargetReminded,
    RunFinished,
    SummarySent,
    UserAdded,
    UserDisabled,
    parse,
)

DAY, DUE, LATER = date(2021, 7, 1), date(2021, 6, 30), date(2021, 8, 31)
TO, BY = "vp@sonla.example", {"by": "admin", "ip": "10.0.0.5"}
SUBMITTED = {"submission": 5, "completed_on": DAY, "doc_number": "12/BC-VP", "doc_date": DAY,
             "proposed_due": LATER, "note": "Đã xong", "attachment": "bao-cao.pdf", **BY}
DECIDED = {"submission": 5, "comment": "Đạt", "new_due": LATER, "reported_by": TO, **BY}

# One of each kind, every field given, so that each is read back from its stored form.
SAMPLES: list[DomainEvent] = [
    ItemCreated(item_id=7, code="3.2", unit="VP", due=DUE, deadline="Trước 30/6/2021",
                period="06/2021", occurrence_of="BC-1"),
    ItemUpdated(item_id=7, code="3.2", changes={"due_date": ["2021-06-30", "2021-07-15"],
                                                "position": [3, 4]}),
    ItemCompleted(item_id=7, on=DAY, evidence="CV 12/VP", due=DUE, on_time=False,
                  source="web", **BY),
    ItemExtended(item_id=7, previous_due=DUE, new_due=LATER, original_due=DUE,
                 reason="Chờ số liệu", approved_by="Phó Chủ tịch", **BY),
    DeadlineSet(item_id=7, due=LATER, rule="ngày 10 hằng tháng", deadline="Hằng tháng",
                reason="Văn bản 45/UBND", **BY),
    ItemReopened(item_id=7, completed_on=DAY, evidence="CV 12/VP", reason="Ghi nhầm", **BY),
    CompletionCorrected(item_id=7, previous=DAY, on=DUE, on_time=True, reason="Sai ngày", **BY),
    ReopenedAfterEvaluation(item_id=7, previous_due=DUE, new_due=LATER, missed_due=DUE,
                            comment="Chưa đạt", **BY),
    RungReached(item_id=7, check_date=DAY, code="3.2", rung="O1", track="unit", kind="overdue",
                level=1, unit="VP", due=DUE, skipped=("R3", "R1", "R0")),
    NoticeQueued(notice_id=11, check_date=DAY, to=TO, unit="VP", cc=("pho@sonla.example",)),
    NoticeSent(notice_id=11, check_date=DAY, to=TO, cc=("pho@sonla.example",),
               message_id="<1.2021@cchc>", attempts=2),
    NoticeDeferred(notice_id=11, check_date=DAY, to=TO, reply="451 thử lại sau", attempts=1,
                   next_attempt_at=datetime(2021, 7, 1, 3, 15, tzinfo=UTC)),
    NoticeFailed(notice_id=11, check_date=DAY, to=TO, reply="550 không có hộp thư", attempts=3),
    Imported(file="kh.xlsx", what="plan", plan="KH-2021", undetermined=2, created=40, updated=1,
             unchanged=0, reading=("cột G: thời hạn",)),
    SummarySent(check_date=DAY, recipient=TO, message_id="<s.2021@cchc>"),
    RunFinished(check_date=DAY, flow="deadline-check", run="kiem-tra-han-01-07-2021",
                state="Completed", started=datetime(2021, 7, 1, 1, tzinfo=UTC),
                ended=datetime(2021, 7, 1, 1, 0, 2, 500000, tzinfo=UTC), emails_sent=3,
                emails_failed=1, emails_deferred=2, rungs={"O1": 2, "R0": 1}),
    ItemReported(item_id=7, **SUBMITTED),
    ExtensionRequested(item_id=7, **SUBMITTED),
    ProgressReported(item_id=7, **SUBMITTED),
    ItemAcknowledged(item_id=7, **SUBMITTED),
    ReportConfirmed(item_id=7, **DECIDED),
    ReportReturned(item_id=7, **DECIDED),
    ExtensionApproved(item_id=7, **DECIDED),
    ExtensionRefused(item_id=7, **DECIDED),
    LinkRequested(notice_id=12, to=TO, ip="10.0.0.9"),
    LinksRevoked(recipient=TO, by="admin"),
    UserAdded(user="admin", new=True),
    UserDisabled(user="thuky"),
    InspectionDone(plan="KHKT-2019", unit="X-CB", mode=InspectionMode.DIRECT,
                   inspected_from=DUE, inspected_to=DAY, within_window=False,
                   previous_from=DUE, previous_to=DUE),
    InspectionConcluded(plan="KHKT-2019", unit="X-CB", doc="Thông báo số 45/TB-UBND", on=LATER,
                        has_findings=True, findings=2),
    TargetAdded(plan="KHKT-2019", unit="P-YT", mode=InspectionMode.BY_REPORT, window="Quý IV",
                reason="Theo chỉ đạo"),
    TargetDropped(plan="KHKT-2019", unit="P-YT", reason="Sáp nhập"),
    TargetReminded(plan="KHKT-2019", unit="X-CB", track="self_report", rung="R3",
                   due=date(2019, 9, 16), to="chutich@xcb.example", skipped=("R7",)),
]


def test_every_kind_has_a_sample():
    assert sorted(type(event).__name__ for event in SAMPLES) == sorted(
        kind.__name__ for kind in EVENT_TYPES.values())


@pytest.mark.parametrize("event", SAMPLES, ids=lambda event: event.name.value)
def test_an_event_reads_back_from_its_row_as_itself(event):
    row = event.row()
    stored = json.loads(json.dumps(row["data"]))  # as the JSON column hands it back
    assert parse(row["name"], stored, item_id=row["item_id"], notice_id=row["notice_id"],
                 check_date=row["check_date"]) == event


def test_an_older_row_reads_back_with_what_it_lacks_as_none_or_the_default():
    event = parse("item.rung_reached", {"code": "3.2", "rung": "R3", "due": "2021-06-30",
                                        "retired": "x"}, item_id=7)
    assert event == RungReached(item_id=7, code="3.2", rung="R3", track=None, kind=None,
                                level=None, unit=None, due=DUE)
    assert event.skipped == ()
