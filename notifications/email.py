"""Turning one notice into one MIME message: validated addresses, a one-line subject, a
text and an HTML alternative, and a Message-ID that survives a resend."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime

from email_validator import EmailNotValidError, validate_email

_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


@dataclass(frozen=True)
class OutgoingMessage:
    notice_id: int
    sender: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    text: str
    html: str
    message_id: str
    date: datetime

    def __post_init__(self) -> None:
        # Both are caller bugs, not delivery failures, so they fail loudly here.
        if not self.to:
            raise ValueError(f"notice {self.notice_id}: message has no To recipient")
        if self.date.utcoffset() is None:
            raise ValueError(f"notice {self.notice_id}: message date must be timezone-aware")


class AddressError(ValueError):
    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"invalid e-mail address {address!r}: {reason}")
        self.address = address


def validate_address(address: str) -> str:
    """Return the normalized, all-ASCII form of a bare address (no display name)."""
    try:
        # test_environment lets reserved test domains (*.test) through; *.example already is.
        # A non-ASCII local part would need SMTPUTF8 end to end, which relays cannot be
        # counted on for, so it is refused; an internationalized domain goes out as IDNA.
        result = validate_email(
            address, check_deliverability=False, test_environment=True, allow_smtputf8=False
        )
    except EmailNotValidError as error:
        raise AddressError(address, str(error)) from error
    assert result.ascii_email is not None  # always set when allow_smtputf8=False
    return result.ascii_email


def envelope_recipients(message: OutgoingMessage) -> list[str]:
    """Normalized To then Cc addresses, each once; raises AddressError."""
    return list(dict.fromkeys(validate_address(a) for a in message.to + message.cc))


def make_message_id(notice_id: int, key: str, domain: str) -> str:
    """Same notice and key give the same id, so a resend after a crash is recognisable as
    the same message."""
    if not _DOMAIN.fullmatch(domain):
        raise ValueError(f"not a usable Message-ID domain: {domain!r}")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"<cchc.{notice_id}.{digest}@{domain}>"


def _one_line(text: str) -> str:
    """Collapse every run of whitespace (CR and LF included) into one space, so a header
    value can never be split into a second header."""
    return " ".join(text.split())


def _set_subject(mime: EmailMessage, subject: str) -> None:
    """RFC 2047-encode the subject ourselves: the email package's own folding (CPython 3.11)
    drops the space between two encoded words ("nhiệm vụ quá" → "nhiệm vụquá")."""
    encoded = Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n")
    mime.set_raw(*mime.policy.header_source_parse([f"Subject: {encoded}\r\n"]))


def build_email(message: OutgoingMessage) -> EmailMessage:
    """Raises AddressError if any address is invalid."""
    mime = EmailMessage(policy=policy.SMTP)
    mime["From"] = validate_address(message.sender)
    mime["To"] = ", ".join(validate_address(a) for a in message.to)
    if message.cc:
        mime["Cc"] = ", ".join(validate_address(a) for a in message.cc)
    _set_subject(mime, _one_line(message.subject))
    mime["Date"] = format_datetime(message.date)
    mime["Message-ID"] = message.message_id
    # RFC 3834: tells auto-responders (out-of-office) not to reply to a reminder.
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.text, subtype="plain", charset="utf-8")
    mime.add_alternative(message.html, subtype="html", charset="utf-8")
    return mime
