"""Alembic environment: the engine comes from `domain.db.alembic_config`, the schema from the
SQLModel tables."""

from alembic import context
from sqlmodel import SQLModel

import domain.models  # noqa: F401  (registers the tables)

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
