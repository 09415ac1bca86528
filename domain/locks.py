"""One check at a time per database: the sweep and the sealing of digests run under a lock, so
two checks started together never split a recipient's digest in two."""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text


@contextmanager
def check_lock(engine: Engine, partition: str = "") -> Iterator[None]:
    """Blocks until no other check of the same unit subtree runs on this database."""
    key = zlib.crc32(f"cchc.deadline-check:{partition}".encode())
    if engine.dialect.name == "postgresql":
        # A session-level advisory lock is released by the server if this process dies.
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                connection.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    # SQLite: a lock file beside the database; the OS releases it if this process dies.
    suffix = f".{partition}" if partition else ""
    with Path(f"{database}.check-lock{suffix}").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
