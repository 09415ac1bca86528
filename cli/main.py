"""`cchc`, the command line: the root command with every command module's commands on it."""

from __future__ import annotations

import gc

# Importing a command module registers its commands on `app`, in the order `cchc --help` lists.
from cli import imports, tasks, reading, running  # noqa: F401, I001
from cli.shared import app

__all__ = ["app", "main"]


def main() -> None:
    """The `cchc` console script."""
    # A command's start creates a few hundred thousand objects that live as long as the process
    # (modules, classes, SQLAlchemy's and pydantic's schemas) and little garbage: the collector's
    # default pass every 700 new objects walks them again and again, a fortieth of `cchc
    # status`. A pass every 100,000 still bounds what a long command (a check, `serve`) holds.
    gc.set_threshold(100_000, 10, 10)
    app()
