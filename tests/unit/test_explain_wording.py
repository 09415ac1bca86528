"""`cchc explain` worded from facts built in memory, and a label for every code a user may
read: the wording needs no database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.explanation import (
    Explanation,
    NoticeFact,
    RecordedRung,
    TrackFacts,
    chain_of_command,
)
from domain.ladder import Rung, RungKind, Track
from domain.policy import Policy
from domain.recipients import UnitInfo, UnitTree
from domain.states import DeadlineKind, DeliveryState, LedgerState, NoticeState
from domain.status import Status
from notifications.explain import explain_lines
from notifications.words import label

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
CITY = UnitInfo("TP", "UBND thành phố", None, "Chủ tịch UBND thành phố", "chutich@tp.example",
                None)
DISTRICT = UnitInfo("H", "UBND huyện", "TP", "Chủ tịch UBND huyện", "chutich@h.example", None)
COMMUNE = UnitInfo("X", "UBND xã", "H", "Chủ tịch UBND xã", "chutich@x.example", None)
TREE = UnitTree([CITY, DISTRICT, COMMUNE])


def overdue(day: date, **facts) -> Explanation:
    return Explanation(code="1.1", content="Rà soát thủ tục", unit_code="X",
                       deadline_text="Quý I/2024", due=date(2024, 3, 29), as_of=day,
                       status=Status.OVERDUE, extensions=(), completed_on=None, **facts)


def test_a_chain_of_two_heads_names_each_level_and_says_a_catch_up_copies_the_one_passed():
    chain = chain_of_command(TREE, "X", Policy(), organisation=None, assigned_by=None)
    lines = explain_lines(overdue(date(2024, 4, 10), chain=chain, tracks=(
        TrackFacts(Track.ESCALATION, (), None, reached_any=False, upcoming=None),)), ZONE)
    assert lines[3:] == [
        "  Báo cáo cấp trên tới tối đa UBND thành phố (TP, cấp cao nhất của tổ chức mà cơ quan "
        "thường trực phục vụ), từng cấp một.",
        "  E1 (quá hạn từ 5 ngày làm việc): Chủ tịch UBND huyện <chutich@h.example>.",
        "  E2 (quá hạn từ 15 ngày làm việc): Chủ tịch UBND thành phố <chutich@tp.example>.",
        "  Nếu một lần kiểm tra bù vượt qua một cấp, người nhận của cấp đó được gửi kèm (cc) ở "
        "cấp cao hơn.",
        "  Chưa đến bậc nào.",
    ]


def test_a_single_head_above_gets_the_second_level_again_and_no_copy_is_promised():
    chain = chain_of_command(TREE, "H", Policy(), organisation=None, assigned_by=None)
    lines = explain_lines(overdue(date(2024, 4, 10), chain=chain, tracks=(
        TrackFacts(Track.ESCALATION, (), None, reached_any=True, upcoming=None),)), ZONE)
    assert lines[-1] == ("  E2 (quá hạn từ 15 ngày làm việc): Chủ tịch UBND thành phố "
                         "<chutich@tp.example> — đôn đốc lần 2, cùng người nhận với cấp trước.")


def test_a_retried_notice_says_its_attempts_and_retry_time_locally_and_a_day_off_its_weekday():
    retrying = NoticeFact(NoticeState.PENDING, "chutich@x.example", (), None, None, 2,
                          "451 thử lại sau", datetime(2024, 4, 1, 2, 30, tzinfo=UTC))
    failed = NoticeFact(NoticeState.FAILED, "chutich@x.example", (), None, None, 1,
                        "550 không có hộp thư", None)
    track = TrackFacts(Track.UNIT, (
        RecordedRung("R1", LedgerState.QUEUED, date(2024, 3, 28), None, (failed,)),
        RecordedRung("O1", LedgerState.QUEUED, date(2024, 4, 1), None, (retrying,)),
    ), None, reached_any=True, upcoming=(Rung(Track.UNIT, RungKind.OVERDUE, 4), date(2024, 4, 4)))
    chain = chain_of_command(TREE, "X", Policy(), organisation=None, assigned_by=None)
    lines = explain_lines(overdue(date(2024, 3, 30), day_off=True, chain=chain,
                                  tracks=(track,)), ZONE)
    assert lines[2] == ("Ngày 30/03/2024 không phải ngày làm việc (thứ Bảy): kiểm tra ngày này "
                        "không gửi gì; ngày làm việc kế tiếp sẽ gửi bù bậc mới nhất.")
    assert lines[4:] == [
        "  R1: gửi tới chutich@x.example thất bại: 550 không có hộp thư.",
        "  O1: đang chờ gửi lại tới chutich@x.example (đã thử 2 lần, lỗi tạm thời: 451 thử lại "
        "sau; thử lại từ 01/04/2024 09:30).",
        "  Bậc tiếp theo: O4 (đôn đốc) vào ngày 04/04/2024.",
    ]


@pytest.mark.parametrize("kind", [Status, DeadlineKind, RungKind, DeliveryState])
def test_every_code_a_user_may_read_has_a_vietnamese_label(kind):
    labels = [label(member) for member in kind]
    assert all(labels) and len(set(labels)) == len(labels)
