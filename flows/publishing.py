"""Handing the engine's own events to Prefect's event stream, after they are committed, so
automations and the UI's event feed see them (resource `cchc.item.<code>`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from domain.events import DomainEvent, EventName, Imported, RungReached
from domain.importers import ImportSummary
from domain.ladder import RungKind
from domain.models import Event, TrackedItem
from notifications.imports import import_summary_text
from persistence.events import typed
from persistence.unit_of_work import UnitOfWork

PUBLISH_BATCH = 500

_RUNG_EVENTS = {
    RungKind.REMINDER: "cchc.item.due-soon",
    RungKind.DUE: "cchc.item.due",
    RungKind.OVERDUE: "cchc.item.overdue",
    RungKind.ESCALATION: "cchc.item.escalated",
}
_ITEM_EVENTS = {
    EventName.ITEM_CREATED: "cchc.item.created",
    EventName.ITEM_UPDATED: "cchc.item.updated",
    EventName.ITEM_COMPLETED: "cchc.item.completed",
    EventName.ITEM_EXTENDED: "cchc.item.extended",
    EventName.DEADLINE_SET: "cchc.item.deadline-set",
    EventName.ITEM_REOPENED: "cchc.item.reopened",
    EventName.COMPLETION_CORRECTED: "cchc.item.completion-corrected",
    EventName.REOPENED_AFTER_EVALUATION: "cchc.item.reopened-after-evaluation",
    # What units send back through their page, and the secretariat's decisions on it.
    EventName.ITEM_REPORTED: "cchc.item.reported",
    EventName.EXTENSION_REQUESTED: "cchc.extension.requested",
    EventName.PROGRESS_REPORTED: "cchc.item.progress-reported",
    EventName.ITEM_ACKNOWLEDGED: "cchc.item.acknowledged",
    EventName.REPORT_CONFIRMED: "cchc.report.confirmed",
    EventName.REPORT_RETURNED: "cchc.report.returned",
    EventName.EXTENSION_APPROVED: "cchc.extension.approved",
    EventName.EXTENSION_REFUSED: "cchc.extension.refused",
}
# An inspection plan's targets (`domain/inspections.py`), resource `cchc.inspection.<plan>.<unit>`.
_INSPECTION_EVENTS = {
    EventName.INSPECTION_DONE: "cchc.inspection.done",
    EventName.INSPECTION_CONCLUDED: "cchc.inspection.concluded",
    EventName.TARGET_ADDED: "cchc.inspection.target-added",
    EventName.TARGET_DROPPED: "cchc.inspection.target-dropped",
    EventName.TARGET_REMINDED: "cchc.inspection.reminded",
}
_NOTICE_EVENTS = {
    EventName.NOTICE_QUEUED: "cchc.notice.queued",
    EventName.NOTICE_SENT: "cchc.notice.sent",
    EventName.NOTICE_DEFERRED: "cchc.notice.deferred",
    EventName.NOTICE_FAILED: "cchc.notice.failed",
}


def prefect_event(
    event: DomainEvent, occurred: datetime, item: TrackedItem | None, from_import: bool = False
) -> dict[str, Any] | None:
    """The Prefect event (keyword arguments of `emit_event`) for one of ours, or None.

    An import's event asks for a re-check (resource label `cchc.recheck`) only when the import
    itself publishes it: published later by a check, the check has already covered it."""
    payload = {k: v for k, v in event.data().items() if v is not None}
    if event.check_date:
        payload["check_date"] = event.check_date.isoformat()
    if item is not None:
        name = (_RUNG_EVENTS.get(event.kind) if isinstance(event, RungReached)
                else _ITEM_EVENTS.get(event.name))
        if name is None:
            return None
        resource = {
            "prefect.resource.id": f"cchc.item.{item.code}",
            "prefect.resource.name": item.code,
            "cchc.source": item.scope,
            "cchc.unit": item.unit_code,
        }
        payload.setdefault("unit", item.unit_code)
        payload.setdefault("due", item.due_date.isoformat() if item.due_date else None)
        return {"event": name, "resource": resource, "occurred": occurred, "payload": payload}
    if isinstance(event, Imported):
        # An import recorded before imports kept their counts has none to word.
        if event.created is not None:
            payload["summary"] = import_summary_text(ImportSummary(
                event.created, event.updated, event.unchanged, reading=event.reading or ()))
            payload.pop("reading", None)
        resource = {"prefect.resource.id": f"cchc.import.{event.what or 'data'}",
                    "cchc.recheck": "yes" if from_import else "no"}
        return {"event": "cchc.import.completed", "resource": resource, "occurred": occurred,
                "payload": payload}
    if event.name in _INSPECTION_EVENTS:
        target = f"{event.plan}.{event.unit}"
        resource = {"prefect.resource.id": f"cchc.inspection.{target}",
                    "prefect.resource.name": target, "cchc.unit": event.unit}
        return {"event": _INSPECTION_EVENTS[event.name], "resource": resource,
                "occurred": occurred, "payload": payload}
    if event.notice_id is not None and event.name in _NOTICE_EVENTS:
        resource = {"prefect.resource.id": f"cchc.notice.{event.notice_id}"}
        return {"event": _NOTICE_EVENTS[event.name], "resource": resource, "occurred": occurred,
                "payload": payload}
    return None


def publish_pending(
    uow: UnitOfWork,
    emit: Callable[..., Any],
    log: logging.Logger | logging.LoggerAdapter,
    from_import: bool = False,
) -> int:
    """Emit every committed, unpublished event, oldest first; an unreachable Prefect API never
    fails the caller (the events stay in our own history either way)."""
    published = 0
    while True:
        with uow.transaction() as session:
            rows = session.exec(
                select(Event, TrackedItem)
                .outerjoin(TrackedItem, TrackedItem.id == Event.item_id)
                .where(Event.published.is_(False))
                .order_by(Event.id)
                .limit(PUBLISH_BATCH)
            ).all()
            if not rows:
                return published
            for event, item in rows:
                spec = prefect_event(typed(event), event.occurred_at, item, from_import)
                if spec is None:
                    continue
                try:
                    emit(**spec)
                    published += 1
                except Exception as error:  # the stream is a convenience, never a failure
                    log.warning("không gửi được sự kiện %s tới Prefect: %s", spec["event"], error)
            session.exec(
                update(Event).where(Event.id.in_([e.id for e, _ in rows])).values(published=True)
            )


def publish_after_command(uow: UnitOfWork, log: logging.Logger) -> int:
    """Publish from a command outside any flow run (an import), so a deployment's trigger can
    react at once. Only called when a Prefect server is configured: without one, emitting would
    start a local server just for this."""
    from prefect.events import emit_event
    from prefect.events.worker import EventsWorker

    try:
        return publish_pending(uow, emit_event, log, from_import=True)
    finally:
        EventsWorker.drain_all(timeout=10)
