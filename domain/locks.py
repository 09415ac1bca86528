"""One check at a time per database: the sweep and the sealing of digests run under a lock, so
two checks started together never split a recipient's digest in two."""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

_CHECK_LOCK_KEY = zlib.crc32(b"cchc.deadline-check")


@contextmanager
def check_lock(engine: Engine) -> Iterator[None]:
    """Blocks until no other check runs on this database."""
    if engine.dialect.name == "postgresql":
        # A session-level advisory lock is released by the server if this process dies.
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _CHECK_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _CHECK_LOCK_KEY})
                connection.commit()
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    # SQLite: a lock file beside the database; the OS releases it if this process dies.
    with Path(database + ".check-lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
