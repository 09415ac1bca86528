"""Escalation up the unit tree, extensions, and the answers to "why did (or didn't) they get
it?" — on a real database, with e-mails written as .eml files."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from domain.models import LadderEntry, Notice, NoticeEntry, Plan, TrackedItem, Unit
from domain.policy import PolicyError
from flows import checking
from flows.application import build_application
from flows.settings import Settings
from flows.tracking import complete_item, extend_item
from notifications.explain import explain_lines
from persistence.explain import explanation, item_timeline
from persistence.tracking import find_item
from persistence.unit_of_work import UnitOfWork
from tests.conftest import load_examples

log = logging.getLogger("test")
SECRETARIAT = "cchc@noivu.example"


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[secretariat]\nname = "Sở Nội vụ"\nemail = "{SECRETARIAT}"\n', "utf-8")
    return Settings(database_url=database_url, maildir=tmp_path / "outbox", policy_file=policy)


def check_daily(engine, settings, first: date, last: date) -> None:
    day = first
    while day <= last:
        app = build_application(settings, engine=engine)
        checking.sweep_and_seal(app, day, log)
        checking.dispatch(app, log)
        day += timedelta(days=1)


def sent(engine, recipient: str) -> list[Notice]:
    with UnitOfWork(engine).reading() as session:
        return list(session.exec(
            select(Notice).where(Notice.recipient == recipient, Notice.state == "sent")
            .order_by(Notice.check_date)
        ))


def test_escalation_goes_to_the_district_then_to_the_province_each_once(engine, settings, commune_item):
    check_daily(engine, settings, date(2024, 1, 22), date(2024, 3, 8))
    district, province = sent(engine, "chutich@huyen.example"), sent(engine, "chutich@tinh.example")
    assert [n.check_date for n in district] == [date(2024, 2, 21)]
    assert [n.check_date for n in province] == [date(2024, 3, 6)]
    assert set(district[0].cc) == {"chutich@xa.example", SECRETARIAT}  # E1: cc unit head, secretariat
    assert province[0].cc == [SECRETARIAT]  # E2: cc the secretariat
    assert "1 nhiệm vụ quá hạn của 1 đơn vị trực thuộc" in district[0].subject
    assert "UBND xã <Mường> (XA)" in district[0].text_body and "quá hạn 5 ngày" in district[0].html_body
    commune_days = [n.check_date for n in sent(engine, "chutich@xa.example")]
    assert date(2024, 2, 21) not in commune_days  # copied on E1, no digest of its own that day
    e2_digest = province[0].text_body
    assert ("Ngày 21/02/2024 đã báo cáo cấp trên lần thứ 1: Chủ tịch UBND huyện "
            "<chutich@huyen.example>") in e2_digest


def notices_of(engine, code: str, rung: str) -> list[Notice]:
    """The notices that carried rung `rung` of item `code`."""
    with UnitOfWork(engine).reading() as session:
        return list(session.exec(
            select(Notice).join(NoticeEntry, NoticeEntry.notice_id == Notice.id)
            .join(LadderEntry, LadderEntry.id == NoticeEntry.ledger_id)
            .join(TrackedItem, TrackedItem.id == LadderEntry.item_id)
            .where(TrackedItem.code == code, LadderEntry.rung == rung)
        ))


def test_a_catch_up_straight_to_e2_copies_the_district_that_e1_would_have_gone_to(
    engine, settings, commune_item
):
    check_daily(engine, settings, date(2024, 3, 6), date(2024, 3, 6))
    (e2,) = notices_of(engine, "1.1", "E2")
    assert e2.recipient == "chutich@tinh.example"
    assert set(e2.cc) == {"chutich@huyen.example", "chutich@xa.example", SECRETARIAT}


def test_each_plans_tasks_stop_at_their_own_plans_issuing_unit(engine, settings, commune_item):
    """The commune's task belongs to the district's plan; a later plan of another district
    changes nothing for it."""
    with UnitOfWork(engine).transaction() as session:
        session.add(Unit(code="HUYEN2", name="UBND huyện khác", parent_code="TINH",
                         head_title="Chủ tịch UBND huyện", head_email="chutich@huyen2.example"))
        session.flush()
        session.add(Plan(code="KH-2024", year=2024, title="Kế hoạch huyện", owner_unit_code="HUYEN"))
        session.add(Plan(code="KH-2025", year=2025, title="Kế hoạch huyện khác",
                         owner_unit_code="HUYEN2"))
        session.flush()
        find_item(session, "1.1").plan_code = "KH-2024"
    check_daily(engine, settings, date(2024, 3, 6), date(2024, 3, 6))
    (e2,) = notices_of(engine, "1.1", "E2")
    assert e2.recipient == "chutich@huyen.example"


CITY_CHAIRMAN = "chutich@tpsonla.sonla.example"
PROVINCE_CHAIRMAN = "chutich@tinh.sonla.example"


def test_the_citys_items_checked_all_july_escalate_to_the_citys_chairman_never_to_the_province(
    engine, settings
):
    load_examples(engine, settings.calendar)
    check_daily(engine, settings, date(2021, 7, 1), date(2021, 7, 30))
    with UnitOfWork(engine).reading() as session:
        escalations = session.exec(
            select(Notice, TrackedItem.unit_code).join(NoticeEntry, NoticeEntry.notice_id == Notice.id)
            .join(LadderEntry, LadderEntry.id == NoticeEntry.ledger_id)
            .join(TrackedItem, TrackedItem.id == LadderEntry.item_id)
            .where(LadderEntry.track == "escalation")
        ).all()
        city = {u.code for u in session.exec(select(Unit).where(Unit.parent_code == "TP-SL"))}
    assert {unit for _, unit in escalations} == {"VP", "PNV", "X-CX"}
    assert city >= {"VP", "PNV", "X-CX"}
    for notice, _ in escalations:
        assert notice.recipient == CITY_CHAIRMAN and PROVINCE_CHAIRMAN not in notice.cc

    # 3.2 (VP, under the city that issued the plan): E1, then E2 as a second escalation to the
    # same chairman, who has no one above him within the city.
    (e1,), (e2,) = notices_of(engine, "3.2", "E1"), notices_of(engine, "3.2", "E2")
    assert e1.recipient == e2.recipient == CITY_CHAIRMAN
    assert (e1.check_date, e2.check_date) == (date(2021, 7, 7), date(2021, 7, 21))
    assert "(đôn đốc lần 2)" in e2.subject and "Đôn đốc lần 2:" in e2.text_body
    assert "lần 2" not in e1.subject + e1.text_body

    # KT19-05 (commune X-CX) reached E2 by catch-up on the first check: the commune's head,
    # whom E1 would have copied, is copied on it.
    (kt19,) = notices_of(engine, "KT19-05", "E2")
    assert kt19.recipient == CITY_CHAIRMAN and kt19.check_date == date(2021, 7, 1)
    assert "chutich@chiengxom.tpsonla.sonla.example" in kt19.cc


def explain_item(session, item, day: date, settings) -> list[str]:
    """`cchc explain`'s lines: the facts read, then worded."""
    return explain_lines(explanation(session, item, day, settings.calendar, settings.policy),
                         settings.zone)


