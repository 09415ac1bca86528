"""Shared fixtures: a real database (a SQLite file, and PostgreSQL when one is reachable) and
the example data."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from persistence.db import make_engine, upgrade
from persistence.unit_of_work import UnitOfWork

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "sonla-2021"
POSTGRES_ADMIN_URL = os.environ.get(
    "CCHC_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _postgres_database(template: str | None = None) -> Iterator[str]:
    """Create a throwaway PostgreSQL database (a copy of `template`, if given); skip (fail under
    CI=true) without a server."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cchc_test_{uuid.uuid4().hex[:12]}"
    copied = f' TEMPLATE "{template}"' if template else ""
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{copied}'))
    except Exception as error:  # any driver error means "no usable server here"
        admin.dispose()
        reason = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {error.__class__.__name__}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true requires it)")
        pytest.skip(reason)
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str]:
    """The name of a PostgreSQL database at the schema's head, migrated once: a test taking
    `engine` gets a copy of it."""
    databases = _postgres_database()
    url = next(databases)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()  # a template is copied only while nobody is connected to it
    yield url.rsplit("/", 1)[1]
    next(databases, None)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cchc.db'}"
    else:
        migrated = "engine" in request.fixturenames
        yield from _postgres_database(request.getfixturevalue("migrated_postgres")
                                      if migrated else None)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file at the schema's head, migrated once: each test's database is a copy."""
    path = tmp_path_factory.mktemp("migrated") / "cchc.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def engine(database_url, request) -> Iterator[Engine]:
    path = Path(database_url.removeprefix("sqlite:///"))
    if database_url.startswith("sqlite:///") and not path.exists():
        # Copying the migrated file costs a millisecond; migrating it, a third of a second.
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def smtp_server():
    from tests.smtp_server import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


def cchc_environment() -> dict[str, str]:
    """The engine's settings in this process's environment (what a command must leave alone)."""
    return {name: value for name, value in os.environ.items() if name.startswith("CCHC_")}


def load_examples(engine: Engine, calendar) -> None:
    """The Sơn La 2021 fixture, imported the way `cchc import` does."""

    from adapters.tables import read_table
    from domain import importers
    from domain.policy import Policy
    from persistence import item_imports, unit_imports
    from persistence.occurrence_store import import_received_reports

    with UnitOfWork(engine).transaction() as session:
        unit_imports.import_units(session, read_table(EXAMPLES / "units.csv", importers.UNIT_COLUMNS))
        table = read_table(EXAMPLES / "plan-2021.xlsx", importers.PLAN_COLUMNS)
        header = item_imports.read_plan_header(session, table)
        item_imports.import_plan(session, table, header, calendar)
        findings = read_table(EXAMPLES / "findings-2019-2020.csv", importers.FINDING_COLUMNS)
        item_imports.import_findings(session, findings, calendar)
        reports = read_table(EXAMPLES / "received-reports.csv", importers.REPORT_COLUMNS)
        import_received_reports(session, Policy(), reports)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items) -> None:
    """A test that takes the Prefect test server is slow (`-m "not slow"` leaves it out), so
    none can forget its mark."""
    for item in items:
        if "prefect_harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test server for the whole session (starting one costs a minute or more)."""
    from flows import prefect_env

    prefect_env.configure()
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=600):
        yield


@pytest.fixture
def commune_item(engine):
    """Item 1.1 of a commune (XA, under district HUYEN, under province TINH), due Saturday
    10/02/2024 in the middle of Tết; its text and its unit's name hold markup and a line break."""
    from datetime import date

    from domain.models import TrackedItem, Unit

    with UnitOfWork(engine).transaction() as session:
        session.add_all([
            Unit(code="TINH", name="UBND tỉnh", head_title="Chủ tịch UBND tỉnh",
                 head_email="chutich@tinh.example"),
            Unit(code="HUYEN", name="UBND huyện", parent_code="TINH",
                 head_title="Chủ tịch UBND huyện", head_email="chutich@huyen.example"),
            Unit(code="XA", name="UBND xã <Mường>", parent_code="HUYEN",
                 head_title="Chủ tịch UBND xã", head_email="chutich@xa.example"),
        ])
        session.flush()
        session.add(TrackedItem(
            kind="task", scope="KH-2024", code="1.1",
            content="<script>alert(1)</script>\r\nBáo cáo kết quả", unit_code="XA",
            deadline_text="Trước 10/02/2024", deadline_kind="fixed",
            due_date=date(2024, 2, 10), original_due_date=date(2024, 2, 10),
        ))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database (skipped without a server, required under CI=true)."""
    yield from _postgres_database()


def invoke_cchc(*args: str) -> tuple[int, str]:
    """`cchc …` in this process, under its environment: (exit code, output)."""
    from typer.testing import CliRunner

    from cli.main import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def cchc(engine, database_url, monkeypatch, tmp_path):
    """Run `cchc …` against the test database; return (exit code, output)."""
    monkeypatch.setenv("CCHC_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    return invoke_cchc


def import_examples(cchc) -> None:
    for kind, name in (
        ("units", "units.csv"),
        ("plan", "plan-2021.xlsx"),
        ("findings", "findings-2019-2020.csv"),
        ("reports", "received-reports.csv"),
    ):
        code, output = cchc("import", kind, str(EXAMPLES / name))
        assert code == 0, output


@pytest.fixture(scope="session")
def loaded_sqlite(migrated_sqlite, tmp_path_factory) -> Path:
    """The Sơn La 2021 fixture imported through the command line once, into a SQLite file."""
    path = tmp_path_factory.mktemp("loaded") / "cchc.db"
    shutil.copyfile(migrated_sqlite, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CCHC_DATABASE_URL", f"sqlite:///{path}")
        patch.chdir(path.parent)
        import_examples(invoke_cchc)
    # What the imports committed may still sit in the write-ahead log: fold it into the file.
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def loaded(cchc, engine, database_url, request):
    """`cchc` on a database holding the Sơn La 2021 fixture, imported through the command line
    (on SQLite, once a session: each test gets a copy of the file)."""
    if database_url.startswith("sqlite:///"):
        engine.dispose()  # its pooled connections would keep reading the file replaced here
        shutil.copyfile(request.getfixturevalue("loaded_sqlite"),
                        database_url.removeprefix("sqlite:///"))
    else:
        import_examples(cchc)
    return cchc
