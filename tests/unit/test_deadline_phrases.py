"""Deadline cells as real plans and tracking workbooks write them, each with the reading it
must give. The phrasings follow published provincial and city CCHC plans (the "Thời gian hoàn
thành" column), their progress-tracking workbooks, and the periodic-reporting regulations that
fix report days (chế độ báo cáo định kỳ); the numbers vary. The plan's year is 2023."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.deadline_phrases import with_row_periods
from domain.deadlines import Deadline, DeadlineError, parse_deadline
from domain.states import DeadlineKind

PLAN_YEAR = 2023


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def read(text: str) -> Deadline:
    return parse_deadline(text, year=PLAN_YEAR)


DATED = [
    # a month or a quarter without a year, "trong" forms → the plan's year
    ("Tháng 11", "30/11/2023", "01/11/2023"),
    ("tháng 02", "28/02/2023", "01/02/2023"),
    ("Trong tháng 8", "31/08/2023", "01/08/2023"),
    ("Trong tháng 12.", "31/12/2023", "01/12/2023"),
    ("Trong quý III", "30/09/2023", "01/07/2023"),
    ("Trong Quý 4", "31/12/2023", "01/10/2023"),
    ("Quý I", "31/03/2023", "01/01/2023"),
    ("QUÝ II", "30/06/2023", "01/04/2023"),
    ("Hoàn thành trong quý II", "30/06/2023", "01/04/2023"),
    # a day without a year → the plan's year
    ("Trước ngày 15/7", "15/07/2023", None),
    ("Trước 30/9", "30/09/2023", None),
    ("trước ngày 31/3", "31/03/2023", None),
    ("Chậm nhất ngày 20/11", "20/11/2023", None),
    ("Trước ngày 30 tháng 6", "30/06/2023", None),
    # ranges: due at the end, open from the start
    ("Tháng 7-8/2023", "31/08/2023", "01/07/2023"),
    ("Tháng 7 - 8/2023", "31/08/2023", "01/07/2023"),
    ("Tháng 11-12 năm 2023", "31/12/2023", "01/11/2023"),
    ("Từ tháng 3 đến tháng 5", "31/05/2023", "01/03/2023"),
    ("Từ tháng 3/2023 đến tháng 5/2023", "31/05/2023", "01/03/2023"),
    ("Từ tháng 9 đến hết tháng 10/2023", "31/10/2023", "01/09/2023"),
    ("Quý II-III/2023", "30/09/2023", "01/04/2023"),
    ("Quý III - Quý IV/2023", "31/12/2023", "01/07/2023"),
    ("Quý I - II", "30/06/2023", "01/01/2023"),
    ("Năm 2021-2025", "31/12/2025", "01/01/2021"),
    ("Giai đoạn 2021 - 2025", "31/12/2025", "01/01/2021"),
    ("Từ ngày 01/3/2023 đến ngày 30/4/2023", "30/04/2023", "01/03/2023"),
    # the days of an inspection's visit
    ("Từ 23 đến 25/9/2023", "25/09/2023", "23/09/2023"),
    ("Từ ngày 23 đến ngày 25/9/2023", "25/09/2023", "23/09/2023"),
    ("23-25/9/2023", "25/09/2023", "23/09/2023"),
    ("Từ 23 đến 25/9", "25/09/2023", "23/09/2023"),
    # the whole year
    ("Cả năm", "31/12/2023", "01/01/2023"),
    ("Trong năm", "31/12/2023", "01/01/2023"),
    ("Năm 2023", "31/12/2023", "01/01/2023"),
    ("Trong năm 2023", "31/12/2023", "01/01/2023"),
    ("Suốt năm 2023", "31/12/2023", "01/01/2023"),
    # a deadline inside a longer sentence, or a label before a period
    ("Trình ban hành trước 30/9/2025", "30/09/2025", None),
    ("Hoàn thành chậm nhất ngày 15/10/2025", "15/10/2025", None),
    ("Hạn chót 30/6/2023", "30/06/2023", None),
    ("Không quá ngày 31/10/2023", "31/10/2023", None),
    ("Xong trước 15/12/2023", "15/12/2023", None),
    ("Hoàn thành trước ngày 30 tháng 9 năm 2023", "30/09/2023", None),
    ("Đăng ký Quý III/2025", "30/09/2025", "01/07/2025"),
    ("Trình kỳ họp tháng 7/2025", "31/07/2025", "01/07/2025"),
    ("Báo cáo UBND tỉnh trong tháng 12/2023", "31/12/2023", "01/12/2023"),
    ("Trong năm 2025, chậm nhất 30/9/2025", "30/09/2025", None),
    ("Năm 2023 (hoàn thành trước 30/6/2023)", "31/12/2023", "01/01/2023"),
    # case, accents, spacing, trailing stop, line break, a note in brackets
    ("Quý IV/2023\n(báo cáo năm)", "31/12/2023", "01/10/2023"),
    ("quy iv/2023 (bao cao nam)", "31/12/2023", "01/10/2023"),
    ("Tháng 6/2023.", "30/06/2023", "01/06/2023"),
    ("  TRƯỚC   NGÀY 15/7  ", "15/07/2023", None),
    ("Trong tháng 8\n", "31/08/2023", "01/08/2023"),
    # a month cell shown as month/year (Excel "mm/yyyy", "Tháng "m/yyyy)
    ("07/2021", "31/07/2021", "01/07/2021"),
    ("7/2021", "31/07/2021", "01/07/2021"),
    ("Tháng 7/2021", "31/07/2021", "01/07/2021"),
    ("02/2024", "29/02/2024", "01/02/2024"),
]


@pytest.mark.parametrize(("text", "due", "opens"), DATED)
def test_a_dated_cell_gives_its_due_and_opening_dates(text, due, opens):
    deadline = read(text)
    assert deadline.kind is DeadlineKind.FIXED
    assert deadline.due == d(due)
    assert deadline.opens == (d(opens) if opens else None)


RECURRING = [
    ("Hằng quý", ["quarter"], None, None, None),
    ("Hàng tháng", ["month"], None, None, None),
    ("Định kỳ hằng tháng", ["month"], None, None, None),
    ("Định kỳ hàng quý", ["quarter"], None, None, None),
    ("Định kỳ 6 tháng, hằng năm", ["half_year", "year"], None, None, None),
    ("Báo cáo quý, 6 tháng, năm", ["quarter", "half_year", "year"], None, None, None),
    ("Định kỳ hằng quý, 6 tháng và năm", ["quarter", "half_year", "year"], None, None, None),
    ("Trước ngày 10 hằng tháng", ["month"], 10, None, None),
    ("Trước ngày 18 của tháng cuối quý", ["quarter"], 18, "last", None),
    ("chậm nhất ngày 20 tháng cuối kỳ", [], 20, "last", None),
    ("Báo cáo trước ngày 15 tháng cuối quý", ["quarter"], 15, "last", None),
    ("Trước 30/4 hằng năm", ["year"], 30, 4, "30/04/2023"),
    ("Trước ngày 10/12 hàng năm", ["year"], 10, 12, "10/12/2023"),
    ("Trước ngày 15 tháng 12 hằng năm", ["year"], 15, 12, "15/12/2023"),
]


@pytest.mark.parametrize(("text", "periods", "day", "month", "due"), RECURRING)
def test_a_recurring_cell_keeps_its_rule_and_a_yearly_rule_is_also_this_years_date(
    text, periods, day, month, due
):
    deadline = read(text)
    assert deadline.kind is DeadlineKind.RECURRING
    assert deadline.rule.as_dict() == {"periods": periods, "day": day, "month": month}
    assert deadline.due == (d(due) if due else None)


@pytest.mark.parametrize("text", ["Thường xuyên", "Thường xuyên, liên tục", "THƯỜNG XUYÊN."])
def test_continuous_cells_have_no_due_date(text):
    deadline = read(text)
    assert (deadline.kind, deadline.due) == (DeadlineKind.CONTINUOUS, None)


UNDETERMINED = [
    "Theo kế hoạch",
    "Theo chỉ đạo của UBND tỉnh",
    "Kỳ họp cuối năm 2025",
    "Kỳ họp thứ 10 HĐND tỉnh năm 2025",
    "Sau khi có văn bản hướng dẫn của Bộ Nội vụ",
    "Công văn số 1234/UBND-NC ngày 05/3/2025",
    "Theo Kế hoạch số 12/KH-UBND ngày 15/01/2023 của UBND tỉnh",
    "Theo Quyết định số 06/2023/QĐ-UBND",
    "Cuối năm 2023",
    "Đầu quý III",
    "Khi có yêu cầu",
    "Sớm nhất có thể",
    "Từ 01/3/2023",
    "Chưa xác định",
    "Giảm 10% so với năm 2022",
]


@pytest.mark.parametrize("text", UNDETERMINED)
def test_text_that_names_no_calendar_date_is_undetermined(text):
    deadline = read(text)
    assert deadline.kind is DeadlineKind.UNDETERMINED
    assert (deadline.due, deadline.opens) == (None, None)
    assert deadline.reading().startswith("chưa xác định thời hạn")


@pytest.mark.parametrize(("text", "named"), [
    ("Quý II/2023; trước 30/9/2023", "30/06/2023 và 30/09/2023"),
    ("Tháng 5/2023 hoặc tháng 8/2023", "31/05/2023 và 31/08/2023"),
])
def test_two_deadlines_that_contradict_each_other_are_undetermined_naming_both(text, named):
    deadline = read(text)
    assert deadline.kind is DeadlineKind.UNDETERMINED
    assert named in deadline.reading()


@pytest.mark.parametrize("text", ["31/02/2022", "Trước 31/02", "Trước 30/02 hằng năm",
                                  "Tháng 13", "Quý V", "Trước 29/02/2023", "Từ 25 đến 23/9",
                                  "25-23/9/2023"])
def test_an_impossible_date_or_period_is_an_error_naming_the_text(text):
    with pytest.raises(DeadlineError) as raised:
        read(text)
    assert f'"{text}"' in str(raised.value)


def test_the_table_covers_at_least_sixty_cells():
    assert len(DATED) + len(RECURRING) + len(UNDETERMINED) >= 60


@pytest.mark.parametrize(("text", "reading"), [
    ("Trong quý II", "30/06/2023 (từ 01/04/2023)"),
    ("Theo kế hoạch", "chưa xác định thời hạn (không nêu ngày cụ thể)"),
    ("Trước 30/4 hằng năm", "định kỳ hằng năm, ngày 30/04, hạn năm nay 30/04/2023"),
])
def test_the_reading_is_said_in_the_secretariats_words(text, reading):
    assert read(text).reading() == reading


@pytest.mark.parametrize(("text", "plain"), [
    ("Quý II/2023", True), ("Thường xuyên", True), ("Quý II/2023.", True),
    ("Trong quý II", False), ("Theo kế hoạch", False), ("Quý II/2023 (dự kiến)", False),
])
def test_only_the_plain_forms_are_marked_plain(text, plain):
    assert read(text).plain is plain


# --- no date far from the plan's year unless the text names that year ---------------------------

WORDS = ["Tháng", "tháng", "Quý", "quý", "năm", "Năm", "Trước", "trước", "ngày", "chậm nhất",
         "hằng", "hàng", "định kỳ", "cuối", "đầu", "Từ", "đến", "trong", "Cả", "kỳ họp", "số",
         "Công văn", "Theo", "I", "II", "III", "IV", "V", "/", "-", ".", ",", " ", "(", ")",
         "\n", "0", "1", "7", "8", "12", "13", "15", "29", "30", "31", "1234/UBND",
         "2019", "2022", "2023", "2024", "2030", "9999"]


@settings(max_examples=600, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=10), plan_year=st.integers(2000, 2050))
def test_no_reading_falls_outside_the_plan_year_and_next_unless_the_text_names_that_year(
    words, plan_year
):
    text = " ".join(words)
    try:
        deadline = parse_deadline(text, year=plan_year)
    except DeadlineError as error:
        assert error.reason
        return
    for day in (deadline.due, deadline.opens):
        if day is not None and abs(day.year - plan_year) > 1:
            assert str(day.year) in text


@settings(max_examples=400, deadline=None)
@given(text=st.text(max_size=60), plan_year=st.one_of(st.none(), st.integers(1990, 2100)))
def test_any_text_gives_a_deadline_or_a_deadline_error_never_a_traceback(text, plan_year):
    try:
        deadline = parse_deadline(text, year=plan_year)
    except DeadlineError as error:
        assert error.reason
    else:
        assert isinstance(deadline, Deadline)


@pytest.mark.parametrize("text", ["Tháng 11", "Trước 30/9", "Trong năm"])
def test_a_period_without_a_year_and_no_plan_year_is_undetermined(text):
    deadline = parse_deadline(text)  # a findings register: no plan's year to put it in
    assert (deadline.kind, deadline.due) == (DeadlineKind.UNDETERMINED, None)


# --- a day in every period, a rule with no period, a date in a note, what was not understood --

@pytest.mark.parametrize(("text", "periods", "day", "month"), [
    ("Trước ngày 10 hằng tháng", ["month"], 10, None),
    ("Ngày 25 tháng cuối quý", ["quarter"], 25, "last"),
    ("Chậm nhất ngày 18 của tháng cuối mỗi quý", ["quarter"], 18, "last"),
    ("Báo cáo quý gửi trước ngày 05 tháng cuối cùng của mỗi quý", ["quarter"], 5, "last"),
    ("Trước ngày 5 của tháng đầu quý sau", ["quarter"], 5, "next"),
    ("Gửi Sở Nội vụ trước ngày 10 tháng đầu của quý tiếp theo", ["quarter"], 10, "next"),
    ("Chậm nhất ngày 15 tháng cuối của mỗi 6 tháng", ["half_year"], 15, "last"),
    ("Hằng tháng, trước ngày 10", ["month"], 10, None),
    ("Định kỳ hằng tháng\n(chậm nhất ngày 25)", ["month"], 25, None),
])
def test_a_rule_naming_a_day_of_each_period_recurs_with_that_day_and_period(
    text, periods, day, month
):
    deadline = read(text)
    assert deadline.kind is DeadlineKind.RECURRING
    assert deadline.rule.as_dict() == {"periods": periods, "day": day, "month": month}
    assert deadline.due is None  # no one date: each period has its own


def test_the_month_after_the_period_is_said_in_the_reading():
    assert read("Trước ngày 5 của tháng đầu quý sau").reading() == (
        "định kỳ hằng quý, ngày 5 tháng đầu kỳ sau")


@pytest.mark.parametrize("text", ["6 tháng đầu năm sau", "Trong tháng đầu năm sau"])
def test_the_first_month_of_next_year_without_a_day_is_no_rule(text):
    assert read(text).kind is not DeadlineKind.RECURRING


@pytest.mark.parametrize(("content", "periods"), [
    ("Báo cáo tình hình, kết quả thực hiện công tác CCHC quý, 6 tháng và năm",
     ["quarter", "half_year", "year"]),
    ("Xây dựng báo cáo CCHC định kỳ hằng quý, hằng năm gửi Sở Nội vụ", ["quarter", "year"]),
    ("Tổng hợp báo cáo tháng về kiểm soát thủ tục hành chính", ["month"]),
])
def test_a_rule_with_no_period_takes_the_periods_its_rows_content_names(content, periods):
    deadline = with_row_periods(read("Chậm nhất ngày 20 của tháng cuối kỳ báo cáo"), content)
    assert deadline.kind is DeadlineKind.RECURRING
    assert deadline.rule.as_dict() == {"periods": periods, "day": 20, "month": "last"}
    assert deadline.reading().endswith("ngày 20 tháng cuối kỳ (kỳ theo nội dung của dòng)")


@pytest.mark.parametrize("content", [
    "Báo cáo kết quả thực hiện Kế hoạch CCHC năm 2023",  # one year's report, not a rule
    "Báo cáo sơ kết 6 tháng đầu năm",
    "Thực hiện chế độ báo cáo định kỳ",
    None,
])
def test_a_rule_with_no_period_and_a_content_naming_none_is_undetermined_saying_so(content):
    deadline = with_row_periods(read("Chậm nhất ngày 20 của tháng cuối kỳ báo cáo"), content)
    assert (deadline.kind, deadline.rule) == (DeadlineKind.UNDETERMINED, None)
    assert deadline.reading() == (
        "chưa xác định thời hạn (định kỳ mỗi kỳ, ngày 20 tháng cuối kỳ, nhưng không nêu là kỳ "
        "tháng, quý, 6 tháng hay năm)")


def test_a_rule_that_names_its_periods_keeps_them_whatever_the_content():
    deadline = read("Trước ngày 15 tháng cuối quý")
    assert with_row_periods(deadline, "Báo cáo CCHC năm") is deadline


@pytest.mark.parametrize(("text", "named"), [
    ("Tháng 6/2023 (trong danh sách phải xong trước 31/5/2023)", "31/05/2023 và 30/06/2023"),
    ("Tháng 6/2023, trong danh sách phải xong trước 31/5/2023", "31/05/2023 và 30/06/2023"),
    ("Quý III/2023 (hạn theo Kế hoạch của tỉnh: 15/10/2023)", "30/09/2023 và 15/10/2023"),
    ("Trước 30/6 (chậm nhất 20/6)", "20/06/2023 và 30/06/2023"),
])
def test_a_date_in_a_note_outside_the_cells_deadline_is_a_conflict_as_in_a_sentence(text, named):
    deadline = read(text)
    assert (deadline.kind, deadline.due) == (DeadlineKind.UNDETERMINED, None)
    assert deadline.reading() == f"chưa xác định thời hạn (các thời hạn mâu thuẫn: {named})"


@pytest.mark.parametrize(("text", "due"), [
    ("Năm 2023 (hoàn thành trước 30/6/2023)", "31/12/2023"),
    ("Quý II/2023 (tháng 5/2023 trình UBND tỉnh)", "30/06/2023"),
    ("30/6/2023 (theo Công văn số 125/SNV-CCHC ngày 12/3/2023)", "30/06/2023"),
    ("Quý IV/2023 (báo cáo năm)", "31/12/2023"),
])
def test_a_note_within_the_cells_deadline_or_citing_a_document_leaves_it(text, due):
    deadline = read(text)
    assert (deadline.kind, deadline.due) == (DeadlineKind.FIXED, d(due))


@pytest.mark.parametrize(("text", "reason"), [
    ("Trước ngày 15 của tháng thứ hai mỗi quý", "có ngày 15 nhưng không rõ của tháng nào"),
    ("Trước ngày 10 của tháng kế tiếp", "có ngày 10 nhưng không rõ của tháng nào"),
    ("Ngày 20 tháng giữa quý", "có ngày 20 nhưng không rõ của tháng nào"),
    ("Hằng quý, trước ngày 15", "có ngày 15 nhưng không rõ của tháng nào trong kỳ"),
    ("Theo Công văn số 1234/UBND-NC ngày 05/3/2023", "chỉ nêu ngày của văn bản dẫn chiếu"),
    ("Theo Kế hoạch số 12/KH-UBND ngày 15 tháng 01 năm 2023", "chỉ nêu ngày của văn bản dẫn chiếu"),
    ("Theo kế hoạch", "không nêu ngày cụ thể"),
])
def test_the_reason_a_cell_is_undetermined_says_what_was_not_understood(text, reason):
    assert read(text).reading() == f"chưa xác định thời hạn ({reason})"
