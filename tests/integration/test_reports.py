"""`cchc report` on a real database: the seed's figures in all three formats, the overdue list
with what the ledger sent, remediation per inspection, the PAR-index inputs, plain statements
where there is nothing to count, and the files opened by LibreOffice and Chromium."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from flows import checking

from flows.application import build_application
from flows.settings import Settings
from tests.conftest import EXAMPLES

HEADLINE = "đã hoàn thành 36/70 nhiệm vụ (đạt 51,4%), đang thực hiện 34/70 nhiệm vụ"
PLAN_HEADER = "STT,Nội dung nhiệm vụ,Cơ quan chủ trì,Cơ quan phối hợp,Sản phẩm,Thời gian hoàn thành,Trạng thái,Ngày hoàn thành\n"


def markdown_table(markdown: str, title: str) -> list[list[str]]:
    """The rows (header first) of the Markdown table under `## title`."""
    section = markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines
            if not set(line) <= set("|-: ")]


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


def report(cchc, *args: str) -> str:
    code, output = cchc("report", *args)
    assert code == 0, output
    return output


def test_the_headline_and_the_groups_read_as_the_seed_in_markdown_html_and_excel(loaded, tmp_path):
    markdown = report(loaded, "--as-of", "25/06/2021")
    assert f"Đến ngày 25/06/2021, {HEADLINE}." in markdown
    groups = markdown_table(markdown, "Theo nhóm nhiệm vụ")
    assert groups[0][:3] == ["Nhóm nhiệm vụ", "Tổng số", "Hoàn thành đúng hạn"]
    assert [row[2] for row in groups[1:8]] == ["7", "5", "5", "6", "5", "4", "4"]
    assert [row[1] for row in groups[1:8]] == ["10"] * 7
    assert groups[8][:3] == ["Cộng", "70", "36"] and groups[8][-2:] == ["51,4%", "100,0%"]

    report(loaded, "--as-of", "25/06/2021", "--out", str(tmp_path / "r.html"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert HEADLINE in html and html.count("<svg") == 2
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html), "no external assets"

    report(loaded, "--as-of", "25/06/2021", "--out", str(tmp_path / "r.xlsx"))
    workbook = load_workbook(tmp_path / "r.xlsx")
    assert workbook.sheetnames == ["Tổng hợp", "Tình trạng", "Theo nhóm", "Theo đơn vị", "Quá hạn",
                                   "Khắc phục sau KT", "Báo cáo định kỳ", "Chỉ số CCHC",
                                   "Nhiệm vụ"]
    assert workbook["Tổng hợp"]["A2"].value == f"Đến ngày 25/06/2021, {HEADLINE}."
    groups = workbook["Theo nhóm"]
    assert [groups.cell(row, 3).value for row in range(2, 9)] == [7, 5, 5, 6, 5, 4, 4]
    assert groups["I9"].value == pytest.approx(0.514) and groups["I9"].number_format == "0.0%"
    assert groups["J9"].value == 1  # 21/21 due tasks done
    for sheet in workbook.sheetnames[1:]:
        assert workbook[sheet].freeze_panes == "A2", sheet
        assert workbook[sheet]["A1"].font.bold, sheet
    assert workbook["Theo nhóm"].column_dimensions["A"].width == 50


HEADLINE_LABELS = ("Tổng số", "Hoàn thành", "Đang thực hiện", "Quá hạn",
                   "Tỷ lệ hoàn thành / tổng số", "Tỷ lệ hoàn thành / đã đến hạn")


def test_the_summary_sheet_holds_the_headline_as_numbers_a_chart_can_use(loaded, tmp_path):
    report(loaded, "--as-of", "25/06/2021", "--out", str(tmp_path / "r.xlsx"))
    sheet = load_workbook(tmp_path / "r.xlsx")["Tổng hợp"]
    rows = {row[0].value: row[1:3] for row in sheet.iter_rows() if row[0].value in HEADLINE_LABELS}
    assert list(rows) == list(HEADLINE_LABELS)
    tasks = {label: cells[0] for label, cells in rows.items()}
    assert [tasks[label].value for label in HEADLINE_LABELS[:4]] == [70, 36, 34, 0]
    assert all(isinstance(tasks[label].value, int) for label in HEADLINE_LABELS[:4])
    assert tasks["Tỷ lệ hoàn thành / tổng số"].value == pytest.approx(0.514)
    assert tasks["Tỷ lệ hoàn thành / tổng số"].number_format == "0.0%"
    assert tasks["Tỷ lệ hoàn thành / đã đến hạn"].value == 1
    remediation = [cells[1].value for cells in rows.values()]
    assert remediation[0] == 6 and remediation[1] + remediation[2] == 6


def test_each_unit_row_counts_every_status_column_and_both_rates(loaded, tmp_path):
    report(loaded, "--as-of", "01/07/2021", "--out", str(tmp_path / "r.xlsx"))
    rows = sheet_rows(tmp_path / "r.xlsx", "Theo đơn vị")
    assert rows[0] == ("Đơn vị", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                       "Hoàn thành có gia hạn", "Đang thực hiện trong hạn", "Quá hạn",
                       "Không thời hạn", "Tỷ lệ hoàn thành / tổng số",
                       "Tỷ lệ hoàn thành / đã đến hạn")
    by_unit = {row[0].split(" — ")[0]: row for row in rows[1:]}
    for row in by_unit.values():
        assert row[1] == sum(row[2:8]), row
    assert by_unit["X-CX"][1:8] == (2, 0, 1, 0, 0, 1, 0)  # KT19-02 late, KT19-05 overdue
    assert by_unit["X-CX"][8:] == (0.5, 0.5)
    assert by_unit["TTR"][9] == "chưa có việc đến hạn"  # nothing due yet: said, not divided


def test_the_overdue_list_shows_the_last_notice_and_the_escalation_level_as_of_the_day(
    loaded, engine, database_url, tmp_path
):
    settings = Settings(database_url=database_url, maildir=tmp_path / "outbox",
                        policy_file=EXAMPLES / "policy.toml")
    log = logging.getLogger("test")
    day = date(2021, 7, 1)
    while day <= date(2021, 7, 7):
        app = build_application(settings, engine=engine)
        checking.sweep_and_seal(app, day, log)
        checking.dispatch(app, log)
        day += timedelta(days=1)

    before = markdown_table(report(loaded, "--as-of", "06/07/2021"), "Nhiệm vụ quá hạn")
    after = markdown_table(report(loaded, "--as-of", "07/07/2021"), "Nhiệm vụ quá hạn")
    assert before[0] == ["Đơn vị", "Mã", "Nội dung", "Hạn", "Số ngày làm việc quá hạn",
                         "Thông báo gần nhất", "Bậc thông báo", "Mức chuyển cấp trên"]
    row = {r[1]: r for r in before[1:]}["3.2"]
    assert row[0].startswith("VP — ") and row[3:] == ["30/06/2021", "4", "06/07/2021",
                                                     "đôn đốc lần thứ 2",
                                                     "chưa chuyển cấp trên"]
    row = {r[1]: r for r in after[1:]}["3.2"]
    assert row[3:] == ["30/06/2021", "5", "07/07/2021", "báo cáo cấp trên lần thứ 1",
                      "cấp 1"]
    assert [r[1] for r in after[1:]][:2] == ["KT19-05", "KT20-06"]  # most overdue first
    assert {r[1]: r for r in after[1:]}["KT19-05"][7] == "cấp 2"

    report(loaded, "--as-of", "07/07/2021", "--out", str(tmp_path / "r.xlsx"))
    rows = {r[1]: r for r in sheet_rows(tmp_path / "r.xlsx", "Quá hạn")[1:]}
    assert rows["3.2"][3] == datetime(2021, 6, 30) and rows["3.2"][4] == 5
    assert rows["3.2"][5] == datetime(2021, 7, 7)


def test_remediation_is_tallied_per_inspection(loaded):
    table = markdown_table(report(loaded, "--as-of", "01/07/2021"), "Kết quả khắc phục sau kiểm tra")
    assert table[0] == ["Đợt kiểm tra", "Ngày kết luận", "Số tồn tại, hạn chế", "Nhiệm vụ khắc phục",
                        "Đã hoàn thành", "Đang thực hiện", "Quá hạn", "Tỷ lệ đã xử lý"]
    assert [row[1:] for row in table[1:]] == [
        ["04/10/2019", "5", "5", "4", "0", "1", "80,0%"],
        ["20/08/2020", "1", "1", "0", "0", "1", "0,0%"],
    ]


def test_par_index_indicators_show_their_inputs(loaded, tmp_path):
    indicators = {row[0]: row[1:] for row in markdown_table(
        report(loaded, "--as-of", "25/06/2021"), "Số liệu cho tự đánh giá Chỉ số CCHC")[1:]}
    assert indicators["Mức độ hoàn thành kế hoạch CCHC"] == [
        "36/70 nhiệm vụ đã hoàn thành đến ngày 25/06/2021", "51,4%", "mức: dưới 80%"]
    inspected = indicators["Tỷ lệ đơn vị được kiểm tra công tác CCHC trong năm 2021"]
    assert inspected[0].startswith("0/15 đơn vị trực thuộc") and inspected[2] == "chưa đạt mức 30%"
    assert indicators["Tỷ lệ tồn tại, hạn chế sau kiểm tra đã được xử lý"] == [
        "4/6 nhiệm vụ khắc phục đã hoàn thành", "66,7%", "còn 2 chưa xử lý"]
    periodic = indicators["Tỷ lệ báo cáo định kỳ gửi đúng hạn"]
    # The example's register: every report due by 25/06 arrived on time. Only reports count:
    # 5.10 recurs quarterly but yields decisions (Quyết định), and is named as left out.
    assert periodic == ["10/10 báo cáo đã đến hạn được gửi đúng hạn (gửi muộn 0, chưa gửi 0); "
                        "tính báo cáo của: 1.6, 3.8, 6.10; không tính nhiệm vụ định kỳ không "
                        "phải báo cáo: 5.10", "100,0%", "tất cả đúng hạn"]

    # A 2021 inspection of 5 of the city's 15 units reaches the 30 % bar.
    findings = tmp_path / "findings-2021.csv"
    header = (EXAMPLES / "findings-2019-2020.csv").read_text(encoding="utf-8").splitlines()[0]
    findings.write_text(header + "\n" + "".join(
        f'KT21-0{n},"Đoàn kiểm tra CCHC thành phố, 2021",15/03/2021,Tồn tại {n},{unit},'
        f"Khắc phục,Quý II/2021,Đang thực hiện,\n"
        for n, unit in enumerate(["VP", "PNV", "PTP", "P-TH", "X-CX"], start=1)
    ), encoding="utf-8")
    code, output = loaded("import", "findings", str(findings))
    assert code == 0, output
    indicators = {row[0]: row[1:] for row in markdown_table(
        report(loaded, "--as-of", "25/06/2021"), "Số liệu cho tự đánh giá Chỉ số CCHC")[1:]}
    inspected = indicators["Tỷ lệ đơn vị được kiểm tra công tác CCHC trong năm 2021"]
    assert inspected[0].startswith("5/15 đơn vị") and inspected[1:] == ["33,3%", "đạt mức 30%"]


def _import_plan(cchc, tmp_path: Path, name: str, rows: str, *options: str) -> None:
    path = tmp_path / name
    path.write_text(PLAN_HEADER + rows, encoding="utf-8")
    code, output = cchc("import", "plan", str(path), *options)
    assert code == 0, output


def _no_division_shown(text: str) -> None:
    assert "0/0" not in text and "—%" not in text and "nan" not in text.lower()


def test_an_empty_plan_says_it_has_no_tasks(cchc, tmp_path):
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0, output
    _import_plan(cchc, tmp_path, "empty.csv", "I,Công tác chỉ đạo,,,,,,\n",
                 "--year", "2022", "--code", "KH-2022", "--owner", "TP-SL")
    markdown = report(cchc, "--as-of", "25/06/2022")
    assert "- Kế hoạch KH-2022 chưa có nhiệm vụ nào." in markdown
    assert "- Không có nhiệm vụ khắc phục sau kiểm tra." in markdown
    assert "Không có nhiệm vụ nào trong phạm vi báo cáo." in markdown
    plan = {row[0]: row[1:] for row in markdown_table(
        markdown, "Số liệu cho tự đánh giá Chỉ số CCHC")[1:]}["Mức độ hoàn thành kế hoạch CCHC"]
    assert plan == ["kế hoạch chưa có nhiệm vụ nào", "chưa có dữ liệu", "chưa có dữ liệu"]
    _no_division_shown(markdown)
    for suffix in ("html", "xlsx"):
        report(cchc, "--as-of", "25/06/2022", "--out", str(tmp_path / f"r.{suffix}"))
    assert "Kế hoạch KH-2022 chưa có nhiệm vụ nào." in (tmp_path / "r.html").read_text("utf-8")
    summary = sheet_rows(tmp_path / "r.xlsx", "Tổng hợp")
    assert summary[1][0] == "Kế hoạch KH-2022 chưa có nhiệm vụ nào."
    numbers = {row[0]: row[1:] for row in summary if row[0] in HEADLINE_LABELS}
    assert numbers["Tổng số"] == (0, 0)
    assert numbers["Tỷ lệ hoàn thành / tổng số"] == ("không có nhiệm vụ", "không có nhiệm vụ")


def test_a_plan_of_only_continuous_tasks_says_nothing_is_due_yet(cchc, tmp_path):
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0, output
    _import_plan(cchc, tmp_path, "continuous.csv",
                 "I,Công tác chỉ đạo,,,,,,\n"
                 "1.1,Tuyên truyền cải cách hành chính,PNV,,,Thường xuyên,Đang thực hiện,\n"
                 "1.2,Kiểm tra kỷ luật kỷ cương,PNV,,,Thường xuyên,Hoàn thành,20/05/2023\n",
                 "--year", "2023", "--code", "KH-2023", "--owner", "TP-SL")
    markdown = report(cchc, "--as-of", "25/06/2023")
    assert ("- Đến ngày 25/06/2023, đã hoàn thành 1/2 nhiệm vụ (đạt 50,0%), "
            "đang thực hiện 1/2 nhiệm vụ.") in markdown
    assert ("- Cả 2 nhiệm vụ không có hạn cụ thể (thường xuyên hoặc định kỳ): chưa có nhiệm vụ "
            "nào đến hạn để tính tỷ lệ hoàn thành nhiệm vụ đã đến hạn.") in markdown
    (group, total) = markdown_table(markdown, "Theo nhóm nhiệm vụ")[1:]
    assert group[-2:] == ["50,0%", "chưa có việc đến hạn"] and total[0] == "Cộng"
    _no_division_shown(markdown)


def test_a_unit_without_tasks_is_named_and_its_own_report_says_so(loaded, tmp_path):
    markdown = report(loaded, "--as-of", "01/07/2021")
    assert re.search(r"- 7 đơn vị không có nhiệm vụ nào: P-CL \(UBND phường Chiềng Lề\), .*"
                     r"X-HL \(UBND xã Hua La\)\.", markdown)
    own = report(loaded, "--as-of", "01/07/2021", "--unit", "X-HL")
    assert "- Đơn vị X-HL (UBND xã Hua La) không chủ trì nhiệm vụ nào của kế hoạch KH-2021." in own
    assert "- Không có nhiệm vụ khắc phục sau kiểm tra." in own
    assert "Không có nhiệm vụ quá hạn." in own
    _no_division_shown(own)
    code, output = loaded("report", "--unit", "KHONG-CO")
    assert code == 1 and "không có đơn vị mã KHONG-CO" in output


def test_the_full_item_list_and_a_refused_format(loaded, tmp_path):
    report(loaded, "--as-of", "01/07/2021", "--out", str(tmp_path / "r.xlsx"))
    rows = sheet_rows(tmp_path / "r.xlsx", "Nhiệm vụ")[1:]
    assert len(rows) == 76
    by_code = {row[0]: row for row in rows}
    assert by_code["3.2"][6] == "đang thực hiện quá hạn" and by_code["3.2"][7] == 1
    assert by_code["3.2"][4] == datetime(2021, 6, 30)
    code, output = loaded("report", "--out", str(tmp_path / "r.pdf"))
    assert code == 1 and ".pdf" in output


def _program(name: str) -> str:
    """The program's path; skip without it, except under CI=true, where .ci/run installs it."""
    found = shutil.which(name)
    if found is None:
        reason = f"{name} is not installed (apt-get install chromium libreoffice-calc-nogui)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI=true requires it")
        pytest.skip(reason)
    return found


