"""What an import says: its counts and how the file was read, and each deadline cell read by
a rule other than the plain forms (the command line, and the import's event in Prefect)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notifications.words import label

if TYPE_CHECKING:  # `cchc status` loads this module, and needs no importer to start
    from domain.importers import CellReading, ImportSummary


def import_summary_text(summary: ImportSummary) -> str:
    counts = f"{summary.created} mới, {summary.updated} cập nhật, {summary.unchanged} không đổi"
    # An inspection plan's: its targets by mode ("12 trực tiếp, 13 qua báo cáo").
    if by_mode := getattr(summary, "by_mode", ()):
        counts += " (đơn vị được kiểm tra: " + ", ".join(
            f"{count} {label(mode)}" for mode, count in by_mode) + ")"
    return "\n".join([counts, *(f"  • {line}" for line in summary.reading)])


def cell_reading_text(reading: CellReading) -> str:
    shown = repr(one_line(reading)) if reading.text.strip() else one_line(reading)
    return f"{reading.file}, dòng {reading.row}, cột {reading.column}: {shown} → {reading.reading}"


def one_line(reading: CellReading) -> str:
    """A deadline cell as written, its line breaks as spaces; a blank one said."""
    return " ".join(reading.text.split()) or "(ô trống)"
