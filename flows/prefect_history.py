"""`cchc history` with a Prefect server configured: the engine's recent flow runs, read from the
Prefect API (the same runs the UI shows), with the counts each run left in its labels."""

from __future__ import annotations

from datetime import date

from domain.run_log import RunRecord

# The engine's flows, by their Prefect names.
ENGINE_FLOWS = ("deadline-check", "dispatch-notifications", "weekly-summary", "escalation-alert")


def recent_runs(limit: int) -> list[RunRecord]:
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
        RunRecord(
            name=run.name,
            flow=flows[run.flow_id],
            as_of=_as_of(run.labels.get("cchc.as_of") or run.parameters.get("as_of")),
            state=run.state.name if run.state else "?",
            started=run.start_time,
            ended=run.start_time + run.estimated_run_time if run.start_time else None,
            emails_sent=run.labels.get("cchc.emails_sent", 0),
            emails_failed=run.labels.get("cchc.emails_failed", 0),
            emails_deferred=run.labels.get("cchc.emails_deferred", 0),
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
