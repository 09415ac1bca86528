"""The demo is its own installation: it derives its settings from the invocation's and hands them
on, so the process's environment, and the database it names, stay as they were."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.main import app
from cli.running import demo_settings, load_demo, prepare_demo
from cli.shared import application, load_settings
from tests.conftest import cchc_environment


def test_the_demo_loads_the_example_into_its_folder_and_leaves_the_environment_alone(
    tmp_path, monkeypatch
):
    elsewhere = tmp_path / "elsewhere.db"
    monkeypatch.setenv("CCHC_DATABASE_URL", f"sqlite:///{elsewhere}")
    monkeypatch.setenv("CCHC_SMTP_HOST", "smtp.invalid")
    monkeypatch.delenv("CCHC_POLICY_FILE", raising=False)
    before = cchc_environment()
    invocation = load_settings()  # reads the (default) policy, as every command does

    settings = demo_settings(invocation, tmp_path / "demo")
    prepare_demo(settings, tmp_path / "demo")
    with application(settings) as built:
        load_demo(built)

    assert cchc_environment() == before
    assert not elsewhere.exists()
    # The demo's policy is the example's, not the one the invocation had read already.
    assert settings.policy.secretariat_email == "cchc@pnv.tpsonla.sonla.example"
    assert invocation.policy.secretariat_email is None
    assert settings.smtp_host is None and settings.maildir == tmp_path / "demo" / "outbox"

    monkeypatch.setenv("CCHC_DATABASE_URL", settings.database_url)
    result = CliRunner().invoke(app, ["status", "--as-of", "25/06/2021"])
    assert result.exit_code == 0 and "36/70" in result.output, result.output
