"""What every Prefect flow of the engine shares: the database for one task, its events tagged
with the flow run, and run names that say which day they are about. Import it only after
`prefect_env.configure()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from prefect.flows import Flow
from prefect.runtime import flow_run
from pydantic_core import to_jsonable_python

from domain.events import current_flow_run
from flows.application import build_application
from flows.settings import Settings
from persistence.run_log import record_run_end
from persistence.unit_of_work import UnitOfWork

# The configuration of the flows this process runs: the entry point's (`settings_in_use`), or,
# in a worker, which is its own entry point, read once from its environment.
_in_use: Settings | None = None


@contextmanager
def settings_in_use(settings: Settings) -> Iterator[None]:
    """Run the flows of this block under the entry point's settings (`cchc check`, the demo,
    `cchc serve`'s jobs), not under a reading of the environment of their own."""
    global _in_use
    previous, _in_use = _in_use, settings
    try:
        yield
    finally:
        _in_use = previous


def flow_settings() -> Settings:
    """The flows' configuration: the entry point's, else the worker's environment, read once."""
    global _in_use
    if _in_use is None:
        _in_use = Settings()
    return _in_use


@contextmanager
def flow_database() -> Iterator[tuple[Settings, UnitOfWork]]:
    """The application for one task, with the events it records tagged with this flow run."""
    app = build_application(flow_settings())
    token = current_flow_run.set(str(flow_run.id) if flow_run.id else None)
    try:
        yield app.settings, app.uow
    finally:
        current_flow_run.reset(token)
        app.close()


class EngineFlow(Flow):
    """A flow whose parameters (days, codes, flags) Prefect receives as JSON written by
    pydantic, already loaded, instead of by FastAPI's encoder: Prefect imports the whole web
    framework for it, which cost a `cchc check` more than its flow run's own work."""

    def serialize_parameters(self, parameters: dict) -> dict:
        return {name: to_jsonable_python(value) for name, value in parameters.items()}


def engine_flow(**options):
    """`@flow(**options)`, making an `EngineFlow`."""
    return lambda function: EngineFlow(fn=function, **options)


def run_day_label() -> str:
    """The day a run is about, DD-MM-YYYY: its `as_of` parameter, or today (a scheduled run)."""
    as_of = flow_run.parameters.get("as_of")
    return (as_of if isinstance(as_of, date) else flow_settings().today()).strftime("%d-%m-%Y")


def label_run(as_of: date | None, counts: dict[str, int]) -> None:
    """The run's day and counts as flow-run labels (`cchc.emails_sent`, `cchc.rungs_queued`, …),
    which `cchc history` reads back from a Prefect server without opening the UI."""
    from prefect.client.orchestration import get_client

    labels: dict[str, str | int] = {f"cchc.{name}": value for name, value in counts.items()}
    if as_of is not None:
        labels["cchc.as_of"] = as_of.isoformat()
    with get_client(sync_client=True) as client:
        client.update_flow_run_labels(flow_run.id, labels)


def record_run_state(flow, run, state) -> None:  # noqa: ANN001 (Prefect's state-hook signature)
    """Write the run's end — state, times, what it sent — into the engine's own history, where
    `cchc history` reads it without a Prefect server."""
    parameters = run.parameters or {}
    as_of = parameters.get("as_of") or parameters.get("check_date")
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of)
    elif as_of is None and flow.name in DATED_FLOWS:
        as_of = flow_settings().today()  # a scheduled run checks the day it runs
    app = build_application(flow_settings())
    try:
        with app.uow.transaction() as session:
            record_run_end(session, flow_run_id=str(run.id), flow=flow.name, name=run.name,
                           as_of=as_of, state=state.name,
                           started=run.start_time or run.expected_start_time,
                           ended=state.timestamp)
    finally:
        app.close()


# The flows that are about a day (their `as_of`, else the day they run).
DATED_FLOWS = ("deadline-check", "weekly-summary")
# Every engine flow's end, whatever it is, is recorded.
RUN_HOOKS = {hook: [record_run_state]
             for hook in ("on_completion", "on_failure", "on_crashed", "on_cancellation")}
