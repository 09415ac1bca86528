"""Moments as a person reads them: in the engine's time zone (CCHC_TIMEZONE), dd/mm/yyyy HH:MM.
The database keeps UTC; every time shown (sent at, an event, a run, a log line) passes here."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

SHOWN = "%d/%m/%Y %H:%M"


def local_time_text(moment: datetime, zone: tzinfo) -> str:
    # SQLite hands timestamps back without their zone: they were written in UTC.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime(SHOWN)
