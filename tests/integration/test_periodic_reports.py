"""Periodic reports (báo cáo định kỳ): each period's occurrence tracked like any item, reports
received recorded by command or register, and what the secretariat sees of them."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlmodel import select

from adapters.tables import read_table
from domain import importers
from domain.models import LadderEntry, Notice, TrackedItem
from flows.application import Application
from flows.tracking import report_received
from persistence import item_imports, unit_imports
from persistence.unit_of_work import UnitOfWork
from tests.conftest import EXAMPLES
from tests.integration.test_deadline_check import PNV_HEAD, run_check, settings_for
from tests.integration.test_reports import markdown_table, report

OBLIGATION = """
[[obligations]]
code = "BCQ"
name = "Báo cáo CCHC quý của UBND xã, phường"
period = "quý"
due = "Trước ngày 15 của tháng cuối quý"
group = "UBND các xã, phường"
to = "PNV"
"""


def test_task_1_6_of_the_example_has_its_four_quarterly_reports_due_on_day_20(loaded):
    code, output = loaded("items", "--plan", "KH-2021", "--as-of", "25/06/2021", "--json")
    assert code == 0, output
    items = json.loads(output)["items"]
    quarters = [i for i in items if i["code"].startswith("1.6/")]  # listed in date order
    assert [(i["code"], i["deadline_text"], i["due_date"]) for i in quarters] == [
        ("1.6/Q1-2021", "Báo cáo quý I/2021", "2021-03-20"),
        ("1.6/Q2-2021", "Báo cáo quý II/2021", "2021-06-20"),
        ("1.6/Q3-2021", "Báo cáo quý III/2021", "2021-09-20"),
        ("1.6/Q4-2021", "Báo cáo quý IV/2021", "2021-12-20"),
    ]
    assert sum(i["kind"] == "task" for i in items) == 70
    assert {i["kind"] for i in quarters} == {"periodic"}


def test_the_headline_still_counts_a_recurring_task_once(loaded):
    code, output = loaded("status", "--as-of", "25/06/2021", "--json")
    assert code == 0, output
    tasks = json.loads(output)["tasks"]
    assert (tasks["done"], tasks["total"], tasks["rate_all_text"]) == (36, 70, "51,4%")


def rungs_of(engine, code: str) -> list[tuple[str, date]]:
    with UnitOfWork(engine).reading() as session:
        return session.exec(
            select(LadderEntry.rung, LadderEntry.check_date)
            .join(TrackedItem, TrackedItem.id == LadderEntry.item_id)
            .where(TrackedItem.code == code, LadderEntry.track == "unit",
                   LadderEntry.state == "queued")
            .order_by(LadderEntry.check_date)
        ).all()


def test_a_daily_check_reminds_each_quarters_report_and_stops_once_it_is_received(
    engine, database_url, tmp_path
):
    settings = settings_for(database_url, tmp_path)
    with UnitOfWork(engine).transaction() as session:  # the units and the plan, no report yet
        unit_imports.import_units(session, read_table(EXAMPLES / "units.csv", importers.UNIT_COLUMNS))
        table = read_table(EXAMPLES / "plan-2021.xlsx", importers.PLAN_COLUMNS)
        item_imports.import_plan(session, table, item_imports.read_plan_header(session, table),
                                 settings.calendar)
    day = date(2021, 3, 1)
    while day <= date(2021, 6, 21):
        run_check(engine, settings, day)
        if day == date(2021, 3, 22):
            report_received(Application(settings, UnitOfWork(engine)), "1.6", "PNV", "Q1/2021",
                            day, "45/BC-PNV")
        day += timedelta(days=1)
    # Q1 is due Saturday 20/03: R0 on Friday, O1 on Monday, then nothing once received.
    assert rungs_of(engine, "1.6/Q1-2021") == [
        ("R7", date(2021, 3, 10)), ("R3", date(2021, 3, 16)), ("R1", date(2021, 3, 18)),
        ("R0", date(2021, 3, 19)), ("O1", date(2021, 3, 22))]
    # Q2 is due Sunday 20/06: due that day, overdue from Monday 21/06.
    assert rungs_of(engine, "1.6/Q2-2021") == [
        ("R7", date(2021, 6, 9)), ("R3", date(2021, 6, 15)), ("R1", date(2021, 6, 17)),
        ("R0", date(2021, 6, 18)), ("O1", date(2021, 6, 21))]
    with UnitOfWork(engine).reading() as session:
        sent = session.exec(select(Notice).where(Notice.recipient == PNV_HEAD,
                                                 Notice.check_date == date(2021, 6, 21))).one()
    assert "[1.6/Q2-2021]" in sent.text_body and "Báo cáo quý II/2021" in sent.text_body
    with UnitOfWork(engine).reading() as session:  # the recurring task itself is never swept
        parent = session.exec(select(TrackedItem.id).where(TrackedItem.code == "1.6")).one()
        assert session.exec(select(LadderEntry).where(LadderEntry.item_id == parent)).first() is None


def test_four_communes_quarterly_reports_two_on_time_one_late_one_missing(
    cchc, monkeypatch, tmp_path
):
    policy = tmp_path / "policy.toml"
    policy.write_text((EXAMPLES / "policy.toml").read_text(encoding="utf-8") + OBLIGATION,
                      encoding="utf-8")
    monkeypatch.setenv("CCHC_POLICY_FILE", str(policy))
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0, output
    # Q1/2021 is due Monday 15/03/2021; 18/03 is three working days late; X-HL sends nothing.
    for unit, day in (("P-TH", "12/03/2021"), ("X-CX", "15/03/2021"), ("P-CL", "18/03/2021")):
        code, output = cchc("report-received", "BCQ", "--unit", unit, "--period", "Q1/2021",
                            "--on", day, "--doc", f"12/BC-{unit}")
        assert code == 0, output
    assert "muộn 3 ngày làm việc" in output

    code, output = cchc("status", "--as-of", "25/03/2021", "--json")
    (row,) = json.loads(output)["periodic_reports"]
    assert (row["source"], row["period"], row["due_date"]) == ("BCQ", "Q1/2021", "2021-03-15")
    assert sorted(row["on_time"]) == ["P-TH", "X-CX"]
    assert row["late"] == [{"unit": "P-CL", "working_days": 3}] and row["missing"] == ["X-HL"]

    code, text = cchc("status", "--as-of", "25/03/2021")
    assert "P-CL (3 ngày làm việc)" in text and "X-HL" in text

    markdown = report(cchc, "--as-of", "25/03/2021")
    (periodic,) = markdown_table(markdown, "Báo cáo định kỳ")[1:]
    assert periodic[1:] == ["quý I/2021", "15/03/2021", "2", "1", "1",
                            "P-CL (3 ngày làm việc)", "X-HL"]
    indicators = {r[0]: r[1:] for r in markdown_table(markdown,
                                                      "Số liệu cho tự đánh giá Chỉ số CCHC")[1:]}
    indicator = indicators["Tỷ lệ báo cáo định kỳ gửi đúng hạn"]
    assert indicator[0].startswith("2/4 báo cáo đã đến hạn được gửi đúng hạn")
    assert indicator[1] == "50,0%" and "X-HL chưa gửi" in indicator[2]


def test_a_report_received_for_an_unknown_period_says_what_it_needs_and_writes_nothing(loaded):
    code, output = loaded("report-received", "1.6", "--period", "Q5/2021", "--on", "01/07/2021")
    assert code == 1 and "Q2/2021" in output
    code, output = loaded("report-received", "1.6", "--unit", "VP", "--period", "Q3/2021",
                          "--on", "01/07/2021")
    assert code == 1 and "không có kỳ báo cáo Q3/2021" in output
    code, output = loaded("report-received", "1.6", "--period", "Q3/2021", "--on", "20/09/2021")
    assert code == 0 and "đúng hạn" in output


def test_a_register_with_one_bad_row_records_nothing(loaded, tmp_path):
    register = tmp_path / "so-bao-cao.csv"
    register.write_text("Mã báo cáo,Đơn vị gửi,Kỳ báo cáo,Ngày nhận,Số văn bản\n"
                        "1.6,PNV,Q3/2021,20/09/2021,150/BC-PNV\n"
                        "3.8,VP,Q9/2021,20/09/2021,151/BC-VP\n", encoding="utf-8")
    code, output = loaded("import", "reports", str(register))
    assert code == 1 and "dòng 3" in output and "Kỳ báo cáo" in output
    code, output = loaded("items", "--plan", "KH-2021", "--json")
    q3 = next(i for i in json.loads(output)["items"] if i["code"] == "1.6/Q3-2021")
    assert q3["completed_on"] is None
    code, output = loaded("import", "reports", str(EXAMPLES / "received-reports.csv"))
    assert code == 0 and "0 mới, 0 cập nhật, 13 không đổi" in output


def test_the_summary_names_reports_due_in_the_coming_week_and_those_missing(loaded):
    code, output = loaded("status", "--as-of", "13/09/2021")
    assert code == 0, output
    assert "Báo cáo định kỳ đến hạn trong tuần tới: 1.6 quý III/2021 (hạn 20/09/2021)" in output
    # 6.10's August report (due 20/08) was never recorded.
    assert "Báo cáo định kỳ chưa gửi: 6.10 tháng 8/2021 (PTCKH)." in output


def test_an_obligations_reminder_names_its_source_as_the_obligation_not_an_inspection(
    engine, database_url, tmp_path
):
    policy = tmp_path / "policy.toml"
    policy.write_text((EXAMPLES / "policy.toml").read_text(encoding="utf-8") + OBLIGATION,
                      encoding="utf-8")
    settings = settings_for(database_url, tmp_path).with_changes(policy_file=policy)
    with UnitOfWork(engine).transaction() as session:
        unit_imports.import_units(session, read_table(EXAMPLES / "units.csv",
                                                      importers.UNIT_COLUMNS))
    run_check(engine, settings, date(2021, 3, 15))  # BCQ's first quarter falls due that day
    with UnitOfWork(engine).reading() as session:
        sent = session.exec(select(Notice).where(
            Notice.recipient == "chutich@chiengxom.tpsonla.sonla.example")).one()
    assert "[BCQ/X-CX/Q1-2021]" in sent.text_body
    assert "Nguồn: Nghĩa vụ báo cáo định kỳ: Báo cáo CCHC quý của UBND xã, phường" in \
        sent.text_body
    assert "Kết luận kiểm tra" not in sent.text_body + sent.html_body
    assert "Nghĩa vụ báo cáo định kỳ: Báo cáo CCHC quý của UBND xã, phường" in sent.html_body


def test_a_recurring_task_is_done_once_each_of_its_periods_is(loaded):
    for period, day in (("Q3/2021", "17/09/2021"), ("Q4/2021", "17/12/2021")):
        code, output = loaded("report-received", "1.6", "--period", period, "--on", day)
        assert code == 0, output
    code, output = loaded("task", "done", "1.6", "--on", "20/12/2021")
    assert code == 0 and "1.6 hoàn thành đúng hạn, ngày 20/12/2021" in output, output


def test_a_register_row_received_before_its_period_or_in_the_future_is_refused_by_row(
    loaded, tmp_path
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    tomorrow = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() + timedelta(days=1)
    register = tmp_path / "reports.csv"
    register.write_text("Mã báo cáo,Đơn vị gửi,Kỳ báo cáo,Ngày nhận,Số văn bản\n"
                        "1.6,PNV,Q3/2021,30/06/2021,150/BC-PNV\n"
                        f"3.8,VP,Q3/2021,{tomorrow:%d/%m/%Y},151/BC-VP\n", encoding="utf-8")
    code, output = loaded("import", "reports", str(register))
    flat = " ".join(output.split())
    assert code == 1 and "2 lỗi" in flat, output
    assert "dòng 2, cột D (Ngày nhận)" in flat and "trước ngày bắt đầu kỳ 01/07/2021" in flat
    assert "dòng 3, cột D (Ngày nhận)" in flat and "chưa đến" in flat
