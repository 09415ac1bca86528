"""Inline SVG bar charts for the HTML report: one stacked bar per group or unit, split by
status, so the page needs no script and no file beside it and prints as drawn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from domain.status import Status
from domain.tallies import Tally
from notifications.words import format_number


@dataclass(frozen=True)
class Segment:
    label: str
    colour: str
    statuses: tuple[Status, ...]


SEGMENTS = (
    Segment("Hoàn thành đúng hạn", "#2e7d32", (Status.DONE_ON_TIME, Status.DONE_ON_TIME_EXTENDED)),
    Segment("Hoàn thành quá hạn", "#f9a825", (Status.DONE_LATE,)),
    Segment("Đang thực hiện trong hạn", "#1565c0",
            (Status.NOT_YET_DUE, Status.IN_PROGRESS, Status.DUE_SOON)),
    Segment("Quá hạn", "#c62828", (Status.OVERDUE, Status.REOPENED)),
    Segment("Không thời hạn", "#9e9e9e", (Status.NO_DEADLINE,)),
)

_LABEL_WIDTH = 300
_BAR_WIDTH = 380
_ROW = 22
_LEGEND = 28
_LABEL_CHARS = 44


def bar_chart(title: str, rows: Sequence[tuple[str, Tally]]) -> Markup:
    """Stacked horizontal bars, scaled to the largest total; every label and count escaped."""
    if not rows:
        return Markup("")
    largest = max(tally.total for _, tally in rows) or 1
    width = _LABEL_WIDTH + _BAR_WIDTH + 50
    height = _LEGEND + _ROW * len(rows) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="Arial, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    x = 0
    for segment in SEGMENTS:
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{segment.colour}"/>'
                     f'<text x="{x + 16}" y="14">{escape(segment.label)}</text>')
        x += 22 + 7 * len(segment.label)
    for index, (label, tally) in enumerate(rows):
        y = _LEGEND + index * _ROW
        short = label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"
        parts.append(f'<text x="0" y="{y + 15}"><title>{escape(label)}</title>'
                     f"{escape(short)}</text>")
        x = float(_LABEL_WIDTH)
        for segment in SEGMENTS:
            count = sum(tally.statuses[s] for s in segment.statuses)
            if count:
                span = _BAR_WIDTH * count / largest
                parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{span:.1f}" height="16" '
                             f'fill="{segment.colour}"><title>{escape(segment.label)}: '
                             f"{format_number(count)}</title></rect>")
                x += span
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{format_number(tally.total)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
