"""What an import says: its counts and how the file was read, and each deadline cell read by
a rule other than the plain forms (the command line, and the import's event in Prefect)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from domain.states import UnitKind, UnitKindSource
from notifications.words import label

if TYPE_CHECKING:  # `cchc status` loads this module, and needs no importer to start
    from domain.importers import CellReading, ImportProblem, ImportSummary
    from domain.unit_kinds import UnitKindReading

# How many of a refused file's problems a page lists (the command line lists them all).
PAGE_PROBLEMS = 30


def import_summary_text(summary: ImportSummary) -> str:
    counts = f"{summary.created} mới, {summary.updated} cập nhật, {summary.unchanged} không đổi"
    # An inspection plan's: its targets by mode ("12 trực tiếp, 13 qua báo cáo").
    if by_mode := getattr(summary, "by_mode", ()):
        counts += " (đơn vị được kiểm tra: " + ", ".join(
            f"{count} {label(mode)}" for mode, count in by_mode) + ")"
    lines = [*summary.reading, *unit_kind_lines(summary.unit_kinds)]
    return "\n".join([counts, *(f"  • {line}" for line in lines)])


def unit_kind_lines(readings: Sequence[UnitKindReading]) -> list[str]:
    """How a units file's kinds were read: per source the count of each kind, the units whose
    name said nothing by name, and the totals when the kinds came from more than one source."""
    lines = []
    for source in UnitKindSource:
        taken = [r for r in readings if r.source is source]
        if source is UnitKindSource.UNREAD and taken:
            names = "; ".join(f"{r.name} ({r.code})" for r in taken)
            lines.append(f"loại đơn vị {label(source)}: {names}")
        elif taken:
            lines.append(f"loại đơn vị {label(source)}: {kind_counts_text(taken)}")
    if len({r.source for r in readings}) > 1:
        lines.append(f"loại đơn vị, tổng cộng: {kind_counts_text(readings)}")
    return lines


def kind_counts_text(readings: Sequence[UnitKindReading]) -> str:
    """"1 tỉnh, 3 sở, 2 xã", in the kinds' order."""
    counts = Counter(r.kind for r in readings)
    return ", ".join(f"{counts[kind]} {label(kind)}" for kind in UnitKind if counts[kind])


def cell_reading_text(reading: CellReading) -> str:
    shown = repr(one_line(reading)) if reading.text.strip() else one_line(reading)
    return f"{reading.file}, dòng {reading.row}, cột {reading.column}: {shown} → {reading.reading}"


def one_line(reading: CellReading) -> str:
    """A deadline cell as written, its line breaks as spaces; a blank one said."""
    return " ".join(reading.text.split()) or "(ô trống)"


def import_refused_text(problems: list[ImportProblem]) -> str:
    """A file refused on a page: nothing imported, and its problems one a line (file, row,
    column), the first PAGE_PROBLEMS of them."""
    lines = [f"Không nhập gì cả: {len(problems)} lỗi",
             *(f"• {problem}" for problem in problems[:PAGE_PROBLEMS])]
    if len(problems) > PAGE_PROBLEMS:
        lines.append(f"… và {len(problems) - PAGE_PROBLEMS} lỗi khác")
    return "\n".join(lines)
