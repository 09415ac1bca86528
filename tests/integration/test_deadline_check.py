"""The deadline check end to end without Prefect: the ladder over a real database, digests
rendered, delivered to a real SMTP server (aiosmtpd) or written as .eml files."""

from __future__ import annotations

import email
import email.policy
import logging
import re
from datetime import date, timedelta

from sqlalchemy import delete, event
from sqlmodel import select

from domain.models import Event, LadderEntry, Notice, NoticeEntry, TrackedItem, Unit
from flows import checking
from flows.application import build_application
from flows.settings import Settings
from persistence.unit_of_work import UnitOfWork
from tests.conftest import EXAMPLES, load_examples

log = logging.getLogger("test")

VP_HEAD = "chanhvanphong@tpsonla.sonla.example"
PNV_HEAD = "truongphong@pnv.tpsonla.sonla.example"


def settings_for(database_url: str, tmp_path, smtp_port: int | None = None) -> Settings:
    return Settings(
        database_url=database_url,
        smtp_host="127.0.0.1" if smtp_port else None,
        smtp_port=smtp_port or 25,
        maildir=tmp_path / "outbox",
        policy_file=EXAMPLES / "policy.toml",
        mail_from="cchc@tpsonla.sonla.example",
    )


def run_check(engine, settings: Settings, day: date, respect_backoff: bool = True):
    app = build_application(settings, engine=engine)
    summary = checking.sweep_and_seal(app, day, log)
    return summary, checking.dispatch(app, log, respect_backoff=respect_backoff)


def codes_in(message) -> set[str]:
    return set(re.findall(r"^- \[([^\]]+)\]", message.get_body(("plain",)).get_content(), re.M))


def test_first_check_of_july_2021_sends_each_head_only_their_own_overdue_items(
    engine, database_url, tmp_path, smtp_server
):
    settings = settings_for(database_url, tmp_path, smtp_server.port)
    load_examples(engine, settings.calendar)
    _, sent = run_check(engine, settings, date(2021, 7, 1))
    by_recipient = {m["To"]: m for m in smtp_server.messages}
    assert len(by_recipient) == len(smtp_server.messages) == sent.sent
    assert "3.2" in codes_in(by_recipient[VP_HEAD])
    assert "4.3" in codes_in(by_recipient[PNV_HEAD])
    assert "1 nhiệm vụ quá hạn" in by_recipient[VP_HEAD]["Subject"]
    with UnitOfWork(engine).reading() as session:
        unit_of = {i.code: i.unit_code for i in session.exec(select(TrackedItem))}
        heads = {u.head_email: u.code for u in session.exec(select(Unit))}
    for message in smtp_server.messages:
        unit = heads[message["To"]]
        if "trực thuộc" not in message["Subject"]:
            assert {unit_of[code] for code in codes_in(message)} == {unit}, message["Subject"]

    _, again = run_check(engine, settings, date(2021, 7, 1))
    assert again.sent == 0 and len(smtp_server.messages) == sent.sent


def test_every_email_comes_from_the_secretariat_by_name_and_a_reply_reaches_it(
    engine, database_url, tmp_path, smtp_server
):
    settings = settings_for(database_url, tmp_path, smtp_server.port)
    load_examples(engine, settings.calendar)
    run_check(engine, settings, date(2021, 7, 1))
    assert smtp_server.messages
    for message in smtp_server.messages:
        (sender,) = message["From"].addresses
        assert (sender.display_name, sender.addr_spec) == (
            "Phòng Nội vụ thành phố Sơn La", "cchc@tpsonla.sonla.example")
        assert message["Reply-To"] == "cchc@pnv.tpsonla.sonla.example"
        text = message.get_body(("plain",)).get_content()
        assert "Liên hệ: Lò Thị Hoa, chuyên viên Phòng Nội vụ, điện thoại 0212 3852 456" in text
    assert set(smtp_server.recorder.envelope_senders) == {"cchc@tpsonla.sonla.example"}
    (commune,) = [m for m in smtp_server.messages if m["To"] == "chutich@chiengxom.tpsonla.sonla.example"]
    assert commune.get_body(("plain",)).get_content().startswith(
        "Kính gửi: Chủ tịch UBND xã Chiềng Xôm,\n")


