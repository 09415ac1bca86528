"""The SMTP password and the database password never show: not in the command line's output,
the logs, Prefect's logs and artifacts, the events table, nor an error message — also when the
SMTP login and the database connection fail."""

from __future__ import annotations

import asyncio
import json
import logging
import traceback

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from domain.models import Event, Notice
from persistence.db import make_engine
from persistence.unit_of_work import UnitOfWork
from tests.conftest import EXAMPLES
from tests.smtp_server import free_port

SMTP_PASSWORD = "smtp-Pw-7f3a9c"
DB_PASSWORD = "db-Pw-51be02"
SECRETS = (SMTP_PASSWORD, DB_PASSWORD)
runner = CliRunner()


class RefusingLogin:
    """Accepts no credentials, as a relay does when the password has been changed."""

    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def refuse(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=False, handled=False)


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def prefect_records() -> str:
    """Every log line and artifact the Prefect server holds, as text."""
    from prefect.client.orchestration import get_client

    async def read():
        async with get_client() as client:
            logs = await client.read_logs(limit=200)
            artifacts = await client.read_artifacts(limit=200)
        return ([log.message for log in logs]
                + [json.dumps(a.data, ensure_ascii=False, default=str) for a in artifacts]
                + [str(a.description) for a in artifacts])

    return "\n".join(asyncio.run(read()))


@pytest.mark.prefect
@pytest.mark.postgres
def test_passwords_never_appear_in_output_logs_artifacts_events_or_errors(
    postgres_url, tmp_path, monkeypatch, caplog, prefect_harness
):
    caplog.set_level(logging.DEBUG)
    # A trust-authenticated server ignores the password, so the URL carries one all along.
    url = postgres_url.replace("postgres@", f"postgres:{DB_PASSWORD}@", 1)
    assert DB_PASSWORD in url
    controller = Controller(RefusingLogin(), hostname="127.0.0.1", port=free_port(),
                            authenticator=refuse, auth_require_tls=False)
    controller.start()
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "CCHC_DATABASE_URL": url, "CCHC_SMTP_HOST": "127.0.0.1",
        "CCHC_SMTP_PORT": str(controller.port), "CCHC_SMTP_USERNAME": "cchc",
        "CCHC_SMTP_PASSWORD": SMTP_PASSWORD, "CCHC_POLICY_FILE": str(EXAMPLES / "policy.toml"),
    }.items():
        monkeypatch.setenv(name, value)
    outputs = []
    try:
        for args in (["init"], ["import", "units", str(EXAMPLES / "units.csv")],
                     ["import", "plan", str(EXAMPLES / "plan-2021.xlsx")],
                     ["import", "findings", str(EXAMPLES / "findings-2019-2020.csv")],
                     ["import", "reports", str(EXAMPLES / "received-reports.csv")],
                     ["check", "--as-of", "01/07/2021"], ["dispatch"]):
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
    finally:
        controller.stop()
    engine = make_engine(url)
    with UnitOfWork(engine).reading() as session:
        events = [json.dumps(e.data, ensure_ascii=False) for e in session.exec(select(Event))]
        errors = [n.last_error or "" for n in session.exec(select(Notice))]
    engine.dispose()
    # The login was refused: every notice failed with the server's reply, and said so.
    assert errors and all("535" in error for error in errors)
    assert "lỗi 0" not in outputs[4]

    # The database cannot be reached at all: a clean error, no traceback, no password.
    monkeypatch.setenv("CCHC_DATABASE_URL", f"postgresql+psycopg://cchc:{DB_PASSWORD}@127.0.0.1:"
                                            f"{free_port()}/cchc")
    for args in (["status"], ["check", "--as-of", "01/07/2021"], ["init"]):
        failed = runner.invoke(app, args)
        assert failed.exit_code == 1
        assert "không kết nối được cơ sở dữ liệu" in failed.output
        outputs.append(failed.output)
        if failed.exception and not isinstance(failed.exception, SystemExit):
            outputs.append("".join(traceback.format_exception(failed.exception)))

    logged = "\n".join(r.getMessage() for r in caplog.records)
    records = prefect_records()
    assert "535" in records  # the failures artifact was written, with the server's reply
    for where, text in {"output": "\n".join(outputs), "logs": logged, "prefect": records,
                        "events": "\n".join(events), "errors": "\n".join(errors)}.items():
        assert leaks(text) == [], where
