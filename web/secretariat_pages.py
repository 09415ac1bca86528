"""What a secretariat's login grants: the review queue and its decisions, an item's timeline,
the status page and its downloads, the units' attachments, the plans of inspections and what is
recorded of their targets; and the login itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from domain.importers import ImportFailed
from domain.inspection_forms import (
    NO_FINDINGS,
    REGISTERED,
    WITH_FINDINGS,
    conclusion_form,
    drop_form,
    target_form,
    visit_form,
)
from domain.inspections import InspectionError
from domain.responses import FormProblems, earliest_new_deadline
from domain.states import InspectionMode, ItemKind, SubmissionKind, TargetState
from domain.uploads import StoredFile, UploadRefused, table_type
from flows import inspections as inspection_cases
from flows import logins
from flows import responses as cases
from notifications.imports import import_refused_text
from notifications.report_tables import cell_text, report_tables
from notifications.reports import render_report, workbook_bytes
from notifications.responses import decision_result
from notifications.summary import inspection_lines, summary_lines
from notifications.targets import (
    conclusion_recorded,
    findings_imported,
    findings_text,
    target_added,
    target_dropped,
    target_lines,
    visit_recorded,
    visit_text,
    window_text,
)
from notifications.terminal import event_details, event_label
from notifications.words import visit_dates
from web.deps import InspectionForm, NamedTarget, ReviewForm, RowId, User, session_form
from web.rendering import client, message, page, recorded, text_fields, vntime
from web.uploads import store_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Each decision on what a unit sent: (application, actor, submission id, fields) → Decided.
DECISIONS: dict[str, Callable] = {
    "confirm": lambda app, actor, sid, fields: cases.confirm_report(app, actor, sid),
    "return": cases.return_report,
    "approve": cases.approve_extension,
    "refuse": cases.refuse_extension,
}

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def home(request: Request):
    if request.state.session.get("u"):
        return RedirectResponse("/review", status_code=303)
    return page(request, "home.html.j2")


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request):
    return page(request, "login.html.j2")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request,
                form: Annotated[dict[str, Any], Depends(session_form("/login"))]):
    application = request.app.state.application
    name = str(form.get("name") or "")
    try:
        user = await run_in_threadpool(cases.log_in, application, name,
                                       str(form.get("password") or ""), client(request, name))
    except cases.PageError as error:
        return page(request, "login.html.j2", error.status, error=error.message,
                    typed_name=name)
    # A fresh nonce at login: a form token seen before it is worth nothing after.
    session_id = await run_in_threadpool(logins.start_session, application, user)
    request.state.session = request.app.state.sessions.new(user, session_id)
    request.state.session_changed = True
    return RedirectResponse("/review", status_code=303)


@router.post("/logout")
async def logout(request: Request,
                 _form: Annotated[dict[str, Any], Depends(session_form("/review"))]):
    await run_in_threadpool(logins.end_session, request.app.state.application,
                            request.state.session.get("s"))
    request.state.session = request.app.state.sessions.new()
    request.state.session_changed = True
    return RedirectResponse("/login", status_code=303)


@router.get("/review", response_class=HTMLResponse)
async def review(request: Request, _user: User):
    return await review_view(request)


async def review_view(request: Request, status: int = 200,
                      failed: tuple[str, int] | None = None, values: dict | None = None,
                      problems: dict[str, str] | None = None) -> HTMLResponse:
    """The review page; after a refused form (`failed`: its action and submission or item),
    with what was typed and each field's error beside it."""
    application = request.app.state.application
    queue = await run_in_threadpool(cases.review_queue, application)
    today = application.today()
    return page(request, "review.html.j2", status, queue=queue,
                remediation=ItemKind.REMEDIATION, completion=SubmissionKind.COMPLETION,
                earliest=lambda due: earliest_new_deadline(due, today), failed=failed,
                values=values or {}, problems=problems or {})


async def secretariat_form(request: Request, user: str, form: dict[str, Any],
                           act: Callable[[cases.Actor, dict], str], failed: Any, *,
                           view: Callable[..., Awaitable[HTMLResponse]] = review_view,
                           back: str = "/review"):
    """A secretariat's form, its user and token already checked: `act` (the user, the fields)
    gives the sentence the page at `back` then says. Refused, it writes nothing, and `view`
    (the review page unless told) shows the form again, `failed` naming it (its action and
    row), with what was typed and each problem beside its field."""
    fields = text_fields(form)
    try:
        said = await run_in_threadpool(act, client(request, user), fields)
    except FormProblems as problems:
        return await view(request, 422, failed, fields, problems.problems)
    except cases.PageError as error:
        return message(request, "Không thực hiện được", error.message, error.status, back)
    return recorded(request, back, "Đã ghi nhận", said)


@router.post("/review/{submission_id}/{decision}", response_class=HTMLResponse)
async def decide(request: Request, submission_id: RowId, decision: str, user: User,
                 form: ReviewForm):
    if decision not in DECISIONS:
        return message(request, "Không có thao tác này", "Không có thao tác này.", 404,
                       "/review")
    application = request.app.state.application

    def act(actor: cases.Actor, fields: dict) -> str:
        return decision_result(DECISIONS[decision](application, actor, submission_id, fields))

    return await secretariat_form(request, user, form, act, (decision, submission_id))


