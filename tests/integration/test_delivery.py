"""Delivery against a real SMTP server (aiosmtpd on 127.0.0.1) and a real directory."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from notifications.delivery import (
    DeliveryOutcome,
    MaildirSender,
    SmtpSender,
    SmtpSettings,
    sender_for,
)
from notifications.email import (
    AddressError,
    OutgoingMessage,
    make_message_id,
    validate_address,
)

SUBJECT = "Nhắc việc CCHC: 2 nhiệm vụ sắp đến hạn — Phòng Nội vụ"
SENDER = "cchc@vanphong.example"
CHIEF = "truong.phong@noivu.example"
DEPUTY = "pho.phong@noivu.example"
SENT_AT = dt.datetime(2024, 5, 6, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def notice(
    notice_id: int,
    to: tuple[str, ...] = (CHIEF,),
    cc: tuple[str, ...] = (),
    subject: str = SUBJECT,
) -> OutgoingMessage:
    return OutgoingMessage(
        notice_id=notice_id,
        sender=SENDER,
        to=to,
        cc=cc,
        subject=subject,
        text="Kính gửi Trưởng phòng: còn 3 ngày làm việc.",
        html="<p>Kính gửi Trưởng phòng: còn <b>3</b> ngày làm việc.</p>",
        message_id=make_message_id(notice_id, f"reminder:{notice_id}", "cchc.example"),
        date=SENT_AT,
    )


@dataclass
class Received:
    peer: Any
    over_tls: bool
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    def parsed(self) -> EmailMessage:
        return email.message_from_bytes(self.content, policy=policy.default)  # type: ignore[return-value]


@dataclass
class RecordingHandler:
    """Accepts everything except the replies listed in `rcpt_replies`; `drop_on` aborts the
    connection when that recipient is given, as a crashing server would."""

    rcpt_replies: dict[str, str] = field(default_factory=dict)
    drop_on: str | None = None
    received: list[Received] = field(default_factory=list)
    ehlo_peers: list[Any] = field(default_factory=list)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self.ehlo_peers.append(session.peer)
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.drop_on:
            server.transport.abort()
            return "421 4.3.0 going away"
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            Received(
                peer=session.peer,
                over_tls=server.transport.get_extra_info("ssl_object") is not None,
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                content=envelope.original_content,
            )
        )
        return "250 2.0.0 queued"

    @property
    def connections(self) -> int:
        return len(set(self.ehlo_peers))


@dataclass
class Server:
    port: int
    handler: RecordingHandler

    def settings(self, **overrides: Any) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, timeout=5.0, **overrides)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DrainingController(Controller):
    """Stops only once the server has seen every client hang up; a plain stop can race a
    client's close and leave a server-side socket for the garbage collector."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.protocols: list[SMTP] = []

    def factory(self) -> SMTP:
        protocol = super().factory()
        self.protocols.append(protocol)
        return protocol

    def stop(self, no_assert: bool = False) -> None:
        deadline = time.monotonic() + 2.0
        while any(p.transport is not None for p in self.protocols):
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        super().stop(no_assert)


@pytest.fixture
def start_server() -> Iterator[Callable[..., Server]]:
    controllers: list[Controller] = []

    def start(handler: RecordingHandler | None = None, **smtp_options: Any) -> Server:
        handler = handler or RecordingHandler()
        controller = DrainingController(
            handler, hostname="127.0.0.1", port=free_port(), **smtp_options
        )
        controller.start()
        controllers.append(controller)
        return Server(controller.port, handler)

    yield start
    for controller in controllers:
        controller.stop()