def explained(engine, settings, code: str, day: date) -> str:
    with UnitOfWork(engine).reading() as session:
        return "\n".join(explain_item(session, find_item(session, code), day, settings))


def test_explain_says_who_gets_each_escalation_level_and_why(engine, settings):
    load_examples(engine, settings.calendar)
    task = explained(engine, settings, "3.2", date(2021, 7, 1))
    assert "tới tối đa UBND thành phố Sơn La (TP-SL, đơn vị giao việc)" in task
    assert ("E2 (quá hạn từ 15 ngày làm việc): Chủ tịch UBND thành phố Sơn La "
            f"<{CITY_CHAIRMAN}> — đôn đốc lần 2") in task
    outside = explained(engine, settings, "KT20-06", date(2021, 7, 1))
    assert "Không báo cáo cấp trên: đơn vị VPUBT không thuộc TP-SL" in outside


def test_explain_says_a_catch_up_to_e2_copies_e1s_recipient(engine, settings, commune_item):
    # The commune's item (no plan: up to the province), first looked at once past E2.
    caught_up = explained(engine, settings, "1.1", date(2024, 3, 6))
    assert "E1 (quá hạn từ 5 ngày làm việc): Chủ tịch UBND huyện <chutich@huyen.example>" in caught_up
    assert "lần kiểm tra tới sẽ gửi tới chutich@tinh.example (cc " in caught_up
    assert "chutich@huyen.example" in caught_up.split("sẽ gửi tới chutich@tinh.example")[1]


