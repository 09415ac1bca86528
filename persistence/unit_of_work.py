"""The unit of work: the one owner of sessions and transactions. Every read and write of the
engine goes through it — a transaction commits or rolls back whole, the check lock is taken
here, and the events a transaction recorded are handed to the publisher after it commits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import Engine
from sqlmodel import Session

from persistence.locks import check_lock

# Set on a session by whatever records events in it (`persistence.events`), read after commit.
EVENTS_RECORDED = "cchc.events_recorded"


class UnitOfWork:
    def __init__(self, engine: Engine, publish: Callable[[], object] | None = None) -> None:
        """`publish`: called after a transaction that recorded events commits (e.g. handing
        them to Prefect's event stream); None leaves them for a flow's own publishing task."""
        self.engine = engine
        self.publish = publish

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back (and
        nothing published) when it raises."""
        with Session(self.engine) as session:
            with session.begin():
                yield session
            recorded = session.info.pop(EVENTS_RECORDED, False)
        if recorded and self.publish is not None:
            self.publish()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads: never committed, so whatever it would write is discarded when
        it closes (the objects read stay usable after)."""
        with Session(self.engine) as session:
            yield session

    def check_lock(self, partition: str = "") -> AbstractContextManager[None]:
        """One check at a time per unit subtree on this database (`persistence.locks`)."""
        return check_lock(self.engine, partition)

    def dispose(self) -> None:
        self.engine.dispose()


def mark_events_recorded(session: Session) -> None:
    session.info[EVENTS_RECORDED] = True
