"""Rendering a digest: what a head of unit reads, without a database."""

from __future__ import annotations

from datetime import date

from domain.digest_lines import DigestLine, DigestView
from domain.ladder import RungKind
from domain.recipients import Role, UnitInfo
from notifications.digests import render_digest

VP = UnitInfo("VP", "Văn phòng HĐND và UBND thành phố", "TP", "Chánh Văn phòng",
              "chanhvanphong@tp.example", None)
TP = UnitInfo("TP", "UBND thành phố", None, "Chủ tịch UBND thành phố", "chutich@tp.example", None)


def line(code, kind, *, role=Role.RESPONSIBLE, remaining=0, overdue=0, content="Nội dung",
         earlier=()):
    return DigestLine(
        code=code, content=content, source="Kế hoạch CCHC năm 2021 (32/QĐ-UBND)", unit_code="VP",
        unit_name=VP.name, deadline_text="Quý II/2021", due=date(2021, 6, 30), original_due=None,
        rung="X", kind=kind, role=role, remaining_days=remaining, overdue_days=overdue,
        earlier=earlier,
    )


def view(*lines, recipient=VP.head_email, unit=VP):
    return DigestView(notice_id=1, check_date=date(2021, 7, 1), recipient=recipient,
                      recipient_unit=unit, cc=(), lines=lines)


def test_the_subject_says_how_many_items_are_overdue_and_due_soon_and_for_which_unit():
    rendered = render_digest(
        view(line("3.2", RungKind.OVERDUE, overdue=1), line("2.8", RungKind.REMINDER, remaining=3),
             line("7.7", RungKind.REMINDER, remaining=7)),
        "Phòng Nội vụ", "cchc@pnv.example",
    )
    assert rendered.subject == (
        "[CCHC] Văn phòng HĐND và UBND thành phố: 1 nhiệm vụ quá hạn, "
        "2 nhiệm vụ sắp đến hạn (01/07/2021)"
    )


def test_each_item_shows_code_content_deadline_working_days_and_source_and_the_footer_names_the_secretariat():
    rendered = render_digest(view(line("3.2", RungKind.OVERDUE, overdue=4)),
                             "Phòng Nội vụ thành phố", "cchc@pnv.example")
    for part in (rendered.text, rendered.html):
        assert "3.2" in part and "Nội dung" in part and "Quý II/2021" in part
        assert "30/06/2021" in part and "quá hạn 4 ngày làm việc" in part.lower()
        assert "Kế hoạch CCHC năm 2021 (32/QĐ-UBND)" in part
        assert "Phòng Nội vụ thành phố" in part and "cchc@pnv.example" in part
    assert rendered.text.startswith("Kính gửi: Chánh Văn phòng, Văn phòng HĐND và UBND thành phố")


def test_markup_in_an_items_content_is_escaped_in_html_and_kept_on_one_line_in_text():
    hostile = '<script>alert(1)</script>\r\n<b onmouseover="x">Dòng 2</b>'
    rendered = render_digest(view(line("1.1", RungKind.DUE, content=hostile)), "PNV", None)
    assert "<script>" not in rendered.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<b onmouseover" not in rendered.html
    item_line = next(text for text in rendered.text.splitlines() if text.startswith("- [1.1]"))
    assert "Dòng 2" in item_line
    assert "\n" not in rendered.subject and "\r" not in rendered.subject


def test_a_supervisors_digest_groups_items_by_subordinate_unit_with_what_was_already_sent():
    sent = ("O1 01/07/2021 → chanhvanphong@tp.example",)
    rendered = render_digest(
        view(line("3.2", RungKind.ESCALATION, role=Role.SUPERVISOR, overdue=5, earlier=sent),
             recipient=TP.head_email, unit=TP),
        "Phòng Nội vụ", None,
    )
    assert "1 nhiệm vụ quá hạn của 1 đơn vị trực thuộc" in rendered.subject
    assert "Văn phòng HĐND và UBND thành phố (VP)" in rendered.text
    assert "Đã nhắc: O1 01/07/2021 → chanhvanphong@tp.example" in rendered.text
    assert rendered.text.startswith("Kính gửi: Chủ tịch UBND thành phố, UBND thành phố")