def test_completion_stops_everything_after_it(engine, settings, commune_item):
    check_daily(engine, settings, date(2024, 1, 22), date(2024, 2, 21))
    with UnitOfWork(engine).transaction() as session:
        complete_item(session, find_item(session, "1.1"), date(2024, 2, 22),
                      today=date(2024, 2, 22))
    check_daily(engine, settings, date(2024, 2, 22), date(2024, 3, 8))
    with UnitOfWork(engine).reading() as session:
        later = session.exec(select(Notice).where(Notice.check_date > date(2024, 2, 21))).all()
    assert later == []
    assert [n.check_date for n in sent(engine, "chutich@huyen.example")] == [date(2024, 2, 21)]


def test_a_unit_without_a_head_address_escalates_to_the_next_ancestor_that_has_one(
    engine, settings, commune_item
):
    with UnitOfWork(engine).transaction() as session:
        session.get(Unit, "HUYEN").head_email = None
    check_daily(engine, settings, date(2024, 2, 21), date(2024, 2, 21))
    assert [n.check_date for n in sent(engine, "chutich@tinh.example")] == [date(2024, 2, 21)]


def test_a_dissolved_units_items_follow_its_successor(engine, settings, commune_item):
    with UnitOfWork(engine).transaction() as session:
        session.add(Unit(code="XA-MOI", name="UBND xã mới", parent_code="HUYEN",
                         head_title="Chủ tịch UBND xã", head_email="chutich@xamoi.example"))
        session.flush()
        old = session.get(Unit, "XA")
        old.active, old.successor_code = False, "XA-MOI"
    check_daily(engine, settings, date(2024, 2, 7), date(2024, 2, 7))
    assert len(sent(engine, "chutich@xamoi.example")) == 1
    assert sent(engine, "chutich@xa.example") == []


def test_extending_3_2_rearms_the_reminders_and_completion_counts_on_time_with_extension(
    engine, settings
):
    load_examples(engine, settings.calendar)
    check_daily(engine, settings, date(2021, 7, 1), date(2021, 7, 1))
    with UnitOfWork(engine).transaction() as session:
        extend_item(session, find_item(session, "3.2"), date(2021, 7, 31),
                    "Chờ bộ thủ tục mới của tỉnh", approved_by="Chủ tịch UBND thành phố")
    check_daily(engine, settings, date(2021, 7, 2), date(2021, 7, 29))
    with UnitOfWork(engine).reading() as session:
        item = find_item(session, "3.2")
        assert item.original_due_date == date(2021, 6, 30)
        days = session.exec(
            select(Notice.check_date)
            .where(Notice.recipient == "chanhvanphong@tpsonla.sonla.example")
            .order_by(Notice.check_date)
        ).all()
    # O1 on 01/07 only, then R7, R3, R1 for the new date (VP's other items add none here)
    assert days == [date(2021, 7, 1), date(2021, 7, 21), date(2021, 7, 27), date(2021, 7, 29)]
    with UnitOfWork(engine).transaction() as session:
        complete_item(session, find_item(session, "3.2"), date(2021, 7, 30),
                      today=date(2021, 7, 30))
    with UnitOfWork(engine).reading() as session:
        explained = explain_item(session, find_item(session, "3.2"), date(2021, 8, 2), settings)
        timeline = [e.name for _, e in item_timeline(session, find_item(session, "3.2"))]
    assert "hoàn thành đúng hạn (có gia hạn)" in explained[1]
    assert any("Chờ bộ thủ tục mới" in line and "Chủ tịch UBND thành phố" in line for line in explained)
    assert timeline[0] == "item.created" and "item.extended" in timeline
    assert timeline.count("notice.sent") == 4 and timeline[-1] == "item.completed"


