"""Rendering a digest: what a head of unit reads, without a database."""

from __future__ import annotations

import re
from datetime import date

from domain.digest_lines import DigestLine, DigestView, ItemSource, SentBefore, TargetLine
from domain.ladder import RungKind
from domain.policy import Secretariat
from domain.recipients import UnitInfo
from domain.states import InspectionMode, RecipientRole, TargetTrack
from notifications.digests import render_digest

VP = UnitInfo("VP", "Văn phòng HĐND và UBND thành phố", "TP", "Chánh Văn phòng",
              "chanhvanphong@tp.example", None)
TP = UnitInfo("TP", "UBND thành phố Sơn La", None, "Chủ tịch UBND thành phố",
              "chutich@tp.example", None)
XA = UnitInfo("X-CX", "UBND xã Chiềng Xôm", "TP", "Chủ tịch UBND xã Chiềng Xôm",
              "chutich@chiengxom.example", None)
PNV = Secretariat("Phòng Nội vụ", "cchc@pnv.example")


def line(code, kind, *, role=RecipientRole.RESPONSIBLE, remaining=0, overdue=0, content="Nội dung",
         earlier=(), escalation_round=0):
    return DigestLine(
        code=code, content=content, source=ItemSource("Kế hoạch CCHC năm 2021", "32/QĐ-UBND"), unit_code="VP",
        unit_name=VP.name, deadline_text="Quý II/2021", due=date(2021, 6, 30), original_due=None,
        rung="X", kind=kind, role=role, remaining_days=remaining, overdue_days=overdue,
        earlier=earlier, escalation_round=escalation_round,
    )


def view(*lines, recipient=VP.head_email, unit=VP, targets=()):
    return DigestView(notice_id=1, check_date=date(2021, 7, 1), recipient=recipient,
                      recipient_unit=unit, cc=(), lines=lines, targets=targets)


def test_the_subject_says_how_many_items_are_overdue_and_due_soon_and_for_which_unit():
    rendered = render_digest(
        view(line("3.2", RungKind.OVERDUE, overdue=1), line("2.8", RungKind.REMINDER, remaining=3),
             line("7.7", RungKind.REMINDER, remaining=7)),
        PNV,
    )
    assert rendered.subject == (
        "[CCHC] Văn phòng HĐND và UBND thành phố: 1 nhiệm vụ quá hạn, "
        "2 nhiệm vụ sắp đến hạn (01/07/2021)"
    )


def test_each_item_shows_code_content_deadline_working_days_and_source_and_the_footer_names_the_secretariat():
    rendered = render_digest(view(line("3.2", RungKind.OVERDUE, overdue=4)),
                             Secretariat("Phòng Nội vụ thành phố", "cchc@pnv.example"))
    for part in (rendered.text, rendered.html):
        assert "3.2" in part and "Nội dung" in part and "Quý II/2021" in part
        assert "30/06/2021" in part and "quá hạn 4 ngày làm việc" in part.lower()
        assert "Kế hoạch CCHC năm 2021 (32/QĐ-UBND)" in part
        assert "Phòng Nội vụ thành phố" in part and "cchc@pnv.example" in part
    assert rendered.text.startswith("Kính gửi: Chánh Văn phòng HĐND và UBND thành phố,")


def test_markup_in_an_items_content_is_escaped_in_html_and_kept_on_one_line_in_text():
    hostile = '<script>alert(1)</script>\r\n<b onmouseover="x">Dòng 2</b>'
    rendered = render_digest(view(line("1.1", RungKind.DUE, content=hostile)), Secretariat("PNV"))
    assert "<script>" not in rendered.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<b onmouseover" not in rendered.html
    item_line = next(text for text in rendered.text.splitlines() if text.startswith("- [1.1]"))
    assert "Dòng 2" in item_line
    assert "\n" not in rendered.subject and "\r" not in rendered.subject


SENT_TO_VP = SentBefore("O1", date(2021, 7, 1), VP.head_email, VP)


def supervisors_digest(*lines):
    return render_digest(view(*lines, recipient=TP.head_email, unit=TP), PNV)


