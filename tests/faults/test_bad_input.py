"""Bad input, on purpose and at random: the deadline parser and the importers answer only with
clean errors that name the file, the row and the column, never a traceback, and an import with
any error writes nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlmodel import func, select

from adapters.tables import read_table
from domain import importers
from domain.calendar import WorkingCalendar
from domain.deadlines import Deadline, DeadlineError, parse_deadline
from domain.importers import ImportFailed
from domain.models import TrackedItem, Unit
from domain.policy import PolicyError, policy_from_mapping
from persistence import item_imports, unit_imports
from persistence.db import make_engine, upgrade
from persistence.unit_of_work import UnitOfWork
from tests.conftest import EXAMPLES

CALENDAR = WorkingCalendar()
# The six columns the generated rows below fill (the example also has Tên khác and Nhóm).
UNITS_HEADER = ",".join(
    EXAMPLES.joinpath("units.csv").read_text(encoding="utf-8").splitlines()[0].split(",")[:6])
FRAGMENTS = ["Tháng", "tháng", "Quý", "quý", "năm", "Năm", "Trước", "ngày", "làm việc",
             "6 tháng đầu năm", "Thường xuyên", "Hằng", "I", "II", "IV", "X", "/", "-", ".",
             " ", "0", "1", "12", "13", "29", "30", "31", "2021", "99999", "0000", "đ", "\u0301"]


@settings(max_examples=400, deadline=None)
@given(
    text=st.one_of(st.text(), st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join)),
    year=st.one_of(st.none(), st.integers(-10, 10_000)),
    start=st.one_of(st.none(), st.dates()),
)
def test_the_deadline_parser_returns_a_deadline_or_names_the_text(text, year, start):
    try:
        deadline = parse_deadline(text, year=year, start=start, calendar=CALENDAR)
    except DeadlineError as error:
        assert str(error)  # a message the importer shows beside the row and the column
    else:
        assert isinstance(deadline, Deadline)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """The example's units, committed; each import below runs in a transaction rolled back."""
    url = f"sqlite:///{tmp_path_factory.mktemp('bad') / 'cchc.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with UnitOfWork(engine).transaction() as session:
        unit_imports.import_units(session, read_table(EXAMPLES / "units.csv",
                                                   importers.UNIT_COLUMNS))
    yield engine
    engine.dispose()


def attempt(engine, path: Path, kind: str):
    """Import `path` the way `cchc import` does; return the summary, or the problems after
    checking that nothing was written."""
    columns = {"units": importers.UNIT_COLUMNS, "findings": importers.FINDING_COLUMNS}[kind]
    with UnitOfWork(engine).reading() as session:
        session.begin()
        before = counts(session)
        try:
            table = read_table(path, columns)
            if kind == "units":
                return unit_imports.import_units(session, table)
            return item_imports.import_findings(session, table, CALENDAR)
        except ImportFailed as failure:
            session.flush()
            assert counts(session) == before  # all or nothing
            for problem in failure.problems:
                assert problem.file == path.name and problem.message
                assert str(problem).startswith(path.name)
            return failure.problems
        finally:
            session.rollback()


def counts(session) -> tuple[int, int]:
    return (session.exec(select(func.count()).select_from(Unit)).one(),
            session.exec(select(func.count()).select_from(TrackedItem)).one())


def write_csv(path: Path, header: str, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(header + "\n" + buffer.getvalue(), encoding="utf-8")
    return path


cells = st.one_of(st.just(""), st.text(max_size=30),
                  st.sampled_from(["TINH-SL", "PNV", "=1+1", "a@b.example", "x@", "Không",
                                   "15 ngày làm việc", "04/10/2019", "31/02/2021", "Hoàn thành"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=0, max_size=10), min_size=1, max_size=6),
       kind=st.sampled_from(["units", "findings"]))
def test_random_cells_are_imported_or_refused_with_located_errors(database, tmp_path, rows, kind):
    source = "units.csv" if kind == "units" else "findings-2019-2020.csv"
    header = EXAMPLES.joinpath(source).read_text(encoding="utf-8").splitlines()[0]
    path = write_csv(tmp_path / f"{kind}.csv", header, rows)
    attempt(database, path, kind)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=1, max_value=2000))
def test_a_csv_cut_short_anywhere_never_raises_a_traceback(database, tmp_path, cut):
    data = EXAMPLES.joinpath("findings-2019-2020.csv").read_bytes()
    path = tmp_path / "findings.csv"
    path.write_bytes(data[: cut % len(data)])
    attempt(database, path, "findings")


def problems_of(database, tmp_path, name: str, data: bytes, kind: str = "units") -> list:
    path = tmp_path / name
    path.write_bytes(data)
    result = attempt(database, path, kind)
    assert isinstance(result, list), "the import should have been refused"
    return result


def test_a_csv_cut_inside_a_row_or_a_quote_or_a_character_is_refused_with_its_row(
    database, tmp_path
):
    data = EXAMPLES.joinpath("findings-2019-2020.csv").read_bytes()
    lines = data.split(b"\n")
    mid_row = b"\n".join(lines[:3]) + b"\n" + lines[3][:40]  # row 4 loses its last columns
    [short] = problems_of(database, tmp_path, "a.csv", mid_row, "findings")
    assert short.row == 4 and "cắt cụt" in short.message
    text = data.decode("utf-8")
    quote = text.index('"', len("\n".join(text.split("\n")[:2])))  # a quoted cell of row 3
    [open_quote] = problems_of(database, tmp_path, "b.csv", text[: quote + 5].encode(),
                               "findings")
    assert open_quote.row == 3 and "cắt cụt" in open_quote.message
    multibyte = data.index("ệ".encode()) + 1
    [broken] = problems_of(database, tmp_path, "c.csv", data[:multibyte], "findings")
    assert broken.row == 1 and "UTF-8" in broken.message


