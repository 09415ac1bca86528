"""A real aiosmtpd server on 127.0.0.1 that misbehaves on cue: replies chosen per command and
recipient, a stall, a dropped connection, or a SIGKILL of the sending process at a chosen point
of the protocol. It keeps every message it accepted, with its Message-ID."""

from __future__ import annotations

import asyncio
import email
import os
import signal
from collections import Counter
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.smtp_server import free_port


@dataclass
class Script:
    mail_reply: str | None = None  # e.g. "421 4.3.2 shutting down", for every MAIL
    rcpt_replies: dict[str, str] = field(default_factory=dict)
    stall_on: str | None = None  # DATA to this recipient waits `stall_seconds`, stores nothing
    stall_seconds: float = 0.0
    drop_on: str | None = None  # DATA to this recipient: the connection is cut, nothing stored
    # Kill `victim` with SIGKILL at `kill_at` on the `kill_on`-th occurrence (1-based):
    # "ehlo", "mail" (before that message is sent), "data" (stored, before the reply),
    # "after-data" (just after the reply), "quit" (every message of the batch accepted).
    victim: int | None = None
    kill_at: str | None = None
    kill_on: int = 1


class ScriptedHandler:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.messages: list[EmailMessage] = []
        self.envelopes: list[list[str]] = []
        self.seen: Counter[str] = Counter()

    def _point(self, name: str) -> bool:
        """Count one occurrence of `name`; kill the victim if this is the chosen one."""
        self.seen[name] += 1
        script = self.script
        if script.kill_at == name and self.seen[name] == script.kill_on:
            self._kill()
            return True
        return False

    def _kill(self) -> None:
        if self.script.victim:
            os.kill(self.script.victim, signal.SIGKILL)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self._point("ehlo")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self._point("mail"):
            await asyncio.sleep(0.5)  # the sender is gone: it never hears the reply
        if self.script.mail_reply:
            return self.script.mail_reply
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.script.rcpt_replies:
            return self.script.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        recipients = set(envelope.rcpt_tos)
        if self.script.stall_on in recipients:
            await asyncio.sleep(self.script.stall_seconds)
            return "451 4.4.2 timed out"
        if self.script.drop_on in recipients:
            server.transport.abort()
            return "421 4.3.0 connection lost"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append(list(envelope.rcpt_tos))
        if self._point("data"):
            await asyncio.sleep(0.5)
        if self.script.kill_at == "after-data" and self.seen["data"] == self.script.kill_on:
            # The reply goes out first; the kill follows a moment later.
            asyncio.get_running_loop().call_later(0.02, self._kill)
        return "250 2.0.0 queued"

    async def handle_QUIT(self, server, session, envelope):
        self._point("quit")
        return "221 Bye"

    def message_ids(self) -> Counter[str]:
        return Counter(str(m["Message-ID"]) for m in self.messages)


class ScriptedServer:
    def __init__(self, script: Script | None = None, port: int | None = None) -> None:
        self.handler = ScriptedHandler(script or Script())
        self.port = port or free_port()
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def script(self) -> Script:
        return self.handler.script

    def __enter__(self) -> ScriptedServer:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()
