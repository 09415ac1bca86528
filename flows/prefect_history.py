"""`cchc history`: the engine's recent flow runs, read from the Prefect API (the same runs the UI
shows), with the counts each run left in its labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flows import prefect_env

# The engine's flows, by their Prefect names.
ENGINE_FLOWS = ("deadline-check", "dispatch-notifications", "weekly-summary", "escalation-alert")


@dataclass(frozen=True)
class RunSummary:
    name: str
    flow: str
    as_of: date | None
    state: str
    started: datetime | None
    duration: timedelta
    sent: int | None
    failed: int | None


def recent_runs(limit: int) -> list[RunSummary]:
    prefect_env.configure()
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    engine_flows = FlowFilter(name=FlowFilterName(any_=list(ENGINE_FLOWS)))
    with get_client(sync_client=True) as client:
        flows = {flow.id: flow.name for flow in client.read_flows(flow_filter=engine_flows)}
        runs = client.read_flow_runs(
            flow_filter=engine_flows,
            sort=FlowRunSort.EXPECTED_START_TIME_DESC,
            limit=limit,
        )
    return [
        RunSummary(
            name=run.name,
            flow=flows[run.flow_id],
            as_of=_as_of(run.labels.get("cchc.as_of") or run.parameters.get("as_of")),
            state=run.state.name if run.state else "?",
            started=run.start_time,
            duration=run.estimated_run_time,
            sent=run.labels.get("cchc.sent"),
            failed=run.labels.get("cchc.failed"),
        )
        for run in runs
    ]


def _as_of(value) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