@router.post("/review/items/{item_id}/deadline", response_class=HTMLResponse)
async def deadline(request: Request, item_id: RowId, user: User, form: ReviewForm):
    application = request.app.state.application
    return await secretariat_form(
        request, user, form,
        lambda actor, fields: cases.give_deadline(application, actor, item_id, fields),
        ("deadline", item_id))


@router.get("/items/{item_id}", response_class=HTMLResponse)
async def item_page(request: Request, item_id: RowId, _user: User):
    application = request.app.state.application
    try:
        item, submissions, events = await run_in_threadpool(cases.item_detail, application,
                                                            item_id)
    except cases.PageError as error:
        return message(request, "Không có nhiệm vụ này", error.message, error.status, "/review")
    return page(request, "item.html.j2", item=item, submissions=submissions,
                timeline=_timeline(application, events))


def _timeline(application, events) -> list[tuple[str, str, str]]:
    """A history's events, oldest first, as a timeline's rows: when, what, its record."""
    zone = application.settings.zone
    return [(vntime(application, occurred_at), event_label(e.name), event_details(e, zone))
            for occurred_at, e in events]


@router.get("/status", response_class=HTMLResponse)
async def status(request: Request, _user: User):
    report = await run_in_threadpool(cases.status_report, request.app.state.application)
    tables = [t for t in report_tables(report) if t.in_documents]
    return page(request, "status.html.j2", report=report, summary=summary_lines(report),
                tables=tables, cell=cell_text)


@router.get("/status.{suffix}")
async def status_download(request: Request, suffix: str, _user: User):
    if suffix not in ("xlsx", "html"):
        return message(request, "Không có định dạng này", "Chỉ có .xlsx và .html.", 404)
    report = await run_in_threadpool(cases.status_report, request.app.state.application)
    name = f"tien-do-cchc-{report.as_of:%d-%m-%Y}.{suffix}"
    body, media = ((workbook_bytes(report), XLSX) if suffix == "xlsx"
                   else (render_report(report, ".html").encode(), "text/html"))
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/attachments/{submission_id}")
async def download(request: Request, submission_id: RowId, _user: User):
    application = request.app.state.application
    try:
        found = await run_in_threadpool(cases.attachment, application, submission_id)
    except cases.PageError as error:
        return message(request, "Không có tệp", error.message, error.status, "/review")
    return FileResponse(application.settings.upload_dir / found.attachment_file,
                        media_type="application/octet-stream",
                        filename=found.attachment_name, content_disposition_type="attachment")


# -- the plans of inspections and their targets ---------------------------------------------

# The fields each inspection form shows; a refusal about another (the unit, the plan) heads
# the form.
ADD_FIELDS = frozenset({"unit", "mode", "window", "reason"})
VISIT_FIELDS = frozenset({"on", "to"})
CONCLUSION_FIELDS = frozenset({"doc", "on", "findings"})
DROP_FIELDS = frozenset({"reason"})


def _recording(act: Callable[[cases.Actor, dict], str],
               fields: frozenset[str]) -> Callable[[cases.Actor, dict], str]:
    """`act`, which calls a use case of `flows/inspections.py`, with its refusals as the form's
    problems: each beside the field it names, a findings file's beside the file."""

    def recording(actor: cases.Actor, typed: dict) -> str:
        try:
            return act(actor, typed)
        except InspectionError as error:
            raise FormProblems({error.field if error.field in fields else "form": str(error)}
                               ) from None
        except ImportFailed as failed:
            raise FormProblems({"findings": import_refused_text(failed.problems)}) from None

    return recording


def _target_words() -> dict[str, Any]:
    return {"window": window_text, "visit": visit_text, "findings": findings_text,
            "modes": InspectionMode, "target_states": TargetState}


@router.get("/inspections", response_class=HTMLResponse)
async def inspection_plans(request: Request, _user: User):
    return await plans_view(request)


async def plans_view(request: Request, status: int = 200, failed: str | None = None,
                     values: dict | None = None,
                     problems: dict[str, str] | None = None) -> HTMLResponse:
    """The plans of inspections, each at a glance (the sentences of `cchc inspections`) and
    each target's row; after a refused form to add a target (`failed`: its plan's code), with
    what was typed and its problems."""
    plans = await run_in_threadpool(inspection_cases.plan_pages, request.app.state.application)
    return page(request, "inspections.html.j2", status, plans=plans, failed=failed,
                values=values or {}, problems=problems or {}, sentences=inspection_lines,
                **_target_words())


@router.post("/inspections/add", response_class=HTMLResponse)
async def inspection_add(request: Request, user: User, form: InspectionForm):
    application = request.app.state.application
    plan = str(form.get("plan") or "")

    def act(actor: cases.Actor, fields: dict) -> str:
        typed = target_form(fields)
        return target_added(inspection_cases.add_target(
            application, typed.unit, plan, typed.mode, typed.window, typed.reason,
            by=actor.who, ip=actor.ip))

    return await secretariat_form(request, user, form, _recording(act, ADD_FIELDS), plan,
                                  view=plans_view, back="/inspections")


