"""The Jinja2 environment for e-mails and reports: templates from `templates/`, HTML
autoescaped, Vietnamese date and number filters."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notifications.words import (
    day_text,
    format_number,
    format_percent,
    label,
    source_text,
)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


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
    environment.filters["vndate"] = day_text
    environment.filters["vnnumber"] = format_number
    environment.filters["vnpercent"] = format_percent
    environment.filters["label"] = label
    environment.filters["item_source"] = source_text
    return environment


templates = _environment()
