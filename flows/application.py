"""The composition root: what an entry point (the `cchc` command, the Prefect flows, `cchc
serve`, a web app) builds once from its `Settings` and hands to the use cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from domain.calendar import WorkingCalendar
from domain.policy import Policy
from flows.settings import Settings
from persistence.db import make_engine
from persistence.unit_of_work import UnitOfWork


@dataclass
class Application:
    settings: Settings
    uow: UnitOfWork

    @property
    def calendar(self) -> WorkingCalendar:
        return self.settings.calendar

    @property
    def policy(self) -> Policy:
        return self.settings.policy

    def today(self) -> date:
        """Today in CCHC_TIMEZONE: the clock every use case asks."""
        return self.settings.today()

    def close(self) -> None:
        self.uow.dispose()


def build_application(
    settings: Settings, publish: Callable[[], object] | None = None
) -> Application:
    """The engine (one per process), the unit of work over it, the calendar and the policy.
    `publish`: what hands committed events on (see `UnitOfWork`)."""
    return Application(settings, UnitOfWork(make_engine(settings.database_url), publish))