def test_explain_answers_sent_skipped_and_not_yet_due(engine, settings, commune_item):
    check_daily(engine, settings, date(2024, 1, 29), date(2024, 1, 29))
    check_daily(engine, settings, date(2024, 2, 7), date(2024, 2, 7))
    with UnitOfWork(engine).reading() as session:
        item = find_item(session, "1.1")
        on_7th = "\n".join(explain_item(session, item, date(2024, 2, 7), settings))
        message_id = session.exec(select(Notice.message_id).where(Notice.check_date == date(2024, 2, 7))).one()
        before = "\n".join(explain_item(session, item, date(2024, 1, 22), settings))
        on_tet = "\n".join(explain_item(session, item, date(2024, 2, 12), settings))
    assert "R0: đã gửi lúc" in on_7th and "tới chutich@xa.example" in on_7th and message_id in on_7th
    assert "R3: bỏ qua ngày 07/02/2024 (đã có bậc mới hơn: R0)" in on_7th
    assert "R1: bỏ qua" in on_7th
    assert "Bậc tiếp theo: O1 (đôn đốc) vào ngày 15/02/2024" in on_7th
    assert "Chưa đến bậc nào." in before and "Bậc tiếp theo: R7 (nhắc việc) vào ngày 29/01/2024" in before
    assert "không phải ngày làm việc (Mùng ba Tết Nguyên Đán)" in on_tet


