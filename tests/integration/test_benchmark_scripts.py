"""Each benchmark runs from a clean checkout with one command and prints its ratios. Run here
at a tiny size, on the real databases and a real SMTP sink; times are not asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each script generates a country

BENCHMARKS = Path(__file__).resolve().parent.parent.parent / "benchmarks"


def run(script: str, *arguments: str, timeout: float = 300) -> str:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *arguments],
        check=True, capture_output=True, text=True, timeout=timeout,
    ).stdout


def test_check_benchmark_prints_its_ratios_to_the_orm_way_on_both_databases(database_url):
    output = run("check.py", "--database-url", database_url, "--items", "3000",
                 "--provinces", "2", "--runs", "1")
    assert "generated 558 units and 3,000 open items" in output
    # The stateless peer reads the same items and renders a digest per recipient.
    assert "ratio first check vs peer:" in output
    assert "ratio next working day vs peer:" in output
    assert "ratio first check vs naive:" in output
    assert "ratio rerun vs naive:" in output
    # Partitions by province over worker processes are timed where workers share a server.
    assert ("ratio 2 workers vs 1:" in output) == database_url.startswith("postgresql")


def test_a_country_generated_with_items_within_reach_gives_the_peer_exactly_those(tmp_path):
    output = run("check.py", "--database-url", f"sqlite:///{tmp_path}/country.db",
                 "--items", "4000", "--within-reach", "300", "--provinces", "2", "--runs", "1",
                 "--without-naive")
    # Due within the ladder's reach or overdue on the check day: the 300, and none far away.
    peer = re.search(r"the stateless peer: ([\d,]+) items", output)
    assert peer and peer.group(1) == "300"
    assert "ratio next working day vs peer:" in output and "vs naive" not in output


def test_web_benchmark_times_each_page_against_the_bare_endpoint_on_both_databases(
        database_url):
    output = run("web.py", "--database-url", database_url, "--items", "3000",
                 "--provinces", "2", "--heads", "12", "--seconds", "2")
    for page in ("floor: bare endpoint", "engine: unit page", "engine: completion report",
                 "engine: review queue", "beside a check: unit page"):
        assert page in output
    assert "ratio unit page p95 vs the bare endpoint's:" in output
    assert "ratio review queue p95 vs the bare endpoint's:" in output
    # The check of the morning before the rushes, the next working day's beside the last.
    assert "beside the last rush, the next working day's:" in output
    assert "FAILED" not in output and "errors: 0 (target 0)" in output


def test_send_benchmark_prints_the_engines_ratios_to_per_message_and_the_ceiling():
    output = run("send.py", "--messages", "60", "--runs", "1")
    assert "ratio engine vs a connection per message:" in output
    assert "ratio engine vs ceiling:" in output
    # The options for building: in a process pool, or once when a digest is sealed.
    assert "ratio engine, built in a process pool vs ceiling:" in output
    assert "ratio engine, serialised beforehand vs ceiling:" in output
    assert "building and serialising one digest:" in output


def test_cold_start_benchmark_times_help_and_status_on_the_example_data():
    output = run("cold_start.py", "--runs", "1")
    assert "cchc --help" in output and "cchc status" in output



@pytest.mark.prefect
def test_commands_benchmark_prints_each_commands_ratio_to_status_and_their_profiles(tmp_path):
    # Prefect's server starts three times, once on a fresh PREFECT_HOME: minutes on a busy machine.
    output = run("commands.py", "--runs", "1", "--profiles", str(tmp_path), timeout=900)
    for name in ("status", "history", "import plan --dry-run", "check --dry-run", "check, API up",
                 "check, no API up", "check, fresh PREFECT_HOME"):
        assert re.search(rf"^{re.escape(name)} +[\d.]+ s .* ratio to status: [\d.]+", output,
                         re.MULTILINE), output
    profile = (tmp_path / "check_API_up.txt").read_text(encoding="utf-8")
    # pstats' own heading and order: which entries make its top 40 depends on the machine.
    assert "function calls" in profile and "Ordered by: cumulative time" in profile
