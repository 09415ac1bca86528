"""The page link in every digest: a signed token (itsdangerous) naming the recipient's address
and the units they answer for. It expires after the policy's `web.link_days`, every link of
an address issued before its revocation (`cchc link revoke`) is refused, and so is one whose
address no longer answers for its units (`responses.open_link`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from domain.addresses import folded
from domain.digest_lines import DigestView
from domain.recipients import UnitTree
from domain.responses import Scope, answerable_units
from flows.settings import Settings
from persistence.outbox import as_utc

LINK_SALT = "cchc.unit-page"


class LinkRefused(Exception):
    """A link that grants nothing: `reason` says why, `recipient` whom it named (when the
    signature is good, so a fresh one can be asked for)."""

    def __init__(self, reason: str, recipient: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.recipient = reason, recipient


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key.get_secret_value(), salt=LINK_SALT)


def links_enabled(settings: Settings) -> bool:
    return bool(settings.base_url and settings.secret_key)


def issue(settings: Settings, scope: Scope) -> str:
    return _serializer(settings).dumps({"a": folded(scope.recipient),
                                        "u": sorted(scope.units)})


def page_url(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/u/{token}"


def read(settings: Settings, token: str, revoked_before: Callable[[str], datetime | None],
         ) -> Scope:
    """The scope a token grants, or LinkRefused: tampered, expired or revoked."""
    serializer = _serializer(settings)
    max_age = settings.policy.link_days * 86400
    try:
        payload, issued = serializer.loads(token, max_age=max_age, return_timestamp=True)
    except SignatureExpired as error:
        recipient = _recipient(serializer, error.payload)
        raise LinkRefused("expired", recipient) from None
    except BadSignature:
        raise LinkRefused("invalid") from None
    scope = Scope(folded(payload["a"]), frozenset(payload["u"]))
    revoked = revoked_before(scope.recipient)
    if revoked is not None and issued < as_utc(revoked):
        raise LinkRefused("revoked", scope.recipient)
    return scope


def _recipient(serializer: URLSafeTimedSerializer, payload: object) -> str | None:
    try:
        return serializer.load_payload(payload)["a"]
    except (BadSignature, KeyError, TypeError):
        return None


def digest_links(settings: Settings, tree: UnitTree) -> Callable[[DigestView], str | None]:
    """For each digest, the link to its recipient's page; None without a base URL and a key,
    or for an address that answers for no unit (the secretariat's alert)."""
    if not links_enabled(settings):
        return lambda view: None
    made: dict[str, str | None] = {}

    def link(view: DigestView) -> str | None:
        address = folded(view.recipient)
        if address not in made:
            units = answerable_units(tree, address)
            made[address] = page_url(settings, issue(settings, Scope(address, units))) \
                if units else None
        return made[address]

    return link
