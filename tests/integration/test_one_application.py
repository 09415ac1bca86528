"""One application per process: the use cases deliver through the sender and ask the clock the
application carries (so a test hands it its own), and a `cchc check` builds it once."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlmodel import select
from typer.testing import CliRunner

from domain.models import Notice
from domain.states import NoticeState
from flows import checking
from flows.application import Clock, build_application
from flows.settings import Settings
from notifications.delivery import DeliveryOutcome, DeliveryResult, OnResult, Sender
from notifications.email import OutgoingMessage
from persistence.db import make_engine, upgrade
from tests.conftest import EXAMPLES, load_examples

log = logging.getLogger("test")
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# A Thursday morning in Sơn La: the example's day of reminders and escalations.
MORNING = datetime(2021, 7, 1, 7, 30, tzinfo=ZONE)
VP_HEAD = "chanhvanphong@tpsonla.sonla.example"
PNV_HEAD = "truongphong@pnv.tpsonla.sonla.example"


class FixedClock(Clock):
    def now(self) -> datetime:
        return MORNING


class RecordingSender(Sender):
    """Accepts every message and keeps it: what the engine handed over for delivery."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMessage] = []

    async def send_all(self, messages: Sequence[OutgoingMessage],
                       on_result: OnResult | None = None) -> list[DeliveryResult]:
        results = []
        for message in messages:
            self.sent.append(message)
            results.append(DeliveryResult(message.notice_id, DeliveryOutcome.SENT,
                                          message.message_id))
            if on_result is not None:
                on_result(results[-1])
        return results


def test_a_check_and_the_weekly_summary_send_through_the_applications_sender_on_its_day(
        engine, database_url, tmp_path):
    from flows.weekly_summary import deliver_summary
    from notifications.reports import summary_email
    from persistence.reports import status_report

    # An SMTP host that resolves nowhere and an outbox folder: neither may be used.
    settings = Settings(database_url=database_url, smtp_host="smtp.invalid",
                        maildir=tmp_path / "outbox", policy_file=EXAMPLES / "policy.toml")
    sender = RecordingSender()
    app = build_application(settings, engine=engine, sender=sender, clock=FixedClock(ZONE))
    load_examples(engine, app.calendar)

    checked = checking.sweep_and_seal(app, app.today(), log)
    sent = checking.dispatch(app, log)

    assert checked.as_of == date(2021, 7, 1) and sent.sent == 5 and sent.failed == 0
    # Each head the items they answer for (the commune's E2 up to the city's chairman).
    assert {m.to[0]: re.findall(r"^- \[([^\]]+)\]", m.text, re.M) for m in sender.sent} == {
        VP_HEAD: ["3.2"], PNV_HEAD: ["4.3"], "chanhvanphong@vpubnd.sonla.example": ["KT20-06"],
        "chutich@chiengxom.tpsonla.sonla.example": ["KT19-05"],
        "chutich@tpsonla.sonla.example": ["KT19-05"]}
    # The day is the clock's: the subject's check day and the Date header.
    assert all(m.subject.endswith("(01/07/2021)") and m.date == MORNING for m in sender.sent)
    with app.uow.reading() as session:
        notices = session.exec(select(Notice).where(Notice.check_date == date(2021, 7, 1))).all()
    assert {n.message_id for n in notices if n.state == NoticeState.SENT} == {
        m.message_id for m in sender.sent}
    assert checking.dispatch(app, log).sent == 0 and len(sender.sent) == 5

    with app.uow.reading() as session:
        summary = summary_email(status_report(session, app.today(), app.calendar, app.policy))
    message_id = deliver_summary(app, app.today(), summary, log)
    report = sender.sent[-1]
    assert report.to == (app.policy.secretariat_email,) and report.message_id == message_id
    assert report.date == MORNING and "đến ngày 01/07/2021" in report.subject
    assert deliver_summary(app, app.today(), summary, log) is None and len(sender.sent) == 6
    assert not (tmp_path / "outbox").exists()


def test_one_cchc_check_builds_one_engine_and_disposes_it_once_at_the_end(
        tmp_path, monkeypatch, prefect_harness):
    """Every task of the check's flow run and its state hook work on the command's application:
    before, each task and the hook built an engine of their own, and closed it."""
    import persistence.db
    from cli.main import app as cchc

    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_examples(engine, Settings(database_url=url).calendar)
    engine.dispose()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CCHC_SMTP_HOST", raising=False)
    for name, value in (("CCHC_DATABASE_URL", url), ("CCHC_MAILDIR", str(tmp_path / "outbox")),
                        ("CCHC_POLICY_FILE", str(EXAMPLES / "policy.toml"))):
        monkeypatch.setenv(name, value)
    built, disposed = [], []
    create_engine = persistence.db.create_engine

    def counted(*args, **kwargs):
        made = create_engine(*args, **kwargs)
        built.append(made)
        event.listen(made, "engine_disposed", disposed.append)
        return made

    monkeypatch.setattr(persistence.db, "create_engine", counted)
    result = CliRunner().invoke(cchc, ["check", "--as-of", "01/07/2021"])

    assert result.exit_code == 0, result.output
    # The check ran its flow, and sent through the command's application.
    assert "đã gửi 5" in result.output and len(list((tmp_path / "outbox").glob("*.eml"))) == 5
    assert len(built) == 1 and disposed == built