def sent_days(engine, recipient: str) -> list[date]:
    with UnitOfWork(engine).reading() as session:
        return sorted(session.exec(
            select(Notice.check_date).where(Notice.recipient == recipient, Notice.state == "sent")
        ))


def test_checking_every_day_sends_the_ladders_rungs_on_their_exact_days(engine, database_url, tmp_path, commune_item):
    settings = settings_for(database_url, tmp_path)
    day = date(2024, 1, 22)
    while day <= date(2024, 2, 23):
        run_check(engine, settings, day)
        day += timedelta(days=1)
    unit_track = [date(2024, 1, 29), date(2024, 2, 2), date(2024, 2, 6), date(2024, 2, 7),
                  date(2024, 2, 15), date(2024, 2, 20), date(2024, 2, 23)]
    assert sent_days(engine, "chutich@xa.example") == unit_track
    assert sent_days(engine, "chutich@huyen.example") == [date(2024, 2, 21)]  # E1
    with UnitOfWork(engine).reading() as session:
        rungs = session.exec(
            select(LadderEntry.check_date, LadderEntry.rung)
            .where(LadderEntry.track == "unit").order_by(LadderEntry.check_date)
        ).all()
    assert [r for _, r in rungs] == ["R7", "R3", "R1", "R0", "O1", "O4", "O7"]
    assert all(d.weekday() < 5 and not date(2024, 2, 8) <= d <= date(2024, 2, 14) for d, _ in rungs)
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == len(unit_track) + 1


def test_after_a_missed_week_one_catch_up_notice_goes_per_item_and_track(engine, database_url, tmp_path, commune_item):
    settings = settings_for(database_url, tmp_path)
    run_check(engine, settings, date(2024, 1, 29))
    summary, sent = run_check(engine, settings, date(2024, 2, 22))
    # unit track: O4 (R3, R1, R0, O1 skipped) to the commune; escalation track: E1 to the
    # district: one digest each.
    assert (summary.queued, summary.skipped) == (2, 4)
    assert sorted(to for to, _, _ in sent.sent_to) == ["chutich@huyen.example", "chutich@xa.example"]
    with UnitOfWork(engine).reading() as session:
        skipped = session.exec(select(LadderEntry.rung).where(LadderEntry.state == "skipped")).all()
    assert sorted(skipped) == ["O1", "R0", "R1", "R3"]


def test_nothing_is_sent_on_a_weekend_or_a_tet_day(engine, database_url, tmp_path, commune_item):
    settings = settings_for(database_url, tmp_path)
    for day in (date(2024, 2, 3), date(2024, 2, 8), date(2024, 2, 12), date(2024, 2, 14)):
        summary, sent = run_check(engine, settings, day)
        assert not summary.working_day and sent.sent == 0


def test_hostile_content_is_escaped_in_html_and_the_subject_stays_one_line(
    engine, database_url, tmp_path, commune_item, smtp_server
):
    settings = settings_for(database_url, tmp_path, smtp_server.port)
    run_check(engine, settings, date(2024, 2, 7))
    (message,) = smtp_server.messages
    html = message.get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "&lt;Mường&gt;" in html or "Mường" not in html
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Subject"].startswith("[CCHC] UBND xã <Mường>: 1 nhiệm vụ đến hạn hôm nay")


def test_a_check_with_the_smtp_server_down_keeps_notices_for_one_later_dispatch(
    engine, database_url, tmp_path
):
    from tests.smtp_server import SmtpServer, free_port

    port = free_port()
    settings = settings_for(database_url, tmp_path, port)
    load_examples(engine, settings.calendar)
    summary, sent = run_check(engine, settings, date(2021, 7, 1))
    assert summary.notices > 0 and sent.sent == 0 and sent.deferred > 0
    server = SmtpServer(port).start()
    app = build_application(settings, engine=engine)
    try:
        result = checking.dispatch(app, log, respect_backoff=False)
        assert result.sent == summary.notices and result.failed == 0
        assert checking.dispatch(app, log, respect_backoff=False).sent == 0
        recipients = [m["To"] for m in server.messages]
        assert len(recipients) == len(set(recipients)) == summary.notices
    finally:
        server.stop()


