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


def database_dump(database_url: str) -> dict[str, list[str]]:
    """Every row of every table, in a stable order: what a refused command must leave as it
    found it (on SQLite and PostgreSQL alike)."""
    from sqlalchemy import MetaData, create_engine

    engine = create_engine(database_url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        dump = {name: sorted(map(repr, connection.execute(table.select())))
                for name, table in metadata.tables.items()}
    engine.dispose()
    return dump


def _vietnam_tomorrow() -> str:
    """The first day after today in the engine's time zone (Asia/Ho_Chi_Minh), not UTC's."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    return f"{datetime.now(ZoneInfo('Asia/Ho_Chi_Minh')).date() + timedelta(days=1):%d/%m/%Y}"


# Each refused record of the books, and what its refusal says. Items of the example: 1.6 a
# recurring task (Q1 and Q2 received), 2.3 continuous, 1.1 done on 07/01/2021, 3.2 open (the
# 2021 plan begins on 01/01/2021), KT19-05 a remediation item (inspection concluded 04/10/2019).
BOOKS_REFUSALS = [
    (["task", "extend", "1.6", "--to", "30/09/2021", "--reason", "Chờ"],
     ["nhiệm vụ định kỳ", "1.6/Q3-2021, 1.6/Q4-2021"]),
    (["task", "extend", "2.3", "--to", "30/09/2021", "--reason", "Chờ"],
     ["thường xuyên", "không có hạn"]),
    (["task", "deadline", "1.6", "--to", "30/09/2021", "--reason", "Công văn 12"],
     ["theo mã của kỳ", "1.6/Q3-2021"]),
    (["task", "done", "3.2", "--on", "TOMORROW"], ["chưa đến"]),
    (["task", "done", "3.2", "--on", "31/12/2020"],
     ["trước ngày bắt đầu kế hoạch 01/01/2021"]),
    (["task", "done", "KT19-05", "--on", "03/10/2019"],
     ["trước ngày kết luận kiểm tra 04/10/2019"]),
    (["task", "done", "1.6", "--on", "01/07/2021"],
     ["còn 2 kỳ chưa hoàn thành: 1.6/Q3-2021, 1.6/Q4-2021"]),
    (["task", "reopen", "3.2", "--reason", "Ghi nhầm"], ["3.2 chưa hoàn thành"]),
    (["task", "done", "3.2", "--on", "30/06/2021", "--correct", "--reason", "Ghi nhầm"],
     ["3.2 chưa hoàn thành", "không có --correct"]),
    (["task", "done", "1.1", "--on", "31/12/2020", "--correct", "--reason", "Ghi nhầm"],
     ["trước ngày bắt đầu kế hoạch 01/01/2021"]),
    (["report-received", "1.6", "--period", "Q3/2021", "--on", "TOMORROW"],
     ["ngày nhận 1.6/Q3-2021", "chưa đến"]),
    (["report-received", "1.6", "--period", "Q3/2021", "--on", "30/06/2021"],
     ["ngày nhận 1.6/Q3-2021 30/06/2021 trước ngày bắt đầu kỳ 01/07/2021"]),
    (["report-received", "1.6", "--unit", "KHONG-CO", "--period", "Q3/2021", "--on",
      "01/07/2021"], ["không có đơn vị mã KHONG-CO"]),
]


def test_every_refused_record_of_the_books_says_why_and_leaves_the_database_unchanged(
    loaded, database_url
):
    before = database_dump(database_url)
    for command, said in BOOKS_REFUSALS:
        command = [_vietnam_tomorrow() if part == "TOMORROW" else part for part in command]
        code, output = loaded(*command)
        flat = " ".join(output.split())
        assert code == 1 and flat.startswith("Lỗi: "), (command, output)
        assert all(words in flat for words in said), (command, output)
        assert "extend" not in flat or command[1] == "extend", (command, output)
        assert database_dump(database_url) == before, command
