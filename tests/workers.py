"""Entry points for tests that need a second operating-system process."""

from __future__ import annotations

import logging
from datetime import date


def check_and_dispatch(
    database_url: str, smtp_port: int, maildir: str, as_of: date, start, unit: str | None = None,
    policy_file: str | None = None,
) -> None:
    """What `cchc check` does after Prefect has started: sweep, seal, dispatch (under the
    example's policy unless another is given)."""
    from flows import checking
    from flows.application import build_application
    from flows.settings import Settings
    from tests.conftest import EXAMPLES

    settings = Settings(database_url=database_url, smtp_host="127.0.0.1", smtp_port=smtp_port,
                        maildir=maildir, policy_file=policy_file or EXAMPLES / "policy.toml")
    app = build_application(settings)
    log = logging.getLogger("worker")
    start.wait()
    checking.sweep_and_seal(app, as_of, log, unit)
    checking.dispatch(app, log)
    app.close()


def record_run() -> None:
    """A scheduled job's stand-in for a flow: appends a line to the file named by CCHC_TEST_RUNS."""
    import os

    with open(os.environ["CCHC_TEST_RUNS"], "a", encoding="utf-8") as handle:
        handle.write("run\n")


def check_of_1_july_2021() -> dict:
    """A scheduled job's stand-in for the deadline check: the real flow, on the example's day
    of escalations rather than today."""
    from flows.deadline_check import deadline_check

    return deadline_check(as_of=date(2021, 7, 1))


def check_only(database_url: str, as_of: date, start) -> None:
    """A check that queues and seals digests and sends nothing (the dispatchers do)."""
    from flows import checking
    from flows.application import build_application
    from flows.settings import Settings

    app = build_application(Settings(database_url=database_url))
    start.wait()
    checking.sweep_and_seal(app, as_of, logging.getLogger("check"))
    app.close()


def dispatch_until(database_url: str, smtp_port: int, start, checks_done) -> None:
    """A dispatcher polling the outbox until the checks are over, then draining it once more."""
    from flows import checking
    from flows.application import build_application
    from flows.settings import Settings

    app = build_application(Settings(database_url=database_url, smtp_host="127.0.0.1",
                                     smtp_port=smtp_port))
    start.wait()
    while True:
        last = checks_done.is_set()
        checking.dispatch(app, logging.getLogger("dispatch"))
        if last:
            break
    app.close()


def dispatch_once(database_url: str, smtp_port: int) -> None:
    """`cchc dispatch` without Prefect: a process the crash tests kill."""
    from flows import checking
    from flows.application import build_application
    from flows.settings import Settings

    settings = Settings(database_url=database_url, smtp_host="127.0.0.1", smtp_port=smtp_port)
    checking.dispatch(build_application(settings), logging.getLogger("dispatch"))