def test_a_supervisors_digest_groups_items_by_subordinate_unit_with_when_and_whom_the_unit_was_reminded():
    rendered = supervisors_digest(
        line("3.2", RungKind.ESCALATION, role=RecipientRole.SUPERVISOR, overdue=5, earlier=(SENT_TO_VP,)))
    assert "1 nhiệm vụ quá hạn của 1 đơn vị trực thuộc" in rendered.subject
    assert "Văn phòng HĐND và UBND thành phố (VP)" in rendered.text
    reminded = ("Ngày 01/07/2021 đã đôn đốc lần thứ 1: Chánh Văn phòng HĐND và UBND thành phố "
                "<chanhvanphong@tp.example>")
    assert reminded in rendered.text
    assert reminded.replace("Ngày", "ngày").replace("<", "&lt;").replace(">", "&gt;") in rendered.html
    assert rendered.text.startswith("Kính gửi: Chủ tịch UBND thành phố Sơn La,")
    never_reminded = supervisors_digest(
        line("KT19-05", RungKind.ESCALATION, role=RecipientRole.SUPERVISOR, overdue=373))
    assert "Chưa có thư nhắc nào gửi đơn vị trước ngày này" in never_reminded.text
    assert "chưa có thư nhắc nào gửi đơn vị trước ngày này" in never_reminded.html


def test_a_digest_names_each_notice_sent_in_words_never_by_its_rung_code():
    earlier = tuple(SentBefore(rung, date(2021, 6, day), VP.head_email, VP)
                    for rung, day in (("R7", 21), ("R0", 30), ("O1", 1), ("O7", 9), ("E1", 10)))
    digest = line("3.2", RungKind.ESCALATION, role=RecipientRole.SUPERVISOR, overdue=12,
                  earlier=earlier)
    rendered = render_digest(view(digest, recipient=TP.head_email, unit=TP), PNV,
                             overdue_repeat_days=3)
    for part in (rendered.text, rendered.html):
        for words in ("đã nhắc trước hạn 7 ngày làm việc", "đã nhắc đến hạn",
                      "đã đôn đốc lần thứ 1", "đã đôn đốc lần thứ 3",
                      "đã báo cáo cấp trên lần thứ 1"):
            assert words in part
        assert not re.search(r"\b[ROE][0-9]+\b", part)
    # The ordinal follows the policy's rhythm: every 2 working days, O7 is the fourth notice.
    every_two = render_digest(view(digest, recipient=TP.head_email, unit=TP), PNV,
                              overdue_repeat_days=2)
    assert "đã đôn đốc lần thứ 4" in every_two.text


def test_a_supervisor_is_asked_to_direct_the_unit_not_told_to_send_in_its_work():
    rendered = supervisors_digest(
        line("3.2", RungKind.ESCALATION, role=RecipientRole.SUPERVISOR, overdue=5, earlier=(SENT_TO_VP,)))
    for part in (rendered.text, rendered.html):
        assert ("Đề nghị Chủ tịch UBND thành phố Sơn La chỉ đạo Văn phòng HĐND và UBND thành phố "
                "(VP) khẩn trương hoàn thành") in part
        assert "Khi hoàn thành, đề nghị đơn vị gửi" not in part
    # A head's own digest still says where to send the work.
    own = render_digest(view(line("3.2", RungKind.OVERDUE, overdue=1)), PNV)
    assert "Khi hoàn thành, đề nghị đơn vị gửi văn bản, sản phẩm về Phòng Nội vụ" in own.text


def test_a_second_escalation_to_the_same_head_says_so():
    rendered = supervisors_digest(line("3.2", RungKind.ESCALATION, role=RecipientRole.SUPERVISOR,
                                       overdue=15, escalation_round=2))
    assert "(đôn đốc lần 2)" in rendered.subject
    assert "Đôn đốc lần 2" in rendered.text and "Đôn đốc lần 2" in rendered.html
    first = supervisors_digest(line("3.2", RungKind.ESCALATION, role=RecipientRole.SUPERVISOR,
                                    overdue=5, escalation_round=1))
    assert "lần 2" not in first.subject + first.text


