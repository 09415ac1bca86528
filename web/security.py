"""What every page sends and checks: security headers, the signed session cookie, form tokens
(CSRF) and the request body's size limit, enforced while it streams in."""

from __future__ import annotations

import hmac
import re
import secrets
from hashlib import sha256

from itsdangerous import BadSignature, URLSafeTimedSerializer

from flows.logins import SESSION_HOURS

SESSION_COOKIE = "cchc_session"
# No script at all; styles from our own stylesheet only; forms post to ourselves only.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class Sessions:
    """The session cookie: a random nonce (what its forms' tokens are bound to) and, once
    logged in, the user's name and the id of their session (`flows/logins.py`, which alone
    says whether it still lives); signed, so it cannot be forged, and dated, so it expires."""

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()
        self.serializer = URLSafeTimedSerializer(secret, salt="cchc.session")

    def read(self, cookie: str | None) -> dict | None:
        if not cookie:
            return None
        try:
            data = self.serializer.loads(cookie, max_age=SESSION_HOURS * 3600)
        except BadSignature:
            return None
        return data if isinstance(data, dict) and "n" in data else None

    def new(self, user: str | None = None, session_id: str | None = None) -> dict:
        return {"n": secrets.token_urlsafe(16), "u": user, "s": session_id}

    def dump(self, session: dict) -> str:
        return self.serializer.dumps(session)

    def form_token(self, bound_to: str) -> str:
        """A form's token (CSRF), bound to a session's nonce or to a unit page's link."""
        return hmac.new(self.secret, b"csrf:" + bound_to.encode(), sha256).hexdigest()

    def form_token_valid(self, bound_to: str, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(self.form_token(bound_to), given)


_LINK_TOKEN = re.compile(r"^/u/[^/]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def loggable_path(path: str) -> str:
    """A request's path as a log line may say it: a unit page's link (its token) left out, and
    control characters escaped (a decoded %0A would start a forged line)."""
    hidden = _LINK_TOKEN.sub("/u/…", path)
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", hidden)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: a request body longer than `limit` bytes is cut off as it arrives and
    the request marked (`scope["cchc_too_large"]`), so an oversized upload is never read whole,
    nor stored; the route then refuses it (`too_large`)."""

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            scope["cchc_too_large"] = True
        received = 0

        async def limited_receive():
            nonlocal received
            if scope.get("cchc_too_large"):
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    scope["cchc_too_large"] = True
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        return await self.app(scope, limited_receive, send)


def too_large(scope) -> bool:
    return bool(scope.get("cchc_too_large"))
