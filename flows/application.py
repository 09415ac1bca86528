"""The composition root: what an entry point (the `cchc` command, a Prefect worker's flow run,
`cchc serve`, the web server) builds once from its `Settings` and hands to the use cases — the
settings, the unit of work over the one engine, the clock, the sender and the link signer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from domain.calendar import WorkingCalendar
from domain.policy import Policy
from flows.settings import Settings
from persistence.db import make_engine
from persistence.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from flows.links import LinkSigner
    from notifications.delivery import Sender, SmtpSettings


@dataclass(frozen=True)
class Clock:
    """Now and today in the engine's time zone (CCHC_TIMEZONE): what every use case asks, and
    what a test fixes by handing the application a clock of its own."""

    zone: ZoneInfo

    def now(self) -> datetime:
        return datetime.now(self.zone)

    def today(self) -> date:
        return self.now().date()


@dataclass
class Application:
    settings: Settings
    uow: UnitOfWork
    clock: Clock
    # A test's sender; without one, `sender` is built from the settings.
    given_sender: Sender | None = None

    @property
    def calendar(self) -> WorkingCalendar:
        return self.settings.calendar

    @property
    def policy(self) -> Policy:
        return self.settings.policy

    def today(self) -> date:
        return self.clock.today()

    @cached_property
    def sender(self) -> Sender:
        """What delivers an `OutgoingMessage`: over SMTP when CCHC_SMTP_HOST is set, else as
        .eml files into CCHC_MAILDIR. Built when first asked: its import (asyncio, aiosmtplib)
        would cost a command that sends nothing a twelfth of a second."""
        if self.given_sender is not None:
            return self.given_sender
        from notifications.delivery import sender_for

        return sender_for(smtp_settings(self.settings), self.settings.maildir)

    @cached_property
    def links(self) -> LinkSigner:
        """What signs and reads the units' page links (CCHC_BASE_URL, CCHC_SECRET_KEY)."""
        from flows.links import LinkSigner

        return LinkSigner.of(self.settings)

    def close(self) -> None:
        """The entry point's last act: the engine's connections closed."""
        self.uow.dispose()


def build_application(
    settings: Settings, publish: Callable[[], object] | None = None, *,
    engine: Engine | None = None, sender: Sender | None = None, clock: Clock | None = None,
) -> Application:
    """The application of an entry point: the engine (one per process), the unit of work over
    it, the clock in CCHC_TIMEZONE. `publish`: what hands committed events on (see
    `UnitOfWork`). A test may hand its own engine, sender or clock."""
    return Application(settings,
                       UnitOfWork(engine or make_engine(settings.database_url), publish),
                       clock or Clock(settings.zone), sender)


def smtp_settings(settings: Settings) -> SmtpSettings | None:
    """The SMTP relay the settings name; None without CCHC_SMTP_HOST (the .eml outbox)."""
    if not settings.smtp_host:
        return None
    from notifications.delivery import SmtpSettings

    return SmtpSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        max_connections=settings.smtp_connections,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        timeout=settings.smtp_timeout,
    )
