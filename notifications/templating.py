"""The Jinja2 environment for e-mails and reports: templates from `templates/`, HTML
autoescaped, Vietnamese date and number filters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from domain.status import format_number, format_percent

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _vndate(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # The templates ship with the code: checking their files' dates on every digest
        # costs a stat() each, thousands per check.
        auto_reload=False,
    )
    environment.filters["vndate"] = _vndate
    environment.filters["vnnumber"] = format_number
    environment.filters["vnpercent"] = format_percent
    return environment


templates = _environment()
