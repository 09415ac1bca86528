"""Importing the Sơn La 2021 fixture into a real database and reading the figures back, the way
the secretariat does, through the command line."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import func, select
from typer.testing import CliRunner

from cli.main import app
from domain.models import Event, TrackedItem
from persistence.unit_of_work import UnitOfWork
from tests.conftest import EXAMPLES

runner = CliRunner()


def status_json(cchc, day: str) -> dict:
    code, output = cchc("status", "--as-of", day, "--json")
    assert code == 0, output
    return json.loads(output)


def test_status_on_25_june_2021_reports_the_seeds_figures(loaded):
    report = status_json(loaded, "25/06/2021")
    tasks = report["tasks"]
    assert (tasks["total"], tasks["done"], tasks["in_progress"], tasks["overdue"]) == (70, 36, 34, 0)
    assert tasks["by_status"]["done_on_time"] == 36 and tasks["by_status"]["done_late"] == 0
    assert tasks["rate_all_text"] == "51,4%"
    assert [g["done"] for g in report["by_group"]] == [7, 5, 5, 6, 5, 4, 4]
    assert [g["numeral"] for g in report["by_group"]] == ["I", "II", "III", "IV", "V", "VI", "VII"]
    assert report["plan"]["decision"] == "32/QĐ-UBND"
    assert report["plan"]["decision_date"] == "2021-01-07"


def test_status_on_1_july_2021_shows_3_2_and_4_3_overdue_and_the_due_rate(loaded):
    report = status_json(loaded, "01/07/2021")
    task_overdue = {(o["code"], o["unit"]) for o in report["overdue"] if o["kind"] == "task"}
    assert task_overdue == {("3.2", "VP"), ("4.3", "PNV")}
    assert all(o["overdue_working_days"] == 1 for o in report["overdue"] if o["kind"] == "task")
    assert report["tasks"]["overdue"] == 2
    assert (report["tasks"]["due_done"], report["tasks"]["due_total"]) == (36, 38)
    assert report["tasks"]["rate_due_text"] == "94,7%"


def test_findings_are_on_time_late_or_long_overdue_as_the_fixture_says(loaded):
    report = status_json(loaded, "01/07/2021")
    remediation = report["remediation"]["by_status"]
    assert remediation["done_on_time"] == 3 and remediation["done_late"] == 1
    overdue = {o["code"] for o in report["overdue"] if o["kind"] == "remediation"}
    assert overdue == {"KT19-05", "KT20-06"}


def test_status_for_one_unit_counts_only_its_subtree(loaded):
    report = status_json(loaded, "01/07/2021")
    vp_only = status_json_unit(loaded, "01/07/2021", "VP")
    vp_total = next(u["total"] for u in report["by_unit"] if u["unit"] == "VP")
    assert vp_only["tasks"]["total"] + vp_only["remediation"]["total"] == vp_total
    assert {u["unit"] for u in vp_only["by_unit"]} == {"VP"}


def status_json_unit(cchc, day: str, unit: str) -> dict:
    code, output = cchc("status", "--as-of", day, "--unit", unit, "--json")
    assert code == 0, output
    return json.loads(output)


def test_reimporting_the_same_files_duplicates_nothing(loaded, engine):
    code, output = loaded("import", "plan", str(EXAMPLES / "plan-2021.xlsx"))
    assert code == 0 and "0 mới" in output and "70 không đổi" in output
    code, output = loaded("import", "plan", str(EXAMPLES / "plan-2021.csv"), "--year", "2021")
    assert code == 0 and "0 mới" in output, output
    with UnitOfWork(engine).reading() as session:
        kinds = dict(session.exec(select(TrackedItem.kind, func.count())
                                  .group_by(TrackedItem.kind)).all())
        # 70 tasks, 6 remediation items, and the periods of 1.6, 3.8, 5.10 (4 quarters each)
        # and 6.10 (12 months)
        assert kinds == {"task": 70, "remediation": 6, "periodic": 24}
        imports = session.exec(select(Event).where(Event.name == "import.completed")).all()
        assert len(imports) == 6  # units, plan, findings, reports, then the plan twice more


def test_completion_recorded_by_command_survives_a_reimport(loaded, engine):
    code, output = loaded("task", "done", "3.2", "--on", "02/07/2021", "--evidence", "Báo cáo 15")
    assert code == 0, output
    code, output = loaded("import", "plan", str(EXAMPLES / "plan-2021.xlsx"))
    assert code == 0, output
    with UnitOfWork(engine).reading() as session:
        item = session.exec(select(TrackedItem).where(TrackedItem.code == "3.2")).one()
        assert item.completed_on == date(2021, 7, 2) and item.evidence == "Báo cáo 15"
    report = status_json(loaded, "05/07/2021")
    assert report["tasks"]["by_status"]["done_late"] == 1


def _broken_plan(tmp_path: Path) -> Path:
    lines = (EXAMPLES / "plan-2021.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",PNV,", ",PHONG-MA,")  # 1.1: unknown unit code
    lines[3] = lines[3].replace("Quý I/2021", "Trước 31/04/2021")  # 1.2: impossible deadline
    lines[4] = lines[4].replace("05/03/2021", "31/02/2021")  # 1.3: no such day
    broken = tmp_path / "plan-broken.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return broken


def test_a_plan_with_three_errors_reports_all_three_and_writes_nothing(cchc, database_url, tmp_path):
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0, output
    broken = _broken_plan(tmp_path)
    fingerprint = _fingerprint(database_url)
    code, output = cchc("import", "plan", str(broken), "--year", "2021")
    assert code == 1
    flat = " ".join(output.split())
    assert "3 lỗi" in flat
    assert "plan-broken.csv, dòng 3, cột C (Cơ quan chủ trì)" in flat and "PHONG-MA" in flat
    assert "dòng 4, cột F (Thời gian hoàn thành)" in flat and "Trước 31/04/2021" in flat
    assert "dòng 5, cột H (Ngày hoàn thành)" in flat and "31/02/2021" in flat
    assert _fingerprint(database_url) == fingerprint


def test_a_completion_dated_in_the_future_or_before_its_inspection_is_refused_by_row(
    cchc, database_url, tmp_path
):
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0, output
    tomorrow = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() + timedelta(days=1)
    lines = (EXAMPLES / "findings-2019-2020.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("25/10/2019", f"{tomorrow:%d/%m/%Y}")  # KT19-01
    lines[2] = lines[2].replace("28/10/2019", "03/10/2019")  # KT19-02, concluded 04/10/2019
    findings = tmp_path / "findings-broken.csv"
    findings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fingerprint = _fingerprint(database_url)
    code, output = cchc("import", "findings", str(findings))
    flat = " ".join(output.split())
    assert code == 1 and "2 lỗi" in flat, output
    assert "dòng 2, cột I (Ngày hoàn thành)" in flat and "chưa đến" in flat
    assert "dòng 3, cột I (Ngày hoàn thành)" in flat
    assert "trước ngày kết luận kiểm tra 04/10/2019" in flat
    assert _fingerprint(database_url) == fingerprint


def _fingerprint(database_url: str):
    """The SQLite file's bytes, or every row of every table on PostgreSQL."""
    if database_url.startswith("sqlite"):
        return hashlib.sha256(Path(database_url.removeprefix("sqlite:///")).read_bytes()).hexdigest()
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        rows = {t: sorted(map(repr, connection.execute(metadata.tables[t].select()))) for t in metadata.tables}
    engine.dispose()
    return rows


