"""Reading workbooks as a person does, rule by rule, without a database: date cells as shown,
title blocks as written, headers found by their synonyms, units by their names and groups."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from adapters.headers import HeaderNotFound, Merge, excel_date_text, find_header
from domain.columns import PLAN_COLUMNS
from domain.status import Status, shared_status
from domain.title_block import read_title_block
from domain.unit_groups import declared_groups
from domain.unit_names import GroupEntry, UnitDirectory, UnitEntry, UnknownUnit


@pytest.mark.parametrize(("number_format", "shown"), [
    ('"Tháng "m/yyyy', "Tháng 7/2021"),
    ("dd/mm/yyyy", "15/07/2021"),
    ("d/m/yyyy", "15/7/2021"),
    ("mm-dd-yy", "15/07/2021"),  # Excel's built-in short date, shown in the Vietnamese locale
    ("General", "15/07/2021"),
    ("[$-42A]dd\\.mm\\.yyyy;@", "15.07.2021"),
])
def test_a_date_cell_reads_as_the_text_excel_shows(number_format, shown):
    assert excel_date_text(datetime(2021, 7, 15), number_format) == shown


def test_a_title_over_two_rows_with_the_plan_it_is_attached_to_in_words():
    block = read_title_block([
        "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH ĐIỆN BIÊN",
        "KẾ HOẠCH", "Cải cách hành chính năm 2022",
        "(Kèm theo Kế hoạch số 4289/KH-UBND ngày 21 tháng 12 năm 2021 của UBND tỉnh)",
    ])
    assert (block.title, block.year) == ("KẾ HOẠCH Cải cách hành chính năm 2022", 2022)
    assert (block.decision_number, block.decision_date) == ("4289/KH-UBND", date(2021, 12, 21))
    assert block.heading[0] == "ỦY BAN NHÂN DÂN"


def test_a_plan_heading_gives_its_own_number_and_date():
    block = read_title_block(["UBND TỈNH TUYÊN QUANG", "Số: 87/KH-UBND",
                              "Tuyên Quang, ngày 10 tháng 12 năm 2013",
                              "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH", "NĂM 2014"])
    assert (block.title, block.year) == ("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2014", 2014)
    assert (block.decision_number, block.decision_date) == ("87/KH-UBND", date(2013, 12, 10))


def test_a_reference_dated_on_a_day_that_does_not_exist_is_a_problem_not_a_date():
    block = read_title_block(["Quyết định số 12/QĐ-UBND ngày 31/02/2021"])
    assert block.decision_date is None and "không có thật" in block.problems[0]


def test_a_two_row_csv_header_reads_the_sub_labels_under_their_group():
    raw = [("STT", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "Kết quả thực hiện", "", "Ghi chú"),
           ("", "", "", "", "Trạng thái", "Ngày hoàn thành", ""),
           ("1", "2", "3", "4", "5", "6", "7"),
           ("1.1", "Việc", "PNV", "Quý I/2021", "Hoàn thành", "01/02/2021", "")]
    header = find_header(raw, [], PLAN_COLUMNS, {}, "--columns")
    assert header.positions == {"number": 0, "content": 1, "unit": 2, "deadline": 3,
                                "state": 4, "completed_on": 5}
    assert (header.first_row, header.last_row) == (1, 3)
    assert any("bỏ qua cột G 'Ghi chú'" in line for line in header.reading)


def test_a_group_label_alone_names_none_of_its_columns():
    raw = [("TT", "Nội dung", "Chủ trì", "Thời gian", ""),
           ("", "", "", "Bắt đầu", "Hoàn thành")]
    header = find_header(raw, [Merge.parse("D1:E1")], PLAN_COLUMNS, {}, "--columns")
    assert header.positions["deadline"] == 4  # "Thời gian" + "Hoàn thành", not "Bắt đầu"


def test_a_header_without_a_required_column_names_it_and_what_it_saw():
    raw = [("TT", "Nội dung", "Chủ trì", "Hạn chót")]
    with pytest.raises(HeaderNotFound) as error:
        find_header(raw, [], PLAN_COLUMNS, {}, "--columns")
    assert "thiếu cột: Thời gian hoàn thành (thoi_han)" in error.value.text
    assert "D 'Hạn chót'" in error.value.text


UNITS = {u.code: u for u in (
    UnitEntry("TINH", "UBND tỉnh"),
    UnitEntry("H1", "UBND huyện Một", parent="TINH"),
    UnitEntry("H2", "UBND huyện Hai", parent="TINH"),
    UnitEntry("H1-NV", "Phòng Nội vụ", parent="H1"),
    UnitEntry("H2-NV", "Phòng Nội vụ", parent="H2"),
    UnitEntry("SGTVT", "Sở Giao thông vận tải", ("Sở GTVT",), parent="TINH"),
    UnitEntry("X-OLD", "UBND xã Cũ", parent="H1", active=False),
)}
GROUPS = [GroupEntry("UBND cấp huyện", ("UBND các huyện",), ("H1", "H2", "X-OLD"))]


def test_a_name_matches_whatever_the_case_accents_and_abbreviation():
    directory = UnitDirectory(UNITS, GROUPS)
    assert directory.lead("ỦY BAN NHÂN DÂN HUYỆN MỘT").codes == ("H1",)
    assert directory.lead("sở gtvt").codes == ("SGTVT",)
    assert directory.lead("sgtvt").codes == ("SGTVT",)


def test_two_units_of_one_name_resolve_inside_the_plan_owners_subtree_or_are_refused():
    assert UnitDirectory(UNITS, GROUPS, owner="H2").lead("Phòng Nội vụ").codes == ("H2-NV",)
    with pytest.raises(UnknownUnit, match="trùng với nhiều đơn vị: H1-NV"):
        UnitDirectory(UNITS, GROUPS, owner="TINH").lead("Phòng Nội vụ")


def test_an_unknown_name_is_refused_with_the_closest_units():
    with pytest.raises(UnknownUnit, match="gần nhất: SGTVT"):
        UnitDirectory(UNITS, GROUPS).lead("Sở Giao thông")


def partners(directory: UnitDirectory, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    read = directory.read_partners(text)
    return read.codes, read.kept


def test_a_partner_cell_names_the_units_it_can_and_keeps_the_rest_as_written():
    directory = UnitDirectory(UNITS, GROUPS)
    assert partners(directory, "Sở GTVT, Công an tỉnh; UBND các huyện") == (
        ("SGTVT", "H1", "H2"), ("Công an tỉnh",))
    assert partners(directory, "Các cơ quan, đơn vị liên quan") == (
        (), ("Các cơ quan", "đơn vị liên quan"))
    # Two units of one name are not guessed between: kept as written.
    assert partners(directory, "Phòng Nội vụ") == ((), ("Phòng Nội vụ",))
    # A name that holds a comma is read whole before it is split.
    one = UnitDirectory({"TCKH": UnitEntry("TCKH", "Phòng Tài chính, Kế hoạch")})
    assert partners(one, "Phòng Tài chính, Kế hoạch") == (("TCKH",), ())


def test_a_group_name_or_alias_means_its_active_members():
    lead = UnitDirectory(UNITS, GROUPS).lead("UBND các huyện")
    assert (lead.codes, lead.group) == (("H1", "H2"), "UBND cấp huyện")


def test_group_names_joined_by_equals_in_any_cell_are_one_group():
    groups = declared_groups([("A", "Các xã = UBND cấp xã; Một cửa"), ("B", "UBND cấp xã"),
                              ("C", "UBND CÁC XÃ = Các xã")])
    assert [(g.name, g.aliases, g.members) for g in groups] == [
        ("Các xã", ["UBND cấp xã", "UBND CÁC XÃ"], ["A", "B", "C"]),
        ("Một cửa", [], ["A"]),
    ]


@pytest.mark.parametrize(("statuses", "shared"), [
    ([Status.DONE_ON_TIME, Status.OVERDUE, Status.IN_PROGRESS], Status.OVERDUE),
    ([Status.DONE_ON_TIME, Status.DONE_LATE], Status.DONE_LATE),
    ([Status.DONE_ON_TIME, Status.DONE_ON_TIME], Status.DONE_ON_TIME),
    ([Status.NOT_YET_DUE, Status.DUE_SOON], Status.DUE_SOON),
])
def test_a_shared_task_is_done_when_every_unit_is_and_as_late_as_its_latest(statuses, shared):
    assert shared_status(statuses) is shared