@router.get("/inspections/targets/{target_id}", response_class=HTMLResponse)
async def inspection_target_page(request: Request, target_id: RowId, _user: User):
    return await target_view(request, target_id)


async def target_view(request: Request, target_id: int, status: int = 200,
                      failed: str | None = None, values: dict | None = None,
                      problems: dict[str, str] | None = None) -> HTMLResponse:
    """A target: what the plan says of it and what was recorded (as `cchc explain` says it),
    the forms its state allows, its history; after a refused form (`failed`: which), with what
    was typed and each problem beside its field."""
    application = request.app.state.application
    found = await run_in_threadpool(inspection_cases.target_view, application, target_id)
    if found is None:
        return message(request, "Không có đơn vị này", "Không có đơn vị được kiểm tra này trong "
                       "kế hoạch kiểm tra nào.", 404, "/inspections")
    facts, events = found
    return page(request, "inspection_target.html.j2", status, target_id=target_id, facts=facts,
                lines=target_lines(facts), timeline=_timeline(application, events),
                captions=visit_dates(facts.mode), max_mb=application.policy.upload_max_mb,
                findings_kinds=(NO_FINDINGS, WITH_FINDINGS, REGISTERED), failed=failed,
                values=values or {}, problems=problems or {}, **_target_words())


async def _target_form(request: Request, user: str, form: dict[str, Any],
                       act: Callable[[cases.Actor, dict], str], target_id: int, action: str,
                       fields: frozenset[str]):
    """A form on a target's page (`action`: which), recorded or shown again there."""

    async def again(request: Request, *refused: Any) -> HTMLResponse:
        return await target_view(request, target_id, *refused)

    return await secretariat_form(request, user, form, _recording(act, fields), action,
                                  view=again, back=f"/inspections/targets/{target_id}")


@router.post("/inspections/targets/{target_id}/visit", response_class=HTMLResponse)
async def inspection_visit(request: Request, target_id: RowId, user: User, target: NamedTarget,
                           form: InspectionForm):
    application = request.app.state.application

    def act(actor: cases.Actor, fields: dict) -> str:
        first, last = visit_form(fields)
        return visit_recorded(inspection_cases.record_visit(
            application, *target, first, last, by=actor.who, ip=actor.ip))

    return await _target_form(request, user, form, act, target_id, "visit", VISIT_FIELDS)


@router.post("/inspections/targets/{target_id}/drop", response_class=HTMLResponse)
async def inspection_drop(request: Request, target_id: RowId, user: User, target: NamedTarget,
                          form: InspectionForm):
    application = request.app.state.application

    def act(actor: cases.Actor, fields: dict) -> str:
        return target_dropped(inspection_cases.drop_target(
            application, *target, drop_form(fields), by=actor.who, ip=actor.ip))

    return await _target_form(request, user, form, act, target_id, "drop", DROP_FIELDS)


@router.post("/inspections/targets/{target_id}/conclude", response_class=HTMLResponse)
async def inspection_conclude(request: Request, target_id: RowId, user: User,
                              target: NamedTarget, form: InspectionForm):
    """Kết luận, with its findings file (.xlsx, .csv) imported under it as `cchc inspection
    conclude --findings` does (kept only while it is read, in a folder of its own), without
    findings, or with those the findings register holds under its document."""
    application = request.app.state.application
    application.settings.upload_dir.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory(prefix="ket-luan-", dir=application.settings.upload_dir) as folder:
        try:
            stored = await _findings_file(application, form.get("findings"), Path(folder))
        except UploadRefused as refused:
            return await target_view(request, target_id, 422, "conclude", text_fields(form),
                                     {"findings": str(refused)})

        def act(actor: cases.Actor, fields: dict) -> str:
            typed = conclusion_form(fields, stored is not None)
            path = Path(folder) / stored.stored_name if typed.with_findings else None
            try:
                facts, summary = inspection_cases.record_conclusion(
                    application, *target, typed.doc, typed.on, path,
                    registered=typed.registered, by=actor.who, ip=actor.ip)
            except ImportFailed as failed:  # its problems name the file as it was sent
                raise ImportFailed([replace(problem, file=stored.original_name)
                                    if problem.file == stored.stored_name else problem
                                    for problem in failed.problems]) from None
            if summary is None:
                return conclusion_recorded(facts)
            return findings_imported(facts, stored.original_name, summary)

        return await _target_form(request, user, form, act, target_id, "conclude",
                                  CONCLUSION_FIELDS)


async def _findings_file(application, upload: Any, folder: Path) -> StoredFile | None:
    """The findings file a conclusion's form sent, streamed into `folder` (its content checked,
    its size limited as an attachment's); None when none was chosen."""
    if not isinstance(upload, UploadFile):
        return None
    return await store_upload(upload, folder, application.policy.upload_max_mb * 1024 * 1024,
                              table_type)
