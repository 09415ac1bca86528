"""The deployment the README's guide sets up, for real: a Prefect server on PostgreSQL behind a
basic-auth string, `prefect deploy --all` from prefect.yaml, a process worker, the engine on
PostgreSQL and an SMTP server. A run of the check deployment delivers the e-mails and leaves its
artifacts; its `cchc.item.escalated` events start the secretariat's alert deployment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from tests.conftest import EXAMPLES, _postgres_database
from tests.smtp_server import free_port

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
AUTH = "cchc-admin:mat-khau-thu"

pytestmark = pytest.mark.slow


@pytest.fixture
def deployment(tmp_path, smtp_server) -> Iterator[dict[str, str]]:
    prefect_db, engine_db = _postgres_database(), _postgres_database()
    prefect_url, engine_url = next(prefect_db), next(engine_db)
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_DATABASE_CONNECTION_URL": prefect_url.replace("+psycopg", "+asyncpg"),
        "PREFECT_SERVER_API_AUTH_STRING": AUTH,
        "PREFECT_API_AUTH_STRING": AUTH,
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "CCHC_PROJECT_DIR": str(PROJECT),
        "CCHC_DATABASE_URL": engine_url,
        "CCHC_SMTP_HOST": "127.0.0.1",
        "CCHC_SMTP_PORT": str(smtp_server.port),
        "CCHC_POLICY_FILE": str(EXAMPLES / "policy.toml"),
    }
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=open(tmp_path / "server.log", "w"), stderr=subprocess.STDOUT)
    try:
        _wait_healthy(env["PREFECT_API_URL"], server, tmp_path / "server.log")
        yield env
    finally:
        server.terminate()
        server.wait(timeout=60)
        for generator in (prefect_db, engine_db):
            generator.close()


def _wait_healthy(api: str, server: subprocess.Popen, log: Path) -> None:
    for _ in range(600):
        assert server.poll() is None, log.read_text()
        try:
            if httpx.get(f"{api}/health", auth=tuple(AUTH.split(":")), timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("the Prefect server did not answer:\n" + log.read_text())


def _run(env: dict[str, str], *command: str) -> str:
    result = subprocess.run(command, env=env, cwd=PROJECT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_a_deployed_check_delivers_leaves_artifacts_and_its_escalations_alert_the_secretariat(
    deployment, smtp_server, tmp_path
):
    env = deployment
    cchc, prefect = str(BIN / "cchc"), str(BIN / "prefect")
    # The engine's data first: imported with no Prefect server in reach, so no trigger fires.
    offline = {k: v for k, v in env.items() if k != "PREFECT_API_URL"}
    _run(offline, cchc, "init")
    _run(offline, cchc, "import", "units", str(EXAMPLES / "units.csv"))
    _run(offline, cchc, "import", "plan", str(EXAMPLES / "plan-2021.xlsx"))
    _run(offline, cchc, "import", "findings", str(EXAMPLES / "findings-2019-2020.csv"))
    _run(offline, cchc, "import", "reports", str(EXAMPLES / "received-reports.csv"))

    _run(env, prefect, "work-pool", "create", "cchc", "--type", "process")
    deployed = _run(env, prefect, "--no-prompt", "deploy", "--all")
    for name in ("deadline-check", "dispatch-notifications", "weekly-summary", "escalation-alert"):
        assert name in deployed
    worker = subprocess.Popen([prefect, "worker", "start", "--pool", "cchc"], env=env, cwd=PROJECT,
                              stdout=open(tmp_path / "worker.log", "w"), stderr=subprocess.STDOUT)
    try:
        _run(env, prefect, "deployment", "run", "deadline-check/deadline-check",
             "--param", "as_of=2021-07-01", "--watch", "--watch-timeout", "600")
        # The schedule has queued the coming mornings' runs too; ours is named after its day.
        runs = _flow_runs(env, "deadline-check")
        named = [r for r in runs if r["name"] == "kiem-tra-han-01-07-2021"]
        assert len(named) == 1, [(r["name"], r["state_name"]) for r in runs]
        check = named[0]
        assert check["state_type"] == "COMPLETED"
        assert check["labels"]["cchc.emails_sent"] >= 2 and check["labels"]["cchc.emails_failed"] == 0

        artifacts = {a["key"]: a for a in _post(env, "/artifacts/filter", {
            "artifacts": {"flow_run_id": {"any_": [check["id"]]}}})}
        notices = json.loads(artifacts["cchc-notices"]["data"])
        assert "chanhvanphong@tpsonla.sonla.example" in {row["Người nhận"] for row in notices}
        assert "đã hoàn thành" in artifacts["cchc-progress"]["data"]
        received = {m["Message-ID"] for m in smtp_server.messages}
        assert {row["Message-ID"] for row in notices} <= received

        # KT19-05 reached E2: its event started the alert deployment, which told the secretariat.
        alert = _wait_for_run(env, "escalation-alert", tmp_path / "worker.log")
        assert alert["parameters"]["level"] in (1, 2)  # a native int, not "2"
        assert alert["state_type"] == "COMPLETED"
        to_secretariat = [m for m in smtp_server.messages
                          if m["To"] == "cchc@pnv.tpsonla.sonla.example"]
        assert any("đã báo cáo cấp trên" in m["Subject"] for m in to_secretariat)

        # The imports made before the deployments were published by that check: covered by it,
        # they started no re-check. An import published as it happens does.
        started = [r["name"] for r in _flow_runs(env, "deadline-check")
                   if datetime.fromisoformat(r["expected_start_time"]) < datetime.now(timezone.utc)]
        assert started == ["kiem-tra-han-01-07-2021"]
        _run(env, cchc, "import", "units", str(EXAMPLES / "units.csv"))
        recheck = _wait_for_run(env, "deadline-check", tmp_path / "worker.log",
                                lambda r: r["id"] != check["id"])
        assert recheck["parameters"] == {} and recheck["state_type"] == "COMPLETED"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # A worker still finishing a run is stopped: what failed before is what is reported.
            worker.kill()
            worker.wait()


def _post(env: dict[str, str], path: str, body: dict) -> list[dict]:
    response = httpx.post(env["PREFECT_API_URL"] + path, json=body,
                          auth=tuple(AUTH.split(":")), timeout=30)
    response.raise_for_status()
    return response.json()


def _flow_runs(env: dict[str, str], flow: str) -> list[dict]:
    return _post(env, "/flow_runs/filter", {"flows": {"name": {"any_": [flow]}},
                                             "sort": "EXPECTED_START_TIME_DESC"})


def _wait_for_run(env: dict[str, str], flow: str, log: Path, wanted=lambda run: True) -> dict:
    for _ in range(300):
        runs = [r for r in _flow_runs(env, flow)
                if r["state_type"] in ("COMPLETED", "FAILED", "CRASHED") and wanted(r)]
        if runs:
            return runs[0]
        time.sleep(1)
    raise AssertionError(f"no finished {flow} run; worker log:\n{log.read_text()}")
