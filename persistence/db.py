"""The engine, sessions and schema migrations (Alembic) for SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from collections.abc import Iterable

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Engine,
    any_,
    bindparam,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).parent / "migrations"
# The latest migration's revision. Every command checks the schema against it before it reads
# or writes; a constant, because loading Alembic's scripts costs a quarter of a second at every
# start. A test keeps it equal to the scripts' head: bump it with each new migration.
SCHEMA_HEAD = "0013_inspection_reminders"
VERSION_TABLE = "alembic_version"


def make_engine(url: str) -> Engine:
    """An engine; it creates nothing (a SQLite file and its folder are made by `upgrade`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # A writer (a unit's report) waits up to 30 s for another's transaction (a check's
        # batches, its sealing: seconds each on a loaded machine) instead of failing with
        # "database is locked": the driver's busy timeout, whose default is 5 s.
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # noqa: ANN001
            # Foreign keys are off by default in SQLite; WAL lets readers and one writer coexist.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    # No JIT compilation: the engine's queries run in milliseconds to a second, and when the
    # planner's estimate for a check's sweep crossed PostgreSQL's threshold, compiling it took
    # 2 s for a query that then ran in 1.2 s.
    return create_engine(url, pool_pre_ping=True, connect_args={"options": "-c jit=off"})


def alembic_config(engine: Engine | None = None):  # noqa: ANN201 (Alembic's Config, lazily)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Create the schema or bring it up to date (what `cchc init` does)."""
    from alembic import command

    database = sqlite_file(engine)
    if database is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(engine), "head")


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite database (None for another backend or an in-memory one)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database)


def is_current(engine: Engine) -> bool:
    """Whether the schema is at the latest migration. A SQLite file that does not exist is not
    (and asking must not create it: a refused command writes nothing)."""
    database = sqlite_file(engine)
    if database is not None and not database.exists():
        return False
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return False
        versions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        return set(versions.scalars()) == {SCHEMA_HEAD}


def migration_heads() -> set[str]:
    """The heads of the migration scripts, as Alembic reads them (slow: for tests and tools)."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def one_of(session: Session, column: ColumnElement, values: Iterable) -> ColumnElement[bool]:
    """`column IN values`; on PostgreSQL `column = ANY(array)`, one parameter however many
    values: an IN list is a placeholder per value, each of which SQLAlchemy casts and psycopg
    parses again for every new length (a tenth of a daily check), and none of which the server
    can prepare once."""
    if session.get_bind().dialect.name != "postgresql":
        return column.in_(values)
    return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
