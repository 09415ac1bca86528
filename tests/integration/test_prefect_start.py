"""A command that runs a flow gives the Prefect server it starts the time its first start on a
fresh machine takes (minutes, not Prefect's default 20 s)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_a_flow_command_sets_prefects_start_up_timeout_before_prefect_reads_its_settings():
    # Prefect is first imported where a command first imports it: choosing the API to use.
    probe = (
        "import cli.running; from flows.prefect_api import prefect_home; "
        "from prefect.settings import get_current_settings; "
        "print(get_current_settings().server.ephemeral.startup_timeout_seconds)"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, env=environment)
    assert result.stdout.strip().splitlines()[-1] == "600"
