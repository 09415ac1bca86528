"""The whole thing through its entry points, on Prefect's test server: `cchc demo`, `cchc check`
and `cchc dispatch`, with the run history Prefect keeps."""

from __future__ import annotations

import asyncio
import email
import json
import os
import time
from datetime import date
from email import policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import EXAMPLES, cchc_environment

runner = CliRunner()


@pytest.fixture
def workdir(tmp_path, monkeypatch, prefect_harness):
    monkeypatch.chdir(tmp_path)
    for name in ("CCHC_DATABASE_URL", "CCHC_SMTP_HOST", "CCHC_MAILDIR", "CCHC_POLICY_FILE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_demo_leaves_valid_vietnamese_emails_the_status_table_and_commands_that_work_as_printed(
        workdir):
    environment = cchc_environment()
    result = runner.invoke(app, ["demo"])
    assert cchc_environment() == environment  # the demo hands its settings on, not os.environ
    assert result.exit_code == 0, result.output
    # One unit's page link, and how to open the secretariat's pages.
    assert "Trang của một đơn vị (đường dẫn trong thư): http://127.0.0.1:8080/u/" in result.output
    assert "cchc user add thuongtruc" in result.output and "/login" in result.output
    assert "51,4%" in result.output and "94,7%" in result.output
    files = sorted((workdir / "demo" / "outbox").glob("*.eml"))
    assert len(files) >= 2
    for path in files:
        raw = path.read_bytes()
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert b"Subject: =?utf-8?" in head  # RFC 2047, not raw UTF-8
        message = email.message_from_bytes(raw, policy=policy.default)
        assert message.get_content_type() == "multipart/alternative"
        assert message["Message-ID"] and message["Date"] and message["To"]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Kính gửi" in text and "<html" in html
        assert message["Subject"].startswith("[CCHC] ") and "nhiệm vụ" in message["Subject"]
        assert "vụquá" not in message["Subject"]
    subjects = {email.message_from_bytes(p.read_bytes(), policy=policy.default)["To"]: p for p in files}
    assert "chanhvanphong@tpsonla.sonla.example" in subjects
    assert "truongphong@pnv.tpsonla.sonla.example" in subjects

    # Without a Prefect server, history reads the run from the demo's own database.
    history = _in_a_new_shell(_printed(result.output, "Lịch sử của lần chạy thử: "), workdir)
    assert "kiem-tra-han-01-07-2021 · ngày 01/07/2021 · hoàn thành" in history
    assert f"thư: đã gửi {len(files)}, lỗi 0, tạm hoãn 0" in history
    _the_printed_web_commands_serve_the_demos_pages(result.output, workdir)

    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 0, again.output
    assert len(list((workdir / "demo" / "outbox").glob("*.eml"))) == len(files)


def _printed(output: str, after: str) -> str:
    """What the demo printed after `after` on its line (a command, a link), as a user copies it."""
    (line,) = [line for line in output.splitlines() if after in line]
    return line.split(after, 1)[1].strip()


