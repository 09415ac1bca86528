"""Where the configuration comes from: the environment, then `.env` in the working directory,
then the defaults; a value given as an argument wins over all of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from flows.settings import Settings


@pytest.fixture
def environment(tmp_path, monkeypatch):
    for name in ("CCHC_DATABASE_URL", "CCHC_SMTP_HOST", "CCHC_SMTP_PORT", "CCHC_MAILDIR",
                 "CCHC_MAIL_FROM", "CCHC_POLICY_FILE", "PREFECT_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_the_environment_wins_over_env_file_which_wins_over_the_defaults(environment, tmp_path):
    (tmp_path / ".env").write_text(
        "CCHC_SMTP_HOST=relay.example\nCCHC_SMTP_PORT=2525\ncchc_mail_from=cchc@tinh.example\n"
        "PREFECT_API_URL=http://127.0.0.1:4200/api\nUNRELATED=1\n", encoding="utf-8")
    environment.setenv("CCHC_SMTP_PORT", "587")
    environment.setenv("cchc_maildir", "thu-di")

    settings = Settings()

    assert (settings.smtp_host, settings.smtp_port) == ("relay.example", 587)
    assert settings.mail_from == "cchc@tinh.example" and settings.maildir == Path("thu-di")
    assert settings.prefect_api_url == "http://127.0.0.1:4200/api"
    assert settings.database_url == "sqlite:///cchc.db" and settings.policy_file is None
    assert Settings(smtp_port=25, smtp_host=None).smtp_port == 25
    assert Settings(smtp_host=None).smtp_host is None


def test_a_value_that_does_not_parse_is_named_by_its_field(environment):
    environment.setenv("CCHC_SMTP_PORT", "abc")
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert refused.value.title == "Settings"
    assert [(e["loc"], e["input"]) for e in refused.value.errors()] == [(("smtp_port",), "abc")]


def test_changed_settings_derive_their_policy_again(environment):
    from tests.conftest import EXAMPLES

    settings = Settings()
    assert settings.policy.secretariat_email is None
    changed = settings.with_changes(policy_file=EXAMPLES / "policy.toml")
    assert changed.policy.secretariat_email == "cchc@pnv.tpsonla.sonla.example"
    assert changed.calendar is not settings.calendar and settings.policy.secretariat_email is None
