"""Every mistake a user can make on the command line gets one Vietnamese line that names what
is wrong and what to do, with exit code 1 or 2, and never a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.main import app
from persistence.db import make_engine, upgrade

ENGLISH = ("Invalid value", "Usage:", "Error", "Missing", "No such", "Try ", "Traceback",
           "Got unexpected", "requires an argument", "Input should")


@pytest.fixture
def cchc(tmp_path, monkeypatch):
    """`cchc` on an initialised, empty SQLite database: (exit code, output)."""
    url = f"sqlite:///{tmp_path / 'cchc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    monkeypatch.setenv("CCHC_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):
        result = CliRunner().invoke(app, list(args))
        return result.exit_code, result.output

    return invoke


def _one_vietnamese_line(output: str) -> str:
    lines = output.strip().splitlines()
    assert len(lines) == 1, output
    assert lines[0].startswith("Lỗi: ") and not any(word in output for word in ENGLISH), output
    return lines[0]


@pytest.mark.parametrize("name", ["r.html", "r.xlsx", "r.md"])
def test_a_report_into_a_missing_folder_names_the_path_and_what_to_do(cchc, tmp_path, name):
    target = tmp_path / "no" / "such" / name
    code, output = cchc("report", "--as-of", "01/07/2021", "--out", str(target))
    assert code == 1
    line = _one_vietnamese_line(output)
    assert str(target) in line and "thư mục" in line
    assert not target.parent.exists()


@pytest.mark.parametrize(("args", "said"), [
    (["status", "--as-of", "2021-06-25"], "cần ngày dạng DD/MM/YYYY"),
    (["status", "--as-of"], "tùy chọn --as-of cần một giá trị"),
    (["status", "--bogus"], "không có tùy chọn --bogus"),
    (["status", "--uni", "TP-SL"], "có phải --unit?"),
    (["statu"], "không có lệnh 'statu' (có phải 'status'?)"),
    (["history", "--limit", "abc"], "--limit: cần một số nguyên"),
    (["task", "extend", "3.2", "--to", "01/08/2021"], "thiếu tùy chọn --reason"),
    (["import"], "thiếu lệnh con"),
    (["import", "plan"], "thiếu đối số FILE"),
    (["status", "extra"], "thừa đối số: extra"),
])
def test_usage_errors_are_said_in_vietnamese_with_exit_code_2(cchc, args, said):
    code, output = cchc(*args)
    assert code == 2
    assert said in _one_vietnamese_line(output)


def test_an_impossible_date_is_told_apart_from_a_wrong_format(cchc):
    _, impossible = cchc("status", "--as-of", "31/02/2021")
    _, no_month = cchc("task", "done", "3.2", "--on", "01/13/2021")
    _, wrong = cchc("status", "--as-of", "2021-06-25")
    assert "ngày 31/02/2021 không tồn tại: tháng 2/2021 có 28 ngày" in impossible
    assert "không có tháng 13" in no_month
    assert "không tồn tại" not in wrong and "DD/MM/YYYY" not in impossible


@pytest.mark.parametrize(("variable", "value", "said"), [
    ("CCHC_SMTP_PORT", "abc", "CCHC_SMTP_PORT='abc': cần một số nguyên"),
    ("CCHC_SMTP_SECURITY", "ssl", "cần một trong 'none', 'starttls', 'tls'"),
    ("CCHC_TIMEZONE", "Mars/Olympus", "không có múi giờ 'Mars/Olympus'"),
])
def test_a_setting_that_does_not_parse_names_the_variable(cchc, monkeypatch, variable, value, said):
    monkeypatch.setenv(variable, value)
    code, output = cchc("status", "--as-of", "01/07/2021")
    assert code == 2 and said in _one_vietnamese_line(output)


def test_init_where_no_folder_can_be_made_names_the_path(cchc, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CCHC_DATABASE_URL", f"sqlite:///{blocker / 'cchc.db'}")
    code, output = cchc("init")
    assert code == 1 and str(blocker) in _one_vietnamese_line(output)


def test_a_demo_folder_that_cannot_be_made_is_refused_before_anything_runs(cchc, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, output = cchc("demo", "--folder", str(blocker / "demo"))
    assert code == 1 and str(blocker) in _one_vietnamese_line(output)


@pytest.mark.parametrize("data", ["Mã đơn vị,Tên đơn vị\nSNV,Sở Nội vụ\n".encode(), b"%PDF-1.4"])
def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused_in_vietnamese(cchc, tmp_path, data):
    path = tmp_path / "don-vi.xlsx"
    path.write_bytes(data)
    code, output = cchc("import", "units", str(path))
    assert code == 1
    assert "don-vi.xlsx" in output and "không phải tệp Excel .xlsx" in " ".join(output.split())
    assert "zip" not in output and not any(word in output for word in ENGLISH), output