def test_a_permanent_refusal_fails_only_that_notice(engine, database_url, tmp_path, smtp_server):
    smtp_server.recorder.rcpt_replies[VP_HEAD] = "550 5.1.1 mailbox unavailable"
    settings = settings_for(database_url, tmp_path, smtp_server.port)
    load_examples(engine, settings.calendar)
    _, sent = run_check(engine, settings, date(2021, 7, 1))
    assert sent.failed == 1 and sent.sent >= 1
    with UnitOfWork(engine).reading() as session:
        failed = session.exec(select(Notice).where(Notice.state == "failed")).one()
    assert failed.recipient == VP_HEAD and "550" in failed.last_error
    assert PNV_HEAD in {m["To"] for m in smtp_server.messages}


def test_dry_run_says_who_would_get_what_and_writes_nothing(engine, database_url, tmp_path):
    settings = settings_for(database_url, tmp_path)
    load_examples(engine, settings.calendar)
    planned = checking.preview(build_application(settings, engine=engine), date(2021, 7, 1))
    assert {r for r, _, _ in planned} >= {VP_HEAD, PNV_HEAD}
    assert dict((r, c) for r, _, c in planned)[VP_HEAD] == ["3.2"]
    with UnitOfWork(engine).reading() as session:
        assert session.exec(select(Notice)).first() is None
        assert session.exec(select(LadderEntry)).first() is None


