"""Deadline cells as real plans write them, through the command line: no file refused for an
odd cell, the secretariat sees how each was read, and undetermined deadlines are worked."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.integration.test_import_and_status import _fingerprint, status_json

HEADER = EXAMPLES.joinpath("plan-2021.csv").read_text(encoding="utf-8").splitlines()[0]

# Thirty cells of the forms real plans use, read in the plan's year 2022.
THIRTY = [
    "Tháng 11", "Trong tháng 8", "Trong quý II", "Quý I", "Trước ngày 15/7", "Trước 30/9",
    "Tháng 7-8/2022", "Từ tháng 3 đến tháng 5", "Quý II-III/2022", "Cả năm", "Trong năm",
    "Năm 2022", "Trong năm 2022", "Trình ban hành trước 30/9/2022",
    "Hoàn thành chậm nhất ngày 15/10/2022", "Đăng ký Quý III/2022", "Trình kỳ họp tháng 7/2022",
    "Hằng quý", "Định kỳ hằng tháng", "Định kỳ 6 tháng, hằng năm", "Trước ngày 10 hằng tháng",
    "Trước ngày 18 của tháng cuối quý", "Trước 30/4 hằng năm", "Thường xuyên",
    "Thường xuyên, liên tục", "Quý IV/2022\n(báo cáo năm)", "07/2022", "6 tháng đầu năm",
    "Trước 30/6/2022", "Tháng 12/2022",
]


def plan_file(tmp_path: Path, deadlines: list[str], name: str = "ke-hoach-2022.csv",
              contents: list[str] | None = None) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["I", "Công tác chỉ đạo, điều hành", "", "", "", "", "", ""])
    for number, deadline in enumerate(deadlines, start=1):
        content = contents[number - 1] if contents else f"Nhiệm vụ {number}"
        writer.writerow([f"1.{number}", content, "PNV", "", "", deadline, "", ""])
    path = tmp_path / name
    path.write_text(HEADER + "\n" + buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def with_units(cchc):
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0, output
    return cchc


def items_json(cchc, *args: str) -> dict:
    code, output = cchc("items", "--json", *args)
    assert code == 0, output
    return json.loads(output)


def test_a_plan_with_thirty_real_cells_one_undetermined_and_one_impossible_date_is_refused_for_the_date_only(  # noqa: E501
    with_units, database_url, tmp_path
):
    path = plan_file(tmp_path, [*THIRTY, "Theo kế hoạch", "31/02/2022"])
    before = _fingerprint(database_url)
    code, output = with_units("import", "plan", str(path), "--year", "2022")
    flat = " ".join(output.split())
    assert code == 1
    assert "1 lỗi" in flat
    assert "ke-hoach-2022.csv, dòng 34, cột F (Thời gian hoàn thành)" in flat
    assert "31/02/2022" in flat
    assert _fingerprint(database_url) == before


def test_without_the_impossible_date_it_imports_and_lists_the_undetermined_cell(
    with_units, tmp_path
):
    path = plan_file(tmp_path, [*THIRTY, "Theo kế hoạch"])
    code, output = with_units("import", "plan", str(path), "--year", "2022")
    flat = " ".join(output.split())
    assert code == 0, output
    assert "31 mới" in flat
    assert "Chưa xác định thời hạn: 1 nhiệm vụ" in flat
    assert "ke-hoach-2022.csv, dòng 33, cột F (Thời gian hoàn thành): 'Theo kế hoạch'" in flat
    kinds = [item["deadline_kind"] for item in items_json(with_units, "--plan", "KH-2022")["items"]
             if item["kind"] != "periodic"]  # the file's cells, not the periods they recur on
    assert (kinds.count("dated"), kinds.count("recurring"), kinds.count("continuous"),
            kinds.count("undetermined")) == (22, 6, 2, 1)


def test_strict_refuses_an_undetermined_deadline_as_before(with_units, database_url, tmp_path):
    path = plan_file(tmp_path, [*THIRTY, "Theo kế hoạch"])
    before = _fingerprint(database_url)
    code, output = with_units("import", "plan", str(path), "--year", "2022", "--strict")
    flat = " ".join(output.split())
    assert code == 1
    assert "1 lỗi" in flat and "dòng 33, cột F (Thời gian hoàn thành)" in flat
    assert "Theo kế hoạch" in flat
    assert _fingerprint(database_url) == before


def test_a_dry_run_counts_the_kinds_and_shows_each_unusual_reading_and_writes_nothing(
    with_units, database_url, tmp_path
):
    path = plan_file(tmp_path, ["Quý II/2022", "Trong quý II", "Theo kế hoạch", "Hằng quý"])
    before = _fingerprint(database_url)
    code, output = with_units("import", "plan", str(path), "--year", "2022", "--dry-run")
    flat = " ".join(output.split())
    assert code == 0, output
    assert "4 mới" in flat
    assert "có ngày cụ thể 2, định kỳ 1, chưa xác định thời hạn 1" in flat
    assert "dòng 4, cột F (Thời gian hoàn thành): Trong quý II → 30/06/2022" in flat
    assert "Theo kế hoạch → chưa xác định thời hạn" in flat
    assert "Quý II/2022 →" not in flat  # a plain form is not listed
    assert _fingerprint(database_url) == before


def test_undetermined_deadlines_are_counted_and_listed_by_status_and_the_report(
    with_units, tmp_path
):
    path = plan_file(tmp_path, ["Quý II/2022", "Theo kế hoạch", "Sau khi có hướng dẫn của Bộ"])
    assert with_units("import", "plan", str(path), "--year", "2022")[0] == 0
    report = status_json(with_units, "01/03/2022")
    assert report["tasks"]["undetermined"] == 2
    assert [u["code"] for u in report["undetermined"]] == ["1.2", "1.3"]
    code, output = with_units("status", "--as-of", "01/03/2022")
    assert code == 0 and "Chưa xác định thời hạn: 2 nhiệm vụ (1.2, 1.3)" in output
    code, markdown = with_units("report", "--as-of", "01/03/2022")
    assert code == 0
    assert "## Nhiệm vụ chưa xác định thời hạn" in markdown
    assert "| PNV | 1.3 | Nhiệm vụ 3 | Sau khi có hướng dẫn của Bộ |" in markdown


def test_setting_an_undetermined_deadline_dates_it_without_counting_an_extension(
    with_units, tmp_path
):
    path = plan_file(tmp_path, ["Theo kế hoạch"])
    assert with_units("import", "plan", str(path), "--year", "2022")[0] == 0
    code, output = with_units("task", "deadline", "1.1", "--to", "30/09/2022",
                              "--reason", "Công văn 1234/UBND-NC")
    assert code == 0, output
    (item,) = items_json(with_units, "--as-of", "01/10/2022")["items"]
    assert (item["deadline_kind"], item["due_date"], item["original_due_date"]) == (
        "dated", "2022-09-30", "2022-09-30")
    assert status_json(with_units, "01/10/2022")["tasks"]["undetermined"] == 0
    code, output = with_units("history", "item", "1.1")
    assert "đặt thời hạn" in output and "gia hạn" not in output
    # Re-importing the same plan keeps the date; a second setting is an extension's job.
    assert with_units("import", "plan", str(path), "--year", "2022")[0] == 0
    assert items_json(with_units)["items"][0]["due_date"] == "2022-09-30"
    code, output = with_units("task", "deadline", "1.1", "--to", "31/10/2022", "--reason", "x")
    assert code == 1 and "cchc task extend" in output


def test_an_items_history_tells_a_deadline_set_in_words(with_units, tmp_path, monkeypatch):
    from cli.shared import console

    monkeypatch.setattr(console, "width", 400)  # one table row per event, unwrapped
    path = plan_file(tmp_path, ["Theo kế hoạch"])
    assert with_units("import", "plan", str(path), "--year", "2022")[0] == 0
    assert with_units("task", "deadline", "1.1", "--to", "30/09/2022",
                      "--reason", "Công văn 1234/UBND-NC")[0] == 0
    code, output = with_units("history", "item", "1.1")
    assert code == 0, output
    assert ("hạn 30/09/2022 (thời hạn ghi trong kế hoạch: “Theo kế hoạch”); "
            "căn cứ: Công văn 1234/UBND-NC") in output
    assert "due:" not in output and "deadline:" not in output and "2022-09-30" not in output


# The README's deadline table, row by row, as the example's cells read it (plan year 2021).
README_READINGS = {
    "Tháng 01/2021": ("dated", "2021-01-31", "2021-01-01"),
    "Tháng 3/2021": ("dated", "2021-03-31", "2021-03-01"),
    "Tháng 6/2021": ("dated", "2021-06-30", "2021-06-01"),
    "Tháng 7/2021": ("dated", "2021-07-31", "2021-07-01"),
    "Quý I/2021": ("dated", "2021-03-31", "2021-01-01"),
    "Quý II/2021": ("dated", "2021-06-30", "2021-04-01"),
    "Quý III/2021": ("dated", "2021-09-30", "2021-07-01"),
    "Quý IV/2021": ("dated", "2021-12-31", "2021-10-01"),
    "6 tháng đầu năm": ("dated", "2021-06-30", "2021-01-01"),
    "6 tháng cuối năm": ("dated", "2021-12-31", "2021-07-01"),
    "Năm 2021": ("dated", "2021-12-31", "2021-01-01"),
    "Trước 30/6/2021": ("dated", "2021-06-30", None),
    "Trước 15/11/2021": ("dated", "2021-11-15", None),
    "Thường xuyên": ("continuous", None, None),
    "Hằng quý": ("recurring", None, None),
    "Hằng tháng": ("recurring", None, None),
    # the findings: counted from the conclusion date (04/10/2019, 20/08/2020)
    "15 ngày làm việc": ("dated", "2019-10-25", "2019-10-04"),
    "Quý IV/2019": ("dated", "2019-12-31", "2019-10-01"),
    "Trước 31/10/2019": ("dated", "2019-10-31", None),
    "Trước 31/12/2019": ("dated", "2019-12-31", None),
    "Quý IV/2020": ("dated", "2020-12-31", "2020-10-01"),
}


def test_items_json_on_the_example_gives_70_tasks_and_6_remediation_items_as_the_readme_says(
    loaded,
):
    document = items_json(loaded, "--as-of", "01/07/2021")
    assert document["schema"] == "cchc.items/1" and document["as_of"] == "2021-07-01"
    # The plan's and the register's items; each recurring task's periods are listed besides.
    items = [i for i in document["items"] if i["kind"] != "periodic"]
    assert sum(i["kind"] == "task" for i in items) == 70
    assert sum(i["kind"] == "remediation" for i in items) == 6
    for item in items:
        got = (item["deadline_kind"], item["due_date"], item["opens_on"])
        assert got == README_READINGS[item["deadline_text"]], item
    rules = {i["deadline_text"]: i["deadline_rule"] for i in items if i["deadline_rule"]}
    assert rules == {"Hằng quý": {"periods": ["quarter"], "day": None, "month": None},
                     "Hằng tháng": {"periods": ["month"], "day": None, "month": None}}
    overdue = {i["code"] for i in items if i["status"] == "overdue" and i["kind"] == "task"}
    assert overdue == {"3.2", "4.3"}


def test_items_for_one_unit_list_only_its_subtree(loaded):
    every = items_json(loaded)["items"]
    vp = items_json(loaded, "--unit", "VP")["items"]
    assert vp and {i["unit"] for i in vp} == {"VP"}
    assert len(vp) == sum(i["unit"] == "VP" for i in every)


def test_items_fit_an_80_column_terminal_with_every_date_whole_and_wide_shows_every_column(
        loaded, monkeypatch):
    from cli.shared import console

    monkeypatch.setattr(console, "width", 80)
    code, output = loaded("items", "--as-of", "01/07/2021")
    assert code == 0, output
    assert max(len(line) for line in output.splitlines()) <= 80
    assert "…" not in output  # nothing cut off: long cells wrap
    row = next(line for line in output.splitlines() if line.startswith("│ 3.2 "))
    assert "│ VP " in row and "│ 30/06/2021 │" in row and "đang thực hiện" in row
    monkeypatch.setattr(console, "width", 200)
    code, output = loaded("items", "--as-of", "01/07/2021", "--wide")
    assert code == 0 and "Loại thời hạn" in output and "Ngày hoàn thành" in output


def test_an_excel_date_cell_is_read_as_the_day_the_officer_sees(with_units, tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["1.1", "Nhiệm vụ 1", "PNV", None, None, datetime(2022, 7, 15)])
    sheet["F2"].number_format = "DD/MM/YYYY"
    path = tmp_path / "ke-hoach.xlsx"
    workbook.save(path)
    code, output = with_units("import", "plan", str(path), "--year", "2022")
    assert code == 0, output
    (item,) = items_json(with_units)["items"]
    assert (item["deadline_text"], item["due_date"]) == ("15/07/2022", "2022-07-15")


# --- report rules with a day in every period, as a CCHC plan's reporting rows write them -------

REPORT_ROWS = [
    ("Báo cáo tình hình thực hiện nhiệm vụ CCHC tháng", "Trước ngày 10 hằng tháng"),
    ("Báo cáo kết quả kiểm soát thủ tục hành chính quý", "Ngày 25 tháng cuối quý"),
    ("Báo cáo kết quả thực hiện cơ chế một cửa, một cửa liên thông",
     "Chậm nhất ngày 18 của tháng cuối mỗi quý"),
    ("Báo cáo tình hình thực hiện quy chế dân chủ ở cơ sở",
     "Trước ngày 5 của tháng đầu quý sau"),
]


def periods_of(cchc, code: str) -> list[tuple[str, str]]:
    return [(i["code"], i["due_date"]) for i in items_json(cchc, "--plan", "KH-2022")["items"]
            if i["kind"] == "periodic" and i["code"].startswith(f"{code}/")]


def test_report_rules_naming_a_day_of_each_period_get_their_periods_and_the_import_says_how(
    with_units, tmp_path
):
    contents, cells = zip(*REPORT_ROWS, strict=True)
    path = plan_file(tmp_path, list(cells), contents=list(contents))
    code, preview = with_units("import", "plan", str(path), "--year", "2022", "--dry-run")
    assert code == 0, preview
    flat = " ".join(preview.split())
    assert "định kỳ 4" in flat and "chưa xác định" not in flat
    assert ("dòng 5, cột F (Thời gian hoàn thành): Chậm nhất ngày 18 của tháng cuối mỗi quý → "
            "định kỳ hằng quý, ngày 18 tháng cuối kỳ") in flat
    code, output = with_units("import", "plan", str(path), "--year", "2022")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "Các ô thời hạn đọc theo quy tắc khác dạng thông thường (4):" in flat
    assert ("dòng 6, cột F (Thời gian hoàn thành): Trước ngày 5 của tháng đầu quý sau → "
            "định kỳ hằng quý, ngày 5 tháng đầu kỳ sau") in flat
    assert "Chưa xác định thời hạn" not in flat
    monthly = periods_of(with_units, "1.1")
    assert len(monthly) == 12 and monthly[1] == ("1.1/T2-2022", "2022-02-10")
    assert periods_of(with_units, "1.2")[0] == ("1.2/Q1-2022", "2022-03-25")
    assert periods_of(with_units, "1.3") == [
        ("1.3/Q1-2022", "2022-03-18"), ("1.3/Q2-2022", "2022-06-18"),
        ("1.3/Q3-2022", "2022-09-18"), ("1.3/Q4-2022", "2022-12-18")]
    assert periods_of(with_units, "1.4") == [
        ("1.4/Q1-2022", "2022-04-05"), ("1.4/Q2-2022", "2022-07-05"),
        ("1.4/Q3-2022", "2022-10-05"), ("1.4/Q4-2022", "2023-01-05")]


def test_a_rule_with_no_period_takes_its_rows_periods_or_is_listed_to_be_completed(
    with_units, tmp_path
):
    rule = "Chậm nhất ngày 20 của tháng cuối kỳ báo cáo"
    path = plan_file(tmp_path, [rule, rule], contents=[
        "Xây dựng báo cáo tình hình, kết quả thực hiện công tác CCHC quý, 6 tháng và năm",
        "Thực hiện chế độ thông tin, báo cáo định kỳ theo quy định",
    ])
    code, output = with_units("import", "plan", str(path), "--year", "2022")
    assert code == 0, output
    flat = " ".join(output.split())
    assert (f"dòng 3, cột F (Thời gian hoàn thành): {rule} → định kỳ hằng quý, hằng 6 tháng, "
            "hằng năm, ngày 20 tháng cuối kỳ (kỳ theo nội dung của dòng)") in flat
    assert "Chưa xác định thời hạn: 1 nhiệm vụ" in flat
    assert (f"dòng 4, cột F (Thời gian hoàn thành): '{rule}' → chưa xác định thời hạn (định kỳ "
            "mỗi kỳ, ngày 20 tháng cuối kỳ, nhưng không nêu là kỳ tháng, quý, 6 tháng hay năm)"
            ) in flat
    assert periods_of(with_units, "1.1") == [
        ("1.1/Q1-2022", "2022-03-20"), ("1.1/H1-2022", "2022-06-20"),
        ("1.1/Q3-2022", "2022-09-20"), ("1.1/N-2022", "2022-12-20")]
    assert periods_of(with_units, "1.2") == []
    report = status_json(with_units, "01/03/2022")
    assert [u["code"] for u in report["undetermined"]] == ["1.2"]


def test_an_undetermined_task_given_a_recurring_rule_gets_its_periods_at_the_next_check(
    with_units, engine, database_url, tmp_path
):
    from flows import checking
    from flows.application import build_application
    from tests.integration.test_deadline_check import log, settings_for

    path = plan_file(tmp_path, ["Theo chỉ đạo của UBND tỉnh"],
                     contents=["Báo cáo tiến độ thực hiện Đề án 06"])
    assert with_units("import", "plan", str(path), "--year", "2022")[0] == 0
    code, output = with_units("task", "deadline", "1.1", "--to", "Trước ngày 10 hằng tháng",
                              "--reason", "Công văn số 85/UBND-KSTT")
    assert code == 0, output
    assert ("Đã đặt thời hạn 1.1 (Theo chỉ đạo của UBND tỉnh): định kỳ hằng tháng, ngày 10."
            in " ".join(output.split()))
    (item,) = items_json(with_units)["items"]
    assert (item["deadline_kind"], item["deadline_rule"]) == (
        "recurring", {"periods": ["month"], "day": 10, "month": None})
    assert status_json(with_units, "01/03/2022")["tasks"]["undetermined"] == 0
    checking.sweep_and_seal(build_application(settings_for(database_url, tmp_path), engine=engine),
                            date(2022, 3, 1), log)
    monthly = periods_of(with_units, "1.1")
    assert len(monthly) == 12 and monthly[2] == ("1.1/T3-2022", "2022-03-10")
    # Re-importing the same plan keeps the rule the secretariat set.
    assert with_units("import", "plan", str(path), "--year", "2022")[0] == 0
    assert items_json(with_units)["items"][0]["deadline_kind"] == "recurring"


@pytest.mark.parametrize(("to", "exit_code", "said"), [
    ("Theo kế hoạch", 1, "đọc là chưa xác định thời hạn (không nêu ngày cụ thể)"),
    ("Quý III/2022", 1, "đọc là 30/09/2022"),
    ("Chậm nhất ngày 20 của tháng cuối kỳ báo cáo", 1, "nhưng không nêu là kỳ tháng, quý"),
    ("31/9/2022", 2, "ngày 31/9/2022 không tồn tại"),
])
def test_a_rule_that_is_no_recurring_deadline_is_refused_and_writes_nothing(
    with_units, database_url, tmp_path, to, exit_code, said
):
    path = plan_file(tmp_path, ["Theo chỉ đạo của UBND tỉnh"],
                     contents=["Tổ chức tập huấn nghiệp vụ CCHC"])
    assert with_units("import", "plan", str(path), "--year", "2022")[0] == 0
    before = _fingerprint(database_url)
    code, output = with_units("task", "deadline", "1.1", "--to", to, "--reason", "Chỉ đạo")
    assert code == exit_code and said in " ".join(output.split())
    assert _fingerprint(database_url) == before


def test_a_date_in_a_note_that_contradicts_the_cell_is_listed_as_a_conflict_like_a_sentence(
    with_units, tmp_path
):
    path = plan_file(tmp_path, [
        "Tháng 6/2022 (trong danh sách phải xong trước 31/5/2022)",
        "Tháng 6/2022, trong danh sách phải xong trước 31/5/2022",
        "Năm 2022 (trình trước 30/6/2022)",
    ])
    code, output = with_units("import", "plan", str(path), "--year", "2022")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "Chưa xác định thời hạn: 2 nhiệm vụ" in flat
    for row, cell in ((3, "Tháng 6/2022 (trong danh sách phải xong trước 31/5/2022)"),
                      (4, "Tháng 6/2022, trong danh sách phải xong trước 31/5/2022")):
        assert (f"dòng {row}, cột F (Thời gian hoàn thành): '{cell}' → chưa xác định thời hạn "
                "(các thời hạn mâu thuẫn: 31/05/2022 và 30/06/2022)") in flat
    due = {i["code"]: i["due_date"] for i in items_json(with_units)["items"]}
    assert due == {"1.1": None, "1.2": None, "1.3": "2022-12-31"}


def test_an_undetermined_cell_naming_a_day_says_which_month_was_not_understood(
    with_units, tmp_path
):
    path = plan_file(tmp_path, ["Trước ngày 15 của tháng thứ hai mỗi quý"],
                     contents=["Báo cáo tình hình giải quyết hồ sơ TTHC"])
    code, output = with_units("import", "plan", str(path), "--year", "2022")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "chưa xác định thời hạn (có ngày 15 nhưng không rõ của tháng nào)" in flat
    assert "không nêu ngày cụ thể" not in flat
