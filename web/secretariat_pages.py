"""What a secretariat's login grants: the review queue and its decisions, an item's timeline,
the status page and its downloads, the units' attachments; and the login itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.responses import FormProblems, earliest_new_deadline
from domain.states import ItemKind, SubmissionKind
from flows import logins
from flows import responses as cases
from notifications.report_tables import cell_text, report_tables
from notifications.reports import render_report, workbook_bytes
from notifications.responses import decision_result
from notifications.summary import summary_lines
from notifications.terminal import event_details, event_label
from web.deps import ReviewForm, RowId, User, session_form
from web.rendering import client, message, page, recorded, text_fields, vntime

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
                           act: Callable[[cases.Actor, dict], str], failed: tuple[str, int]):
    """A review form, its user and token already checked (`failed`: its action and submission
    or item, to show its errors): `act` (the user, the fields) gives the sentence the review
    page then says; refused forms write nothing."""
    fields = text_fields(form)
    try:
        said = await run_in_threadpool(act, client(request, user), fields)
    except FormProblems as problems:
        return await review_view(request, 422, failed, fields, problems.problems)
    except cases.PageError as error:
        return message(request, "Không thực hiện được", error.message, error.status, "/review")
    return recorded(request, "/review", "Đã ghi nhận", said)


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
    zone = application.settings.zone
    timeline = [(vntime(application, occurred_at), event_label(e.name), event_details(e, zone))
                for occurred_at, e in events]
    return page(request, "item.html.j2", item=item, submissions=submissions, timeline=timeline)


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