def test_a_csv_saved_in_a_legacy_encoding_is_refused_with_the_first_bad_line(database, tmp_path):
    text = EXAMPLES.joinpath("units.csv").read_text(encoding="utf-8")
    [problem] = problems_of(database, tmp_path, "units.csv", text.encode("utf-16"))
    assert problem.row == 1 and "UTF-8" in problem.message
    [problem] = problems_of(database, tmp_path, "units.csv",
                            (text.splitlines()[0] + "\nX,Phong,,,,\n").encode("utf-8")
                            + "Y,Đơn,,,,\n".encode("cp1258"))
    assert problem.row == 3


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not really", b"%PDF-1.4", bytes(range(256))])
def test_an_xlsx_that_is_not_a_workbook_is_refused_by_name(database, tmp_path, data):
    [problem] = problems_of(database, tmp_path, "units.xlsx", data)
    assert "không mở được tệp Excel" in problem.message


def test_a_zip_that_is_not_a_workbook_is_refused_by_name(database, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    [problem] = problems_of(database, tmp_path, "units.xlsx", buffer.getvalue())
    assert "không mở được tệp Excel" in problem.message


def workbook_bytes(rows, merge: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


UNIT_ROWS = [row.split(",") for row in EXAMPLES.joinpath("units.csv")
             .read_text(encoding="utf-8").splitlines()[:4]]


def test_a_formula_is_refused_with_its_cell_in_xlsx_and_csv(database, tmp_path):
    rows = [list(r) for r in UNIT_ROWS]
    rows[2][3] = '=CONCATENATE("Giám đốc"," Sở")'
    [problem] = problems_of(database, tmp_path, "units.xlsx", workbook_bytes(rows))
    assert (problem.row, problem.column) == (3, "D (Chức danh người đứng đầu)")
    assert "công thức" in problem.message
    text = "\n".join(",".join(r) for r in rows).replace('"', "")
    [problem] = problems_of(database, tmp_path, "units.csv", text.encode())
    assert (problem.row, problem.column[0]) == (3, "D")


def test_merged_cells_below_the_header_are_refused_and_a_merged_title_is_not(
    database, tmp_path
):
    title = [["DANH SÁCH ĐƠN VỊ", None, None, None, None, None]]
    problems = problems_of(database, tmp_path, "units.xlsx",
                           workbook_bytes(title + UNIT_ROWS, merge="E3:E4"))
    assert [(p.row, p.column) for p in problems] == [(3, "E3:E4")]
    assert "ô gộp" in problems[0].message
    path = tmp_path / "titled.xlsx"
    path.write_bytes(workbook_bytes(title + UNIT_ROWS, merge="A1:F1"))
    assert not isinstance(attempt(database, path, "units"), list)


def test_ten_thousand_rows_with_one_bad_one_give_one_located_error_and_write_nothing(
    database, tmp_path
):
    rows = [[f"U{n}", f"Đơn vị {n}", "TINH-SL", "Trưởng phòng", f"head{n}@units.example",
             f"cchc{n}@units.example"] for n in range(10_000)]
    rows[7_776][4] = "truong phong@units.example"
    path = write_csv(tmp_path / "units.csv", UNITS_HEADER, rows)
    [problem] = attempt(database, path, "units")
    assert (problem.row, problem.column) == (7_778, "E (Email người đứng đầu)")
    assert "không hợp lệ" in problem.message


@pytest.mark.parametrize("address", ["chu tich@x.example", "a@b.example\r\nBcc: c@d.example",
                                     "a@@b.example", "a@b.example, c@d.example", "<a@b.example>"])
def test_an_invalid_or_injected_address_is_refused_with_its_cell(database, tmp_path, address):
    rows = [[f"Z{n}", "Đơn vị", "TINH-SL", "Trưởng", f"z{n}@z.example", ""] for n in range(3)]
    rows[1][5] = address
    path = write_csv(tmp_path / "units.csv", UNITS_HEADER, rows)
    [problem] = attempt(database, path, "units")
    assert (problem.row, problem.column) == (3, "F (Email đầu mối CCHC)")


@pytest.mark.parametrize("parents", [{"A": "A"}, {"A": "B", "B": "A"},
                                     {"A": "B", "B": "C", "C": "A"}])
def test_a_unit_that_is_its_own_ancestor_is_refused(database, tmp_path, parents):
    rows = [[code, f"Đơn vị {code}", parent, "", "", ""] for code, parent in parents.items()]
    path = write_csv(tmp_path / "units.csv", UNITS_HEADER, rows)
    problems = attempt(database, path, "units")
    assert {p.row for p in problems} == set(range(2, 2 + len(parents)))
    assert all("vòng" in p.message and p.column.startswith("C ") for p in problems)


@pytest.mark.parametrize("value", [0, -1, "48", True, 1.5])
def test_a_bad_maximum_age_in_the_policy_is_refused_by_its_key(value):
    with pytest.raises(PolicyError, match=r"delivery\.max_age_hours"):
        policy_from_mapping({"delivery": {"max_age_hours": value}}, "policy.toml")
    assert policy_from_mapping({"delivery": {"max_age_hours": 6}}, "p").max_age_hours == 6

