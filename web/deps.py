"""What a request is checked for before its route runs (FastAPI dependencies): the session still
live, the link's scope, the login, the form's token; and what a URL may carry. A route declares
what it needs and never repeats the check."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from domain.responses import Scope
from flows import inspections, links, logins
from flows import responses as cases
from notifications.words import link_refusal
from web.rendering import Answered, message, page, read_form, refused_form, too_large
from web.security import BodyTooLarge

# Row ids are PostgreSQL integers: a larger one names nothing, and is answered as such (404)
# before it reaches the database.
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


async def live_session(request: Request) -> None:
    """A logged-in cookie counts only while its session lives server-side: once it is ended
    (logout, a new password, the user disabled) the request goes on as a visitor's, under a
    fresh cookie."""
    session = request.state.session
    if session.get("u") is None:
        return
    user = await run_in_threadpool(logins.session_user, request.app.state.application,
                                   session.get("s"))
    if user != session["u"]:
        request.state.session = request.app.state.sessions.new()
        request.state.session_changed = True


async def link_scope(request: Request, token: str) -> Scope:
    """What the link in the path grants; a tampered, expired, revoked or outdated link is
    answered here, and its route never runs."""
    try:
        return await run_in_threadpool(cases.open_link, request.app.state.application, token)
    except links.LinkRefused as refused:
        raise Answered(_link_refused(request, refused)) from None


def _link_refused(request: Request, refused: links.LinkRefused) -> HTMLResponse:
    if refused.reason == "invalid":
        return message(request, "Đường dẫn không hợp lệ",
                       "Đường dẫn này không đúng hoặc đã bị sửa. Hãy mở đường dẫn trong thư "
                       "nhắc việc mới nhất.", 403)
    return page(request, "expired.html.j2", 403, why=link_refusal(refused.reason),
                address=refused.recipient or "")


LinkScope = Annotated[Scope, Depends(link_scope)]


async def link_form(request: Request, token: str, _scope: LinkScope) -> dict[str, Any]:
    """A unit page's form, once its link is valid: its token is bound to the link."""
    back = f"/u/{token}"
    try:
        form = await read_form(request)
    except BodyTooLarge:
        raise Answered(too_large(request, back)) from None
    if not request.app.state.sessions.form_token_valid("link:" + token, form.get("csrf")):
        raise Answered(refused_form(request, back))
    return form


LinkForm = Annotated[dict[str, Any], Depends(link_form)]


def session_form(back: str | None) -> Callable[[Request], Awaitable[dict[str, Any]]]:
    """A form whose token is bound to the session (`back`: where its refusal leads)."""

    async def checked(request: Request) -> dict[str, Any]:
        form = await read_form(request)
        if not request.app.state.sessions.form_token_valid(request.state.session["n"],
                                                           form.get("csrf")):
            raise Answered(refused_form(request, back))
        return form

    return checked


def logged_in(request: Request) -> str:
    """The secretariat's user; anyone else is sent to the login page."""
    user = request.state.session.get("u")
    if not user:
        raise Answered(RedirectResponse("/login", status_code=303))
    return user


User = Annotated[str, Depends(logged_in)]
ReviewForm = Annotated[dict[str, Any], Depends(session_form("/review"))]
InspectionForm = Annotated[dict[str, Any], Depends(session_form("/inspections"))]


async def inspection_target(request: Request, target_id: RowId, _user: User) -> tuple[str, str]:
    """The target a secretariat's address names, as the unit and plan codes the recording use
    cases take; one that names none is answered here (404)."""
    named = await run_in_threadpool(inspections.target_named, request.app.state.application,
                                    target_id)
    if named is None:
        raise Answered(message(request, "Không có đơn vị này",
                               "Không có đơn vị được kiểm tra này trong kế hoạch kiểm tra nào.",
                               404, "/inspections"))
    return named


NamedTarget = Annotated[tuple[str, str], Depends(inspection_target)]
