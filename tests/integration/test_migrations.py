"""The Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import domain.models  # noqa: F401  (registers the tables)
from persistence.db import SCHEMA_HEAD, is_current, migration_heads, upgrade


def test_migrated_database_matches_the_models_and_a_second_upgrade_is_a_no_op(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
    assert is_current(engine)
    upgrade(engine)  # `cchc init` on an initialised database changes nothing
    assert is_current(engine)


def test_the_start_up_schema_check_expects_the_latest_migration():
    # Commands compare the database with SCHEMA_HEAD instead of loading Alembic's scripts.
    assert migration_heads() == {SCHEMA_HEAD}


def test_a_database_one_migration_behind_is_not_current(engine):
    from sqlalchemy import text

    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    assert not is_current(engine)
