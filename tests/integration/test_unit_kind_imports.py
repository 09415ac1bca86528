"""Units' kinds through the units import: a district's workbook with a Loại column (some cells
blank, read from the name), the example's file without it (every kind read from the name), a
re-import that leaves known kinds alone, a Loại the import does not know refused with nothing
written, and a database from before kinds filled in from its units' names by `cchc init`."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from openpyxl import Workbook
from sqlmodel import select

from domain.models import Unit
from domain.states import UnitKind
from persistence.db import alembic_config, make_engine, upgrade
from persistence.unit_of_work import UnitOfWork
from tests.conftest import EXAMPLES

# Mai Sơn district as its secretariat lists it: the heading, a title, then the units; the
# Loại column says the offices' and the township's kind and leaves the communes' to the name.
HEADER = ["TT", "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên",
          "Chức danh người đứng đầu", "Email người đứng đầu", "Email đầu mối CCHC"]
ROWS = [
    ("H-MS", "UBND huyện Mai Sơn", "Huyện", None, "Chủ tịch UBND huyện"),
    ("VP", "Văn phòng HĐND và UBND huyện", "Phòng", "H-MS", "Chánh Văn phòng"),
    ("PNV", "Phòng Nội vụ", "Phòng", "H-MS", "Trưởng phòng"),
    ("TTR", "Thanh tra huyện", "phòng", "H-MS", "Chánh Thanh tra"),
    ("TT-HL", "UBND thị trấn Hát Lót", "Thị trấn", "H-MS", "Chủ tịch UBND thị trấn"),
    ("X-CM", "UBND xã Chiềng Mung", None, "H-MS", "Chủ tịch UBND xã"),
    ("X-CN", "UBND xã Cò Nòi", None, "H-MS", "Chủ tịch UBND xã"),
    ("X-NB", "UBND xã Nà Bó", "Xã", "H-MS", "Chủ tịch UBND xã"),
    ("TTPV", "Trung tâm Dịch vụ nông nghiệp", None, "H-MS", "Giám đốc"),
]


def district_workbook(path, rows=ROWS):
    book = Workbook()
    sheet = book.active
    sheet.append(["ỦY BAN NHÂN DÂN", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append(["HUYỆN MAI SƠN", None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.append(["DANH SÁCH CƠ QUAN, ĐƠN VỊ THỰC HIỆN CẢI CÁCH HÀNH CHÍNH"])
    sheet.append([])
    sheet.append(HEADER)
    for number, (code, name, kind, parent, title) in enumerate(rows, 1):
        sheet.append([number, code, name, kind, parent, title,
                      f"lanhdao.{code.lower()}@maison.example", None])
    book.save(path)
    return path


def kinds(engine) -> dict[str, UnitKind]:
    with UnitOfWork(engine).reading() as session:
        return {u.code: UnitKind(u.kind) for u in session.exec(select(Unit))}


def test_a_district_workbook_says_its_kinds_and_the_import_says_how_each_was_read(
    cchc, engine, tmp_path
):
    code, output = cchc("import", "units", str(district_workbook(tmp_path / "don-vi.xlsx")))
    assert code == 0, output
    said = " ".join(output.split())  # the terminal wraps long lines
    assert "cột D 'Loại đơn vị' → loại đơn vị" in said
    assert ("loại đơn vị theo cột Loại: 1 huyện/thành phố/thị xã, 3 phòng, 1 xã, 1 thị trấn"
            in said)
    assert "loại đơn vị đọc từ tên đơn vị: 2 xã" in said
    assert ("loại đơn vị không đọc được từ tên, ghi là khác (ghi rõ ở cột Loại nếu cần): "
            "Trung tâm Dịch vụ nông nghiệp (TTPV)") in said
    assert ("loại đơn vị, tổng cộng: 1 huyện/thành phố/thị xã, 3 phòng, 3 xã, 1 thị trấn, "
            "1 khác") in said
    assert kinds(engine) == {
        "H-MS": UnitKind.DISTRICT, "VP": UnitKind.OFFICE, "PNV": UnitKind.OFFICE,
        "TTR": UnitKind.OFFICE, "TT-HL": UnitKind.TOWNSHIP, "X-CM": UnitKind.COMMUNE,
        "X-CN": UnitKind.COMMUNE, "X-NB": UnitKind.COMMUNE, "TTPV": UnitKind.OTHER}


def test_the_examples_units_have_their_kinds_read_from_their_names_and_keep_them(
    cchc, engine, tmp_path
):
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0, output
    assert ("loại đơn vị đọc từ tên đơn vị: 1 tỉnh, 9 sở, 1 ban, 4 huyện/thành phố/thị xã, "
            "11 phòng, 2 xã, 2 phường") in " ".join(output.split())
    read = kinds(engine)
    assert read["VPUBT"] is UnitKind.DEPARTMENT and read["TP-SL"] is UnitKind.DISTRICT
    assert read["VP"] is read["TTR"] is UnitKind.OFFICE
    assert read["P-TH"] is UnitKind.WARD and read["X-CX"] is UnitKind.COMMUNE
    assert read["BDT"] is UnitKind.BOARD and read["H-MS"] is UnitKind.DISTRICT
    # The secretariat says otherwise in a file with the column; the example's file, without
    # it, then leaves what it said alone.
    lines = (EXAMPLES / "units.csv").read_text(encoding="utf-8").splitlines()
    with_column = [lines[0] + ",Loại", *(line + (",Phường" if line.startswith("X-HL,") else ",")
                                         for line in lines[1:])]
    (tmp_path / "loai.csv").write_text("\n".join(with_column) + "\n", encoding="utf-8")
    code, output = cchc("import", "units", str(tmp_path / "loai.csv"))
    assert code == 0, output
    assert "loại đơn vị theo cột Loại: 1 phường" in output
    code, output = cchc("import", "units", str(EXAMPLES / "units.csv"))
    assert code == 0, output
    assert "loại đơn vị giữ như đã có (tệp không có cột Loại):" in " ".join(output.split())
    assert kinds(engine)["X-HL"] is UnitKind.WARD


def test_a_loai_the_import_does_not_know_is_refused_with_its_row_and_nothing_is_written(
    cchc, engine, tmp_path
):
    rows = [*ROWS[:3], ("X-CM", "UBND xã Chiềng Mung", "cấp xã", "H-MS", "Chủ tịch UBND xã")]
    code, output = cchc("import", "units", str(district_workbook(tmp_path / "sai.xlsx", rows)))
    assert code != 0
    said = " ".join(output.split())
    assert "sai.xlsx, dòng 9, cột D (Loại đơn vị): loại đơn vị không rõ" in said
    assert "[giá trị: 'cấp xã']" in said
    assert kinds(engine) == {}


def test_init_fills_in_the_kinds_of_a_database_from_before_them_from_the_units_names(
    database_url
):
    engine = make_engine(database_url)
    upgrade(engine)
    command.downgrade(alembic_config(engine), "-1")  # the schema before units had a kind
    unit = sa.table("unit", sa.column("code"), sa.column("name"), sa.column("parent_code"),
                    sa.column("active"))
    with engine.begin() as connection:
        connection.execute(sa.insert(unit), [
            {"code": code, "name": name, "parent_code": parent, "active": True}
            for code, name, parent in [
                ("TINH", "UBND tỉnh Sơn La", None), ("TP", "UBND thành phố Sơn La", "TINH"),
                ("TTR", "Thanh tra", "TP"), ("TTR-T", "Thanh tra", "TINH"),
                ("X", "UBND xã Chiềng Xôm", "TP"), ("CA", "Công an tỉnh", "TINH")]])
    upgrade(engine)
    assert kinds(engine) == {
        "TINH": UnitKind.PROVINCE, "TP": UnitKind.DISTRICT, "TTR": UnitKind.OFFICE,
        "TTR-T": UnitKind.DEPARTMENT, "X": UnitKind.COMMUNE, "CA": UnitKind.OTHER}
    engine.dispose()