@dataclass(frozen=True)
class Certificate:
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """Self-signed for 127.0.0.1, also usable as its own CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("tls")
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_file, key_file)


def header_block(content: bytes) -> bytes:
    return content.split(b"\r\n\r\n", 1)[0]


def test_message_arrives_for_to_and_cc_as_text_and_html_with_encoded_vietnamese_subject(
    start_server: Callable[..., Server],
) -> None:
    server = start_server()
    message = notice(1, to=(CHIEF,), cc=(DEPUTY,))

    [result] = SmtpSender(server.settings()).send_all_sync([message])

    assert result.outcome is DeliveryOutcome.SENT
    assert result.detail == message.message_id
    [received] = server.handler.received
    assert received.mail_from == SENDER
    assert received.rcpt_tos == [CHIEF, DEPUTY]
    headers = header_block(received.content)
    assert headers.isascii()
    assert b"Subject: =?utf-8?" in headers
    parsed = received.parsed()
    assert parsed["Subject"] == SUBJECT
    assert parsed["To"] == CHIEF
    assert parsed["Cc"] == DEPUTY
    assert parsed["Message-ID"] == message.message_id
    assert parsed["Date"].datetime == SENT_AT
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed.get_body(("plain",)).get_content().strip() == message.text
    assert parsed.get_body(("html",)).get_content().strip() == message.html


def test_many_messages_share_at_most_max_connections(start_server: Callable[..., Server]) -> None:
    server = start_server()
    messages = [notice(i) for i in range(1, 13)]

    results = SmtpSender(server.settings(max_connections=2)).send_all_sync(messages)

    assert [r.outcome for r in results] == [DeliveryOutcome.SENT] * len(messages)
    assert len(server.handler.received) == len(messages)
    assert 1 <= server.handler.connections <= 2


def test_refused_recipient_fails_only_its_own_message_as_permanent(
    start_server: Callable[..., Server],
) -> None:
    server = start_server(
        RecordingHandler(rcpt_replies={"nobody@noivu.example": "550 5.1.1 mailbox unavailable"})
    )
    messages = [notice(1), notice(2, to=("nobody@noivu.example",)), notice(3)]

    results = SmtpSender(server.settings(max_connections=1)).send_all_sync(messages)

    assert [(r.notice_id, r.outcome) for r in results] == [
        (1, DeliveryOutcome.SENT),
        (2, DeliveryOutcome.PERMANENT),
        (3, DeliveryOutcome.SENT),
    ]
    assert "550 5.1.1 mailbox unavailable" in results[1].detail
    assert len(server.handler.received) == 2
    assert server.handler.connections == 1


def test_message_refused_only_for_its_cc_is_sent_to_the_others(
    start_server: Callable[..., Server],
) -> None:
    server = start_server(RecordingHandler(rcpt_replies={DEPUTY: "550 5.1.1 mailbox unavailable"}))

    [result] = SmtpSender(server.settings()).send_all_sync([notice(1, cc=(DEPUTY,))])

    # Retrying would send it to the chief a second time.
    assert result.outcome is DeliveryOutcome.SENT
    assert server.handler.received[0].rcpt_tos == [CHIEF]


def test_temporary_refusal_is_transient(start_server: Callable[..., Server]) -> None:
    server = start_server(RecordingHandler(rcpt_replies={CHIEF: "451 4.3.0 try again later"}))

    [result] = SmtpSender(server.settings()).send_all_sync([notice(1)])

    assert result.outcome is DeliveryOutcome.TRANSIENT
    assert "451 4.3.0 try again later" in result.detail


def test_message_caught_by_a_dropped_connection_is_transient_and_the_next_one_reconnects(
    start_server: Callable[..., Server],
) -> None:
    server = start_server(RecordingHandler(drop_on="crash@noivu.example"))
    messages = [notice(1), notice(2, to=("crash@noivu.example",)), notice(3)]

    results = SmtpSender(server.settings(max_connections=1)).send_all_sync(messages)

    assert [r.outcome for r in results] == [
        DeliveryOutcome.SENT,
        DeliveryOutcome.TRANSIENT,
        DeliveryOutcome.SENT,
    ]
    assert server.handler.connections == 2


def test_unreachable_server_makes_every_message_transient_without_raising() -> None:
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), timeout=2.0, max_connections=2)

    results = SmtpSender(settings).send_all_sync([notice(i) for i in range(1, 6)])

    assert [r.notice_id for r in results] == [1, 2, 3, 4, 5]
    assert all(r.outcome is DeliveryOutcome.TRANSIENT for r in results)
    assert all(r.detail for r in results)


def test_login_with_the_right_password_sends_and_a_wrong_one_is_permanent(
    start_server: Callable[..., Server],
) -> None:
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data == (b"vanphong", b"s3cret")
        # handled=False: let the server send its own 535 rather than leave the client waiting.
        return AuthResult(success=ok, handled=False)

    server = start_server(authenticator=authenticator, auth_require_tls=False)

    [sent] = SmtpSender(server.settings(username="vanphong", password="s3cret")).send_all_sync(
        [notice(1)]
    )
    refused = SmtpSender(server.settings(username="vanphong", password="wrong")).send_all_sync(
        [notice(2), notice(3)]
    )

    assert sent.outcome is DeliveryOutcome.SENT
    assert [r.outcome for r in refused] == [DeliveryOutcome.PERMANENT] * 2
    assert all(r.detail.startswith("535") for r in refused)
    assert len(server.handler.received) == 1


def test_starttls_upgrades_and_skips_verification_when_told_to(
    start_server: Callable[..., Server], certificate: Certificate
) -> None:
    server = start_server(tls_context=certificate.server_context(), require_starttls=True)

    [result] = SmtpSender(server.settings(security="starttls", validate_certs=False)).send_all_sync(
        [notice(1)]
    )

    assert result.outcome is DeliveryOutcome.SENT
    assert server.handler.received[0].over_tls


def test_starttls_verifies_the_server_against_ca_file_and_rejects_an_unknown_one(
    start_server: Callable[..., Server], certificate: Certificate
) -> None:
    server = start_server(tls_context=certificate.server_context(), require_starttls=True)

    [trusted] = SmtpSender(
        server.settings(security="starttls", ca_file=str(certificate.cert_file))
    ).send_all_sync([notice(1)])
    [untrusted] = SmtpSender(server.settings(security="starttls")).send_all_sync([notice(2)])

    assert trusted.outcome is DeliveryOutcome.SENT
    assert untrusted.outcome is DeliveryOutcome.TRANSIENT
    assert "certificate" in untrusted.detail.lower()
    assert len(server.handler.received) == 1


def test_implicit_tls_sends_over_an_encrypted_connection(
    start_server: Callable[..., Server], certificate: Certificate
) -> None:
    server = start_server(ssl_context=certificate.server_context())

    [result] = SmtpSender(server.settings(security="tls", validate_certs=False)).send_all_sync(
        [notice(1)]
    )

    assert result.outcome is DeliveryOutcome.SENT
    assert server.handler.received[0].over_tls


def test_security_none_never_upgrades_even_when_the_server_offers_starttls(
    start_server: Callable[..., Server], certificate: Certificate
) -> None:
    server = start_server(tls_context=certificate.server_context())

    [result] = SmtpSender(server.settings(security="none")).send_all_sync([notice(1)])

    assert result.outcome is DeliveryOutcome.SENT
    assert not server.handler.received[0].over_tls


def test_subject_with_line_breaks_stays_one_line_and_injects_no_header(
    start_server: Callable[..., Server],
) -> None:
    server = start_server()
    message = notice(1, subject="Nhắc việc\r\nBcc: x@y.example\n\tcuối")

    [result] = SmtpSender(server.settings()).send_all_sync([message])

    assert result.outcome is DeliveryOutcome.SENT
    [received] = server.handler.received
    parsed = received.parsed()
    assert parsed["Subject"] == "Nhắc việc Bcc: x@y.example cuối"
    assert parsed["Bcc"] is None
    assert received.rcpt_tos == [CHIEF]
    assert not any(
        line.lower().startswith(b"bcc:") for line in header_block(received.content).split(b"\r\n")
    )


def test_invalid_address_is_permanent_without_contacting_the_server(
    start_server: Callable[..., Server],
) -> None:
    server = start_server()

    [result] = SmtpSender(server.settings()).send_all_sync([notice(1, to=("not-an-address",))])

    assert result.outcome is DeliveryOutcome.PERMANENT
    assert "not-an-address" in result.detail
    assert server.handler.connections == 0


def test_send_all_sync_refuses_to_run_inside_an_event_loop() -> None:
    sender = SmtpSender(SmtpSettings(host="127.0.0.1"))

    async def call_from_loop() -> None:
        sender.send_all_sync([notice(1)])

    with pytest.raises(RuntimeError, match="await send_all"):
        asyncio.run(call_from_loop())


def test_maildir_writes_parseable_eml_files_and_no_temp_files(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    messages = [notice(7, cc=(DEPUTY,)), notice(8, to=("Van.Thu@NoiVu.example",))]

    results = MaildirSender(outbox).send_all_sync(messages)
    MaildirSender(outbox).send_all_sync(messages[:1])  # a resend rewrites, never duplicates

    assert [(r.outcome, r.detail) for r in results] == [
        (DeliveryOutcome.SENT, messages[0].message_id),
        (DeliveryOutcome.SENT, messages[1].message_id),
    ]
    assert sorted(p.name for p in outbox.iterdir()) == [
        "06-05-2024-7-truong.phong@noivu.example.eml",
        "06-05-2024-8-van.thu@noivu.example.eml",
    ]
    parsed = email.message_from_bytes(
        (outbox / "06-05-2024-7-truong.phong@noivu.example.eml").read_bytes(), policy=policy.default
    )
    assert parsed["Subject"] == SUBJECT
    assert parsed["Cc"] == DEPUTY
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed.get_body(("plain",)).get_content().strip() == messages[0].text


def test_maildir_reports_an_invalid_address_as_permanent(tmp_path: Path) -> None:
    [result] = MaildirSender(tmp_path).send_all_sync([notice(1, to=("not-an-address",))])

    assert result.outcome is DeliveryOutcome.PERMANENT
    assert list(tmp_path.iterdir()) == []


def test_sender_for_picks_smtp_when_configured_and_the_directory_otherwise(
    tmp_path: Path,
) -> None:
    assert isinstance(sender_for(SmtpSettings(host="mail.example"), tmp_path), SmtpSender)
    assert isinstance(sender_for(None, tmp_path), MaildirSender)


def test_message_id_is_the_same_for_the_same_notice_and_key() -> None:
    first = make_message_id(5, "reminder:2024-05-06", "cchc.example")

    assert first == make_message_id(5, "reminder:2024-05-06", "cchc.example")
    assert first != make_message_id(5, "reminder:2024-05-07", "cchc.example")
    assert first.startswith("<cchc.5.") and first.endswith("@cchc.example>")


def test_address_validation_accepts_test_domains_and_names_the_bad_address() -> None:
    assert validate_address("Van.Thu@NoiVu.Example") == "Van.Thu@noivu.example"
    assert validate_address("vanthu@sonla.test") == "vanthu@sonla.test"
    assert validate_address("cchc@localhost.localdomain") == "cchc@localhost.localdomain"
    with pytest.raises(AddressError, match="not-an-address"):
        validate_address("not-an-address")
