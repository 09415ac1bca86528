"""A command that runs a flow gives Prefect's temporary server the time its first start on a
fresh machine takes (minutes, not Prefect's default 20 s)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_a_flow_command_sets_prefects_start_up_timeout_before_prefect_reads_its_settings():
    # Prefect is first imported by the command itself, as when a user runs it.
    probe = (
        "import importlib; from cli.running import _run_flow; from cli.shared import read_settings; "
        "print(_run_flow(read_settings(), 'thử', lambda flows: importlib.import_module('prefect.settings')"
        ".get_current_settings().server.ephemeral.startup_timeout_seconds))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, env=environment)
    assert result.stdout.strip().splitlines()[-1] == "600"
