"""Alembic environment: the engine comes from `persistence.db.alembic_config`, the schema from the
SQLModel tables."""

from alembic import context
from sqlmodel import SQLModel

import domain.models  # noqa: F401  (registers the tables)

config = context.config
engine = config.attributes["engine"]

# The embedded scheduler (`cchc serve`) keeps its own table; it is not ours to migrate.
FOREIGN_TABLES = {"scheduler_jobs"}


def include_object(obj, name, type_, reflected, compare_to):  # noqa: ANN001
    return not (type_ == "table" and name in FOREIGN_TABLES)


with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
