"""What the terminal prints, rendered by a real Rich console: days as dd/mm/yyyy, tables that
fit the terminal."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from domain.events import EventName, parse
from notifications.terminal import event_details, print_check, print_timeline


def printed(render, *args, width: int = 80) -> str:
    console = Console(width=width, record=True, color_system=None)
    render(console, *args)
    return console.export_text()


def test_a_dry_run_names_its_day_as_dd_mm_yyyy():
    result = {"as_of": "2021-07-01", "dry_run": True,
              "would_send": [("a@b.example", "[CCHC] Văn phòng: 1 nhiệm vụ quá hạn", ["3.2"])]}
    text = printed(print_check, result)
    assert "Chạy thử ngày 01/07/2021:" in text
    assert "2021-07-01" not in text


ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
TO = "vp@sonla.example"

# An item's history as its reader sees it (`cchc history item`, an item's page), for each kind
# of event: rows as the writers store them (their JSON data), and older rows that lack keys.
# The words are those printed before history read typed events: a change here is one users see.
WORDED = [
    ("item.created", {"code": "3.2", "unit": "VP", "due": "2021-06-30",
                      "deadline": "Trước 30/6/2021", "period": None, "occurrence_of": None},
     "đơn vị VP, thời hạn “Trước 30/6/2021”, hạn 30/06/2021"),
    ("item.created", {"code": "BC-1/06-2021", "unit": "SNV", "due": "2021-06-10",
                      "deadline": "Trước ngày 10 hằng tháng", "period": "06/2021",
                      "occurrence_of": "BC-1"},
     "đơn vị SNV, thời hạn “Trước ngày 10 hằng tháng”, hạn 10/06/2021"),
    ("item.created", {"code": "3.3", "unit": "VP", "due": None, "deadline": "Trong năm 2021"},
     "đơn vị VP, thời hạn “Trong năm 2021”"),
    ("item.created", {"code": "3.4"}, "đơn vị None, thời hạn “None”"),
    ("item.updated", {"code": "3.2", "changes": {
        "due_date": ["2021-06-30", "2021-07-15"], "content": ["Báo cáo quý", ""],
        "position": [3, 4], "cooperating": [None, "Sở Nội vụ"],
        "deadline_kind": ["fixed", "undetermined"], "note_x": ["2021-13-45", "abc"]}},
     "hạn: 30/06/2021 → 15/07/2021; nội dung: Báo cáo quý → (trống); thứ tự: 3 → 4; "
     "đơn vị phối hợp: (trống) → Sở Nội vụ; loại thời hạn: fixed → undetermined; "
     "note_x: 2021-13-45 → abc"),
    ("item.updated", {"code": "3.2"}, ""),
    ("item.completed", {"by": "admin", "ip": "10.0.0.5", "on": "2021-07-01",
                        "evidence": "Công văn 12/VP", "due": "2021-06-30", "on_time": False,
                        "source": "web"},
     "ngày 01/07/2021 (quá hạn); minh chứng: Công văn 12/VP; xác nhận báo cáo của đơn vị, "
     "bởi admin"),
    ("item.completed", {"by": None, "ip": None, "on": "2021-06-28", "evidence": None,
                        "due": None, "on_time": None, "source": "import"},
     "ngày 28/06/2021; ghi nhận khi nhập tệp"),
    ("item.completed", {"on": "2021-06-29", "evidence": None, "due": "2021-06-30",
                        "on_time": True, "source": "command", "by": "admin"},
     "ngày 29/06/2021 (đúng hạn)"),
    ("item.completed", {"on": "2021-06-29"}, "ngày 29/06/2021"),
    ("item.extended", {"by": "admin", "ip": None, "previous_due": "2021-06-30",
                       "new_due": "2021-07-30", "original_due": "2021-06-30",
                       "reason": "Chờ số liệu", "approved_by": "Phó Chủ tịch"},
     "hạn 30/06/2021 → 30/07/2021; lý do: Chờ số liệu; người cho phép: Phó Chủ tịch"),
    ("item.extended", {"previous_due": None, "new_due": "2021-07-30", "original_due": None,
                       "reason": "Chờ số liệu"},
     "hạn — → 30/07/2021; lý do: Chờ số liệu"),
    ("item.deadline_set", {"by": "admin", "ip": "10.0.0.5", "due": "2021-09-30", "rule": None,
                           "deadline": "Trong năm 2021", "reason": "Văn bản 45/UBND"},
     "hạn 30/09/2021 (thời hạn ghi trong kế hoạch: “Trong năm 2021”); căn cứ: Văn bản "
     "45/UBND; bởi admin từ 10.0.0.5"),
    ("item.deadline_set", {"by": "admin", "ip": None, "due": None,
                           "rule": "ngày 10 hằng tháng", "deadline": "Hằng tháng",
                           "reason": "Văn bản 45/UBND"},
     "hạn — (thời hạn ghi trong kế hoạch: “Hằng tháng”); căn cứ: Văn bản 45/UBND; bởi admin"),
    ("item.deadline_set", {"due": "2021-09-30", "deadline": "Trong năm 2021",
                           "reason": "Văn bản 45/UBND"},
     "hạn 30/09/2021 (thời hạn ghi trong kế hoạch: “Trong năm 2021”); căn cứ: Văn bản "
     "45/UBND"),
    ("item.reopened", {"by": "admin", "ip": None, "completed_on": "2021-07-01",
                       "evidence": "Công văn 12/VP", "reason": "Ghi nhầm"},
     "đã ghi hoàn thành ngày 01/07/2021 (minh chứng: Công văn 12/VP), nay mở lại; lý do: "
     "Ghi nhầm; bởi admin"),
    ("item.reopened", {"completed_on": "2021-07-01", "evidence": None, "reason": "Ghi nhầm"},
     "đã ghi hoàn thành ngày 01/07/2021, nay mở lại; lý do: Ghi nhầm"),
    ("item.completion_corrected", {"by": "admin", "ip": None, "previous": "2021-07-01",
                                   "on": "2021-06-29", "on_time": True, "reason": "Sai ngày"},
     "ngày hoàn thành 01/07/2021 → 29/06/2021 (đúng hạn); lý do: Sai ngày; bởi admin"),
    ("item.completion_corrected", {"previous": "2021-06-29", "on": "2021-07-02",
                                   "on_time": False, "reason": "Sai ngày"},
     "ngày hoàn thành 29/06/2021 → 02/07/2021 (quá hạn); lý do: Sai ngày"),
    ("item.reopened_after_evaluation", {"by": "admin", "ip": "10.0.0.5",
                                        "previous_due": "2021-06-30", "new_due": "2021-08-31",
                                        "missed_due": "2021-06-30", "comment": "Chưa đạt"},
     "hạn 30/06/2021 → 31/08/2021, hạn đã lỡ 30/06/2021 vẫn được tính; ý kiến: Chưa đạt; "
     "bởi admin"),
    ("item.reopened_after_evaluation", {"previous_due": None, "new_due": "2021-08-31",
                                        "missed_due": None, "comment": None},
     "hạn — → 31/08/2021, hạn đã lỡ — vẫn được tính; ý kiến: None"),
    ("item.rung_reached", {"code": "3.2", "rung": "O1", "track": "unit", "kind": "overdue",
                           "level": 1, "unit": "VP", "due": "2021-06-30",
                           "skipped": ["R3", "R1", "R0"]},
     "bậc O1 (đôn đốc), hạn 30/06/2021; bỏ qua R3, R1, R0"),
    ("item.rung_reached", {"code": "3.2", "rung": "E1", "track": "escalation",
                           "kind": "escalation", "level": 1, "unit": "VP",
                           "due": "2021-06-30", "skipped": []},
     "bậc E1 (báo cáo cấp trên), hạn 30/06/2021"),
    ("item.rung_reached", {"code": "3.2", "rung": "R3", "due": "2021-06-30"},
     "bậc R3 (), hạn 30/06/2021"),
    ("notice.queued", {"to": TO, "unit": "VP", "cc": None}, f"tới {TO}"),
    ("notice.queued", {"to": TO, "cc": ["pho@sonla.example", "tk@sonla.example"]},
     f"tới {TO}, đồng gửi pho@sonla.example, tk@sonla.example"),
    ("notice.sent", {"to": TO, "cc": ["pho@sonla.example"], "message_id": "<1.2021@cchc>",
                     "attempts": 2},
     f"tới {TO}, đồng gửi pho@sonla.example; Message-ID <1.2021@cchc>; lần gửi thứ 2"),
    ("notice.sent", {"to": TO, "cc": None, "message_id": None, "attempts": 1}, f"tới {TO}"),
    ("notice.sent", {"to": TO}, f"tới {TO}"),
    ("notice.deferred", {"to": TO, "reply": "451 4.3.0 thử lại sau", "attempts": 1,
                         "next_attempt_at": "2021-07-01T03:15:00+00:00"},
     f"tới {TO}: máy chủ thư trả lời “451 4.3.0 thử lại sau”; thử lại từ 01/07/2021 10:15"),
    ("notice.deferred", {"to": TO, "reply": "421 bận"},
     f"tới {TO}: máy chủ thư trả lời “421 bận”"),
    ("notice.failed", {"to": TO, "reply": "550 5.1.1 không có hộp thư", "attempts": 3},
     f"tới {TO}: máy chủ thư trả lời “550 5.1.1 không có hộp thư”"),
    ("import.completed", {"file": "kh.xlsx", "what": "plan", "plan": "KH-2021",
                          "undetermined": 2, "created": 40, "updated": 1, "unchanged": 0,
                          "reading": ["cột G: thời hạn"]},
     "file: kh.xlsx; what: plan; plan: KH-2021; undetermined: 2; created: 40; updated: 1; "
     "unchanged: 0; reading: ['cột G: thời hạn']"),
    ("import.completed", {"file": "donvi.xlsx", "what": "units", "plan": None,
                          "undetermined": None, "created": 3, "updated": 0, "unchanged": 5,
                          "reading": []},
     "file: donvi.xlsx; what: units; created: 3; updated: 0; unchanged: 5; reading: []"),
    ("summary.sent", {"recipient": TO, "message_id": "<s.2021@cchc>"},
     f"recipient: {TO}; message_id: <s.2021@cchc>"),
    ("run.finished", {"flow": "deadline-check", "run": "kiem-tra-han-01-07-2021",
                      "state": "Completed", "started": "2021-07-01T01:00:00+00:00",
                      "ended": "2021-07-01T01:00:02.500000+00:00", "emails_sent": 3,
                      "emails_failed": 0, "emails_deferred": 1, "rungs": {"O1": 2, "R0": 1}},
     "flow: deadline-check; run: kiem-tra-han-01-07-2021; state: Completed; "
     "started: 2021-07-01T01:00:00+00:00; ended: 2021-07-01T01:00:02.500000+00:00; "
     "emails_sent: 3; emails_failed: 0; emails_deferred: 1; rungs: {'O1': 2, 'R0': 1}"),
    ("item.reported", {"by": TO, "ip": "10.0.0.9", "submission": 5,
                       "completed_on": "2021-06-28", "doc_number": "12/BC-VP",
                       "doc_date": "2021-06-28", "proposed_due": None, "note": "Đã xong",
                       "attachment": "bao-cao.pdf"},
     f"bởi {TO} từ 10.0.0.9; ngày hoàn thành: 28/06/2021; văn bản số: 12/BC-VP; "
     "ngày văn bản: 28/06/2021; nội dung: Đã xong; tệp đính kèm: bao-cao.pdf"),
    # As the pages stored it before events were typed: the submission first.
    ("item.reported", {"submission": 5, "by": TO, "ip": None, "completed_on": "2021-06-28",
                       "doc_number": "", "doc_date": None, "proposed_due": None, "note": None,
                       "attachment": None},
     f"bởi {TO}; ngày hoàn thành: 28/06/2021"),
    ("item.extension_requested", {"submission": 6, "by": TO, "ip": "10.0.0.9",
                                  "completed_on": None, "doc_number": None, "doc_date": None,
                                  "proposed_due": "2021-07-15", "note": "Xin thêm thời gian",
                                  "attachment": None},
     f"bởi {TO} từ 10.0.0.9; hạn đề nghị: 15/07/2021; nội dung: Xin thêm thời gian"),
    ("item.progress_reported", {"by": TO, "ip": None, "submission": 7, "completed_on": None,
                                "doc_number": None, "doc_date": None, "proposed_due": None,
                                "note": "Đạt 60%", "attachment": None},
     f"bởi {TO}; nội dung: Đạt 60%"),
    ("item.acknowledged", {"by": TO, "ip": "10.0.0.9", "submission": 8, "completed_on": None,
                           "doc_number": None, "doc_date": None, "proposed_due": None,
                           "note": None, "attachment": None},
     f"bởi {TO} từ 10.0.0.9"),
    ("item.report_confirmed", {"by": "admin", "ip": "10.0.0.5", "submission": 5,
                               "comment": "Đạt", "new_due": None, "reported_by": TO},
     f"bởi admin từ 10.0.0.5; ý kiến: Đạt; đơn vị gửi: {TO}"),
    ("item.report_returned", {"submission": 5, "by": "admin", "ip": None,
                              "comment": "Thiếu minh chứng", "new_due": "2021-08-31",
                              "reported_by": TO},
     f"bởi admin; ý kiến: Thiếu minh chứng; hạn mới: 31/08/2021; đơn vị gửi: {TO}"),
    ("item.extension_approved", {"by": "admin", "ip": None, "submission": 6, "comment": None,
                                 "new_due": "2021-07-15", "reported_by": TO},
     f"bởi admin; hạn mới: 15/07/2021; đơn vị gửi: {TO}"),
    ("item.extension_refused", {"by": "admin", "ip": "10.0.0.5", "submission": 6,
                                "comment": "Không có căn cứ", "new_due": None,
                                "reported_by": TO},
     f"bởi admin từ 10.0.0.5; ý kiến: Không có căn cứ; đơn vị gửi: {TO}"),
    ("link.requested", {"to": TO, "ip": "10.0.0.9"}, f"to: {TO}; ip: 10.0.0.9"),
    ("link.revoked", {"recipient": TO, "by": "admin"}, f"bởi admin; recipient: {TO}"),
    ("user.added", {"user": "admin", "new": True}, "user: admin; new: True"),
    ("user.added", {"user": "admin", "new": False}, "user: admin; new: False"),
    ("user.disabled", {"user": "thuky"}, "user: thuky"),
    ("inspection.done", {"plan": "KHKT-2019", "unit": "X-CB", "mode": "direct",
                         "inspected_from": "2019-09-23", "inspected_to": "2019-09-25",
                         "within_window": True, "previous_from": None, "previous_to": None},
     "X-CB, kiểm tra trực tiếp: từ 23/09/2019 đến 25/09/2019, trong thời gian dự kiến"),
    ("inspection.done", {"plan": "KHKT-2019", "unit": "X-CL", "mode": "by_report",
                         "inspected_from": "2019-07-02", "inspected_to": "2019-07-10",
                         "within_window": False, "previous_from": "2019-07-01",
                         "previous_to": "2019-07-01"},
     "X-CL, kiểm tra qua báo cáo: báo cáo nhận ngày 02/07/2019, xem xét ngày 10/07/2019, sau "
     "thời gian dự kiến (sửa ngày đã ghi: báo cáo nhận và xem xét ngày 01/07/2019)"),
    ("inspection.concluded", {"plan": "KHKT-2019", "unit": "X-CB",
                              "doc": "Thông báo số 45/TB-UBND", "on": "2019-10-04",
                              "has_findings": True, "findings": 2},
     "X-CB: Thông báo số 45/TB-UBND ngày 04/10/2019, có tồn tại, hạn chế (2 dòng tồn tại, hạn "
     "chế)"),
    ("inspection.target_added", {"plan": "KHKT-2019", "unit": "P-YT", "mode": "by_report",
                                 "window": "Quý IV", "reason": "Theo chỉ đạo"},
     "P-YT vào kế hoạch KHKT-2019: kiểm tra qua báo cáo, thời gian “Quý IV”; lý do: Theo chỉ "
     "đạo"),
    ("inspection.target_dropped", {"plan": "KHKT-2019", "unit": "P-YT", "reason": "Sáp nhập"},
     "P-YT khỏi kế hoạch KHKT-2019; lý do: Sáp nhập"),
    ("inspection.reminded", {"plan": "KHKT-2019", "unit": "X-CB", "track": "self_report",
                             "rung": "R3", "due": "2019-09-16", "to": "chutich@xcb.example",
                             "skipped": ["R7"]},
     "X-CB: báo cáo tự kiểm tra trước ngày Đoàn kiểm tra làm việc (bậc R3, tính từ ngày "
     "16/09/2019), tới chutich@xcb.example; bỏ qua R7"),
    ("inspection.reminded", {"plan": "KHKT-2019", "unit": "X-CB", "track": "window_passed",
                             "rung": "O1", "due": "2019-09-30", "to": None},
     "X-CB: đã hết thời gian kiểm tra, chưa ghi nhận đã kiểm tra (bậc O1, tính từ ngày "
     "30/09/2019)"),
]


def test_every_kind_of_event_has_its_history_words_checked():
    assert {name for name, _, _ in WORDED} == set(EventName)


@pytest.mark.parametrize(("name", "data", "words"), WORDED,
                         ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(WORDED)])
def test_an_events_history_line_reads_as_it_always_has(name, data, words):
    assert event_details(parse(name, data), ZONE) == words


def test_an_items_timeline_shows_each_event_at_local_time_in_words():
    reached = parse("item.rung_reached", {"rung": "O1", "kind": "overdue", "due": "2021-06-30",
                                          "skipped": ["R3", "R1", "R0"]}, item_id=7)
    # SQLite hands the moment back without its zone: it was written in UTC.
    text = printed(print_timeline, "3.2 (KH)", [(datetime(2021, 7, 1, 1, 5), reached)], ZONE,
                   width=200)
    assert "Lịch sử nhiệm vụ 3.2 (KH)" in text
    assert ("01/07/2021 08:05 │ đến bậc nhắc │ bậc O1 (đôn đốc), hạn 30/06/2021; bỏ qua R3, "
            "R1, R0") in text
