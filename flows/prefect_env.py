"""Prefect's settings for this engine, applied before Prefect is first imported."""

from __future__ import annotations

import os

# The local server's first start migrates its database for about a minute on a fresh
# PREFECT_HOME, past Prefect's 20 s default; offline machines must not phone home.
_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "600",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def configure() -> None:
    for name, value in _DEFAULTS.items():
        os.environ.setdefault(name, value)
