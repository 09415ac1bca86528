"""The title block above a plan's table, read as it is written: the issuing unit's heading
("UBND TỈNH ĐIỆN BIÊN", or "ỦY BAN NHÂN DÂN" over "TỈNH ĐIỆN BIÊN"), a title that may run over
two rows ("KẾ HOẠCH" / "Cải cách hành chính năm 2022"), and the document it came with — "(Kèm
theo Kế hoạch số 4289/KH-UBND ngày 21/12/2021)", "Quyết định số 32/QĐ-UBND ngày 07 tháng 01 năm
2021", or the plan's own "Số: 87/KH-UBND" beside "…, ngày 10 tháng 12 năm 2013"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from domain.deadlines import normalise

_DATE = (r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
         r"|(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_NUMBER = r"(\d[^\s,;()]*)"
_ATTACHED = re.compile(rf"kem\s+theo\s+(?:quyet\s+dinh|ke\s+hoach)\s+so:?\s*{_NUMBER}"
                       rf"\s*,?\s*ngay\s+(?:{_DATE})")
_DECISION = re.compile(rf"quyet\s+dinh\s+so:?\s*{_NUMBER}\s*,?\s*ngay\s+(?:{_DATE})")
_OWN_NUMBER = re.compile(rf"^so:?\s*{_NUMBER}")
_PLACE_DATE = re.compile(rf"ngay\s+(?:{_DATE})")
_YEAR = re.compile(r"nam\s+(\d{4})")


@dataclass(frozen=True)
class TitleReading:
    title: str | None
    year: int | None
    decision_number: str | None
    decision_date: date | None
    heading: list[str]  # the lines above the title, where the issuing unit is named
    problems: list[str]  # what was written but cannot be right (a date that does not exist)


def read_title_block(lines: list[str]) -> TitleReading:
    lines = [unicodedata.normalize("NFC", line) for line in lines]
    position = next((i for i, line in enumerate(lines)
                     if normalise(line).startswith("ke hoach")), None)
    title = None
    heading = lines if position is None else lines[:position]
    if position is not None:
        title = lines[position]
        following = lines[position + 1] if position + 1 < len(lines) else None
        # "KẾ HOẠCH" alone, or a title whose year is on the next row, goes on below.
        if following and not _is_reference(following) and (
            normalise(title) == "ke hoach" or not _YEAR.search(normalise(title))
        ):
            title = f"{title} {following}"
    year = None
    if title and (found := _YEAR.search(normalise(title))):
        year = int(found[1])
    number, day, problems = _reference(lines)
    return TitleReading(title, year, number, day, heading, problems)


def _is_reference(line: str) -> bool:
    key = normalise(line).lstrip("( ")
    return key.startswith(("kem theo", "ban hanh kem theo", "so", "quyet dinh"))


def _reference(lines: list[str]) -> tuple[str | None, date | None, list[str]]:
    """The decision or plan the table belongs to: the one it is attached to, else a decision
    named with its date, else the plan's own number and the date of its heading."""
    for pattern in (_ATTACHED, _DECISION):
        for line in lines:
            folded = _fold(line)
            if found := pattern.search(folded):
                return _number_and_date(line, found, 1)
    number = None
    for line in lines:
        if found := _OWN_NUMBER.search(_fold(line).strip()):
            number = line.strip()[found.start(1):found.end(1)]
            break
    if number:
        for line in lines:
            if found := _PLACE_DATE.search(_fold(line)):
                return _number_and_date(line, found, 0, number)
    return None, None, []


def _number_and_date(line: str, found: re.Match, group: int, number: str | None = None
                     ) -> tuple[str | None, date | None, list[str]]:
    if number is None:
        # The fold keeps one character per character: the match's span holds in the original.
        number = line[found.start(group):found.end(group)]
    parts = [g for g in found.groups()[group:] if g is not None][-3:]
    day, month, year = (int(p) for p in parts)
    try:
        return number, date(year, month, day), []
    except ValueError:
        return number, None, [f"ngày {day}/{month}/{year} của văn bản {number} không có thật"]


def _fold(text: str) -> str:
    """`normalise` without joining spaces: one character for each character of `text`."""
    out = []
    for ch in text:
        bare = "".join(c for c in unicodedata.normalize("NFD", ch.lower().replace("đ", "d"))
                       if unicodedata.category(c) != "Mn")
        out.append(bare if len(bare) == 1 else ch)
    return "".join(out)
