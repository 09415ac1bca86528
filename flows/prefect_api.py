"""The Prefect API a command's flow runs report to: the one configured (`PREFECT_API_URL`), else
the one `cchc serve` runs or points at, else a local server started in the background, which
later commands reuse and which stops itself when no one has used it for a while.

Whichever runs is recorded in `PREFECT_HOME/cchc-api.json` (its URL and the pid that answers
for it); a record is trusted only while that process lives and the URL answers `/health`.
`python -m flows.prefect_api` is the background server itself."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

RECORD = "cchc-api.json"


def prefect_home() -> Path:
    from prefect.settings import get_current_settings

    return Path(get_current_settings().home)


def use_api(idle_minutes: float, starting: Callable[[Path], None]) -> None:
    """Point this process's Prefect client at an API, starting one if none answers; `starting`
    is told before a start (which takes seconds, a minute on a fresh PREFECT_HOME)."""
    from prefect.settings import get_current_settings

    if get_current_settings().api.url:
        return
    home = prefect_home()
    with _start_lock(home):
        url = recorded_url(home)
        if url is None:
            starting(home)
            url = _start(home, idle_minutes, owner=None)
    _point_at(url)


@contextmanager
def serving_api() -> Iterator[str]:
    """`cchc serve`: the API its flows report to, recorded for the commands run meanwhile —
    the configured one, or a server of its own that stops when serve does (or dies)."""
    from prefect.settings import get_current_settings

    home, configured = prefect_home(), get_current_settings().api.url
    with _start_lock(home):
        if configured:
            url = configured
            _write_record(home, url, os.getpid())
        else:
            url = _start(home, idle_minutes=None, owner=os.getpid())
            _point_at(url)
    try:
        yield url
    finally:
        _forget(home, url)


def _point_at(url: str) -> None:
    """This process's Prefect client reports to `url` from now on: set before any client
    exists, and for every thread (the events and logs workers run in their own)."""
    from prefect.context import refresh_global_settings_context

    os.environ["PREFECT_API_URL"] = url
    refresh_global_settings_context()


def recorded_url(home: Path) -> str | None:
    """The recorded API's URL, if its process lives and it answers."""
    record = read_record(home)
    if record is None or not _alive(record["pid"]) or not _healthy(record["url"]):
        return None
    return record["url"]


def read_record(home: Path) -> dict | None:
    try:
        return json.loads((home / RECORD).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


@contextmanager
def _start_lock(home: Path) -> Iterator[None]:
    """Two commands started together find one server, not two."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "cchc-api.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _healthy(url: str, timeout: float = 10.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as answer:
            return answer.status == 200
    except OSError:
        return False


def _start(home: Path, idle_minutes: float | None, owner: int | None) -> str:
    """Start the background server, detached from this command's session, and wait until it
    answers; its output goes to `cchc-api.log` beside the record."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    (home / RECORD).unlink(missing_ok=True)
    arguments = [sys.executable, "-m", "flows.prefect_api", str(home),
                 str(idle_minutes or 0), str(owner or 0)]
    # Not the engine's settings: a process that outlives the command keeps no SMTP password.
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith("CCHC_")}
    environment = {**inherited, **settings.to_environment_variables(exclude_unset=True),
                   "PREFECT_UI_ENABLED": "0"}
    with (home / "cchc-api.log").open("ab") as log:
        server = subprocess.Popen(arguments, env=environment, cwd=home, stdin=subprocess.DEVNULL,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + settings.server.ephemeral.startup_timeout_seconds
    while time.monotonic() < deadline:
        record = read_record(home)
        if record and record["pid"] == server.pid and _healthy(record["url"]):
            return record["url"]
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"máy chủ Prefect không khởi động được; xem {home / 'cchc-api.log'}")


def _write_record(home: Path, url: str, pid: int) -> None:
    fresh = home / f"{RECORD}.{pid}"
    fresh.write_text(json.dumps({"url": url, "pid": pid}), encoding="utf-8")
    fresh.replace(home / RECORD)  # whole or not at all, for a reader at any moment


def _forget(home: Path, url: str) -> None:
    """Remove the record if it is still this one's."""
    with _start_lock(home):
        record = read_record(home)
        if record is not None and record["url"] == url:
            (home / RECORD).unlink(missing_ok=True)


class IdleClock:
    """ASGI middleware that knows how long the server has gone without a request (an open
    connection — a flow run's event stream — counts as one in progress)."""

    def __init__(self, app) -> None:  # noqa: ANN001 (any ASGI app)
        self.app = app
        self.open = 0  # requests in progress, and the start-up
        self.last = time.monotonic()

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001 (ASGI)
        self.open += 1
        if scope["type"] == "lifespan":
            # The start-up (migrating Prefect's database: a minute on a fresh PREFECT_HOME)
            # is not idleness: the clock starts once it is over.
            async def started(message) -> None:  # noqa: ANN001 (ASGI)
                if message["type"].startswith("lifespan.startup"):
                    self.open -= 1
                    self.last = time.monotonic()
                await send(message)

            return await self.app(scope, receive, started)
        self.last = time.monotonic()
        try:
            await self.app(scope, receive, send)
        finally:
            self.open -= 1
            self.last = time.monotonic()

    def idle_seconds(self) -> float:
        return 0.0 if self.open else time.monotonic() - self.last


def _stop_when_unneeded(server, clock: IdleClock, idle_seconds: float,  # noqa: ANN001 (uvicorn's)
                        owner: int) -> None:
    """Ask uvicorn to stop once idle for `idle_seconds` (0: never), or once `owner` is gone."""
    tick = min(5.0, idle_seconds / 4) if idle_seconds else 5.0
    while not server.should_exit:
        time.sleep(tick)
        if (idle_seconds and clock.idle_seconds() >= idle_seconds) or (owner and not _alive(owner)):
            server.should_exit = True


def main(home: Path, idle_minutes: float, owner: int) -> None:
    """The background server: Prefect's API as its temporary server serves it (no UI, no
    scheduling services), on a free port of 127.0.0.1, recorded under `home` while it runs."""
    import uvicorn
    from prefect.server.api.server import create_app

    listening = socket.create_server(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{listening.getsockname()[1]}/api"
    clock = IdleClock(create_app(ephemeral=True, final=True))
    server = uvicorn.Server(uvicorn.Config(clock, log_level="error", lifespan="on",
                                           timeout_graceful_shutdown=5))
    threading.Thread(target=_stop_when_unneeded, daemon=True,
                     args=(server, clock, idle_minutes * 60, owner)).start()
    _write_record(home, url, os.getpid())
    try:
        server.run(sockets=[listening])
    finally:
        _forget(home, url)


if __name__ == "__main__":
    main(Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]))
