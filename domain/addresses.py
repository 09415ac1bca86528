"""The one rule for e-mail addresses, shared by the importers (refuse a bad address with its
row and column) and delivery (never put a bad one on the wire)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache


class AddressError(ValueError):
    def __init__(self, address: str, reason: str) -> None:
        super().__init__(f"invalid e-mail address {address!r}: {reason}")
        self.address, self.reason = address, reason


# A digest's addresses are validated several times on its way out and recur in every check:
# remembering them spares the validator's IDNA work (most of a message's preparation).
@lru_cache(maxsize=65536)
def validate_address(address: str) -> str:
    """Return the normalized, all-ASCII form of a bare address (no display name)."""
    # Imported here: commands that only read (`cchc status`) never validate an address.
    from email_validator import EmailNotValidError, validate_email

    # A line break would start a new header or SMTP command wherever the address is written.
    if "\r" in address or "\n" in address:
        raise AddressError(address, "contains a line break")
    try:
        # test_environment lets reserved test domains (*.test) through; *.example already is.
        # A non-ASCII local part would need SMTPUTF8 end to end, which relays cannot be
        # counted on for, so it is refused; an internationalized domain goes out as IDNA.
        result = validate_email(
            address, check_deliverability=False, test_environment=True, allow_smtputf8=False
        )
    except EmailNotValidError as error:
        raise AddressError(address, str(error)) from error
    assert result.ascii_email is not None  # always set when allow_smtputf8=False
    return result.ascii_email


def folded(address: str) -> str:
    """The form two spellings of one mailbox share (spaces around it trimmed, case folded):
    what every comparison of addresses uses — a link's recipient, a unit's head or focal
    officer, a revocation."""
    return address.strip().lower()


def unique_addresses(addresses: Iterable[str]) -> list[str]:
    """Validated addresses in order, each once: two spellings that differ only in case reach
    the same mailbox in practice, so they count as one (the first spelling is kept)."""
    seen: dict[str, str] = {}
    for address in addresses:
        normal = validate_address(address)
        seen.setdefault(normal.lower(), normal)
    return list(seen.values())
