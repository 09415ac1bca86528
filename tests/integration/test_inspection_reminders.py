"""The ladder for inspections in a real check, on SQLite and PostgreSQL: a city's 2024 plan of
inspections (imported as the secretariat keeps it) beside a plan task, checked every day from
mid-January to March 2024, across Tết. Each head gets one e-mail a day holding their items and
their inspection's report; the secretariat's alert tells of a window passed and a conclusion
awaited; a rerun adds nothing; a policy switching the reminders off queues none."""

from __future__ import annotations

import logging
from datetime import UTC, date, timedelta

import pytest
from sqlmodel import func, select

from adapters.tables import read_table
from domain.columns import INSPECTION_COLUMNS
from domain.models import InspectionTarget, Notice, TargetLadderEntry, TrackedItem, Unit
from domain.states import LedgerState, NoticeState, TargetTrack
from flows import checking
from flows.application import build_application
from flows.settings import Settings
from notifications.terminal import event_details, event_label
from persistence import inspections
from persistence.inspection_imports import import_inspection_plan
from persistence.unit_of_work import UnitOfWork
from tests.inspection_files import write_plan_csv

log = logging.getLogger("test")
SECRETARIAT = "cchc@pnv.example"
CHIENG_XOM = "chutich@chiengxom.example"
HUA_LA = "chutich@huala.example"
SWITCHED_OFF = """
[inspections]
self_report_days = 0
report_reminders = false
window_alerts = false
conclusion_days = 0
"""


def settings_with(database_url, tmp_path, extra: str = "") -> Settings:
    policy = tmp_path / "policy.toml"
    policy.write_text(f'[secretariat]\nname = "Phòng Nội vụ"\nemail = "{SECRETARIAT}"\n{extra}',
                      "utf-8")
    return Settings(database_url=database_url, maildir=tmp_path / "outbox", policy_file=policy)


@pytest.fixture
def city(engine, tmp_path):
    """Units of the city, a task of Chiềng Xôm due 01/02/2024, and the plan of inspections:
    the city visited 23–25/01/2024 (recorded, not concluded), Chiềng Xôm visited 15–16/02/2024
    (its report due 01/02/2024, five working days before, Tết between), Hua La by report in
    Tháng 2/2024."""
    with UnitOfWork(engine).transaction() as session:
        session.add(Unit(code="TP-SL", name="UBND thành phố Sơn La",
                         head_title="Chủ tịch UBND thành phố", head_email="chutich@tp.example"))
        session.flush()
        session.add_all([
            Unit(code="X-CX", name="UBND xã Chiềng Xôm", parent_code="TP-SL",
                 head_title="Chủ tịch UBND xã", head_email=CHIENG_XOM,
                 focal_email="cchc@chiengxom.example"),
            Unit(code="X-HL", name="UBND xã Hua La", parent_code="TP-SL",
                 head_title="Chủ tịch UBND xã", head_email=HUA_LA)])
        session.flush()
        session.add(TrackedItem(kind="task", scope="KH-2024", code="1.1",
                                content="Rà soát thủ tục hành chính", unit_code="X-CX",
                                deadline_text="Trước 01/02/2024", deadline_kind="fixed",
                                due_date=date(2024, 2, 1), original_due_date=date(2024, 2, 1)))
    plan = write_plan_csv(tmp_path / "kiem-tra-2024.csv", [
        ["STT", "Đơn vị được kiểm tra", "Hình thức kiểm tra", "Thời gian"],
        ["1", "UBND thành phố Sơn La", "Trực tiếp", "Từ 23 đến 25/01/2024"],
        ["2", "UBND xã Chiềng Xôm", "Trực tiếp", "Từ 15 đến 16/02/2024"],
        ["3", "UBND xã Hua La", "Qua báo cáo", "Tháng 2/2024"]])
    with UnitOfWork(engine).transaction() as session:
        import_inspection_plan(session, read_table(plan, INSPECTION_COLUMNS), code="KHKT-2024",
                               year=2024, owner="TP-SL")
    with UnitOfWork(engine).transaction() as session:
        target, chosen = inspections.find_target(session, "TP-SL", "KHKT-2024")
        inspections.record_visit(session, target, chosen, date(2024, 1, 23), date(2024, 1, 25),
                                 today=date(2024, 1, 25))


def check_daily(engine, settings, first: date, last: date) -> None:
    day = first
    while day <= last:
        checking.sweep_and_seal(build_application(settings, engine=engine), day, log)
        checking.dispatch(build_application(settings, engine=engine), log)
        day += timedelta(days=1)


