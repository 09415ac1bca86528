"""The secretariat's logins and their sessions, kept server-side: a session lives while its row
does, so logging out, a new password (`cchc user passwd`) and `cchc user disable` end it
wherever its cookie was copied to."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from domain import responses as rules
from domain.models import utcnow
from domain.responses import FormProblems
from flows.application import Application
from persistence import responses as store

SESSION_HOURS = 12
_LIFETIME = timedelta(hours=SESSION_HOURS)


def _hashed(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def start_session(app: Application, user: str) -> str:
    """A new session of `user`; its id, for the session's cookie only."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    with app.uow.transaction() as session:
        store.start_session(session, user, _hashed(session_id), now, now - _LIFETIME)
    return session_id


def session_user(app: Application, session_id: str | None) -> str | None:
    """The login a session belongs to, while it lives (not ended, not older than
    SESSION_HOURS, its user not disabled)."""
    if not session_id:
        return None
    with app.uow.reading() as session:
        return store.session_user(session, _hashed(session_id), utcnow() - _LIFETIME)


def end_session(app: Application, session_id: str | None) -> None:
    if session_id:
        with app.uow.transaction() as session:
            store.end_session(session, _hashed(session_id))


def users(app: Application) -> list[tuple[str, bool, datetime]]:
    """Every login: (name, whether it is active, when it was created)."""
    with app.uow.reading() as session:
        return store.users(session)


def _unknown(name: str) -> FormProblems:
    return FormProblems({"name": f"không có tài khoản {name!r} (xem `cchc user list`)"})


def disable_user(app: Application, name: str) -> None:
    """The login logs in no more, and its sessions end; FormProblems for an unknown name."""
    with app.uow.transaction() as session:
        if not store.disable_user(session, name.strip(), utcnow()):
            raise _unknown(name)


def change_password(app: Application, name: str, password: str) -> None:
    """A login's new password; its sessions end. FormProblems, nothing written, for an unknown
    name or a password too short."""
    from argon2 import PasswordHasher

    problems: dict[str, str] = {}
    rules.check_password(password, problems)
    if problems:
        raise FormProblems(problems)
    with app.uow.transaction() as session:
        if not store.set_password(session, name.strip(), PasswordHasher().hash(password)):
            raise _unknown(name)
