"""The web app: a unit's page behind its digest's link (`unit_pages.py`), the secretariat's pages
behind a login (`secretariat_pages.py`). Server-rendered (templates/web/), no script; every form
carries a token (CSRF), checked with the link or the login by `deps.py` before its route runs; a
recorded form redirects to a page that says what was done; every answer carries the security
headers; bad input gets a Vietnamese page and writes nothing."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from flows.application import Application
from flows.web_mail import pages_mail_sent
from notifications.templating import TEMPLATES
from web import secretariat_pages, unit_pages
from web.deps import live_session
from web.rendering import Answered, message, too_large
from web.security import (
    HEADERS,
    SESSION_COOKIE,
    SESSION_HOURS,
    BodyLimit,
    BodyTooLarge,
    Sessions,
    loggable_path,
)

# Room for a form's other fields beside its attachment.
FORM_OVERHEAD = 64 * 1024
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


def create_app(application: Application, *, send_mail: bool = False):
    """`send_mail`: the web process sends what its pages queue (`flows/web_mail.py`), as under
    `cchc web`; a test's client leaves it to the test."""
    settings = application.settings
    if settings.secret_key is None:
        raise ValueError("chưa đặt CCHC_SECRET_KEY: trang web cần khóa bí mật để ký đường dẫn "
                         "và phiên đăng nhập")
    app = FastAPI(title="cchc-engine", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(live_session)],
                  lifespan=_sending(application) if send_mail else None)
    app.state.application = application
    app.state.sessions = Sessions(settings.secret_key.get_secret_value())
    app.state.secure_cookie = (settings.base_url or "").startswith("https://")
    app.middleware("http")(session_and_headers)
    for error, handler in ((Exception, unexpected), (HTTPException, http_error),
                           (RequestValidationError, bad_address),
                           (BodyTooLarge, body_too_large), (Answered, answered)):
        app.add_exception_handler(error, handler)
    app.include_router(unit_pages.router)
    app.include_router(secretariat_pages.router)
    app.add_api_route("/web.css", stylesheet)
    limited = BodyLimit(app, application.policy.upload_max_mb * 1024 * 1024 + FORM_OVERHEAD)
    # The client's address (the login's lock, the events) comes from X-Forwarded-For only when
    # a trusted proxy sent it (CCHC_TRUSTED_PROXIES); uvicorn's own reading is off.
    proxies = settings.trusted_proxy_list
    return ProxyHeadersMiddleware(limited, trusted_hosts=proxies) if proxies else limited


async def session_and_headers(request: Request, call_next):
    sessions = request.app.state.sessions
    cookie = sessions.read(request.cookies.get(SESSION_COOKIE))
    request.state.session = cookie or sessions.new()
    request.state.session_changed = cookie is None
    response = await call_next(request)
    if request.state.session_changed:
        response.set_cookie(SESSION_COOKIE, sessions.dump(request.state.session),
                            max_age=SESSION_HOURS * 3600, httponly=True, samesite="lax",
                            secure=request.app.state.secure_cookie, path="/")
    for header, value in HEADERS.items():
        response.headers.setdefault(header, value)
    if 400 <= response.status_code < 500:
        log.info("%d %s %s", response.status_code, request.method,
                 loggable_path(request.url.path))
    return response


async def unexpected(request: Request, _error: Exception):
    # Answered outside the other middleware: the headers are set here.
    response = message(request, "Có lỗi ngoài ý muốn",
                       "Thao tác chưa được ghi nhận. Hãy thử lại sau ít phút; nếu vẫn lỗi, xin "
                       "báo cơ quan thường trực.", 500)
    response.headers.update(HEADERS)
    return response


def client_error(request: Request, status: int, headers=None) -> HTMLResponse:
    title, text = CLIENT_ERRORS.get(status, ("Yêu cầu không hợp lệ",
                                             "Không có gì được ghi nhận."))
    response = message(request, title, text, status, "/")
    response.headers.update(headers or {})
    return response


async def http_error(request: Request, error: HTTPException):
    return client_error(request, error.status_code, error.headers)


async def bad_address(request: Request, _error: RequestValidationError):
    # Only a URL's ids are validated (forms are read by the dependencies and routes): an id
    # that is no number, or out of range, names no page.
    return client_error(request, 404)


async def body_too_large(request: Request, _error: BodyTooLarge):
    return too_large(request, None)


async def answered(_request: Request, refusal: Answered):
    return refusal.response


async def stylesheet():
    return Response((TEMPLATES / "web" / "web.css").read_text(encoding="utf-8"),
                    media_type="text/css")