def sent(engine, recipient: str) -> list[Notice]:
    with UnitOfWork(engine).reading() as session:
        return list(session.exec(
            select(Notice).where(Notice.recipient == recipient,
                                 Notice.state == NoticeState.SENT)
            .order_by(Notice.check_date, Notice.id)))


def ledger(engine) -> list[tuple[str, str, str, date, str]]:
    """(unit, track, rung, check day, state) of every row of the targets' ledger."""
    with UnitOfWork(engine).reading() as session:
        return [tuple(row) for row in session.exec(
            select(InspectionTarget.unit_code, TargetLadderEntry.track, TargetLadderEntry.rung,
                   TargetLadderEntry.check_date, TargetLadderEntry.state)
            .join(InspectionTarget, InspectionTarget.id == TargetLadderEntry.target_id)
            .order_by(TargetLadderEntry.id))]


def test_a_check_queues_each_targets_reminders_on_their_days_in_its_heads_one_digest(
    engine, database_url, tmp_path, city
):
    settings = settings_with(database_url, tmp_path)
    # A dry run plans the inspection's line into the head's digest, and writes nothing.
    (planned,) = [p for p in checking.preview(build_application(settings, engine=engine), date(2024, 1, 29))
                  if p[0] == CHIENG_XOM]
    assert "1 báo cáo tự kiểm tra cần gửi trước ngày kiểm tra" in planned[1]
    assert planned[2] == ["1.1", "KHKT-2024/X-CX"]
    assert ledger(engine) == []

    check_daily(engine, settings, date(2024, 1, 15), date(2024, 3, 8))

    # The task and the report fall due the same day: each reminder of both is one e-mail (the
    # task, still open, is then reminded overdue on its own).
    chieng_xom = [n for n in sent(engine, CHIENG_XOM) if n.check_date <= date(2024, 2, 1)]
    assert [n.check_date for n in chieng_xom] == [
        date(2024, 1, 23), date(2024, 1, 29), date(2024, 1, 31), date(2024, 2, 1)]
    for notice in chieng_xom:
        assert "[1.1]" in notice.text_body and "[KHKT-2024] UBND xã Chiềng Xôm" in notice.text_body
        assert notice.cc == ["cchc@chiengxom.example"]
    assert all("KHKT-2024" not in n.text_body for n in sent(engine, CHIENG_XOM)[4:])
    assert chieng_xom[1].subject == (
        "[CCHC] UBND xã Chiềng Xôm: 1 nhiệm vụ sắp đến hạn, 1 báo cáo tự kiểm tra cần gửi "
        "trước ngày kiểm tra (29/01/2024)")
    assert ("trước ngày 01/02/2024, trước ngày Đoàn kiểm tra làm việc (15/02/2024)"
            in chieng_xom[1].text_body)
    assert "Kiểm tra công tác cải cách hành chính" in chieng_xom[1].html_body

    # By report, due 29/02/2024: reminded before, then overdue until its report is received.
    hua_la = sent(engine, HUA_LA)
    assert [n.check_date for n in hua_la] == [
        date(2024, 2, 20), date(2024, 2, 26), date(2024, 2, 28), date(2024, 2, 29),
        date(2024, 3, 1), date(2024, 3, 6)]
    assert "Đã quá hạn 4 ngày làm việc" in hua_la[-1].text_body
    assert set(hua_la[-1].cc) == {SECRETARIAT}  # an overdue notice copies the secretariat

    assert [(unit, track, rung, day) for unit, track, rung, day, _ in ledger(engine)
            if track in (TargetTrack.WINDOW_PASSED, TargetTrack.CONCLUSION_LATE)] == [
        ("X-CX", TargetTrack.WINDOW_PASSED, "O1", date(2024, 2, 19)),
        ("TP-SL", TargetTrack.CONCLUSION_LATE, "O15", date(2024, 2, 22)),
        ("X-HL", TargetTrack.WINDOW_PASSED, "O1", date(2024, 3, 1))]


