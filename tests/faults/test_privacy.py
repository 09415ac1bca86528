"""Nobody sees another unit's items: over random unit trees (120 units, some dissolved into a
successor, some without a head's address) and random items, every digest lists only items of
the units its recipient answers for, and an escalation only items of the recipient's subtree."""

from __future__ import annotations

import logging
import re
import shutil
from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from domain.models import LadderEntry, Notice, NoticeEntry, TrackedItem, Unit
from domain.states import RecipientRole
from flows import checking
from flows.application import build_application
from flows.settings import Settings
from persistence import ledger
from persistence.db import make_engine, upgrade
from persistence.unit_of_work import UnitOfWork

AS_OF = date(2024, 5, 6)
UNITS = 120


@st.composite
def organisations(draw):
    """120 units: a forest (each unit's parent comes before it), a fifth without a head's
    address, some dissolved into an active unit; and 100 to 400 items over them."""
    rng = draw(st.randoms(use_true_random=False))
    roots = draw(st.integers(1, 5))
    units = [
        {"code": f"U{n}", "name": f"Đơn vị {n}",
         "parent_code": None if n < roots else f"U{rng.randrange(n)}",
         "head_title": "Thủ trưởng",
         "head_email": None if rng.random() < 0.2 else f"head@u{n}.example",
         "focal_email": f"cchc@u{n}.example", "active": True, "successor_code": None}
        for n in range(UNITS)
    ]
    for unit in rng.sample(units, draw(st.integers(0, 12))):
        unit["active"] = False
        unit["successor_code"] = rng.choice(
            [u["code"] for u in units if u["active"] and u is not unit])
    items = [
        {"kind": "task", "scope": "KH-P", "code": f"I{n}", "content": f"Nhiệm vụ {n}",
         "unit_code": f"U{rng.randrange(UNITS)}", "deadline_text": "Trước ngày",
         "deadline_kind": "fixed",
         "due_date": (due := AS_OF + timedelta(days=rng.randint(-30, 10))),
         "original_due_date": due}
        for n in range(draw(st.integers(100, 400)))
    ]
    return units, items


def insert_organisation(engine, units, items) -> None:
    # Successors are set once every unit exists.
    with engine.begin() as connection:
        connection.execute(insert(Unit.__table__),
                           [{**u, "successor_code": None} for u in units])
        for unit in units:
            if unit["successor_code"]:
                connection.execute(Unit.__table__.update()
                                   .where(Unit.__table__.c.code == unit["code"])
                                   .values(successor_code=unit["successor_code"]))
        connection.execute(insert(TrackedItem.__table__), items)


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory):
    path = tmp_path_factory.mktemp("privacy") / "empty.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(organisation=organisations())
def test_every_digest_lists_only_items_its_recipient_answers_for(
    empty_database, tmp_path, organisation
):
    units, items = organisation
    path = tmp_path / "cchc.db"
    shutil.copy(empty_database, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    insert_organisation(engine, units, items)
    checking.sweep_and_seal(build_application(Settings(database_url=url), engine=engine), AS_OF,
                            logging.getLogger("t"))

    with UnitOfWork(engine).reading() as session:
        tree = ledger.load_unit_tree(session)
        rows = session.execute(
            select(Notice.id, Notice.recipient, Notice.recipient_unit_code, NoticeEntry.role,
                   TrackedItem.code, TrackedItem.unit_code)
            .join(NoticeEntry, NoticeEntry.notice_id == Notice.id)
            .join(LadderEntry, LadderEntry.id == NoticeEntry.ledger_id)
            .join(TrackedItem, TrackedItem.id == LadderEntry.item_id)
        ).all()
        texts = dict(session.execute(select(Notice.id, Notice.text_body)).all())
    engine.dispose()

    listed = defaultdict(set)
    for notice_id, recipient, recipient_unit, role, code, item_unit in rows:
        answering = tree.responsible(item_unit)
        assert recipient == tree.units[recipient_unit].head_email
        if role == RecipientRole.RESPONSIBLE:
            assert recipient_unit == answering.code
        else:
            assert role == RecipientRole.SUPERVISOR
            # an escalation goes up, and only over the recipient's own subtree
            assert answering.code in tree.subtree(recipient_unit)
            assert recipient_unit != answering.code
        listed[notice_id].add(code)
    # What the recipient reads is exactly what was checked above, nothing more.
    assert set(texts) == set(listed)
    for notice_id, text in texts.items():
        assert set(re.findall(r"\[(I\d+)\]", text)) == listed[notice_id]
