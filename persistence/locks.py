"""One check at a time per database: the sweep and the sealing of digests run under a lock, so
two checks started together never split a recipient's digest in two."""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

from persistence.db import sqlite_file


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
    database = sqlite_file(engine)
    if database is None:
        yield
        return
    # SQLite: a lock file beside the database; the OS releases it if this process dies.
    suffix = f".{partition}" if partition else ""
    path = Path(f"{database}.check-lock{suffix}")
    with _locked_file(path):
        yield


@contextmanager
def _locked_file(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path`, and remove the file when done. A waiter may get the
    lock on a file its holder has just removed: it then locks the path's new file instead."""
    while True:
        handle = path.open("a")
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            current = path.stat()
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(handle.fileno()), current):
            break
        handle.close()
    try:
        yield
    finally:
        # Removed while still locked, so no one can lock this file and believe it current.
        path.unlink(missing_ok=True)
        handle.close()
