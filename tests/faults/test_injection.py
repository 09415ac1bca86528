"""Whatever a user typed — markup, a line break followed by a header, a script — in any field
that reaches an e-mail is neutralised: HTML escaped, headers one line, recipients unchanged."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest

from domain.models import Finding, Inspection, Plan, TrackedItem, Unit
from flows import checking
from flows.application import build_application
from flows.settings import Settings
from notifications.delivery import SmtpSender, SmtpSettings
from notifications.email import OutgoingMessage
from persistence.db import make_engine, upgrade
from persistence.unit_of_work import UnitOfWork
from tests.faults.scripted_smtp import ScriptedServer

AS_OF = date(2024, 5, 6)
PAYLOADS = [
    '<script>alert("x")</script>\r\nBcc: evil@attacker.example',
    "Đơn vị\nSubject: trúng thưởng\n\n<img src=x onerror=alert(1)>",
    "\r\n\r\n<a href='javascript:alert(1)'>bấm</a> & <b>đậm</b>\u2028Cc: evil@attacker.example",
]
HEADS = {"TINH": "chutich@tinh.example", "XA": "chutich@xa.example"}


def hostile_database(url: str, payload: str, policy_file) -> Settings:
    engine = make_engine(url)
    upgrade(engine)
    with UnitOfWork(engine).transaction() as session:
        session.add(Unit(code="TINH", name=payload, head_title=payload,
                         head_email=HEADS["TINH"], focal_email="cchc@tinh.example"))
        session.flush()
        session.add(Unit(code="XA", name=payload, parent_code="TINH", head_title=payload,
                         head_email=HEADS["XA"], focal_email="cchc@xa.example"))
        session.add(Plan(code="KH", year=2024, title=payload, decision_number=payload))
        session.add(Inspection(id=1, name=payload, concluded_on=date(2024, 1, 5)))
        session.flush()
        session.add(Finding(code="KT1", inspection_id=1, description=payload))
        for n, due in enumerate([date(2024, 5, 7), date(2024, 4, 1)]):
            # one due soon (the unit's digest), one long overdue (escalated to the province)
            session.add(TrackedItem(
                kind="task", scope="KH", code=f"1.{n}", plan_code="KH", content=payload,
                unit_code="XA", cooperating=payload, product=payload, deadline_text=payload,
                deadline_kind="fixed", due_date=due, original_due_date=due, evidence=payload))
        session.add(TrackedItem(
            kind="remediation", scope="KT", code="KT1", finding_code="KT1", content=payload,
            unit_code="XA", deadline_text=payload, deadline_kind="fixed",
            due_date=date(2024, 4, 1), original_due_date=date(2024, 4, 1)))
    engine.dispose()
    return Settings(database_url=url, smtp_host="127.0.0.1", policy_file=policy_file)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_and_line_breaks_in_every_field_are_neutralised(tmp_path, payload):
    policy = tmp_path / "policy.toml"
    # The secretariat's name, from the policy file, appears in every digest too.
    policy.write_text(f'[secretariat]\nname = """{payload.replace(chr(92), "")}"""\n'
                      'email = "cchc@tinh.example"\n', encoding="utf-8")
    settings = hostile_database(f"sqlite:///{tmp_path / 'cchc.db'}", payload, policy)
    engine = make_engine(settings.database_url)
    with ScriptedServer() as server:
        settings.smtp_port = server.port
        app = build_application(settings, engine=engine)
        checking.sweep_and_seal(app, AS_OF, logging.getLogger("t"))
        summary = checking.dispatch(app, logging.getLogger("t"))
    engine.dispose()

    assert summary.sent == len(server.handler.messages) >= 2
    assert {m["To"] for m in server.handler.messages} == set(HEADS.values())
    for message, envelope in zip(server.handler.messages, server.handler.envelopes):
        assert not any("attacker" in address for address in envelope)
        assert message["Bcc"] is None and "attacker" not in str(message["Cc"] or "")
        assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
        assert len(message.get_all("Subject")) == 1
        # The secretariat's name is the From name: one sender, the engine's, whatever it holds.
        assert [a.addr_spec for a in message["From"].addresses] == [settings.mail_from]
        assert [a.addr_spec for a in message["Reply-To"].addresses] == ["cchc@tinh.example"]
        html = message.get_body(("html",)).get_content()
        for raw in ("<script", "<img", "<a href='javascript", "<b>đậm"):
            assert raw not in html
        assert "&lt;" in html
        assert "Kính gửi" in message.get_body(("plain",)).get_content()


def test_an_address_given_twice_in_any_spelling_gets_one_copy(tmp_path):
    message = OutgoingMessage(
        notice_id=1, sender="cchc@tinh.example", to=("Chutich@Xa.example",),
        cc=("chutich@xa.example", "cchc@xa.example", "CCHC@XA.EXAMPLE", "chutich@XA.example"),
        subject="Nhắc việc", text="Kính gửi", html="<p>Kính gửi</p>",
        message_id="<cchc.1.a@tinh.example>", date=datetime(2024, 5, 6, tzinfo=UTC))
    with ScriptedServer() as server:
        [result] = SmtpSender(SmtpSettings("127.0.0.1", server.port)).send_all_sync([message])
    assert result.outcome == "sent"
    [envelope] = server.handler.envelopes
    assert sorted(a.lower() for a in envelope) == ["cchc@xa.example", "chutich@xa.example"]
    [received] = server.handler.messages
    assert str(received["Cc"]).lower() == "cchc@xa.example"
