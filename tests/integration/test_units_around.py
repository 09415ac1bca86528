"""A unit's page reads only its units' part of the unit tree: for every unit (and pairs of
them), that part answers what the page asks — the units whose items it answers for, the units
it supervises, who answers for each — exactly as the whole tree does."""

from __future__ import annotations

from itertools import combinations

from domain.models import Unit
from domain.responses import in_scope, supervised_units
from persistence.ledger import load_unit_tree, units_around
from persistence.unit_of_work import UnitOfWork
from tests.conftest import *  # noqa: F403 (the database fixtures)

# (code, parent, successor when dissolved): two provinces; dissolved units hand their items
# on, one through a chain (OLD2 → OLD → A), one to a unit of the other province (E → F).
UNITS = [
    ("TINH", None, None), ("TINH2", None, None),
    ("A", "TINH", None), ("B", "TINH", None), ("F", "TINH2", None),
    ("C", "A", None), ("G", "C", None), ("H", "B", None),
    ("OLD", "TINH", "A"), ("OLD2", "TINH", "OLD"), ("D", "A", "B"), ("E", "C", "F"),
]


def _asked(tree, scope: set[str]) -> tuple:
    assigned = {code for code in tree.units if in_scope(tree, code, scope)}
    supervised = supervised_units(tree, scope)
    return assigned, supervised, {code: tree.responsible(code)
                                  for code in assigned | supervised}


def test_a_pages_part_of_the_unit_tree_answers_as_the_whole_tree_does(engine):
    with UnitOfWork(engine).transaction() as session:
        for code, parent, successor in UNITS:  # parents first
            session.add(Unit(code=code, name=f"Đơn vị {code}", parent_code=parent,
                             head_email=f"{code.lower()}@example.gov.vn",
                             active=successor is None, successor_code=successor))
            session.flush()
    codes = [code for code, _, _ in UNITS]
    with UnitOfWork(engine).reading() as session:
        whole = load_unit_tree(session)
        for scope in [{code} for code in codes] + [set(pair) for pair in combinations(codes, 2)]:
            part = units_around(session, scope)
            assert _asked(part, scope) == _asked(whole, scope), scope
        # What the pages ask most: a unit low in the tree reads a few units, not all of them.
        assert set(units_around(session, {"G"}).units) == {
            "G", "C", "A", "TINH", "OLD", "OLD2", "D", "E", "B", "F"}
