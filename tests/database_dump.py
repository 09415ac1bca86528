"""Every row of every table: two dumps are equal when nothing was written in between."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import SQLModel

import domain.models  # noqa: F401  (registers the tables)


def dump(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table.name: sorted((tuple(row) for row in connection.execute(table.select())),
                                   key=repr)
                for table in SQLModel.metadata.sorted_tables}
