"""Indicators a PAR-index self-assessment (tự đánh giá, chấm điểm Chỉ số CCHC) asks for, each
with the inputs it was computed from, so the secretariat can copy the figure and show the
evidence. Pure functions over counts; the report gathers the counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.occurrences import PeriodicRow
from domain.status import format_number, format_percent, percent

NO_DATA = "chưa có dữ liệu"
# The usual bar for "share of subordinate units inspected in the year", a percentage.
INSPECTION_BAR = 30
# The usual scoring bands of "mức độ hoàn thành kế hoạch CCHC", as percentages.
_PLAN_BANDS = ((100, "hoàn thành 100% kế hoạch"), (80, "từ 80% đến dưới 100%"), (0, "dưới 80%"))


@dataclass(frozen=True)
class Indicator:
    name: str
    inputs: str  # what the figure was computed from, in words
    value: Decimal | None  # a percentage; None when there is nothing to compute it from
    assessment: str

    @property
    def value_text(self) -> str:
        return NO_DATA if self.value is None else format_percent(self.value)


def plan_completion(done: int, total: int, as_of: date) -> Indicator:
    name = "Mức độ hoàn thành kế hoạch CCHC"
    if total == 0:
        return Indicator(name, "kế hoạch chưa có nhiệm vụ nào", None, NO_DATA)
    # Compared exactly, not on the rounded rate: 9.999/10.000 shows as 100,0% but is not all.
    band = next(label for floor, label in _PLAN_BANDS if done * 100 >= floor * total)
    return Indicator(
        name,
        f"{format_number(done)}/{format_number(total)} nhiệm vụ đã hoàn thành đến ngày "
        f"{as_of:%d/%m/%Y}",
        percent(done, total),
        f"mức: {band}",
    )


def units_inspected(inspected: int, eligible: int, year: int) -> Indicator:
    name = f"Tỷ lệ đơn vị được kiểm tra công tác CCHC trong năm {year}"
    if eligible == 0:
        return Indicator(name, "không có đơn vị trực thuộc để kiểm tra", None, NO_DATA)
    verdict = "đạt" if inspected * 100 >= INSPECTION_BAR * eligible else "chưa đạt"
    return Indicator(
        name,
        f"{format_number(inspected)}/{format_number(eligible)} đơn vị trực thuộc có kết luận "
        f"kiểm tra năm {year} trong sổ theo dõi tồn tại, hạn chế",
        percent(inspected, eligible),
        f"{verdict} mức {format_number(INSPECTION_BAR)}%",
    )


def findings_handled(done: int, total: int) -> Indicator:
    name = "Tỷ lệ tồn tại, hạn chế sau kiểm tra đã được xử lý"
    if total == 0:
        return Indicator(name, "không có nhiệm vụ khắc phục sau kiểm tra", None, NO_DATA)
    rate = percent(done, total)
    return Indicator(
        name,
        f"{format_number(done)}/{format_number(total)} nhiệm vụ khắc phục đã hoàn thành",
        rate,
        "đã xử lý hết" if done == total else f"còn {format_number(total - done)} chưa xử lý",
    )


def periodic_reports(rows: Sequence[PeriodicRow], recurring_codes: Sequence[str]) -> Indicator:
    """Reports due so far (each unit's, each period's) sent by their due date, out of all due:
    a late one and a missing one both count against it."""
    name = "Tỷ lệ báo cáo định kỳ gửi đúng hạn"
    on_time = sum(len(row.on_time) for row in rows)
    late = [(row, unit, days) for row in rows for unit, days in row.late]
    missing = [(row, unit) for row in rows for unit in row.missing]
    due = on_time + len(late) + len(missing)
    if due == 0:
        inputs = (f"nhiệm vụ định kỳ trong kế hoạch: {', '.join(recurring_codes)}; "
                  "chưa có kỳ báo cáo nào đến hạn" if recurring_codes
                  else "không có nhiệm vụ định kỳ hay nghĩa vụ báo cáo nào")
        return Indicator(name, inputs, None, NO_DATA)
    inputs = (f"{format_number(on_time)}/{format_number(due)} báo cáo đã đến hạn được gửi đúng "
              f"hạn (gửi muộn {format_number(len(late))}, chưa gửi {format_number(len(missing))})")
    faults = [f"{row.source} {row.period} {unit} muộn {days} ngày làm việc"
              for row, unit, days in late]
    faults += [f"{row.source} {row.period} {unit} chưa gửi" for row, unit in missing]
    assessment = "tất cả đúng hạn" if not faults else "; ".join(faults[:10]) + (
        f" và {format_number(len(faults) - 10)} báo cáo khác" if len(faults) > 10 else "")
    return Indicator(name, inputs, percent(on_time, due), assessment)
