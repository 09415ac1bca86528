"""The PAR-index indicators in the secretariat's words: each one's name, the inputs its figure
was computed from, the figure, and the assessment (the report's "Chỉ số CCHC" table)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.par_index import INSPECTION_BAR, Indicator, IndicatorKind, PlanBand
from notifications.words import counted_noun, format_number, format_percent

NO_DATA = "chưa có dữ liệu"
_PLAN_BANDS = {PlanBand.ALL: "hoàn thành 100% kế hoạch", PlanBand.FROM_80: "từ 80% đến dưới 100%",
               PlanBand.BELOW_80: "dưới 80%"}
_FAULTS_NAMED = 10


@dataclass(frozen=True)
class IndicatorText:
    name: str
    inputs: str  # what the figure was computed from, in words
    value: Decimal | None
    assessment: str

    @property
    def value_text(self) -> str:
        return NO_DATA if self.value is None else format_percent(self.value)


def indicator_text(indicator: Indicator) -> IndicatorText:
    name, inputs, assessment = _WORDS[indicator.kind](indicator)
    return IndicatorText(name, inputs, indicator.value,
                         NO_DATA if indicator.value is None else assessment)


def _fraction(indicator: Indicator) -> str:
    return f"{format_number(indicator.done)}/{format_number(indicator.total)}"


def _plan_completion(i: Indicator) -> tuple[str, str, str]:
    name = "Mức độ hoàn thành kế hoạch CCHC"
    if not i.total:
        return name, "kế hoạch chưa có nhiệm vụ nào", ""
    return (name, f"{_fraction(i)} nhiệm vụ đã hoàn thành đến ngày {i.as_of:%d/%m/%Y}",
            f"mức: {_PLAN_BANDS[i.band]}")


def _units_inspected(i: Indicator) -> tuple[str, str, str]:
    name = f"Tỷ lệ đơn vị được kiểm tra công tác CCHC trong năm {i.year}"
    if not i.total:
        return name, "không có đơn vị trực thuộc để kiểm tra", ""
    verdict = "đạt" if i.meets_bar else "chưa đạt"
    return (name, f"{_fraction(i)} đơn vị trực thuộc có kết luận kiểm tra năm {i.year} trong sổ "
            "theo dõi tồn tại, hạn chế", f"{verdict} mức {format_number(INSPECTION_BAR)}%")


def _findings_handled(i: Indicator) -> tuple[str, str, str]:
    name = "Tỷ lệ tồn tại, hạn chế sau kiểm tra đã được xử lý"
    if not i.total:
        return name, "không có nhiệm vụ khắc phục sau kiểm tra", ""
    return (name, f"{_fraction(i)} nhiệm vụ khắc phục đã hoàn thành",
            "đã xử lý hết" if i.done == i.total
            else f"còn {format_number(i.total - i.done)} chưa xử lý")


def _periodic_reports(i: Indicator) -> tuple[str, str, str]:
    name = "Tỷ lệ báo cáo định kỳ gửi đúng hạn"
    left_out = (f"; không tính nhiệm vụ định kỳ không phải báo cáo: {', '.join(i.left_out)}"
                if i.left_out else "")
    if not i.total:
        return name, (f"báo cáo định kỳ: {', '.join(i.sources)}; chưa có kỳ báo cáo nào đến "
                      "hạn" if i.sources else "không có báo cáo định kỳ hay nghĩa vụ báo cáo "
                      "nào") + left_out, ""
    late = sum(f.working_days is not None for f in i.faults)
    inputs = (f"{_fraction(i)} báo cáo đã đến hạn được gửi đúng hạn (gửi muộn "
              f"{format_number(late)}, chưa gửi {format_number(len(i.faults) - late)}); "
              f"tính báo cáo của: {', '.join(i.sources)}{left_out}")
    faults = [f"{f.source} {f.period} {f.unit} " + (
        "chưa gửi" if f.working_days is None else f"muộn {f.working_days} ngày làm việc")
        for f in i.faults]
    more = len(faults) - _FAULTS_NAMED
    assessment = "tất cả đúng hạn" if not faults else "; ".join(faults[:_FAULTS_NAMED]) + (
        f" và {format_number(more)} báo cáo khác" if more > 0 else "")
    return name, inputs, assessment


def _plan_units_inspected(i: Indicator) -> tuple[str, str, str]:
    noun = counted_noun(i.kinds)
    name = f"Tỷ lệ {noun} được kiểm tra công tác CCHC trong năm {i.year}"
    if not i.total:
        return name, f"không có {noun} thuộc diện kiểm tra của kế hoạch {i.plan}", ""
    verdict = "đạt" if i.meets_bar else "chưa đạt"
    return (name, f"{_fraction(i)} {noun} đã được kiểm tra theo kế hoạch kiểm tra {i.plan} "
            f"(trực tiếp {format_number(i.direct or 0)}, qua báo cáo "
            f"{format_number(i.done - (i.direct or 0))})",
            f"{verdict} mức {format_number(INSPECTION_BAR)}%")


def _plan_findings_handled(i: Indicator) -> tuple[str, str, str]:
    name = f"Tỷ lệ tồn tại, hạn chế theo kết luận kiểm tra của kế hoạch {i.plan} đã khắc phục"
    if not i.total:
        return name, "các kết luận kiểm tra chưa có nhiệm vụ khắc phục", ""
    return (name, f"{_fraction(i)} nhiệm vụ khắc phục đã hoàn thành",
            "đã khắc phục hết" if i.done == i.total
            else f"còn {format_number(i.total - i.done)} chưa khắc phục")


_WORDS = {
    IndicatorKind.PLAN_COMPLETION: _plan_completion,
    IndicatorKind.UNITS_INSPECTED: _units_inspected,
    IndicatorKind.FINDINGS_HANDLED: _findings_handled,
    IndicatorKind.PERIODIC_REPORTS: _periodic_reports,
    IndicatorKind.PLAN_UNITS_INSPECTED: _plan_units_inspected,
    IndicatorKind.PLAN_FINDINGS_HANDLED: _plan_findings_handled,
}