def test_a_bad_policy_file_is_refused_at_start_naming_the_key(tmp_path, monkeypatch):
    bad = tmp_path / "policy.yaml"
    bad.write_text("reminder_days: [3, 7]\n", encoding="utf-8")
    monkeypatch.setenv("CCHC_POLICY_FILE", str(bad))
    monkeypatch.setenv("CCHC_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    result = CliRunner().invoke(app, ["status"])
    assert result.exit_code == 2
    assert "reminder_days" in result.output and "policy.yaml" in result.output


def test_a_policy_naming_an_organisation_that_is_no_unit_is_refused_naming_the_key(
    engine, database_url, tmp_path, commune_item
):
    policy = tmp_path / "policy.toml"
    policy.write_text('[secretariat]\norganisation = "TP-XX"\n', "utf-8")
    settings = Settings(database_url=database_url, maildir=tmp_path / "outbox", policy_file=policy)
    with pytest.raises(PolicyError) as refused:
        checking.sweep_and_seal(build_application(settings, engine=engine), date(2024, 3, 6), log)
    assert refused.value.key == "secretariat.organisation" and "TP-XX" in str(refused.value)
    with UnitOfWork(engine).reading() as session:
        assert session.exec(select(Notice)).first() is None


def test_a_yaml_policy_changes_the_ladder(database_url, tmp_path, engine, commune_item):
    policy = tmp_path / "policy.yml"
    policy.write_text("reminder_days: [10]\nescalation_days: [2]\ncc:\n  escalation: [[secretariat]]\n"
                      "secretariat:\n  email: cchc@noivu.example\n", encoding="utf-8")
    settings = Settings(database_url=database_url, maildir=tmp_path / "outbox", policy_file=policy)
    check_daily(engine, settings, date(2024, 1, 22), date(2024, 2, 19))
    assert [n.check_date for n in sent(engine, "chutich@huyen.example")] == [date(2024, 2, 16)]
    assert sent(engine, "chutich@xa.example")[0].check_date == date(2024, 1, 24)


def test_the_secretariat_is_alerted_once_per_escalation_however_often_the_alert_runs(
    engine, settings
):
    """On 01/07/2021 the example findings hold items escalated to E1 and E2, among them
    KT19-05 of commune X-CX (E2); every alert after the first finds nothing new."""
    load_examples(engine, settings.calendar)
    day = date(2021, 7, 1)
    app = build_application(settings, engine=engine)
    checking.sweep_and_seal(app, day, log)
    assert checking.queue_alert(app, day)
    assert not checking.queue_alert(app, day)  # a second trigger of the same burst
    checking.dispatch(app, log)

    (alert,) = [n for n in sent(engine, SECRETARIAT) if n.cc == []]
    assert alert.subject.startswith("[CCHC] Sở Nội vụ: ") and "đã báo cáo cấp trên" in alert.subject
    assert "Kính gửi: Sở Nội vụ" in alert.text_body
    assert "ĐÃ BÁO CÁO CẤP TRÊN LẦN THỨ 2: " in alert.text_body and "[KT19-05]" in alert.text_body
    assert "<h3" in alert.html_body and "KT19-05" in alert.html_body

    # The next escalations (two plan tasks reach E1 on 07/07), and only they, make the next alert.
    check_daily(engine, settings, date(2021, 7, 2), date(2021, 7, 7))
    app = build_application(settings, engine=engine)
    assert checking.queue_alert(app, date(2021, 7, 7))
    checking.dispatch(app, log)
    first, second = [n for n in sent(engine, SECRETARIAT) if n.cc == []]
    assert "2 nhiệm vụ quá hạn đã báo cáo cấp trên" in second.subject
    assert "ĐÃ BÁO CÁO CẤP TRÊN LẦN THỨ 1: " in second.text_body and "[KT19-05]" not in second.text_body


CONCLUDED_FINDINGS = (
    "Mã,Đợt kiểm tra,Ngày kết luận,\"Tồn tại, hạn chế\",Đơn vị chịu trách nhiệm,"
    "Yêu cầu khắc phục,Thời hạn,Cơ quan kết luận\n"
    "KT21-01,Đoàn kiểm tra CCHC của thành phố 2021,01/03/2021,Chưa niêm yết thủ tục,X-CX,"
    "Niêm yết đầy đủ,Trước 31/05/2021,TP-SL\n"
    "KT21-02,Đoàn kiểm tra CCHC của tỉnh 2021,02/03/2021,Chưa số hóa hồ sơ,X-HL,"
    "Số hóa hồ sơ,Trước 31/05/2021,TINH-SL\n"
)


def _province_policy(tmp_path, settings) -> Settings:
    policy = tmp_path / "province.toml"
    policy.write_text(f'[secretariat]\nname = "Sở Nội vụ"\nemail = "{SECRETARIAT}"\n'
                      'organisation = "TINH-SL"\n', "utf-8")
    return settings.model_copy(update={"policy_file": policy})


@pytest.mark.parametrize("serves", ["city", "province"])
def test_a_remediation_item_escalates_up_to_the_unit_that_concluded_the_inspection(
    engine, settings, tmp_path, serves
):
    """Within the secretariat's organisation the concluding unit is the ceiling; a concluding
    unit outside it (the province, for a city's secretariat) takes nobody above the city."""
    if serves == "province":
        settings = _province_policy(tmp_path, settings)
    load_examples(engine, settings.calendar)
    findings = tmp_path / "ket-luan-2021.csv"
    findings.write_text(CONCLUDED_FINDINGS, encoding="utf-8")
    from adapters.tables import read_table
    from domain import importers
    from persistence import item_imports

    with UnitOfWork(engine).transaction() as session:
        item_imports.import_findings(
            session, read_table(findings, importers.FINDING_COLUMNS), settings.calendar)
    check_daily(engine, settings, date(2021, 6, 1), date(2021, 6, 25))
    by_city = notices_of(engine, "KT21-01", "E2")
    by_province = notices_of(engine, "KT21-02", "E2")
    assert [n.recipient for n in by_city] == [CITY_CHAIRMAN]
    # Concluded by the province: its chairman hears of it only from a province's secretariat.
    expected = "chutich@tinh.sonla.example" if serves == "province" else CITY_CHAIRMAN
    assert [n.recipient for n in by_province] == [expected]