def test_a_dry_run_issues_no_write_and_plans_the_digests_the_real_check_then_sends(
    engine, database_url, tmp_path
):
    settings = settings_for(database_url, tmp_path)
    load_examples(engine, settings.calendar)
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    # The first check has no history; later ones carry repeats, escalations and catch-ups.
    for day in (date(2021, 7, 1), date(2021, 7, 12), date(2021, 8, 2)):
        event.listen(engine, "before_cursor_execute", seen)
        try:
            planned = checking.preview(build_application(settings, engine=engine), day)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        writes = [s for s in statements
                  if s.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        assert statements and writes == []
        run_check(engine, settings, day)
        with UnitOfWork(engine).reading() as session:
            sealed = session.exec(
                select(Notice).where(Notice.check_date == day).order_by(Notice.id)).all()
        assert planned == [
            (n.recipient, n.subject, re.findall(r"^- \[([^\]]+)\]", n.text_body, re.M))
            for n in sealed
        ]
        assert planned, f"the check of {day} sends something"


def test_an_extension_rearms_the_ladder_under_the_new_date(engine, database_url, tmp_path, commune_item):
    from flows.tracking import extend_item
    from persistence.tracking import find_item

    settings = settings_for(database_url, tmp_path)
    run_check(engine, settings, date(2024, 2, 15))  # O1
    with UnitOfWork(engine).transaction() as session:
        extend_item(session, find_item(session, "1.1"), date(2024, 3, 15), "Chờ hướng dẫn")
    summary, _ = run_check(engine, settings, date(2024, 2, 20))
    assert summary.queued == 0  # no longer overdue, not yet within 7 working days
    summary, sent = run_check(engine, settings, date(2024, 3, 6))
    assert summary.queued == 1 and "sắp đến hạn" in sent.sent_to[0][1]


def test_a_notice_claimed_by_a_sender_that_crashed_is_sent_by_the_next_dispatch(
    engine, database_url, tmp_path, commune_item
):
    from datetime import datetime, timezone

    from sqlalchemy import update

    from notifications.email import make_message_id

    app = build_application(settings_for(database_url, tmp_path), engine=engine)
    checking.sweep_and_seal(app, date(2024, 2, 7), log)
    # A sender claimed it and died before sending or marking it.
    with UnitOfWork(engine).transaction() as session:
        session.exec(update(Notice).values(
            state="sending", claim_token="dead", attempts=1,
            claimed_at=datetime.now(timezone.utc) - timedelta(minutes=30),
        ))
    result = checking.dispatch(app, log)
    assert result.sent == 1
    with UnitOfWork(engine).reading() as session:
        notice = session.exec(select(Notice)).one()
    assert notice.state == "sent" and notice.attempts == 2
    assert notice.message_id == make_message_id(notice.id, notice.key, "tpsonla.sonla.example")
    assert checking.dispatch(app, log).sent == 0


def test_a_runs_artifact_rows_name_what_each_email_carried_and_the_servers_refusal(
    engine, database_url, tmp_path, smtp_server
):
    from domain.events import current_flow_run
    from notifications.run_history import notice_rows
    from persistence.run_log import run_notices

    settings = settings_for(database_url, tmp_path, smtp_server.port)
    load_examples(engine, settings.calendar)
    smtp_server.recorder.rcpt_replies[PNV_HEAD] = "550 5.1.1 Hộp thư không tồn tại"
    token = current_flow_run.set("run-of-1-july")
    try:
        run_check(engine, settings, date(2021, 7, 1))
    finally:
        current_flow_run.reset(token)
    with UnitOfWork(engine).reading() as session:
        rows = {row["Người nhận"]: row for row in notice_rows(run_notices(session, "run-of-1-july"),
                                                                settings.zone)}
        assert run_notices(session, "another-run") == []

    vp = rows[VP_HEAD]
    assert vp["Kết quả"] == "đã gửi" and vp["Đơn vị"] == "VP" and "3.2" in vp["Nhiệm vụ"].split(", ")
    assert vp["Message-ID"] in {m["Message-ID"] for m in smtp_server.messages}
    assert vp["Bậc"] and not vp["Trả lời của máy chủ thư"]
    refused = rows[PNV_HEAD]
    assert refused["Kết quả"] == "lỗi" and "4.3" in refused["Nhiệm vụ"].split(", ")
    assert "550" in refused["Trả lời của máy chủ thư"]


def test_a_check_written_one_item_at_a_time_seals_the_digests_of_one_written_at_once(
    engine, database_url, tmp_path, monkeypatch
):
    # A check remembers the digests it created across its batches and transactions, and seals
    # a few lines at a time: however it is cut, every recipient gets the same one digest, with
    # every copy any of its lines asked for.
    settings = settings_for(database_url, tmp_path)
    load_examples(engine, settings.calendar)

    def sealed(day: date) -> list[tuple]:
        with UnitOfWork(engine).reading() as session:
            return [(n.recipient, sorted(n.cc), n.subject, n.text_body, n.html_body)
                    for n in session.exec(select(Notice).where(Notice.check_date == day)
                                          .order_by(Notice.recipient))]

    for day in (date(2021, 7, 1), date(2021, 7, 12), date(2021, 8, 2)):
        run_check(engine, settings, day)
        at_once = sealed(day)
        with engine.begin() as connection:
            of_day = select(Notice.id).where(Notice.check_date == day)
            connection.execute(delete(NoticeEntry).where(NoticeEntry.notice_id.in_(of_day)))
            for model in (Event, Notice, LadderEntry):
                connection.execute(delete(model).where(model.check_date == day))
        with monkeypatch.context() as patch:
            for name, value in (("BATCH_SIZE", 1), ("BATCHES_PER_TRANSACTION", 2),
                                ("SEAL_LINES", 1), ("SEAL_TRANSACTION", 2)):
                patch.setattr(checking, name, value)
            run_check(engine, settings, day)
        assert sealed(day) == at_once and len(at_once) > 1
        assert any(cc for _, cc, *_ in at_once), "some digest carries copies"


def test_an_email_is_dated_in_vietnam_time_and_its_file_named_for_vietnam_day(
    engine, database_url, tmp_path
):
    settings = settings_for(database_url, tmp_path)
    load_examples(engine, settings.calendar)
    run_check(engine, settings, date(2021, 7, 1))
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert files
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert message["Date"].endswith(" +0700"), message["Date"]
        sent = message["Date"].datetime
        assert path.name.startswith(f"{sent:%d-%m-%Y}-"), (path.name, message["Date"])