def _new_shell_environment(home: Path) -> dict[str, str]:
    """A new shell's: no virtual environment on PATH, none of this process's settings; only
    the web's sending interval shortened, so the test need not wait a minute."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "CCHC_WEB_DISPATCH_SECONDS": "0.5"}


def _in_a_new_shell(command: str, home: Path, stdin: str = "") -> str:
    import subprocess

    done = subprocess.run(["bash", "-c", command], env=_new_shell_environment(home), cwd=home,
                          input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _the_printed_web_commands_serve_the_demos_pages(output: str, workdir: Path) -> None:
    """Give the secretariat its password, serve the pages, let the unit of the printed link
    report and the secretariat confirm — each with the command the demo printed, in a new
    shell — and find the unit's decision letter in the demo's outbox, signed by the example's
    secretariat, its answers going to the secretariat's address."""
    import re
    import signal
    import subprocess

    import httpx

    from flows.settings import load_policy
    from tests.web_support import page_token

    outbox = workdir / "demo" / "outbox"
    before = set(outbox.glob("*.eml"))
    user_add = re.search(r"tạo mật khẩu bằng `([^`]+)`", output).group(1)
    _in_a_new_shell(user_add, workdir, stdin="mat-khau-du-dai-123\n")
    link = _printed(output, "(đường dẫn trong thư): ")
    server = subprocess.Popen(["bash", "-c", _printed(output, "Trang web của lần chạy thử: ")],
                              env=_new_shell_environment(workdir), cwd=workdir,
                              start_new_session=True, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        # A recorded form answers with a redirect to the page that says what was done.
        with httpx.Client(base_url=link.split("/u/")[0], follow_redirects=True) as client:
            unit = _when_served(client, link, server)
            report = re.search(r'action="(/u/[^"]+/report)"', unit.text).group(1)
            today = f"{date.today():%Y-%m-%d}"
            reported = client.post(report, data={
                "completed_on": today, "doc_number": "15/BC-VP", "doc_date": today,
                "csrf": page_token(unit.text)})
            assert "Đã ghi nhận" in reported.text, reported.text
            login = client.get("/login").text
            assert client.post("/login", data={"name": "thuongtruc", "password":
                                               "mat-khau-du-dai-123",
                                               "csrf": page_token(login)},
                               follow_redirects=False).status_code == 303
            review = client.get("/review").text
            confirm = re.search(r'action="(/review/\d+/confirm)"', review).group(1)
            assert "Đã ghi nhận" in client.post(confirm, data={"csrf": page_token(review)}).text
            letter = _new_letter(outbox, before)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    secretariat = load_policy(EXAMPLES / "policy.toml").secretariat
    assert letter["From"].addresses[0].display_name == secretariat.name
    assert letter["Reply-To"] == secretariat.email
    recipient = re.search(r"Trang của (\S+) ·", unit.text).group(1)
    assert letter["To"] == recipient
    assert f"{link.split('/u/')[0]}/u/" in letter.get_body(("plain",)).get_content()


def _when_served(client, link: str, server):
    """The unit's page, once the web server answers."""
    import httpx

    for _ in range(600):
        assert server.poll() is None, server.stdout.read()
        try:
            return client.get(link)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the pages did not start")


def _new_letter(outbox: Path, before: set[Path]):
    for _ in range(600):
        new = set(outbox.glob("*.eml")) - before
        if new:
            (path,) = new
            return email.message_from_bytes(path.read_bytes(), policy=policy.default)
        time.sleep(0.1)
    raise AssertionError(f"no letter in {outbox}")


def _cli(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _check_runs_of_1_july() -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName

    async def read():
        async with get_client() as client:
            return await client.read_flow_runs(
                flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=["kiem-tra-han-01-07-2021"]))
            )

    return asyncio.run(read())


def test_check_runs_are_named_after_their_day_and_a_rerun_sends_nothing(workdir, monkeypatch):
    monkeypatch.setenv("CCHC_DATABASE_URL", f"sqlite:///{workdir / 'cchc.db'}")
    monkeypatch.setenv("CCHC_POLICY_FILE", str(EXAMPLES / "policy.toml"))
    earlier = {run.id for run in _check_runs_of_1_july()}  # the demo's runs share the name
    _cli("init")
    _cli("import", "units", str(EXAMPLES / "units.csv"))
    _cli("import", "plan", str(EXAMPLES / "plan-2021.csv"), "--year", "2021")
    _cli("import", "reports", str(EXAMPLES / "received-reports.csv"))
    dry = _cli("check", "--as-of", "01/07/2021", "--dry-run")
    assert "Chạy thử ngày 01/07/2021:" in dry and "chanhvanphong@tpsonla.sonla.example" in dry
    assert not list((workdir / "outbox").glob("*.eml"))
    first = _cli("check", "--as-of", "01/07/2021")
    assert "đã gửi 2" in first  # the VP head (3.2) and the PNV head (4.3)
    second = _cli("check", "--as-of", "01/07/2021")
    assert "đã gửi 0" in second
    assert "Đã gửi 0 thư" in _cli("dispatch")
    history = _cli("history", "--limit", "3")
    assert history.count("kiem-tra-han-01-07-2021") == 2 and "gui-thu" in history
    assert "ngày 01/07/2021 · hoàn thành" in history and "đã gửi 2, lỗi 0" in history

    found = sorted((run for run in _check_runs_of_1_july() if run.id not in earlier),
                   key=lambda run: run.expected_start_time)
    assert len(found) == 2 and all("cchc" in run.tags for run in found)
    assert all(run.state.is_completed() for run in found)
    assert found[0].labels["cchc.emails_sent"] == 2 and found[1].labels["cchc.emails_sent"] == 0
    assert found[0].labels["cchc.as_of"] == "2021-07-01"

    artifacts = _artifacts_of(found[0].id)
    sent = json.loads(artifacts["cchc-notices"].data)  # a table artifact holds JSON text
    assert {row["Người nhận"] for row in sent} == {
        "chanhvanphong@tpsonla.sonla.example", "truongphong@pnv.tpsonla.sonla.example"}
    assert all(row["Message-ID"].startswith("<") and row["Bậc"] for row in sent)
    assert "3.2" in {code for row in sent for code in row["Nhiệm vụ"].split(", ")}
    progress = artifacts["cchc-progress"].data
    assert "2 thư đã gửi" in progress and "nhiệm vụ (đạt" in progress
    # The rerun sent nothing: no table of notices, but the progress under the same key.
    assert set(_artifacts_of(found[1].id)) == {"cchc-progress"}


