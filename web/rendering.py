"""How both audiences' pages answer: a template of `templates/web/` under the session's user and
form token, a message page, the refusals every form may meet, and the redirect after a form was
recorded (post/redirect/get), whose result the next page says once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from domain.states import DeadlineKind, SubmissionKind, SubmissionState
from flows import responses as cases
from flows.application import Application
from notifications.templating import templates
from notifications.words import local_time_text, rung_text
from web.security import BodyTooLarge
from web.security import too_large as body_too_large

# The session's key for what a recorded form did: (title, sentence), shown once by the next page.
DONE = "d"


class Answered(Exception):
    """A dependency's answer in place of its route's: a refusal's page, or a redirect."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def vntime(application: Application, moment: datetime | None) -> str:
    return local_time_text(moment, application.settings.zone) if moment else ""


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    application, sessions = request.app.state.application, request.app.state.sessions
    session = getattr(request.state, "session", None) or sessions.new()
    context.setdefault("user", session.get("u"))
    context.setdefault("csrf", sessions.form_token(session["n"]))
    html = templates.get_template(f"web/{name}").render(
        vntime=lambda moment: vntime(application, moment), kinds=SubmissionKind,
        states=SubmissionState, deadline_kinds=DeadlineKind, done=_done(request),
        rung=lambda rung: rung_text(rung, application.policy.overdue_repeat_days), **context)
    return HTMLResponse(html, status_code=status)


def _done(request: Request) -> list[str] | None:
    """What the form just recorded did, taken from the session: a refresh shows it no more."""
    session = getattr(request.state, "session", None)
    if not session or DONE not in session:
        return None
    request.state.session_changed = True
    return session.pop(DONE)


def recorded(request: Request, location: str, title: str, text: str) -> RedirectResponse:
    """After a recorded form: to the page at `location` (GET), which says `title`: `text`; a
    refresh there reads the page again and posts nothing."""
    request.state.session[DONE] = [title, text]
    request.state.session_changed = True
    return RedirectResponse(location, status_code=303)


def message(request: Request, title: str, text: str, status: int = 200,
            back: str | None = None) -> HTMLResponse:
    return page(request, "message.html.j2", status, title=title, text=text, back=back)


def too_large(request: Request, back: str | None) -> HTMLResponse:
    limit = request.app.state.application.policy.upload_max_mb
    return message(request, "Tệp quá lớn",
                   f"Tệp đính kèm lớn hơn {limit} MB cho phép: không có gì được ghi nhận. Hãy "
                   "gửi tệp nhỏ hơn.", 413, back)


def refused_form(request: Request, back: str | None) -> HTMLResponse:
    return message(request, "Biểu mẫu không hợp lệ",
                   "Biểu mẫu thiếu mã xác thực hoặc mã đã hết hạn (hãy mở lại trang rồi gửi "
                   "lại): không có gì được ghi nhận.", 403, back)


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


def text_fields(form: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def client(request: Request, who: str) -> cases.Actor:
    return cases.Actor(who, request.client.host if request.client else None)
