"""The page link in every digest: a signed token (itsdangerous) naming the recipient's address
and the units they answer for. It expires after the policy's `web.link_days`, every link of
an address issued before its revocation (`cchc link revoke`) is refused, and so is one whose
address no longer answers for its units (`responses.open_link`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pydantic import SecretStr

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


@dataclass(frozen=True)
class LinkSigner:
    """Signs the page links and reads them back: the address e-mails link to (CCHC_BASE_URL),
    the key (CCHC_SECRET_KEY) and how long a link lasts (the policy's `web.link_days`)."""

    base_url: str | None
    secret_key: SecretStr | None
    link_days: int

    @classmethod
    def of(cls, settings: Settings) -> LinkSigner:
        return cls(settings.base_url, settings.secret_key, settings.policy.link_days)

    @property
    def enabled(self) -> bool:
        """Without an address and a key, no e-mail carries a link."""
        return bool(self.base_url and self.secret_key)

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key.get_secret_value(), salt=LINK_SALT)

    def issue(self, scope: Scope) -> str:
        return self._serializer().dumps({"a": folded(scope.recipient),
                                         "u": sorted(scope.units)})

    def page_url(self, scope: Scope) -> str:
        """The address of `scope`'s page, under a freshly signed token."""
        return f"{self.base_url.rstrip('/')}/u/{self.issue(scope)}"

    def read(self, token: str, revoked_before: Callable[[str], datetime | None]) -> Scope:
        """The scope a token grants, or LinkRefused: tampered, expired or revoked."""
        serializer = self._serializer()
        try:
            payload, issued = serializer.loads(token, max_age=self.link_days * 86400,
                                               return_timestamp=True)
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

    def digest_links(self, tree: UnitTree) -> Callable[[DigestView], str | None]:
        """For each digest, the link to its recipient's page; None without a base URL and a
        key, or for an address that answers for no unit (the secretariat's alert)."""
        if not self.enabled:
            return lambda view: None
        made: dict[str, str | None] = {}

        def link(view: DigestView) -> str | None:
            address = folded(view.recipient)
            if address not in made:
                units = answerable_units(tree, address)
                made[address] = self.page_url(Scope(address, units)) if units else None
            return made[address]

        return link


def _recipient(serializer: URLSafeTimedSerializer, payload: object) -> str | None:
    try:
        return serializer.load_payload(payload)["a"]
    except (BadSignature, KeyError, TypeError):
        return None
