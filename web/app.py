"""The web app: a unit's page behind its digest's link, the secretariat's pages behind a login.
Server-rendered (templates/web/), no script; every form carries a token (CSRF); every answer
carries the security headers; bad input gets a Vietnamese page and writes nothing."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from domain.responses import FormProblems, Scope, earliest_new_deadline
from domain.states import DeadlineKind, ItemKind, SubmissionKind, SubmissionState
from domain.uploads import UploadRefused
from flows import links, logins
from flows import responses as cases
from flows.application import Application
from flows.web_mail import pages_mail_sent
from notifications.report_tables import cell_text, report_tables
from notifications.responses import decision_result
from notifications.reports import render_report, workbook_bytes
from notifications.summary import summary_lines
from notifications.templating import TEMPLATES, templates
from notifications.terminal import event_details, event_label
from notifications.words import label, local_time_text, rung_text
from web.deps import RowId, live_session
from web.security import (
    HEADERS,
    SESSION_COOKIE,
    SESSION_HOURS,
    BodyLimit,
    BodyTooLarge,
    Sessions,
    loggable_path,
)
from web.security import too_large as body_too_large
from web.uploads import store_upload

ACTIONS = {"report": SubmissionKind.COMPLETION, "extend": SubmissionKind.EXTENSION,
           "progress": SubmissionKind.PROGRESS, "ack": SubmissionKind.ACKNOWLEDGEMENT}
# Room for a form's other fields beside its attachment.
FORM_OVERHEAD = 64 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a person can reach by a wrong address or method: (title, text) of its page.
CLIENT_ERRORS = {
    404: ("Không có trang này", "Địa chỉ này không dẫn tới trang nào. Hãy mở lại đường dẫn "
                                "trong thư, hoặc về trang chủ."),
    405: ("Không có thao tác này", "Địa chỉ này không nhận yêu cầu kiểu này: hãy dùng các nút "
                                   "trên trang. Không có gì được ghi nhận."),
}
# The server's log, as uvicorn writes it: one line for each error a client caused (its access
# log is off: links are in the paths).
log = logging.getLogger("uvicorn.error")


def _sending(application: Application):
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        with pages_mail_sent(application):
            yield

    return lifespan


def create_app(application: Application, *, send_mail: bool = False) -> FastAPI:
    """`send_mail`: the web process sends what its pages queue (`flows/web_mail.py`), as under
    `cchc web`; a test's client leaves it to the test."""
    settings = application.settings
    if settings.secret_key is None:
        raise ValueError("chưa đặt CCHC_SECRET_KEY: trang web cần khóa bí mật để ký đường dẫn "
                         "và phiên đăng nhập")
    sessions = Sessions(settings.secret_key.get_secret_value())
    max_upload = application.policy.upload_max_mb * 1024 * 1024
    secure_cookie = (settings.base_url or "").startswith("https://")
    app = FastAPI(title="cchc-engine", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(live_session)],
                  lifespan=_sending(application) if send_mail else None)
    app.state.application, app.state.sessions = application, sessions

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        session = getattr(request.state, "session", None) or sessions.new()
        context.setdefault("user", session.get("u"))
        context.setdefault("csrf", sessions.form_token(session["n"]))
        html = templates.get_template(f"web/{name}").render(
            vntime=_vntime, kinds=SubmissionKind, states=SubmissionState,
            deadline_kinds=DeadlineKind, rung=_rung, **context)
        return HTMLResponse(html, status_code=status)

    def message(request: Request, title: str, text: str, status: int = 200,
                back: str | None = None) -> HTMLResponse:
        return page(request, "message.html.j2", status, title=title, text=text, back=back)

    def _vntime(moment) -> str:
        return local_time_text(moment, settings.zone) if moment else ""

    def _rung(name: str) -> str:
        return rung_text(name, application.policy.overdue_repeat_days)

    @app.middleware("http")
    async def session_and_headers(request: Request, call_next):
        cookie = sessions.read(request.cookies.get(SESSION_COOKIE))
        request.state.session = cookie or sessions.new()
        request.state.session_changed = cookie is None
        response = await call_next(request)
        if request.state.session_changed:
            response.set_cookie(SESSION_COOKIE, sessions.dump(request.state.session),
                                max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
                                secure=secure_cookie, path="/")
        for header, value in HEADERS.items():
            response.headers.setdefault(header, value)
        if 400 <= response.status_code < 500:
            log.info("%d %s %s", response.status_code, request.method,
                     loggable_path(request.url.path))
        return response

    def client(request: Request, who: str) -> cases.Actor:
        return cases.Actor(who, request.client.host if request.client else None)

    async def read_form(request: Request) -> dict[str, Any]:
        """The form's fields; BodyTooLarge when the body was cut off at the size limit, and an
        empty form (refused for its missing token) when it cannot be read."""
        try:
            form = dict(await request.form(max_files=1, max_fields=20))
        except HTTPException:
            form = {}
        if body_too_large(request.scope):
            raise BodyTooLarge
        return form

    def too_large(request: Request, back: str | None) -> HTMLResponse:
        return message(request, "Tệp quá lớn",
                       f"Tệp đính kèm lớn hơn {application.policy.upload_max_mb} MB cho phép: "
                       "không có gì được ghi nhận. Hãy gửi tệp nhỏ hơn.", 413, back)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, _error: Exception):
        # Answered outside the other middleware: the headers are set here.
        response = message(request, "Có lỗi ngoài ý muốn",
                           "Thao tác chưa được ghi nhận. Hãy thử lại sau ít phút; nếu vẫn lỗi, "
                           "xin báo cơ quan thường trực.", 500)
        response.headers.update(HEADERS)
        return response

    def client_error(request: Request, status: int, headers=None) -> HTMLResponse:
        title, text = CLIENT_ERRORS.get(status, ("Yêu cầu không hợp lệ",
                                                 "Không có gì được ghi nhận."))
        response = message(request, title, text, status, "/")
        response.headers.update(headers or {})
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        return client_error(request, error.status_code, error.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_address(request: Request, _error: RequestValidationError):
        # Only a URL's ids are validated (forms are read by the routes): an id that is no
        # number, or out of range, names no page.
        return client_error(request, 404)

    @app.exception_handler(BodyTooLarge)
    async def body_too_large_page(request: Request, _error: BodyTooLarge):
        return too_large(request, None)

    def refused_form(request: Request, back: str | None) -> HTMLResponse:
        return message(request, "Biểu mẫu không hợp lệ",
                       "Biểu mẫu thiếu mã xác thực hoặc mã đã hết hạn (hãy mở lại trang rồi gửi "
                       "lại): không có gì được ghi nhận.", 403, back)

    # The units' pages.

    def unit_scope(request: Request, token: str) -> Scope | HTMLResponse:
        try:
            return cases.open_link(application, token)
        except links.LinkRefused as refused:
            if refused.reason == "invalid":
                return message(request, "Đường dẫn không hợp lệ",
                               "Đường dẫn này không đúng hoặc đã bị sửa. Hãy mở đường dẫn trong "
                               "thư nhắc việc mới nhất.", 403)
            why = {"expired": "đã hết hạn", "revoked": "đã bị thu hồi",
                   "outdated": "không còn hiệu lực"}[refused.reason]
            return page(request, "expired.html.j2", 403, why=why,
                        address=refused.recipient or "")

    @app.get("/u/{token}", response_class=HTMLResponse)
    async def unit_home(request: Request, token: str):
        scope = await run_in_threadpool(unit_scope, request, token)
        if isinstance(scope, HTMLResponse):
            return scope
        return await unit_view(request, scope, token)

    async def unit_view(request: Request, scope: Scope, token: str, status: int = 200,
                        failed: tuple[int, str] | None = None, values: dict | None = None,
                        problems: dict[str, str] | None = None) -> HTMLResponse:
        """The unit's page; after a refused form (`failed`: its item and action), with what
        was typed and each field's error beside it."""
        view = await run_in_threadpool(cases.unit_page, application, scope)
        return page(request, "unit.html.j2", status, view=view, token=token,
                    csrf=sessions.form_token("link:" + token), today=application.today(),
                    max_mb=application.policy.upload_max_mb, failed=failed,
                    values=values or {}, problems=problems or {})

    @app.post("/u/{token}/items/{item_id}/{action}", response_class=HTMLResponse)
    async def unit_action(request: Request, token: str, item_id: RowId, action: str):
        back = f"/u/{token}"
        scope = await run_in_threadpool(unit_scope, request, token)
        if isinstance(scope, HTMLResponse):
            return scope
        if action not in ACTIONS:
            return message(request, "Không có thao tác này", "Không có thao tác này.", 404, back)
        try:
            form = await read_form(request)
        except BodyTooLarge:
            return too_large(request, back)
        if not sessions.form_token_valid("link:" + token, form.get("csrf")):
            return refused_form(request, back)
        kind = ACTIONS[action]
        upload = form.get("attachment") if kind is SubmissionKind.COMPLETION else None
        stored = None
        try:
            if isinstance(upload, UploadFile):
                stored = await store_upload(upload, settings.upload_dir, max_upload)
            fields = {k: v for k, v in form.items() if isinstance(v, str)}
            submission, created = await run_in_threadpool(
                cases.submit, application, scope, item_id, kind, fields,
                client(request, scope.recipient), stored)
        except BodyTooLarge:
            return too_large(request, back)
        except UploadRefused as error:
            return message(request, "Tệp đính kèm không được nhận",
                           f"{_sentence(str(error))}. Chỉ nhận PDF, Word, Excel, ảnh PNG hoặc "
                           "JPEG: không có gì được ghi nhận.", 415, back)
        except FormProblems as problems:
            _discard(settings.upload_dir, stored)
            return await unit_view(request, scope, token, 422, (item_id, action), fields,
                                   problems.problems)
        except cases.PageError as error:
            _discard(settings.upload_dir, stored)
            return message(request, "Không thực hiện được", error.message, error.status, back)
        if not created:
            _discard(settings.upload_dir, stored)
            return message(request, "Đã ghi nhận trước đó",
                           f"{_sentence(label(SubmissionKind(submission.kind)))} này đã được "
                           f"ghi nhận lúc {_vntime(submission.submitted_at)}: không ghi thêm.",
                           200, back)
        done = {
            SubmissionKind.COMPLETION: "Báo cáo hoàn thành đã được gửi tới cơ quan thường trực "
                                       "để xác nhận; trong khi chờ, nhiệm vụ không bị nhắc việc.",
            SubmissionKind.EXTENSION: "Đề nghị gia hạn đã được gửi tới cơ quan thường trực.",
            SubmissionKind.PROGRESS: "Báo cáo tiến độ đã được ghi nhận.",
            SubmissionKind.ACKNOWLEDGEMENT: "Đã ghi nhận đơn vị đã nhận thông báo.",
        }[kind]
        if kind is SubmissionKind.COMPLETION and not application.policy.pause_on_report:
            done = "Báo cáo hoàn thành đã được gửi tới cơ quan thường trực để xác nhận."
        return message(request, "Đã ghi nhận", done, 200, back)

    @app.post("/link", response_class=HTMLResponse)
    async def ask_link(request: Request):
        form = await read_form(request)
        if not sessions.form_token_valid(request.state.session["n"], form.get("csrf")):
            return refused_form(request, None)
        address = str(form.get("address") or "")
        await run_in_threadpool(cases.request_link, application, address,
                                client(request, address))
        return message(request, "Đã nhận đề nghị",
                       "Nếu địa chỉ này có trong danh sách đơn vị, đường dẫn mới sẽ được gửi "
                       "tới hộp thư đó trong ít phút.")

    # The secretariat's pages.

    def user_of(request: Request) -> str | None:
        return request.state.session.get("u")

    def login_first(request: Request) -> RedirectResponse:
        return RedirectResponse("/login", status_code=303)

    @app.get("/", response_class=HTMLResponse)
    async def home(request: Request):
        if user_of(request):
            return RedirectResponse("/review", status_code=303)
        return page(request, "home.html.j2")

    @app.get("/login", response_class=HTMLResponse)
    async def login_page(request: Request):
        return page(request, "login.html.j2")

    @app.post("/login", response_class=HTMLResponse)
    async def login(request: Request):
        form = await read_form(request)
        if not sessions.form_token_valid(request.state.session["n"], form.get("csrf")):
            return refused_form(request, "/login")
        name = str(form.get("name") or "")
        try:
            user = await run_in_threadpool(cases.log_in, application, name,
                                           str(form.get("password") or ""),
                                           client(request, name))
        except cases.PageError as error:
            return page(request, "login.html.j2", error.status, error=error.message)
        # A fresh nonce at login: a form token seen before it is worth nothing after.
        session_id = await run_in_threadpool(logins.start_session, application, user)
        request.state.session = sessions.new(user, session_id)
        request.state.session_changed = True
        return RedirectResponse("/review", status_code=303)

    @app.post("/logout")
    async def logout(request: Request):
        form = await read_form(request)
        if not sessions.form_token_valid(request.state.session["n"], form.get("csrf")):
            return refused_form(request, "/review")
        await run_in_threadpool(logins.end_session, application, request.state.session.get("s"))
        request.state.session = sessions.new()
        request.state.session_changed = True
        return RedirectResponse("/login", status_code=303)

    @app.get("/review", response_class=HTMLResponse)
    async def review(request: Request):
        if not user_of(request):
            return login_first(request)
        return await review_view(request)

    async def review_view(request: Request, status: int = 200,
                          failed: tuple[str, int] | None = None, values: dict | None = None,
                          problems: dict[str, str] | None = None) -> HTMLResponse:
        """The review page; after a refused form (`failed`: its action and submission or
        item), with what was typed and each field's error beside it."""
        queue = await run_in_threadpool(cases.review_queue, application)
        today = application.today()
        return page(request, "review.html.j2", status, queue=queue,
                    remediation=ItemKind.REMEDIATION, completion=SubmissionKind.COMPLETION,
                    earliest=lambda due: earliest_new_deadline(due, today), failed=failed,
                    values=values or {}, problems=problems or {})

    decisions: dict[str, Callable] = {
        "confirm": lambda actor, sid, form: cases.confirm_report(application, actor, sid),
        "return": lambda actor, sid, form: cases.return_report(application, actor, sid, form),
        "approve": lambda actor, sid, form: cases.approve_extension(application, actor, sid,
                                                                    form),
        "refuse": lambda actor, sid, form: cases.refuse_extension(application, actor, sid, form),
    }

    async def secretariat_form(request: Request, act: Callable[[cases.Actor, dict], str],
                               failed: tuple[str, int]):
        """A review form (`failed`: its action and submission or item, to show its errors):
        logged in, its token checked, then `act` (the user, the fields) gives the page's
        sentence; refused forms write nothing."""
        user = user_of(request)
        if not user:
            return login_first(request)
        form = await read_form(request)
        if not sessions.form_token_valid(request.state.session["n"], form.get("csrf")):
            return refused_form(request, "/review")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            said = await run_in_threadpool(act, client(request, user), fields)
        except FormProblems as problems:
            return await review_view(request, 422, failed, fields, problems.problems)
        except cases.PageError as error:
            return message(request, "Không thực hiện được", error.message, error.status,
                           "/review")
        return message(request, "Đã ghi nhận", said, 200, "/review")

    @app.post("/review/{submission_id}/{decision}", response_class=HTMLResponse)
    async def decide(request: Request, submission_id: RowId, decision: str):
        if decision not in decisions:
            return message(request, "Không có thao tác này", "Không có thao tác này.", 404,
                           "/review")

        def act(actor: cases.Actor, fields: dict) -> str:
            decided = decisions[decision](actor, submission_id, fields)
            return decision_result(decided)

        return await secretariat_form(request, act, (decision, submission_id))

    @app.post("/review/items/{item_id}/deadline", response_class=HTMLResponse)
    async def deadline(request: Request, item_id: RowId):
        return await secretariat_form(
            request, lambda actor, fields: cases.give_deadline(application, actor, item_id,
                                                               fields), ("deadline", item_id))

    @app.get("/items/{item_id}", response_class=HTMLResponse)
    async def item_page(request: Request, item_id: RowId):
        if not user_of(request):
            return login_first(request)
        try:
            item, submissions, events = await run_in_threadpool(cases.item_detail, application,
                                                                item_id)
        except cases.PageError as error:
            return message(request, "Không có nhiệm vụ này", error.message, error.status,
                           "/review")
        timeline = [(_vntime(e.occurred_at), event_label(e.name),
                     event_details(e.name, e.data, settings.zone)) for e in events]
        return page(request, "item.html.j2", item=item, submissions=submissions,
                    timeline=timeline)

    @app.get("/status", response_class=HTMLResponse)
    async def status(request: Request):
        if not user_of(request):
            return login_first(request)
        report = await run_in_threadpool(cases.status_report, application)
        tables = [t for t in report_tables(report) if t.in_documents]
        return page(request, "status.html.j2", report=report, summary=summary_lines(report),
                    tables=tables, cell=cell_text)

    @app.get("/status.{suffix}")
    async def status_download(request: Request, suffix: str):
        if not user_of(request):
            return login_first(request)
        if suffix not in ("xlsx", "html"):
            return message(request, "Không có định dạng này", "Chỉ có .xlsx và .html.", 404)
        report = await run_in_threadpool(cases.status_report, application)
        name = f"tien-do-cchc-{report.as_of:%d-%m-%Y}.{suffix}"
        body, media = ((workbook_bytes(report), XLSX) if suffix == "xlsx"
                       else (render_report(report, ".html").encode(), "text/html"))
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/attachments/{submission_id}")
    async def download(request: Request, submission_id: RowId):
        if not user_of(request):
            return login_first(request)
        try:
            found = await run_in_threadpool(cases.attachment, application, submission_id)
        except cases.PageError as error:
            return message(request, "Không có tệp", error.message, error.status, "/review")
        return FileResponse(settings.upload_dir / found.attachment_file,
                            media_type="application/octet-stream",
                            filename=found.attachment_name, content_disposition_type="attachment")

    @app.get("/web.css")
    async def stylesheet():
        return Response((TEMPLATES / "web" / "web.css").read_text(encoding="utf-8"),
                        media_type="text/css")

    limited = BodyLimit(app, max_upload + FORM_OVERHEAD)
    # The client's address (the login's lock, the events) comes from X-Forwarded-For only when
    # a trusted proxy sent it (CCHC_TRUSTED_PROXIES); uvicorn's own reading is off.
    proxies = settings.trusted_proxy_list
    return ProxyHeadersMiddleware(limited, trusted_hosts=proxies) if proxies else limited


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _discard(folder: Path, stored: cases.StoredFile | None) -> None:
    """An attachment of a submission not recorded is not kept."""
    if stored is not None:
        (folder / stored.stored_name).unlink(missing_ok=True)
