"""CCHC_SMTP_CONNECTIONS: how many connections the sender opens to the relay at once."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from flows.application import smtp_settings
from flows.settings import Settings


def test_the_sender_uses_as_many_connections_as_configured(monkeypatch):
    monkeypatch.setenv("CCHC_SMTP_HOST", "relay.example")
    monkeypatch.setenv("CCHC_SMTP_CONNECTIONS", "8")
    assert smtp_settings(Settings()).max_connections == 8
    monkeypatch.delenv("CCHC_SMTP_CONNECTIONS")
    assert smtp_settings(Settings()).max_connections == 4


def test_zero_connections_is_refused(monkeypatch):
    monkeypatch.setenv("CCHC_SMTP_CONNECTIONS", "0")
    with pytest.raises(ValidationError, match="smtp_connections"):
        Settings()
