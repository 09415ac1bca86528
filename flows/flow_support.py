"""What every Prefect flow of the engine shares: the database for one task, its events tagged
with the flow run, and run names that say which day they are about. Import it only after
`prefect_env.configure()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from prefect.runtime import flow_run
from sqlalchemy import Engine

from domain.db import make_engine
from domain.events import current_flow_run
from flows.settings import Settings


@contextmanager
def flow_database() -> Iterator[tuple[Settings, Engine]]:
    """The engine for one task, with the events it records tagged with this flow run."""
    settings = Settings()
    engine = make_engine(settings.database_url)
    token = current_flow_run.set(str(flow_run.id) if flow_run.id else None)
    try:
        yield settings, engine
    finally:
        current_flow_run.reset(token)
        engine.dispose()


def run_day_label() -> str:
    """The day a run is about, DD-MM-YYYY: its `as_of` parameter, or today (a scheduled run)."""
    as_of = flow_run.parameters.get("as_of")
    return (as_of if isinstance(as_of, date) else Settings().today()).strftime("%d-%m-%Y")


def label_run(as_of: date | None, counts: dict[str, int]) -> None:
    """The run's day and counts as flow-run labels (`cchc.sent`, …), which `cchc history`
    reads back without opening the UI."""
    from prefect.client.orchestration import get_client

    labels: dict[str, str | int] = {f"cchc.{name}": value for name, value in counts.items()}
    if as_of is not None:
        labels["cchc.as_of"] = as_of.isoformat()
    with get_client(sync_client=True) as client:
        client.update_flow_run_labels(flow_run.id, labels)