def _artifacts_of(flow_run_id) -> dict:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {artifact.key: artifact for artifact in artifacts}


def _prefect_events(name: str, resource_id: str) -> list:
    """Events of `name` about `resource_id` in the test server's event store; the server
    ingests events asynchronously, so wait a little for them."""
    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter

    async def read():
        async with get_client() as client:
            page = await client.read_events(
                limit=50,
                filter=EventFilter(
                    event=EventNameFilter(name=[name]),
                    resource=EventResourceFilter(id=[resource_id]),
                ),
            )
            return page.events

    for _ in range(50):
        events = asyncio.run(read())
        if events:
            return events
        time.sleep(0.2)
    return []


def test_escalations_reach_prefects_event_stream(workdir, monkeypatch):
    """KT19-05 (commune X-CX) is 15+ working days overdue on 01/07/2021: E2."""
    monkeypatch.setenv("CCHC_DATABASE_URL", f"sqlite:///{workdir / 'cchc.db'}")
    monkeypatch.setenv("CCHC_POLICY_FILE", str(EXAMPLES / "policy.toml"))
    _cli("init")
    _cli("import", "units", str(EXAMPLES / "units.csv"))
    _cli("import", "findings", str(EXAMPLES / "findings-2019-2020.csv"))
    _cli("check", "--as-of", "01/07/2021")

    events = _prefect_events("cchc.item.escalated", "cchc.item.KT19-05")
    assert events, "no cchc.item.escalated event for KT19-05"
    payload = events[0].payload
    assert payload["level"] == 2 and payload["unit"] == "X-CX" and payload["due"] == "2019-12-31"
    assert events[0].resource["cchc.unit"] == "X-CX"


def test_an_import_tells_prefect_at_once_so_the_deployments_trigger_can_rerun_the_check(
    workdir, monkeypatch
):
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    monkeypatch.setenv("CCHC_DATABASE_URL", f"sqlite:///{workdir / 'cchc.db'}")
    _cli("init")
    _cli("import", "units", str(EXAMPLES / "units.csv"))

    events = _prefect_events("cchc.import.completed", "cchc.import.units")
    assert events and events[0].payload["file"] == "units.csv"
    assert "30 mới" in events[0].payload["summary"]


def test_two_cchc_check_processes_started_at_once_on_postgresql_deliver_each_notice_once(
    workdir, monkeypatch, postgres_url, smtp_server
):
    import os
    import subprocess
    import sys
    from collections import Counter

    from prefect.settings import PREFECT_API_URL

    env = {
        **os.environ,
        "CCHC_DATABASE_URL": postgres_url,
        "CCHC_POLICY_FILE": str(EXAMPLES / "policy.toml"),
        "CCHC_SMTP_HOST": "127.0.0.1",
        "CCHC_SMTP_PORT": str(smtp_server.port),
        "PREFECT_API_URL": PREFECT_API_URL.value(),  # both report to the test's Prefect server
    }
    for name in ("CCHC_DATABASE_URL", "CCHC_POLICY_FILE"):
        monkeypatch.setenv(name, env[name])
    _cli("init")
    _cli("import", "units", str(EXAMPLES / "units.csv"))
    _cli("import", "plan", str(EXAMPLES / "plan-2021.xlsx"))
    _cli("import", "findings", str(EXAMPLES / "findings-2019-2020.csv"))
    _cli("import", "reports", str(EXAMPLES / "received-reports.csv"))

    cchc = str(Path(sys.executable).parent / "cchc")
    checks = [
        subprocess.Popen([cchc, "check", "--as-of", "01/07/2021"], env=env, cwd=workdir,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    outputs = [check.communicate(timeout=300)[0] for check in checks]
    assert [check.returncode for check in checks] == [0, 0], outputs
    recipients = Counter(message["To"] for message in smtp_server.messages)
    assert len(recipients) == 5 and set(recipients.values()) == {1}, recipients
