"""The grammar of deadline cells beyond the plain forms: periods without a year, ranges, a
deadline inside a sentence, recurring rules, and text that names no calendar date.

Works on `normalise`d text (lower case, no accents). The forms come from published provincial
and city CCHC plans, their progress-tracking workbooks and the periodic-reporting regulations
(chế độ báo cáo định kỳ) that fix report days. The rule throughout: a reading is either a date
the text names or "chưa xác định thời hạn" — a reference date (Công văn … ngày 05/3/2025), a
vague time (cuối năm, kỳ họp) or two deadlines that disagree never become a due date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from domain.deadline_values import (
    DATE,
    DATE_WORDS,
    PERIODS,
    Deadline,
    DeadlineError,
    Recurrence,
    dated,
    month_deadline,
    month_end,
    normalise,
    quarter_deadline,
    quarter_number,
    real_date,
)
from domain.states import DeadlineKind

_Q = r"(iv|i{1,3}|[1-4])"
_YEAR = r"(?:\s*[/.-]\s*|\s+nam\s+|\s+)(\d{4})"
_NOT_A_MARKER = r"(?!truoc\b|cham\b|han\b|khong\b|den\b|xong\b)"

# --- recurring ------------------------------------------------------------------------------------
_OF_PERIOD = r"(quy|ky|nam|6\s+thang|nua\s+nam)"
_LAST_MONTH = rf"thang\s+cuoi(?:\s+cung)?\s+(?:cua\s+)?(?:moi\s+|tung\s+)?{_OF_PERIOD}"
# "tháng đầu quý sau": the month after the period; only with a day, for "tháng đầu năm sau"
# alone is a month of next year, not a rule.
_NEXT_MONTH = (rf"(?<!6 )(?<!sau )thang\s+dau(?:\s+tien)?\s+(?:cua\s+)?{_OF_PERIOD}"
               r"\s+(?:sau|tiep\s+theo|ke\s+tiep)\b")
_RECURS = re.compile(
    r"\bhang\s+(?:tuan|thang|quy|nam|6\s+thang|sau\s+thang)\b|\bdinh\s+ky\b"
    rf"|\b{_LAST_MONTH}\b|\bngay\s+\d{{1,2}}\s+(?:cua\s+)?{_NEXT_MONTH}"
)
_PERIOD_LIST = re.compile(  # "báo cáo quý, 6 tháng, năm"
    r"(?:bao\s+cao\s+)?(?:quy|thang|6\s+thang|sau\s+thang|nam)"
    r"(?:\s*(?:,|;|va|/)\s*(?:quy|thang|6\s+thang|sau\s+thang|nam))+"
)
# "quý" the period, not "quy định", "quy chế", … (a regulation, rules)
_QUARTER = r"quy\b(?!\s+(?:dinh|che|trinh|hoach|mo|pham|tac|chuan|uoc|luat)\b)"
_PERIOD_WORDS = {
    "week": re.compile(r"\btuan\b"),
    "month": re.compile(r"(?<!6 )(?<!sau )\bthang\b(?!\s+(?:cuoi|dau|\d))"),
    "quarter": re.compile(rf"\b{_QUARTER}"),
    "half_year": re.compile(r"\b(?:0?6|sau)\s+thang\b|\bnua\s+nam\b"),
    "year": re.compile(r"(?<!nua )\bnam\b"),
}
_DAY_OF_MONTH_OF_PERIOD = re.compile(
    rf"ngay\s+(\d{{1,2}})\s+(?:cua\s+)?(?:{_LAST_MONTH}|{_NEXT_MONTH})"
)
_PERIOD_OF_WORD = {"quy": {"quarter"}, "nam": {"year"}, "6 thang": {"half_year"},
                   "nua nam": {"half_year"}}
_DAY_EACH_YEAR = re.compile(
    r"(?:ngay\s+)?(\d{1,2})\s*(?:/|-|\s+thang\s+)\s*(\d{1,2})\s+(?:cua\s+)?hang\s+nam"
)
_DAY_EACH_MONTH = re.compile(r"ngay\s+(\d{1,2})\s+(?:cua\s+)?hang\s+thang")

# --- what names no date --------------------------------------------------------------------------
_EVENT = re.compile(r"\bsau\s+khi\b|\bkhi\s+(?:co|duoc)\b|\btuy\s+theo\b|\bchua\s+xac\s+dinh\b")
_VAGUE = re.compile(
    r"(?<!6 thang )(?<!sau thang )\b(?:dau|giua|cuoi)\s+(?:nam|quy|thang|ky|nhiem\s+ky)\b"
)
_SESSION = re.compile(r"\bky\s+hop\b")
_DOCNUM = r"\d+(?:/\d{4})?/[a-z][a-z0-9.&-]*"
_DOC_WORDS = (r"(?:cong\s+van|quyet\s+dinh|thong\s+bao|chi\s+thi|nghi\s+quyet|nghi\s+dinh"
              r"|thong\s+tu|to\s+trinh|ke\s+hoach|van\s+ban)")
_REFERENCE = re.compile(
    rf"(?:\b{_DOC_WORDS}\s+(?:so\s+)?(?:{_DOCNUM})?|\bso\s+{_DOCNUM}|{_DOCNUM})"
    rf"(?:\s+{_NOT_A_MARKER}[^\s,;]+){{0,8}}?\s+ngay\s+"
    rf"(?:{DATE}|{DATE_WORDS}|\d{{1,2}}\s*/\s*\d{{1,2}}|\d{{1,2}}\s+thang\s+\d{{1,2}})"
    rf"|{_DOCNUM}|\bso\s+voi\s+(?:cung\s+ky\s+)?nam\s+\d{{4}}"
)
_START = re.compile(r"\b(?:tu|bat\s+dau|ke\s+tu)(?:\s+ngay)?\s*$")


@dataclass(frozen=True)
class _Found:
    """A date or period the text names: due at its end, open from its start."""

    due: date
    opens: date | None
    start: bool  # "từ tháng 3": when the work begins, not a deadline
    fine: bool  # a day or a month (as precise as a council session's date can be)

    def inside(self, other: _Found) -> bool:
        return (other.opens or other.due) <= (self.opens or self.due) and self.due <= other.due


def read_phrase(original: str, key: str, year: int | None) -> Deadline:
    if _RECURS.search(key) or _PERIOD_LIST.fullmatch(key):
        return _recurring(original, key, year)
    if key.startswith("thuong xuyen") and not re.search(r"\d", key):
        return Deadline(original, DeadlineKind.CONTINUOUS, plain=False)
    _refuse_impossible_periods(original, key)
    if _EVENT.search(key):
        return _undetermined(original, "thời hạn tùy theo một sự kiện khác")
    bare = _REFERENCE.sub(lambda m: " " * len(m[0]), key)  # a document's date is no deadline
    if _VAGUE.search(key):
        return _undetermined(original, _unread(bare, "thời điểm không cụ thể"))
    try:
        found = _scan(original, bare, year)
    except _NoYear:  # a findings register has no plan year to put "Tháng 11" in
        return _undetermined(original, "không rõ năm nào")
    dues = [f for f in found if not f.start]
    if not dues:
        cited = any("ngay" in m[0] for m in _REFERENCE.finditer(key))
        otherwise = "chỉ nêu ngày của văn bản dẫn chiếu" if cited else "không nêu ngày cụ thể"
        return _undetermined(original, "chỉ nêu ngày bắt đầu" if found
                             else _unread(bare, otherwise))
    if _SESSION.search(key) and not all(f.fine for f in dues):
        return _undetermined(original, "theo kỳ họp, chưa có ngày")
    chosen = _agreed(dues)
    if chosen is None:
        return _conflict(original, dues)
    starts = [f.opens or f.due for f in found if f.start and (f.opens or f.due) <= chosen.due]
    opens = min(starts) if starts else chosen.opens
    return dated(original, chosen.due, opens, plain=False)


def _undetermined(text: str, note: str) -> Deadline:
    return Deadline(text, DeadlineKind.UNDETERMINED, plain=False, note=note)


def _conflict(text: str, dues: list[_Found]) -> Deadline:
    named = " và ".join(f"{due:%d/%m/%Y}" for due in sorted({f.due for f in dues}))
    return _undetermined(text, f"các thời hạn mâu thuẫn: {named}")


_A_DAY = re.compile(r"\bngay\s+(\d{1,2})\b(?!\s*(?:[/.-]\s*\d|thang\s+\d))")


def _unread(key: str, otherwise: str) -> str:
    """Why a text names no date: a day without its month is not "no day" ("Trước ngày 15 của
    tháng thứ hai mỗi quý")."""
    if m := _A_DAY.search(key):
        return f"có ngày {int(m[1])} nhưng không rõ của tháng nào"
    return otherwise


def bound_by_notes(deadline: Deadline, key: str, year: int | None) -> Deadline:
    """A dated cell's notes in brackets: a date in a note outside the cell's deadline is a
    conflict, as the same words in a sentence are ("Tháng 6/2026 (phải xong trước 31/5/2026)");
    one within it leaves the cell's deadline ("Năm 2023 (hoàn thành trước 30/6/2023)")."""
    notes = " ".join(m[0].strip("()") for m in re.finditer(r"\([^()]*\)?", key))
    if deadline.kind is not DeadlineKind.FIXED or not re.search(r"\d", notes):
        return deadline
    try:
        found = _scan(deadline.text, _REFERENCE.sub(lambda m: " " * len(m[0]), notes), year)
    except _NoYear:  # no plan year to put "trước 31/5" in: the cell's own date stands
        return deadline
    dues = [f for f in found if not f.start]
    if not dues:
        return deadline
    cell = _Found(deadline.due, deadline.opens, False, True)
    if all(f.inside(cell) for f in dues):
        return deadline
    return _conflict(deadline.text, [cell, *dues])


def _agreed(dues: list[_Found]) -> _Found | None:
    """One deadline: every reading the same, or the narrowest one inside all the others
    ("Trong năm 2025, chậm nhất 30/9/2025" → 30/09/2025)."""
    narrowest = min(dues, key=lambda f: (f.due - (f.opens or f.due), f.due))
    if all(narrowest.inside(f) for f in dues):
        return narrowest
    return None


def _refuse_impossible_periods(original: str, key: str) -> None:
    """"Quý V/2021", "Tháng 13": a period that cannot exist is an error, not an unknown text."""
    for m in re.finditer(r"\bquy\s+(\d+|[ivxl]+)\b", key):
        if m[1] not in ("i", "ii", "iii", "iv", "1", "2", "3", "4"):
            raise DeadlineError(original, f"không có quý {m[1].upper()}")
    for m in re.finditer(r"\bthang\s+(\d+)\b", key):
        if not 1 <= int(m[1]) <= 12:
            raise DeadlineError(original, f"không có tháng {int(m[1])}")


def _scan(original: str, text: str, year: int | None) -> list[_Found]:
    """Every date or period named in `text`, each read once (a matched span is blanked)."""
    scan = _Scanner(original, text, year)
    # "Từ 23 đến 25/9/2019", "23-25/9/2019": the days of a visit, open from the first.
    scan.take(r"(?:\btu\s+(?:ngay\s+)?)?(?<!quy\s)(?<!thang\s)(?<![\d/.-])\b(\d{1,2})"
              r"\s*(?:-|–|den)\s*(?:ngay\s+)?(\d{1,2})\s*[/.]\s*(\d{1,2})"
              r"(?:\s*[/.-]\s*(\d{4}))?(?![\d/.-])",
              lambda m: _days(original, scan.either(m[4]), int(m[3]), int(m[1]), int(m[2])))
    scan.take(rf"\b{DATE}\b", lambda m: scan.day(int(m[3]), int(m[2]), int(m[1])))
    scan.take(rf"\b{DATE_WORDS}\b", lambda m: scan.day(int(m[3]), int(m[2]), int(m[1])))
    scan.take(rf"(?:\btu\s+)?\bthang\s+(\d{{1,2}})(?:{_YEAR})?\s*(?:-|–|den\s+het|den|toi)\s*"
              rf"(?:thang\s+)?(\d{{1,2}})(?:{_YEAR})?(?![\d/])",
              lambda m: scan.months(scan.either(m[4], m[2]), int(m[1]), int(m[3])))
    scan.take(rf"(?:\btu\s+)?\bquy\s+{_Q}(?:{_YEAR})?\s*(?:-|–|den\s+het|den|toi)\s*"
              rf"(?:quy\s+)?{_Q}(?:{_YEAR})?\b",
              lambda m: scan.quarters(scan.either(m[4], m[2]), quarter_number(m[1]),
                                      quarter_number(m[3])))
    scan.take(r"\b(?:nam|giai\s+doan)\s+(\d{4})\s*(?:-|–|den)\s*(?:nam\s+)?(\d{4})\b",
              lambda m: scan.whole_years(int(m[1]), int(m[2])))
    scan.take(rf"\bquy\s+{_Q}{_YEAR}\b",
              lambda m: scan.quarters(int(m[2]), quarter_number(m[1]), quarter_number(m[1])))
    scan.take(r"\b(?:0?6|sau)\s+thang\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?\b",
              lambda m: _Reading(*_half(scan.either(m[2]), m[1]), False))
    scan.take(rf"\bthang\s+(\d{{1,2}}){_YEAR}\b",
              lambda m: scan.months(int(m[2]), int(m[1]), int(m[1])))
    # "7/2021", "07/2021": a month shown as month/year (an Excel date cell's "mm/yyyy" format).
    scan.take(r"(?<![\d/.-])(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/.-])",
              lambda m: scan.months(int(m[2]), int(m[1]), int(m[1])))
    scan.take(r"(?<![\d/.-])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/.-])",
              lambda m: scan.day(scan.plan_year(), int(m[2]), int(m[1])))
    scan.take(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\b",
              lambda m: scan.day(scan.plan_year(), int(m[2]), int(m[1])))
    scan.take(r"\bthang\s+(\d{1,2})\b",
              lambda m: scan.months(scan.plan_year(), int(m[1]), int(m[1])))
    scan.take(rf"\bquy\s+{_Q}\b",
              lambda m: scan.quarters(scan.plan_year(), quarter_number(m[1]),
                                      quarter_number(m[1])))
    scan.take(r"\bnam\s+(\d{4})\b", lambda m: scan.whole_years(int(m[1]), int(m[1])))
    scan.take(r"\b(?:ca|trong|suot)\s+nam\b(?!\s*\d)",
              lambda m: scan.whole_years(scan.plan_year(), scan.plan_year()))
    return scan.found


@dataclass
class _Scanner:
    """A text being read: what it still has to read (what was read is blanked) and what it
    named so far; `year` is the plan's, for a date or period that names none."""

    original: str
    text: str
    year: int | None
    found: list[_Found] = field(default_factory=list)

    def take(self, pattern: str, read) -> None:
        """Read every match of `pattern` with `read`, then blank it."""
        for m in list(re.finditer(pattern, self.text)):
            reading = read(m)
            self.found.append(_Found(reading.due, reading.opens,
                                     bool(_START.search(self.text[: m.start()])), reading.fine))
            self.text = (self.text[: m.start()] + " " * (m.end() - m.start())
                         + self.text[m.end():])

    def plan_year(self) -> int:
        if self.year is None:
            raise _NoYear
        return self.year

    def either(self, *values: str | None) -> int:
        """The first year the text names, else the plan's."""
        return next((int(v) for v in values if v), None) or self.plan_year()

    def day(self, y: int, month: int, d: int) -> _Reading:
        due = real_date(self.original, y, month, d)
        return _Reading(dated(self.original, due, None).due, None, True)

    def months(self, y: int, first: int, last: int) -> _Reading:
        deadline = month_deadline(self.original, y, first, last)
        return _Reading(deadline.due, deadline.opens, first == last)

    def quarters(self, y: int, first: int, last: int) -> _Reading:
        deadline = quarter_deadline(self.original, y, first, last)
        return _Reading(deadline.due, deadline.opens, False)

    def whole_years(self, first: int, last: int) -> _Reading:
        if last < first:
            raise DeadlineError(self.original,
                                f"năm {first} đến năm {last}: năm cuối trước năm đầu")
        return _Reading(dated(self.original, date(last, 12, 31), None).due, date(first, 1, 1),
                        False)


def _days(original: str, y: int, month: int, first: int, last: int) -> _Reading:
    """Days `first` to `last` of a month: open from the first."""
    opens, due = real_date(original, y, month, first), real_date(original, y, month, last)
    if due < opens:
        raise DeadlineError(original, f"ngày {first} đến ngày {last}: ngày cuối trước ngày đầu")
    return _Reading(due, opens, True)


class _NoYear(Exception):
    pass


@dataclass(frozen=True)
class _Reading:
    due: date
    opens: date | None
    fine: bool


def _half(y: int, which: str) -> tuple[date, date]:
    return (date(y, 6, 30), date(y, 1, 1)) if which == "dau" else (date(y, 12, 31), date(y, 7, 1))


def _recurring(original: str, key: str, year: int | None) -> Deadline:
    """A recurring deadline with its rule; a yearly rule with a day is also this year's date."""
    periods = {p for p, pattern in _PERIOD_WORDS.items() if pattern.search(key)}
    day: int | None = None
    month: int | str | None = None
    due = None
    if m := _DAY_OF_MONTH_OF_PERIOD.search(key):
        day, month = int(m[1]), "last" if m[2] else "next"
        periods.discard("month")
        periods |= _PERIOD_OF_WORD.get(m[2] or m[3], set())
        if (m[2] or m[3]) == "ky":
            periods.discard("year")
    elif m := _DAY_EACH_YEAR.search(key):
        day, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12 or day > month_end(2000, month).day:  # 2000: 29/02 exists
            raise DeadlineError(original, f"ngày {day:02d}/{month:02d} không có thật")
        periods = {p for p in periods if p != "month"} | {"year"}
        if year is not None:
            due = real_date(original, year, month, day)
    elif m := _DAY_EACH_MONTH.search(key):
        day = int(m[1])
        periods.add("month")
    elif m := _A_DAY.search(key):  # "Hằng tháng, trước ngày 10"; of a quarter, which month?
        if periods != {"month"}:
            return _undetermined(original, f"có ngày {int(m[1])} nhưng không rõ của tháng nào "
                                           "trong kỳ")
        day = int(m[1])
    if day is not None and not 1 <= day <= 31:
        raise DeadlineError(original, f"không có ngày {day}")
    rule = Recurrence(tuple(p for p in PERIODS if p in periods), day, month)
    deadline = Deadline(original, DeadlineKind.RECURRING, rule=rule, plain=False)
    if due is not None:
        deadline = replace(deadline, due=dated(original, due, None).due)
    return deadline


_PERIOD_WORD = (rf"(?<!dau )(?<!cuoi )(?:{_QUARTER}|thang|6\s+thang|sau\s+thang|nam)"
                r"(?!\s*(?:\d|i{1,3}\b|iv\b|nay\b|sau\b|dau\b|cuoi\b))")
# "báo cáo quý, 6 tháng và năm", "định kỳ hằng quý": periods as a row's content names them;
# "báo cáo năm 2026", "báo cáo quý I" name one period, not a rule.
_CONTENT_PERIODS = re.compile(
    rf"\b(?:bao\s+cao(?:[\s,]+[^\s,;()]+){{0,12}}?|hang|dinh\s+ky)[\s,]+{_PERIOD_WORD}"
    rf"(?:\s*(?:,|;|va|/)\s*(?:hang\s+)?{_PERIOD_WORD})*"
)


def with_row_periods(deadline: Deadline, content: str | None) -> Deadline:
    """A recurring rule that names no period ("chậm nhất ngày 20 của tháng cuối kỳ báo cáo")
    takes those its row's content names; with none named it is undetermined, to be completed,
    for a rule without periods would never fall due."""
    rule = deadline.rule
    if deadline.kind is not DeadlineKind.RECURRING or rule is None or rule.periods:
        return deadline
    spans = [m[0] for m in _CONTENT_PERIODS.finditer(normalise(content or ""))]
    periods = {p for p, pattern in _PERIOD_WORDS.items() for span in spans if pattern.search(span)}
    if not periods:
        return _undetermined(deadline.text, f"{rule.describe()}, nhưng không nêu là kỳ tháng, "
                                            "quý, 6 tháng hay năm")
    rule = replace(rule, periods=tuple(p for p in PERIODS if p in periods))
    return replace(deadline, rule=rule, note="kỳ theo nội dung của dòng")