def test_commands_refuse_an_uninitialised_database(monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1 and "cchc init" in result.output


def test_extending_keeps_the_original_date_and_reports_on_time_with_extension(loaded):
    code, output = loaded(
        "task", "extend", "3.2", "--to", "31/07/2021", "--reason", "Chờ danh mục TTHC mới",
    )
    assert code == 0, output
    overdue = {o["code"] for o in status_json(loaded, "05/07/2021")["overdue"]}
    assert "3.2" not in overdue and "4.3" in overdue
    code, output = loaded("task", "done", "3.2", "--on", "30/07/2021")
    assert code == 0 and "3.2 hoàn thành đúng hạn (có gia hạn), ngày 30/07/2021" in output
    report = status_json(loaded, "02/08/2021")
    assert report["tasks"]["by_status"]["done_on_time_extended"] == 1


def _history(cchc, code: str, monkeypatch) -> str:
    from cli.shared import console

    monkeypatch.setattr(console, "width", 400)  # one table row per event, unwrapped
    exit_code, output = cchc("history", "item", code)
    assert exit_code == 0, output
    return output


def test_a_wrong_completion_date_is_corrected_and_a_wrong_completion_reopened_each_an_event(
    loaded, monkeypatch
):
    code, output = loaded("task", "done", "3.2", "--on", "02/07/2021", "--evidence", "QĐ 15")
    assert code == 0 and "quá hạn" in output, output
    code, output = loaded("task", "done", "3.2", "--on", "30/06/2021", "--correct",
                          "--reason", "Ghi nhầm ngày ký")
    assert code == 0, output
    assert "Đã sửa ngày hoàn thành 3.2: 02/07/2021 → 30/06/2021, hoàn thành đúng hạn." in output
    by_code = {i["code"]: i for i in json.loads(loaded("items", "--as-of", "05/07/2021",
                                                       "--json")[1])["items"]}
    assert (by_code["3.2"]["status"], by_code["3.2"]["completed_on"]) == ("done_on_time",
                                                                         "2021-06-30")
    code, output = loaded("task", "reopen", "3.2", "--reason", "Quyết định chưa ký")
    assert code == 0 and "hủy ghi nhận hoàn thành ngày 30/06/2021" in output, output
    overdue = {o["code"] for o in status_json(loaded, "05/07/2021")["overdue"]}
    assert "3.2" in overdue
    history = _history(loaded, "3.2", monkeypatch)
    assert "sửa ngày hoàn thành" in history and "02/07/2021 → 30/06/2021" in history
    assert "Ghi nhầm ngày ký" in history
    assert "mở lại (hủy ghi nhận hoàn thành)" in history and "Quyết định chưa ký" in history
    assert "minh chứng: QĐ 15" in history
    # Done again, today in the engine's time zone (Asia/Ho_Chi_Minh) is not "the future".
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    code, output = loaded("task", "done", "3.2", "--on", f"{today:%d/%m/%Y}")
    assert code == 0, output


def test_items_as_of_a_day_show_no_completion_after_it(loaded):
    code, output = loaded("task", "done", "3.2", "--on", "02/07/2021")
    assert code == 0, output
    code, output = loaded("items", "--as-of", "25/06/2021", "--json")
    assert code == 0, output
    by_code = {i["code"]: i for i in json.loads(output)["items"]}
    # 5.10's second quarter was recorded on 29/06/2021, 3.2 on 02/07/2021.
    for code in ("5.10/Q2-2021", "3.2"):
        assert by_code[code]["completed_on"] is None, by_code[code]
        assert by_code[code]["status"] not in ("done_on_time", "done_late")
    assert by_code["1.1"]["completed_on"] == "2021-01-07"
    code, output = loaded("items", "--as-of", "25/06/2021")
    assert "29/06/2021" not in output and "02/07/2021" not in output


def test_commands_that_run_no_flow_do_not_import_prefect(loaded):
    import subprocess
    import sys

    probe = (
        "import sys; from typer.testing import CliRunner; from cli.main import app; "
        "r = CliRunner().invoke(app, ['status', '--as-of', '25/06/2021', '--json']); "
        "assert r.exit_code == 0, r.output; print('prefect' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_reorganisation_is_imported_with_dissolved_units_and_successors(cchc, engine, tmp_path):
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0, output
    lines = (EXAMPLES / "units.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0] + ",Còn hoạt động,Đơn vị kế thừa"
    rows = [line + (",Không,P-TH" if line.startswith("P-CL,") else ",Có,") for line in lines[1:]]
    merged = tmp_path / "units-2025.csv"
    merged.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, output = cchc("import", "units", str(merged))
    assert code == 0 and "1 cập nhật" in output, output
    with UnitOfWork(engine).reading() as session:
        from domain.models import Unit

        dissolved = session.get(Unit, "P-CL")
        assert (dissolved.active, dissolved.successor_code) == (False, "P-TH")

    rows = [line + (",Có,P-TH" if line.startswith("P-CL,") else ",Có,") for line in lines[1:]]
    merged.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, output = cchc("import", "units", str(merged))
    assert code == 1 and "chỉ đơn vị đã giải thể mới có đơn vị kế thừa" in " ".join(output.split())


def test_reimporting_a_unit_list_without_reorganisation_columns_keeps_a_dissolution(cchc, engine, tmp_path):
    from domain.models import Unit

    lines = (EXAMPLES / "units.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0] + ",Còn hoạt động,Đơn vị kế thừa"
    rows = [line + (",Không,P-TH" if line.startswith("P-CL,") else ",Có,") for line in lines[1:]]
    merged = tmp_path / "units-2025.csv"
    merged.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert cchc("import", "units", str(merged))[0] == 0
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0 and "30 không đổi" in output, output
    with UnitOfWork(engine).reading() as session:
        dissolved = session.get(Unit, "P-CL")
        assert (dissolved.active, dissolved.successor_code) == (False, "P-TH")


def test_a_plan_file_with_fewer_columns_updates_what_it_has_and_keeps_the_rest(loaded, engine, tmp_path):
    import csv

    with (EXAMPLES / "plan-2021.csv").open(encoding="utf-8") as source:
        rows = [[r[0], r[1], r[2], r[5]] for r in csv.reader(source)]  # STT, content, lead, deadline
    rows[rows.index(next(r for r in rows if r[0] == "2.8"))][3] = "Tháng 8/2021"
    slim = tmp_path / "plan-slim.csv"
    with slim.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows(rows)
    code, output = loaded("import", "plan", str(slim), "--year", "2021")
    assert code == 0 and "1 cập nhật" in output, output
    with UnitOfWork(engine).reading() as session:
        item = session.exec(select(TrackedItem).where(TrackedItem.code == "2.8")).one()
        assert item.due_date == date(2021, 8, 31) and item.cooperating == "PNV, PTP"
        done = session.exec(select(TrackedItem).where(TrackedItem.code == "1.1")).one()
        assert done.completed_on == date(2021, 1, 7)