def test_the_greeting_names_a_head_whose_title_holds_the_units_name_once():
    rendered = render_digest(view(line("KT19-05", RungKind.OVERDUE, overdue=300),
                                  recipient=XA.head_email, unit=XA), PNV)
    assert rendered.text.startswith("Kính gửi: Chủ tịch UBND xã Chiềng Xôm,\n")


def test_the_footer_gives_the_secretariats_officer_phone_and_address_once_each_when_set():
    bracketed = Secretariat("Phòng Nội vụ thành phố Sơn La (Cơ quan thường trực CCHC)",
                            "cchc@pnv.example", phone="0212 3852 123", officer="Nguyễn Văn An")
    rendered = render_digest(view(line("3.2", RungKind.OVERDUE, overdue=1)), bracketed)
    assert ") (" not in rendered.text and ") (" not in rendered.html
    assert ("Liên hệ: Nguyễn Văn An, điện thoại 0212 3852 123, e-mail cchc@pnv.example"
            in rendered.text)
    assert "Liên hệ: Nguyễn Văn An, điện thoại 0212 3852 123" in rendered.html
    bare = render_digest(view(line("3.2", RungKind.OVERDUE, overdue=1)), Secretariat("PNV"))
    assert "Liên hệ" not in bare.text and "trả lời thư này" not in bare.text


def test_a_remediation_reopened_by_its_evaluation_reads_reopened_not_extended():
    from dataclasses import replace

    from domain.states import SourceKind

    reopened = replace(line("KT19-05", RungKind.REMINDER, remaining=3), reopened=True,
                       original_due=date(2019, 12, 31), due=date(2021, 7, 6),
                       source=ItemSource("Đoàn kiểm tra 2019", kind=SourceKind.INSPECTION))
    rendered = render_digest(view(reopened), PNV)
    for part in (rendered.text, rendered.html):
        assert "mở lại sau đánh giá chưa đạt, hạn đầu 31/12/2019" in part
        assert "gia hạn" not in part
        assert "Kết luận kiểm tra: Đoàn kiểm tra 2019" in part


def test_each_source_says_what_it_is():
    from domain.states import SourceKind
    from notifications.words import source_text

    assert source_text(ItemSource("Báo cáo CCHC quý", kind=SourceKind.OBLIGATION)) == \
        "Nghĩa vụ báo cáo định kỳ: Báo cáo CCHC quý"
    assert source_text(ItemSource("Cải cách hành chính năm 2022", "12/KH-UBND")) == \
        "Kế hoạch Cải cách hành chính năm 2022 (12/KH-UBND)"
    assert source_text(ItemSource("KẾ HOẠCH CCHC năm 2021")) == "KẾ HOẠCH CCHC năm 2021"


def target(track, *, unit=XA, mode=InspectionMode.DIRECT, role=RecipientRole.RESPONSIBLE,
           due=date(2024, 2, 1), remaining=0, overdue=0, inspected=(None, None)):
    return TargetLine(
        plan_code="KHKT-2024", plan_title="Kế hoạch kiểm tra công tác CCHC năm 2024",
        unit_code=unit.code, unit_name=unit.name, mode=mode, track=track, role=role, due=due,
        window_text="Từ 15 đến 16/02/2024", window_opens=date(2024, 2, 15),
        window_closes=date(2024, 2, 16), inspected_from=inspected[0], inspected_to=inspected[1],
        remaining_days=remaining, overdue_days=overdue)