def test_a_rerun_adds_nothing_and_receiving_the_report_stops_its_reminders(
    engine, database_url, tmp_path, city
):
    settings = settings_with(database_url, tmp_path)
    check_daily(engine, settings, date(2024, 2, 26), date(2024, 3, 1))
    before = ledger(engine)
    with UnitOfWork(engine).reading() as session:
        notices = session.exec(select(func.count()).select_from(Notice)).one()
    for day in (date(2024, 2, 26), date(2024, 3, 1)):
        checking.sweep_and_seal(build_application(settings, engine=engine), day, log)
    assert ledger(engine) == before
    with UnitOfWork(engine).reading() as session:
        assert session.exec(select(func.count()).select_from(Notice)).one() == notices

    with UnitOfWork(engine).transaction() as session:
        target, chosen = inspections.find_target(session, "X-HL", "KHKT-2024")
        inspections.record_visit(session, target, chosen, date(2024, 3, 4), date(2024, 3, 5),
                                 today=date(2024, 3, 5))
    check_daily(engine, settings, date(2024, 3, 4), date(2024, 3, 15))
    assert [n.check_date for n in sent(engine, HUA_LA)][-1] == date(2024, 3, 1)

    # The target's history (`cchc history inspection`) says each reminder in words.
    with UnitOfWork(engine).reading() as session:
        target, _ = inspections.find_target(session, "X-HL", "KHKT-2024")
        said = [(event_label(e.name), event_details(e, UTC))
                for _, e in inspections.target_timeline(session, target)]
    assert ("nhắc kiểm tra", "X-HL: báo cáo tự kiểm tra phục vụ kiểm tra qua báo cáo (bậc O1, "
            f"tính từ ngày 29/02/2024), tới {HUA_LA}") in said


def test_the_secretariats_alert_tells_of_a_window_passed_and_a_conclusion_awaited_once(
    engine, database_url, tmp_path, city
):
    settings = settings_with(database_url, tmp_path)
    check_daily(engine, settings, date(2024, 2, 15), date(2024, 2, 22))
    assert checking.queue_alert(build_application(settings, engine=engine), date(2024, 2, 22))
    assert not checking.queue_alert(build_application(settings, engine=engine), date(2024, 2, 22))
    checking.dispatch(build_application(settings, engine=engine), log)

    # One e-mail, beside the escalation of the task 1.1 (E1 on 19/02/2024) it already told of.
    (alert,) = sent(engine, SECRETARIAT)
    assert alert.subject == (
        "[CCHC] Phòng Nội vụ: 1 nhiệm vụ quá hạn đã báo cáo cấp trên, 1 đơn vị hết thời gian "
        "kiểm tra chưa được kiểm tra, 1 cuộc kiểm tra chưa có kết luận (22/02/2024)")
    text = alert.text_body
    assert "[1.1]" in text
    assert "KẾ HOẠCH KIỂM TRA — ĐÃ HẾT THỜI GIAN KIỂM TRA, CHƯA GHI NHẬN ĐÃ KIỂM TRA" in text
    assert ("[KHKT-2024] UBND xã Chiềng Xôm (X-CX): kiểm tra trực tiếp" in text
            and "Hết thời gian kiểm tra ngày 16/02/2024" in text)
    assert ("Đã kiểm tra từ 23/01/2024 đến 25/01/2024; đã 15 ngày làm việc, chưa có kết luận "
            "kiểm tra") in text
    assert "Đề nghị ban hành văn bản kết luận kiểm tra." in alert.html_body


def test_reminders_switched_off_in_the_policy_queue_nothing(engine, database_url, tmp_path, city):
    settings = settings_with(database_url, tmp_path, SWITCHED_OFF)
    check_daily(engine, settings, date(2024, 1, 15), date(2024, 3, 8))
    assert ledger(engine) == []
    # The secretariat's alert still tells of the task's escalation, and of nothing else.
    assert checking.queue_alert(build_application(settings, engine=engine), date(2024, 2, 22))
    checking.dispatch(build_application(settings, engine=engine), log)
    for recipient in (CHIENG_XOM, SECRETARIAT):
        mails = sent(engine, recipient)
        assert mails and all("KHKT-2024" not in n.text_body for n in mails)
    assert sent(engine, HUA_LA) == []


def test_a_target_without_its_heads_address_is_recorded_unaddressed(
    engine, database_url, tmp_path, city
):
    with UnitOfWork(engine).transaction() as session:
        session.get(Unit, "X-HL").head_email = None
    check_daily(engine, settings_with(database_url, tmp_path),
                date(2024, 2, 20), date(2024, 2, 20))
    assert [(unit, rung, state) for unit, track, rung, _, state in ledger(engine)
            if track == TargetTrack.REPORT] == [("X-HL", "R7", LedgerState.UNADDRESSED)]
