"""What the terminal prints, rendered by a real Rich console: days as dd/mm/yyyy, tables that
fit the terminal."""

from __future__ import annotations

from rich.console import Console

from notifications.terminal import print_check


def printed(render, *args, width: int = 80) -> str:
    console = Console(width=width, record=True, color_system=None)
    render(console, *args)
    return console.export_text()


def test_a_dry_run_names_its_day_as_dd_mm_yyyy():
    result = {"as_of": "2021-07-01", "dry_run": True,
              "would_send": [("a@b.example", "[CCHC] Văn phòng: 1 nhiệm vụ quá hạn", ["3.2"])]}
    text = printed(print_check, result)
    assert "Chạy thử ngày 01/07/2021:" in text
    assert "2021-07-01" not in text
