"""A command that refuses writes nothing, and a check leaves nothing behind but its records."""

from __future__ import annotations

import threading
import time
from itertools import pairwise

import pytest
from typer.testing import CliRunner

from cli.main import app
from persistence.db import make_engine
from persistence.locks import check_lock


@pytest.mark.parametrize("command", [
    ["check", "--as-of", "01/07/2021"],
    ["status"],
    ["report", "--out", "r.html"],
    ["explain", "3.2"],
    ["history", "item", "3.2"],
    ["task", "done", "3.2", "--on", "01/07/2021"],
])
def test_a_command_before_init_creates_neither_the_database_nor_its_folder(
    command, tmp_path, monkeypatch
):
    folder = tmp_path / "not-yet"
    monkeypatch.setenv("CCHC_DATABASE_URL", f"sqlite:///{folder / 'cchc.db'}")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 1 and "cchc init" in result.output
    assert not folder.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_check_lock_file_is_removed_when_the_check_ends(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'cchc.db'}")
    with check_lock(engine), check_lock(engine, "TP-SL"):
        assert len(list(tmp_path.glob("cchc.db.check-lock*"))) == 2
    assert list(tmp_path.iterdir()) == []


def test_checks_waiting_on_a_removed_lock_file_still_run_one_at_a_time(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'cchc.db'}")
    spans: list[tuple[float, float]] = []

    def one_check() -> None:
        with check_lock(engine):
            started = time.monotonic()
            time.sleep(0.05)
            spans.append((started, time.monotonic()))

    workers = [threading.Thread(target=one_check) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    spans.sort()
    assert len(spans) == 6
    assert all(end <= next_start for (_, end), (next_start, _) in pairwise(spans))
    assert list(tmp_path.iterdir()) == []
