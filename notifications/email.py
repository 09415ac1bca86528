"""Turning one notice into one MIME message: validated addresses, a one-line subject, a
text and an HTML alternative, and a Message-ID that survives a resend."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import format_datetime

from domain.addresses import AddressError, unique_addresses, validate_address

__all__ = ["AddressError", "validate_address"]  # re-exported for the senders

_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


@dataclass(frozen=True)
class Attachment:
    filename: str  # ASCII, so that every mail client shows it as is
    content_type: str  # "application/…"
    data: bytes


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
    attachments: tuple[Attachment, ...] = ()
    # The From display name (the secretariat's), and where a reply goes: a reminder is
    # sent by the engine's address, but a head of unit answers a person.
    sender_name: str | None = None
    reply_to: str | None = None

    def __post_init__(self) -> None:
        # Both are caller bugs, not delivery failures, so they fail loudly here.
        if not self.to:
            raise ValueError(f"notice {self.notice_id}: message has no To recipient")
        if self.date.utcoffset() is None:
            raise ValueError(f"notice {self.notice_id}: message date must be timezone-aware")


def envelope_recipients(message: OutgoingMessage) -> list[str]:
    """Normalized To then Cc addresses, each once; raises AddressError."""
    return unique_addresses(message.to + message.cc)


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


def _mailbox(name: str | None, address: str) -> Header | str:
    """`"Name" <address>`, the name as an RFC 2047 encoded word whatever it holds (accents,
    quotes, commas, a line break typed into the policy file), so it can neither break the
    header nor be read as a second address."""
    if not name or not name.strip():
        return address
    mailbox = Header(_one_line(name), "utf-8")
    mailbox.append(f"<{address}>", "us-ascii")
    return mailbox


def build_email(message: OutgoingMessage) -> Message:
    """Raises AddressError if any address is invalid.

    Built with the classic (compat32) MIME classes: the modern API parses every header it is
    given and costs several times more per message, which is what limits a country-sized
    dispatch; and its folding (CPython 3.11) drops the space between two encoded words of a
    Vietnamese subject ("nhiệm vụ quá" → "nhiệm vụquá"), which `Header` does not."""
    body = MIMEMultipart("alternative", _boundary())
    body.attach(MIMEText(message.text, "plain", "utf-8"))
    body.attach(MIMEText(message.html, "html", "utf-8"))
    if message.attachments:
        mime = MIMEMultipart("mixed", _boundary())
        mime.attach(body)
        for attachment in message.attachments:
            part = MIMEApplication(attachment.data, attachment.content_type.partition("/")[2])
            part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
            mime.attach(part)
    else:
        mime = body
    mime["From"] = _mailbox(message.sender_name, validate_address(message.sender))
    if message.reply_to:
        mime["Reply-To"] = validate_address(message.reply_to)
    to = unique_addresses(message.to)
    # An address given twice (in To and Cc, or in two spellings) is written once.
    cc = envelope_recipients(message)[len(to):]
    mime["To"] = ", ".join(to)
    if cc:
        mime["Cc"] = ", ".join(cc)
    mime["Subject"] = Header(_one_line(message.subject), "utf-8")
    mime["Date"] = format_datetime(message.date)
    mime["Message-ID"] = message.message_id
    # RFC 3834: tells auto-responders (out-of-office) not to reply to a reminder.
    mime["Auto-Submitted"] = "auto-generated"
    return mime


def _boundary() -> str:
    """A multipart boundary chosen here rather than by the generator, which otherwise compiles
    a new regular expression per part to check that its random boundary occurs in no line (a
    third of building and serialising a digest). Every part is base64, whose lines never start
    with "--", so no line can be taken for the boundary; random, so that two nested parts'
    differ; short, so that the Content-Type header stays one line the wire policy writes as is."""
    return f"=_{secrets.token_hex(8)}"


class _WirePolicy(Compat32):
    """compat32 with CRLF line endings, writing a header that is already one short line of
    ASCII as it is: compat32 re-parses every header through `Header` to fold it, which was
    most of the cost of serialising a digest."""

    def _fold(self, name: str, value, sanitize: bool) -> str:
        if (isinstance(value, str) and value.isascii() and len(name) + len(value) < 76
                and "\n" not in value and "\r" not in value):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


_WIRE = _WirePolicy(linesep="\r\n")


def as_eml(mime: Message) -> bytes:
    """The message as an .eml file holds it on the wire: CRLF line endings (RFC 5322)."""
    return mime.as_bytes(policy=_WIRE)
