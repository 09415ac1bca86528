"""The weekly summary flow on Prefect's test server: the report e-mailed to the secretariat
through a real SMTP server, once, and published as a Markdown artifact."""

from __future__ import annotations

import asyncio
from datetime import date
from io import BytesIO

import pytest

from tests.conftest import EXAMPLES, load_examples

SECRETARIAT = "cchc@pnv.tpsonla.sonla.example"


@pytest.fixture
def loaded(tmp_path, monkeypatch, prefect_harness):
    from flows.settings import Settings
    from persistence.db import make_engine, upgrade

    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    for name in ("CCHC_SMTP_HOST", "CCHC_MAILDIR", "CCHC_POLICY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    monkeypatch.setenv("CCHC_MAILDIR", str(tmp_path / "outbox"))
    engine = make_engine(url)
    upgrade(engine)
    load_examples(engine, Settings().calendar)
    engine.dispose()
    return tmp_path


def weekly_summary(as_of: date) -> dict:
    """The flow run in this process as an entry point runs it: on an application built from
    the settings the environment holds now."""
    from flows.application import build_application
    from flows.flow_support import application_in_use
    from flows.settings import Settings
    from flows.weekly_summary import weekly_summary as flow

    with application_in_use(build_application(Settings())) as app:
        result = flow(as_of=as_of)
    app.close()
    return result


def _latest_artifact(key: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def read():
        async with get_client() as client:
            return await client.read_latest_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
            )

    (artifact,) = asyncio.run(read())
    return artifact


def test_the_secretariat_gets_the_report_once_with_the_workbook_attached(
    loaded, monkeypatch, smtp_server
):
    from openpyxl import load_workbook

    from flows.prefect_history import recent_runs

    monkeypatch.setenv("CCHC_POLICY_FILE", str(EXAMPLES / "policy.toml"))
    monkeypatch.setenv("CCHC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CCHC_SMTP_PORT", str(smtp_server.port))

    result = weekly_summary(as_of=date(2021, 6, 25))

    assert result["sent"] and result["recipient"] == SECRETARIAT
    (message,) = smtp_server.messages
    assert message["To"] == SECRETARIAT
    assert "đã hoàn thành 36/70 nhiệm vụ (đạt 51,4%)" in message["Subject"]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "đạt 51,4%" in html and "đạt 51,4%" in text
    assert html.count("<svg") == 2 and "Số liệu cho tự đánh giá Chỉ số CCHC" in html
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "tien-do-cchc-25-06-2021.xlsx"
    workbook = load_workbook(BytesIO(attachment.get_content()))
    assert "đã hoàn thành 36/70 nhiệm vụ (đạt 51,4%)" in workbook["Tổng hợp"]["A2"].value
    groups = workbook["Theo nhóm"]
    assert [groups.cell(row, 3).value for row in range(2, 9)] == [7, 5, 5, 6, 5, 4, 4]

    artifact = _latest_artifact("weekly-summary")
    assert "đã hoàn thành 36/70 nhiệm vụ (đạt 51,4%)" in artifact.data
    assert "## Theo nhóm nhiệm vụ" in artifact.data and "## Nhiệm vụ quá hạn" in artifact.data

    again = weekly_summary(as_of=date(2021, 6, 25))
    assert not again["sent"] and len(smtp_server.messages) == 1

    # `cchc history` counts what each summary run sent: the first one e-mail, the second none.
    summaries = [run for run in recent_runs(10) if run.flow == "weekly-summary"]
    assert [(run.as_of, run.emails_sent) for run in summaries[:2]] == [
        (date(2021, 6, 25), 0), (date(2021, 6, 25), 1)]
    # …and so does the engine's own record, read without Prefect.
    from flows.settings import Settings
    from persistence.db import make_engine
    from persistence.run_log import recent_runs as recorded_runs
    from persistence.unit_of_work import UnitOfWork

    engine = make_engine(Settings().database_url)
    with UnitOfWork(engine).reading() as session:
        recorded = [run for run in recorded_runs(session, 10) if run.flow == "weekly-summary"]
    engine.dispose()
    assert [(run.as_of, run.emails_sent, run.state) for run in recorded] == [
        (date(2021, 6, 25), 0, "Completed"), (date(2021, 6, 25), 1, "Completed")]


def test_without_a_secretariat_address_nothing_is_sent_and_the_artifact_still_holds_the_report(
    loaded, caplog
):
    result = weekly_summary(as_of=date(2021, 7, 1))

    assert not result["sent"] and result["recipient"] is None
    assert not list((loaded / "outbox").glob("*.eml"))
    assert "secretariat.email" in caplog.text
    assert "01/07/2021" in _latest_artifact("weekly-summary").data
