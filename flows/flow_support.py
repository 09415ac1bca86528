"""What every Prefect flow of the engine shares: the process's one application, for each task
with the events it records tagged with the flow run, and run names that say which day they are
about. Import it only after `prefect_env.configure()`."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from prefect.flows import Flow
from prefect.runtime import flow_run
from pydantic_core import to_jsonable_python

from domain.events import current_flow_run
from flows.application import Application, build_application
from flows.settings import Settings
from persistence.run_log import record_run_end

# The application of the flows this process runs: the entry point's (`application_in_use`),
# or, in a worker's flow-run process, which is its own entry point, built once from its
# environment. A holder of the process, not a context variable: `cchc serve` runs its flows in
# the scheduler's threads.
_in_use: Application | None = None
_building = threading.Lock()


@contextmanager
def application_in_use(app: Application) -> Iterator[Application]:
    """Run the flows of this block on the entry point's application (`cchc check`, the demo,
    `cchc serve`'s jobs): its settings, engine, clock and sender. The entry point closes it."""
    global _in_use
    previous, _in_use = _in_use, app
    try:
        yield app
    finally:
        _in_use = previous


def flow_application() -> Application:
    """The flows' application: the entry point's; in a worker, which has no other entry point,
    built on first use from its environment, kept for the process and closed at its exit."""
    global _in_use
    with _building:
        if _in_use is None:
            _in_use = build_application(Settings())
            atexit.register(_in_use.close)
        return _in_use


@contextmanager
def task_application() -> Iterator[Application]:
    """The application for one task, with the events it records tagged with this flow run."""
    token = current_flow_run.set(str(flow_run.id) if flow_run.id else None)
    try:
        yield flow_application()
    finally:
        current_flow_run.reset(token)


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
    return (as_of if isinstance(as_of, date) else flow_application().today()).strftime("%d-%m-%Y")


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
        as_of = flow_application().today()  # a scheduled run checks the day it runs
    with flow_application().uow.transaction() as session:
        record_run_end(session, flow_run_id=str(run.id), flow=flow.name, name=run.name,
                       as_of=as_of, state=state.name,
                       started=run.start_time or run.expected_start_time,
                       ended=state.timestamp)


# The flows that are about a day (their `as_of`, else the day they run).
DATED_FLOWS = ("deadline-check", "weekly-summary")
# Every engine flow's end, whatever it is, is recorded.
RUN_HOOKS = {hook: [record_run_state]
             for hook in ("on_completion", "on_failure", "on_crashed", "on_cancellation")}
