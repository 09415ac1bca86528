"""Delivering built messages: over SMTP through a few reused connections, or into a
directory of .eml files when no SMTP server is configured. Whether to notify is decided
elsewhere; this only reports, per message, whether it went out and if not, whether
trying again later can help."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import queue
import re
import tempfile
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal, cast

import aiosmtplib
from aiosmtplib import SMTPException, SMTPRecipientRefused, SMTPResponseException

from notifications.email import (
    AddressError,
    OutgoingMessage,
    as_eml,
    build_email,
    envelope_recipients,
    validate_address,
)

log = logging.getLogger(__name__)

# Everything a server or the network can do to one delivery; anything else is a bug and
# propagates. TimeoutError and ssl.SSLError are OSErrors.
_DELIVERY_ERRORS = (SMTPException, OSError)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    security: Literal["none", "starttls", "tls"] = "none"
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a log or a traceback
    timeout: float = 30.0
    max_connections: int = 4
    validate_certs: bool = True
    ca_file: str | None = None

    def __post_init__(self) -> None:
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")


class DeliveryOutcome(StrEnum):
    SENT = "sent"
    TRANSIENT = "transient"  # worth retrying later
    PERMANENT = "permanent"  # retrying the same message will fail the same way


@dataclass(frozen=True)
class DeliveryResult:
    notice_id: int
    outcome: DeliveryOutcome
    detail: str  # Message-ID when sent; the server's code and reply (or the error) otherwise


OnResult = Callable[[DeliveryResult], None]


class Sender(ABC):
    @abstractmethod
    async def send_all(
        self, messages: Sequence[OutgoingMessage], on_result: OnResult | None = None
    ) -> list[DeliveryResult]:
        """One result per message, in input order; failures are results, not exceptions.
        `on_result` hears each result the moment it is known."""

    def settled_groups(self, messages: Sequence[OutgoingMessage]) -> Iterator[list[DeliveryResult]]:
        """The results in groups, as they become known, while the rest are still being sent:
        a caller that records each group at once leaves only the results of one group
        unrecorded if it dies, which is all a crash can resend."""
        settled: queue.SimpleQueue[DeliveryResult] = queue.SimpleQueue()
        with ThreadPoolExecutor(1, thread_name_prefix="cchc-send") as pool:
            sending = pool.submit(asyncio.run, self.send_all(messages, settled.put))
            remaining = len(messages)
            while remaining:
                try:
                    group = [settled.get(timeout=0.2)]
                except queue.Empty:
                    if sending.done():
                        sending.result()  # raises what stopped the sending
                    continue
                with contextlib.suppress(queue.Empty):
                    while True:
                        group.append(settled.get_nowait())
                remaining -= len(group)
                yield group
            sending.result()

    def send_all_sync(self, messages: Sequence[OutgoingMessage]) -> list[DeliveryResult]:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.send_all(messages))
        raise RuntimeError(
            "send_all_sync() cannot run inside a running event loop; await send_all() instead"
        )


@dataclass(frozen=True)
class _Job:
    index: int
    message: OutgoingMessage
    data: bytes  # serialised once here: aiosmtplib's send_message would re-fold every header
    sender: str
    recipients: list[str]


class SmtpSender(Sender):
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    async def send_all(
        self, messages: Sequence[OutgoingMessage], on_result: OnResult | None = None
    ) -> list[DeliveryResult]:
        results: list[DeliveryResult | None] = [None] * len(messages)

        def settle(index: int, result: DeliveryResult) -> DeliveryResult:
            results[index] = result
            if on_result is not None:
                on_result(result)
            return result

        pending: deque[_Job] = deque()
        for index, message in enumerate(messages):
            try:
                pending.append(_prepare(index, message, self._serialise(message)))
            except AddressError as error:
                settle(index, _failure(message.notice_id, error))

        async with asyncio.TaskGroup() as group:
            workers = [
                group.create_task(self._work(pending, settle))
                for _ in range(min(self.settings.max_connections, len(pending)))
            ]
        # Jobs are left only if every worker gave up because it could not connect; they
        # would meet the same server, so they share its last answer instead of each
        # waiting out a connection timeout of their own.
        give_ups = [failure for worker in workers if (failure := worker.result())]
        for job in pending:
            settle(job.index, DeliveryResult(
                job.message.notice_id, give_ups[-1].outcome, give_ups[-1].detail
            ))
        assert all(result is not None for result in results)
        return cast(list[DeliveryResult], results)

    def _serialise(self, message: OutgoingMessage) -> bytes:
        """The message as it goes on the wire; raises AddressError. (The benchmark hands the
        sender messages serialised beforehand through this.)"""
        return as_eml(build_email(message))

    async def _work(
        self, pending: deque[_Job], settle: Callable[[int, DeliveryResult], DeliveryResult]
    ) -> DeliveryResult | None:
        """Send jobs from the shared queue over one connection, reconnecting after a break.
        Returns the failure that made it stop early, if it could not connect."""
        client: aiosmtplib.SMTP | None = None
        try:
            while pending:
                job = pending.popleft()
                if client is None or not client.is_connected:
                    if client is not None:
                        await _close(client)
                        client = None
                    try:
                        client = await self._connect()
                    except _DELIVERY_ERRORS as error:
                        return settle(job.index, _failure(job.message.notice_id, error))
                settle(job.index, await _send(client, job))
        finally:
            if client is not None:
                await _close(client)
        return None

    async def _connect(self) -> aiosmtplib.SMTP:
        settings = self.settings
        client = aiosmtplib.SMTP(
            hostname=settings.host,
            port=settings.port,
            timeout=settings.timeout,
            use_tls=settings.security == "tls",
            # aiosmtplib reads None as "upgrade whenever offered"; "none" must mean none.
            start_tls=settings.security == "starttls",
            validate_certs=settings.validate_certs,
            cert_bundle=settings.ca_file,
            username=settings.username,
            password=settings.password,
        )
        await client.connect()
        return client


def _prepare(index: int, message: OutgoingMessage, data: bytes) -> _Job:
    return _Job(
        index=index,
        message=message,
        data=data,
        sender=validate_address(message.sender),
        recipients=envelope_recipients(message),
    )


async def _send(client: aiosmtplib.SMTP, job: _Job) -> DeliveryResult:
    """One mail transaction, driven command by command so that the whole envelope is known
    before DATA: a message goes to all its recipients or to none, except a copy refused for
    good (5xx for a cc), which never makes the others wait."""
    notice_id = job.message.notice_id
    try:
        await client.mail(job.sender)
        refused: list[SMTPRecipientRefused] = []
        for address in job.recipients:
            try:
                await client.rcpt(address)
            except SMTPRecipientRefused as error:
                refused.append(error)
        verdict = _envelope_verdict(job, refused)
        if verdict is not None:
            await _reset(client)
            return verdict
        await client.data(job.data)
    except _DELIVERY_ERRORS as error:
        if isinstance(error, SMTPResponseException):
            await _reset(client)
        return _failure(notice_id, error)
    for error in refused:
        log.warning("notice %s: %s refused: %s %s", notice_id, error.recipient, error.code,
                    error.message)
    return DeliveryResult(notice_id, DeliveryOutcome.SENT, job.message.message_id)


def _envelope_verdict(job: _Job, refused: list[SMTPRecipientRefused]) -> DeliveryResult | None:
    """None when the message may go to the recipients the server accepted. A temporary refusal
    of anyone defers the whole message: sending to the others now and to everyone on the retry
    would copy them twice. A permanent refusal of an addressee fails it: the notice would not
    reach the one who must act."""
    if not refused:
        return None
    detail = "; ".join(f"{r.code} {r.message} ({r.recipient})" for r in refused)
    notice_id = job.message.notice_id
    if any(not _is_permanent(r.code) for r in refused):
        return DeliveryResult(notice_id, DeliveryOutcome.TRANSIENT, detail)
    addressees = {validate_address(a).lower() for a in job.message.to}
    if len(refused) == len(job.recipients) or any(
        r.recipient.lower() in addressees for r in refused
    ):
        return DeliveryResult(notice_id, DeliveryOutcome.PERMANENT, detail)
    return None


async def _reset(client: aiosmtplib.SMTP) -> None:
    """Abandon the transaction so the connection can serve the next message; a connection that
    broke meanwhile is reopened by the caller."""
    if client.is_connected:
        with contextlib.suppress(*_DELIVERY_ERRORS):
            await client.rset()


async def _close(client: aiosmtplib.SMTP) -> None:
    try:
        if client.is_connected:
            await client.quit()
    except _DELIVERY_ERRORS:
        pass  # the connection is being dropped anyway
    finally:
        client.close()


def _failure(notice_id: int, error: Exception) -> DeliveryResult:
    if isinstance(error, AddressError):
        return DeliveryResult(notice_id, DeliveryOutcome.PERMANENT, str(error))
    if isinstance(error, SMTPResponseException):
        detail = f"{error.code} {error.message}"
        permanent = _is_permanent(error.code)
    else:
        detail = str(error) or type(error).__name__
        permanent = False
    outcome = DeliveryOutcome.PERMANENT if permanent else DeliveryOutcome.TRANSIENT
    return DeliveryResult(notice_id, outcome, detail)


def _is_permanent(code: int) -> bool:
    return 500 <= code < 600


class MaildirSender(Sender):
    """Writes each message as an .eml file, for a secretariat without an SMTP relay (or a
    dry run): one file per notice, re-written in place if the notice is sent again."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    async def send_all(
        self, messages: Sequence[OutgoingMessage], on_result: OnResult | None = None
    ) -> list[DeliveryResult]:
        def write_all() -> list[DeliveryResult]:
            results = []
            for message in messages:
                results.append(self._write(message))
                if on_result is not None:
                    on_result(results[-1])
            return results

        # File writes block; keep them off the event loop.
        return await asyncio.to_thread(write_all)

    def _write(self, message: OutgoingMessage) -> DeliveryResult:
        try:
            data = as_eml(build_email(message))
        except AddressError as error:
            return _failure(message.notice_id, error)
        try:
            _write_atomically(self.directory / _file_name(message), data)
        except OSError as error:
            return _failure(message.notice_id, error)
        return DeliveryResult(message.notice_id, DeliveryOutcome.SENT, message.message_id)


def _file_name(message: OutgoingMessage) -> str:
    recipient = re.sub(r"[^a-z0-9.@_-]+", "_", message.to[0].lower())[:100]
    return f"{message.date:%d-%m-%Y}-{message.notice_id}-{recipient}.eml"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Same directory, so os.replace is an atomic rename; the leading dot keeps a temp file
    # out of *.eml globs.
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def sender_for(settings: SmtpSettings | None, maildir: Path) -> Sender:
    return SmtpSender(settings) if settings is not None else MaildirSender(maildir)