def test_a_heads_digest_lists_its_items_and_its_inspection_report_to_send_in_one_e_mail():
    rendered = render_digest(DigestView(
        notice_id=1, check_date=date(2024, 1, 29), recipient=XA.head_email, recipient_unit=XA,
        cc=(), lines=(line("3.2", RungKind.REMINDER, remaining=3),),
        targets=(target(TargetTrack.SELF_REPORT, remaining=3),)), PNV)
    assert rendered.subject == (
        "[CCHC] UBND xã Chiềng Xôm: 1 nhiệm vụ sắp đến hạn, 1 báo cáo tự kiểm tra cần gửi "
        "trước ngày kiểm tra (29/01/2024)")
    text = rendered.text
    assert "NHIỆM VỤ SẮP ĐẾN HẠN" in text and "[3.2]" in text
    assert "KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH — đề nghị gửi báo cáo tự kiểm tra" in text
    assert "- [KHKT-2024] UBND xã Chiềng Xôm (X-CX): kiểm tra trực tiếp" in text
    assert ("Đề nghị gửi báo cáo tự kiểm tra theo nội dung kiểm tra trước ngày 01/02/2024, "
            "trước ngày Đoàn kiểm tra làm việc (15/02/2024)") in text
    assert "Thời gian kiểm tra: Từ 15 đến 16/02/2024 (từ 15/02/2024 đến 16/02/2024)" in text
    assert "Còn 3 ngày làm việc" in text.split("KIỂM TRA CÔNG TÁC")[1]
    html = rendered.html
    assert "Kiểm tra công tác cải cách hành chính — đề nghị gửi báo cáo tự kiểm tra" in html
    assert "<strong>01/02/2024</strong>" in html and "còn 3 ngày làm việc" in html


def test_a_by_report_targets_overdue_report_says_how_late_it_is():
    rendered = render_digest(view(targets=(target(
        TargetTrack.REPORT, mode=InspectionMode.BY_REPORT, due=date(2024, 2, 16), overdue=4),),
        recipient=XA.head_email, unit=XA), PNV)
    assert "1 báo cáo tự kiểm tra (kiểm tra qua báo cáo)" in rendered.subject
    assert "trước ngày 16/02/2024 (kiểm tra qua báo cáo)" in rendered.text
    assert "Đã quá hạn 4 ngày làm việc" in rendered.text
    assert "quá hạn 4 ngày làm việc" in rendered.html


def test_the_secretariats_alert_lists_windows_passed_and_conclusions_awaited_by_track():
    rendered = render_digest(DigestView(
        notice_id=2, check_date=date(2024, 3, 15), recipient=PNV.email, recipient_unit=None,
        cc=(), lines=(), targets=(
            target(TargetTrack.CONCLUSION_LATE, role=RecipientRole.SECRETARIAT,
                   due=date(2024, 2, 16), overdue=19,
                   inspected=(date(2024, 2, 15), date(2024, 2, 16))),
            target(TargetTrack.WINDOW_PASSED, unit=VP, role=RecipientRole.SECRETARIAT,
                   due=date(2024, 2, 16), overdue=1))), PNV)
    assert rendered.subject == (
        "[CCHC] Phòng Nội vụ: 1 đơn vị hết thời gian kiểm tra chưa được kiểm tra, "
        "1 cuộc kiểm tra chưa có kết luận (15/03/2024)")
    text = rendered.text
    assert text.startswith("Kính gửi: Phòng Nội vụ,")
    passed, awaited = (text.index("ĐÃ HẾT THỜI GIAN KIỂM TRA"),
                       text.index("ĐÃ KIỂM TRA, CHƯA CÓ KẾT LUẬN KIỂM TRA"))
    assert passed < awaited  # in the order of the tracks, whatever the lines' order
    assert ("Hết thời gian kiểm tra ngày 16/02/2024, chưa ghi nhận đã kiểm tra: quá 1 ngày "
            "làm việc") in text
    assert ("Đã kiểm tra từ 15/02/2024 đến 16/02/2024; đã 19 ngày làm việc, chưa có kết luận "
            "kiểm tra") in text
    assert "Đề nghị ban hành văn bản kết luận kiểm tra." in rendered.html


def test_a_target_units_name_with_markup_is_escaped_in_html_and_one_line_in_text():
    hostile = UnitInfo("X-1", "UBND xã <b>A</b>\r\nB", "TP", None, "x@x.example", None)
    rendered = render_digest(view(targets=(target(TargetTrack.SELF_REPORT, unit=hostile),),
                                  recipient=hostile.head_email, unit=hostile), PNV)
    assert "<b>A</b>" not in rendered.html and "&lt;b&gt;A&lt;/b&gt;" in rendered.html
    assert any(text.startswith("- [KHKT-2024] UBND xã <b>A</b>  B (X-1)")
               for text in rendered.text.splitlines())
