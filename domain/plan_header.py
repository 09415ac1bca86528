"""The plan's identity (code, year, title, decision, issuing unit) from the title block, the
command line where it speaks, and, for the year alone, the deadlines when they all name one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.importers import RowChecker, Table
from domain.title_block import read_title_block
from domain.unit_names import UnitDirectory

_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class PlanHeader:
    """What the title block says (or the command line, where it is silent). None: the file
    does not say, and a re-import keeps what the database holds."""

    code: str
    year: int
    title: str | None
    decision_number: str | None
    decision_date: date | None
    owner_unit_code: str | None
    reading: tuple[str, ...] = ()


def read_plan_header(
    directory: UnitDirectory,
    table: Table,
    *,
    code: str | None = None,
    year: int | None = None,
    owner: str | None = None,
) -> PlanHeader:
    check = RowChecker(table)
    block = read_title_block(table.title_lines)
    reading = []
    if owner is None:
        owner = directory.unit_named(_heading_candidates(block.heading))
        if owner:
            reading.append(f"đơn vị ban hành (từ tiêu đề): {owner} "
                           f"({directory.units[owner].name})")
    elif owner not in directory.units:
        check.fail(None, None, owner, "không có đơn vị chủ quản mang mã này")
    if year is not None:
        said = f"; tiêu đề ghi năm {block.year}" if block.year not in (None, year) else ""
        reading.append(f"năm {year} (theo --year{said})")
    elif block.year is not None:
        year = block.year
        reading.append(f"năm {year} (từ tiêu đề)")
    else:
        years = sorted(_deadline_years(table))
        if len(years) == 1:
            year = years[0]
            reading.append(f"năm {year}: tiêu đề không ghi năm, mọi thời hạn đều thuộc năm "
                           f"{year}")
        else:
            seen = f" (các thời hạn ghi {', '.join(map(str, years))})" if years else ""
            check.fail(None, None, None, "không rõ năm của kế hoạch: thêm dòng tiêu đề "
                       f"hoặc --year{seen}")
    for problem in block.problems:
        check.fail(None, None, None, problem)
    check.raise_if_any()
    reading.insert(0, f"tiêu đề: '{block.title}'" if block.title
                   else "tệp không có dòng tiêu đề kế hoạch")
    if block.decision_number:
        day = f" ngày {block.decision_date:%d/%m/%Y}" if block.decision_date else ""
        reading.append(f"văn bản ban hành: {block.decision_number}{day}")
    return PlanHeader(
        code=code or f"KH-{year}",
        year=year,
        title=block.title,
        decision_number=block.decision_number,
        decision_date=block.decision_date,
        owner_unit_code=owner,
        reading=tuple(reading),
    )


def _heading_candidates(lines: list[str]) -> list[str]:
    """Each heading line, and each joined with one of the two below it: "ỦY BAN NHÂN DÂN"
    over "TỈNH ĐIỆN BIÊN", with "CỘNG HÒA …" maybe written between them in the other column."""
    joined = [f"{a} {b}" for i, a in enumerate(lines) for b in lines[i + 1: i + 3]]
    return [*lines, *joined]


def _deadline_years(table: Table) -> set[int]:
    return {int(y) for row in table.rows
            for y in _YEAR_IN_TEXT.findall(str(row.values.get("deadline") or ""))}
