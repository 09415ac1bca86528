"""What every request is checked for before its route runs (FastAPI dependencies), and what a
URL may carry."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from starlette.concurrency import run_in_threadpool

from flows import logins

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