@pytest.mark.slow  # LibreOffice starts in seconds, converts in more
def test_libreoffice_opens_the_workbook_and_reads_typed_cells(loaded, tmp_path):
    libreoffice = _program("libreoffice")
    report(loaded, "--as-of", "25/06/2021", "--out", str(tmp_path / "r.xlsx"))
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    for target in ("pdf", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"):
        subprocess.run([libreoffice, profile, "--headless", "--convert-to", target,
                        "--outdir", str(tmp_path / "out"), str(tmp_path / "r.xlsx")],
                       check=True, capture_output=True, timeout=180)
    assert (tmp_path / "out" / "r.pdf").read_bytes()[:5] == b"%PDF-"
    groups = (tmp_path / "out" / "r-Theo nhóm.csv").read_text(encoding="utf-8").splitlines()
    # As LibreOffice shows the cells: counts as numbers, the rate through its percent format.
    assert groups[8].startswith("Cộng,70,36,0,0,") and groups[8].endswith(",51.4%,100.0%")


@pytest.mark.slow  # a real browser
def test_chromium_renders_the_page_and_prints_it(loaded, tmp_path):
    chromium = _program("chromium")
    report(loaded, "--as-of", "01/07/2021", "--out", str(tmp_path / "r.html"))
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
              f"--user-data-dir={tmp_path / 'chromium-profile'}"]
    url = (tmp_path / "r.html").as_uri()
    dom = subprocess.run([*common, "--dump-dom", url], check=True, capture_output=True,
                         text=True, timeout=120).stdout
    assert HEADLINE in dom and dom.count("<svg") == 2 and "<td>3.2</td>" in dom
    for option in (f"--screenshot={tmp_path / 'r.png'}", f"--print-to-pdf={tmp_path / 'r.pdf'}"):
        subprocess.run([*common, "--window-size=1280,2000", option, url], check=True,
                       capture_output=True, timeout=120)
    assert (tmp_path / "r.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"
