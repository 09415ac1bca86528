"""A message on the wire: the fast serialisation writes exactly what the standard library's
compat32 policy writes, long and non-ASCII headers included."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.header import decode_header, make_header
from email.policy import compat32, default

import pytest

from notifications.email import Attachment, OutgoingMessage, as_eml, build_email


@pytest.mark.parametrize("cc", [(), ("a@xa.example",), tuple(f"dau.moi.{n}@tinh.example"
                                                               for n in range(12))])
@pytest.mark.parametrize("subject", [
    "[CCHC] UBND xã <Mường>: 3 nhiệm vụ quá hạn, 2 nhiệm vụ sắp đến hạn (12/03/2025)",
    "short ascii subject",
    "a long ascii subject " * 8,
])
@pytest.mark.parametrize("sender_name", [None, "Phòng Nội vụ thành phố Sơn La"])
def test_a_message_serialises_byte_for_byte_as_compat32_writes_it(cc, subject, sender_name):
    mime = build_email(OutgoingMessage(
        notice_id=1, sender="cchc@tinh.example", to=("chutich@xa.example",), cc=cc,
        subject=subject, text="Kính gửi\n.\nmột dòng", html="<p>Kính gửi</p>",
        message_id="<cchc.1.abc@tinh.example>", date=datetime(2025, 3, 12, 1, 2, tzinfo=UTC),
        sender_name=sender_name, reply_to=sender_name and "cchc@pnv.example",
    ))
    assert as_eml(mime) == mime.as_bytes(policy=compat32.clone(linesep="\r\n"))


@pytest.mark.parametrize("name", [
    "Phòng Nội vụ thành phố Sơn La",
    "PNV (Cơ quan thường trực CCHC), thành phố",
    'Phòng "Nội vụ" <x@attacker.example>\r\nBcc: evil@attacker.example',
])
def test_from_names_the_secretariat_and_reply_to_reaches_it_whatever_the_name_holds(name):
    mime = build_email(OutgoingMessage(
        notice_id=1, sender="cchc@tpsonla.example", to=("chutich@xa.example",), cc=(),
        subject="Nhắc việc", text="Kính gửi", html="<p>Kính gửi</p>",
        message_id="<cchc.1.abc@tpsonla.example>", date=datetime(2025, 3, 12, tzinfo=UTC),
        sender_name=name, reply_to="cchc@pnv.example",
    ))
    received = message_from_bytes(as_eml(mime), policy=default)
    (sender,) = received["From"].addresses
    assert sender.addr_spec == "cchc@tpsonla.example"
    # Decoded as RFC 2047 reads it (the modern parser keeps the folding space between two
    # encoded words of an address header, which mail clients drop).
    raw = message_from_bytes(as_eml(mime), policy=compat32)["From"]
    assert str(make_header(decode_header(raw))) == f"{' '.join(name.split())} <cchc@tpsonla.example>"
    assert [a.addr_spec for a in received["Reply-To"].addresses] == ["cchc@pnv.example"]
    assert received["Bcc"] is None


def test_a_message_with_an_attachment_parses_back_into_its_parts_with_distinct_boundaries():
    workbook = bytes(range(256)) * 40  # any bytes, "--" and line breaks included
    mime = build_email(OutgoingMessage(
        notice_id=1, sender="cchc@tinh.example", to=("chutich@xa.example",), cc=(),
        subject="Báo cáo tuần", text="--\n--=_ không phải ranh giới\n", html="<p>--</p>",
        message_id="<cchc.1.abc@tinh.example>", date=datetime(2025, 3, 12, tzinfo=UTC),
        attachments=(Attachment("tong-hop.xlsx", "application/vnd.ms-excel", workbook),),
    ))
    # Chosen when building, so that serialising need not vet a boundary of its own.
    assert mime.get_boundary() and mime.get_payload(0).get_boundary()
    received = message_from_bytes(as_eml(mime), policy=default)
    body, attachment = received.iter_parts()
    text, html = body.iter_parts()
    assert received.get_boundary() != body.get_boundary()
    assert text.get_content() == "--\n--=_ không phải ranh giới\n"
    assert html.get_content() == "<p>--</p>"
    assert attachment.get_filename() == "tong-hop.xlsx"
    assert attachment.get_content() == workbook
