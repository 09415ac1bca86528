"""The review digest flow on Prefect's test server: when a unit's report waits, the secretariat
gets one e-mail a day listing it, written as a real .eml; a second run the same day sends
nothing more."""

from __future__ import annotations

from datetime import timedelta
from email import policy as email_policy
from email.parser import BytesParser

from domain.responses import Scope
from domain.states import SubmissionKind
from flows.application import build_application
from flows.responses import Actor, submit
from persistence.db import make_engine, upgrade
from tests.web_support import SECRETARIAT, seed, web_settings


def test_the_secretariat_hears_once_a_day_of_what_waits(tmp_path, monkeypatch, prefect_harness):
    from flows.flow_support import application_in_use
    from flows.review_digest import review_digest

    settings = web_settings(f"sqlite:///{tmp_path / 'cchc.db'}", tmp_path)
    for name, value in (("CCHC_DATABASE_URL", settings.database_url),
                        ("CCHC_MAILDIR", str(settings.maildir)),
                        ("CCHC_POLICY_FILE", str(settings.policy_file)),
                        ("CCHC_BASE_URL", settings.base_url),
                        ("CCHC_SECRET_KEY", settings.secret_key.get_secret_value())):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CCHC_SMTP_HOST", raising=False)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    application = build_application(settings)
    today, calendar = application.today(), application.calendar
    day = today if calendar.is_working_day(today) else calendar.add_working_days(today, 1)
    ids = seed(engine, today, calendar)
    submit(application, Scope("giamdoc@a.example", frozenset({"A"})), ids.a1,
           SubmissionKind.COMPLETION,
           {"completed_on": (today - timedelta(days=1)).isoformat(), "doc_number": "15/BC",
            "doc_date": today.isoformat()}, Actor("giamdoc@a.example", "10.0.0.7"))

    with application_in_use(application):  # as `cchc serve` runs it
        first = review_digest(as_of=day)
        again = review_digest(as_of=day)
    assert first["queued"] and first["dispatch"]["sent"] == 1
    assert not again["queued"] and again["dispatch"]["sent"] == 0
    (mail,) = list(settings.maildir.glob("*.eml"))
    with mail.open("rb") as raw:
        message = BytesParser(policy=email_policy.default).parse(raw)
    text = message.get_body(("plain",)).get_content()
    assert message["To"] == SECRETARIAT
    assert "[A1] Sở A <b>&: báo cáo hoàn thành" in text
    assert "1 nhiệm vụ chưa xác định thời hạn cần được đặt hạn" in text
    assert "Xét duyệt: http://testserver/review" in text
    application.close()
    engine.dispose()
