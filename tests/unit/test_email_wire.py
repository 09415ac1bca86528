"""A message on the wire: the fast serialisation writes exactly what the standard library's
compat32 policy writes, long and non-ASCII headers included."""

from __future__ import annotations

from datetime import UTC, datetime
from email.policy import compat32

import pytest

from notifications.email import OutgoingMessage, as_eml, build_email


@pytest.mark.parametrize("cc", [(), ("a@xa.example",), tuple(f"dau.moi.{n}@tinh.example"
                                                               for n in range(12))])
@pytest.mark.parametrize("subject", [
    "[CCHC] UBND xã <Mường>: 3 nhiệm vụ quá hạn, 2 nhiệm vụ sắp đến hạn (12/03/2025)",
    "short ascii subject",
    "a long ascii subject " * 8,
])
def test_a_message_serialises_byte_for_byte_as_compat32_writes_it(cc, subject):
    mime = build_email(OutgoingMessage(
        notice_id=1, sender="cchc@tinh.example", to=("chutich@xa.example",), cc=cc,
        subject=subject, text="Kính gửi\n.\nmột dòng", html="<p>Kính gửi</p>",
        message_id="<cchc.1.abc@tinh.example>", date=datetime(2025, 3, 12, 1, 2, tzinfo=UTC),
    ))
    assert as_eml(mime) == mime.as_bytes(policy=compat32.clone(linesep="\r\n"))
