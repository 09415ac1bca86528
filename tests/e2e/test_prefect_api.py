"""Which Prefect API `cchc check` reports to, as a user runs it (a new process each time): none
for a dry run; with none configured, a server the first check starts in the background, which
the next reuses and which stops itself once idle; the one `cchc serve` runs or points at. On
every path a check and its rerun send each digest once."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from flows.prefect_api import read_record
from tests.conftest import EXAMPLES, load_examples
from tests.e2e.test_serve import CCHC, Served

pytestmark = pytest.mark.prefect

STARTING = "khởi động máy chủ Prefect chạy nền"


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory) -> Path:
    """One PREFECT_HOME for the module: Prefect migrates its database once, not per test."""
    return tmp_path_factory.mktemp("prefect-home")


@pytest.fixture
def env(tmp_path, prefect_home):
    """A loaded example database and the environment of a `cchc` process using it, with no
    Prefect API configured; any server recorded under PREFECT_HOME is stopped at the end."""
    from flows.settings import Settings
    from persistence.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_examples(engine, Settings(database_url=url).calendar)
    engine.dispose()
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith(("CCHC_", "PREFECT_"))}
    yield {**inherited, "CCHC_DATABASE_URL": url, "CCHC_MAILDIR": str(tmp_path / "outbox"),
           "CCHC_POLICY_FILE": str(EXAMPLES / "policy.toml"), "PREFECT_HOME": str(prefect_home),
           "CCHC_PREFECT_IDLE_MINUTES": "0.5", "CCHC_LOG_FILE": str(tmp_path / "cchc.log")}
    _stop_recorded_server(prefect_home)


def _stop_recorded_server(home: Path) -> None:
    record = read_record(home)
    if record is None:
        return
    try:
        os.kill(record["pid"], signal.SIGTERM)
    except ProcessLookupError:
        return
    if not _gone(record["pid"], 60):
        os.kill(record["pid"], signal.SIGKILL)


def _gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def _cchc(env: dict, *args: str) -> str:
    done = subprocess.run([CCHC, *args], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _check_and_rerun(env: dict) -> tuple[str, str]:
    """A check of 01/07/2021 and its rerun: the digests once, nothing the second time."""
    first = _cchc(env, "check", "--as-of", "01/07/2021")
    second = _cchc(env, "check", "--as-of", "01/07/2021")
    sent = int(re.search(r"đã gửi (\d+),", first).group(1))
    assert sent == 5 and "đã gửi 0," in second, first + second
    assert len(list(Path(env["CCHC_MAILDIR"]).glob("*.eml"))) == sent
    return first, second


def _flow_runs(api_url: str, name: str) -> list[dict]:
    request = urllib.request.Request(
        f"{api_url}/flow_runs/filter", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"flow_runs": {"name": {"any_": [name]}}}).encode())
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def test_a_dry_run_plans_without_starting_a_prefect_server(env, prefect_home):
    output = _cchc(env, "check", "--as-of", "01/07/2021", "--dry-run")
    assert "chanhvanphong@tpsonla.sonla.example" in output
    assert "truongphong@pnv.tpsonla.sonla.example" in output
    assert STARTING not in output and read_record(prefect_home) is None
    assert not Path(env["CCHC_MAILDIR"]).exists()


def test_the_first_check_starts_a_background_server_the_rerun_reuses_and_nothing_is_sent_twice(
    env, prefect_home
):
    first, second = _check_and_rerun(env)
    assert STARTING in first and STARTING not in second
    record = read_record(prefect_home)
    assert record is not None
    runs = _flow_runs(record["url"], "kiem-tra-han-01-07-2021")
    assert len(runs) == 2 and {run["state"]["type"] for run in runs} == {"COMPLETED"}
    assert sorted(run["labels"]["cchc.emails_sent"] for run in runs) == [0, 5]


def test_a_background_server_stops_itself_after_its_idle_time(env, prefect_home):
    check = subprocess.Popen([CCHC, "check", "--as-of", "01/07/2021"], text=True,
                             env={**env, "CCHC_PREFECT_IDLE_MINUTES": "0.1"},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    record = None
    while check.poll() is None:  # the server it starts, while it runs
        record = read_record(prefect_home)
        if record is not None and not _gone(record["pid"], 0):
            break
        time.sleep(0.05)
    output = check.communicate(timeout=600)[0]
    assert check.returncode == 0 and STARTING in output and record is not None, output
    assert _gone(record["pid"], 6 + 60), "the server outlived its idle time"
    assert read_record(prefect_home) is None


def test_two_checks_started_together_start_one_server_and_send_each_digest_once(env):
    checks = [subprocess.Popen([CCHC, "check", "--as-of", "01/07/2021"], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
              for _ in range(2)]
    outputs = [check.communicate(timeout=600)[0] for check in checks]
    assert [check.returncode for check in checks] == [0, 0], outputs
    assert sum(STARTING in output for output in outputs) == 1, outputs
    sent = [int(re.search(r"đã gửi (\d+),", output).group(1)) for output in outputs]
    assert sum(sent) == 5  # between them, each digest once
    assert len(list(Path(env["CCHC_MAILDIR"]).glob("*.eml"))) == 5


@contextmanager
def _serving(env: dict) -> Iterator[Served]:
    """`cchc serve`, stopped even when the test fails."""
    served = Served(env)
    try:
        served.wait_for("deadline-check: lịch")
        yield served
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()


def test_a_check_reports_to_the_server_serve_runs_which_stops_with_serve(env, prefect_home):
    with _serving(env) as served:
        record = read_record(prefect_home)
        before = len(_flow_runs(record["url"], "kiem-tra-han-01-07-2021"))
        first, _ = _check_and_rerun(env)
        assert STARTING not in first
        assert len(_flow_runs(record["url"], "kiem-tra-han-01-07-2021")) == before + 2
        assert "đã dừng" in served.stop()
    assert _gone(record["pid"], 60) and read_record(prefect_home) is None


def test_a_check_reports_to_the_api_serve_points_at(env, prefect_home, prefect_harness):
    from prefect.settings import PREFECT_API_URL

    with _serving({**env, "PREFECT_API_URL": PREFECT_API_URL.value()}) as served:
        assert read_record(prefect_home) == {"url": PREFECT_API_URL.value(),
                                             "pid": served.process.pid}
        before = len(_flow_runs(PREFECT_API_URL.value(), "kiem-tra-han-01-07-2021"))
        first, _ = _check_and_rerun(env)
        assert STARTING not in first
        assert len(_flow_runs(PREFECT_API_URL.value(), "kiem-tra-han-01-07-2021")) == before + 2
        assert "đã dừng" in served.stop()
    assert read_record(prefect_home) is None
