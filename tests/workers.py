"""Entry points for tests that need a second operating-system process."""

from __future__ import annotations

import logging
from datetime import date


def check_and_dispatch(
    database_url: str, smtp_port: int, maildir: str, as_of: date, start, unit: str | None = None
) -> None:
    """What `cchc check` does after Prefect has started: sweep, seal, dispatch."""
    from domain.db import make_engine
    from flows import checking
    from flows.settings import Settings
    from tests.conftest import EXAMPLES

    settings = Settings(database_url=database_url, smtp_host="127.0.0.1", smtp_port=smtp_port,
                        maildir=maildir, policy_file=EXAMPLES / "policy.toml")
    engine = make_engine(database_url)
    log = logging.getLogger("worker")
    start.wait()
    checking.sweep_and_seal(engine, settings, as_of, log, unit)
    checking.dispatch(engine, settings, log)
    engine.dispose()


def record_run() -> None:
    """A scheduled job's stand-in for a flow: appends a line to the file named by CCHC_TEST_RUNS."""
    import os

    with open(os.environ["CCHC_TEST_RUNS"], "a", encoding="utf-8") as handle:
        handle.write("run\n")
