"""`cchc`, the command line: the root command with every command module's commands on it."""

from __future__ import annotations

# Importing a command module registers its commands on `app`, in the order `cchc --help` lists.
from cli import imports, tasks, inspections, reading, running, web  # noqa: F401, I001
from cli.shared import app

__all__ = ["app"]
