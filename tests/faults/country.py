"""Generated units and open items, inserted in bulk: enough load for the fault tests without
the examples' spreadsheets."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import Engine, insert

from domain.models import TrackedItem, Unit


def seed(engine: Engine, *, districts: int, communes: int, items: int, as_of: date,
         seed: int = 7) -> None:
    """One province, `districts` districts of `communes` communes each, and `items` open items
    spread over the units, due from 30 days before `as_of` to 10 days after."""
    rng = random.Random(seed)
    units = [_unit("TINH", None)]
    for d in range(districts):
        units.append(_unit(f"H{d}", "TINH"))
        units += [_unit(f"H{d}X{c}", f"H{d}") for c in range(communes)]
    rows = [
        {
            "kind": "task", "scope": "KH-F", "code": f"{n}", "content": f"Nhiệm vụ {n}",
            "unit_code": rng.choice(units)["code"], "deadline_text": "Trước ngày",
            "deadline_kind": "fixed", "position": n,
            "due_date": (due := as_of + timedelta(days=rng.randint(-30, 10))),
            "original_due_date": due,
        }
        for n in range(1, items + 1)
    ]
    with engine.begin() as connection:
        connection.execute(insert(Unit.__table__), units)
        connection.execute(insert(TrackedItem.__table__), rows)


def _unit(code: str, parent: str | None) -> dict:
    domain = f"{code.lower()}.example"
    return {"code": code, "name": f"Đơn vị {code}", "parent_code": parent,
            "head_title": "Thủ trưởng", "head_email": f"head@{domain}",
            "focal_email": f"cchc@{domain}", "active": True}
