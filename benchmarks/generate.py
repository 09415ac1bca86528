"""A synthetic country in the engine's own database: 34 provinces, each with its departments
(and their divisions) and its communes — about 10,000 units, every head with an e-mail — and N
open items (1,000,000 by default) due around the check day: most far away, a few percent due
within the reminder ladder's reach or overdue, some of those long overdue.

    .venv/bin/python benchmarks/generate.py --database-url URL [--items 1000000]
                                            [--within-reach N]

With `--within-reach N`, exactly N items are due within the ladder's reach or overdue (spread
over those ranges in the same proportions) and the rest far away; the N are the same items
(units, due dates) whatever the total, so two countries of different sizes share them.

The schema is created first (as `cchc init` does); the units and items are bulk loaded (COPY on
PostgreSQL, executemany in large transactions on SQLite), then the tables are ANALYZEd.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, text

from persistence.db import make_engine, upgrade

# A Wednesday in March: a working day with no holiday near it.
CHECK_DAY = date(2025, 3, 12)
PROVINCES = 34
DEPARTMENTS = 30  # sở, ban, ngành per province
DIVISIONS = 5  # phòng per department
COMMUNES = 98  # xã, phường per province (≈ 3,300 in the country)

UNIT_COLUMNS = ("code", "name", "parent_code", "head_title", "head_email", "focal_email",
                "active", "successor_code")
ITEM_COLUMNS = ("kind", "scope", "code", "position", "content", "unit_code", "deadline_text",
                "deadline_kind", "due_date", "original_due_date", "updated_at")

# (share of items, range of days from the check day to the due date)
DUE_SPREAD = (
    (0.935, (15, 540)),  # far away
    (0.030, (0, 14)),  # due soon: within the reminder ladder's reach
    (0.030, (-40, -1)),  # overdue: overdue notices and the first escalations
    (0.005, (-600, -41)),  # long overdue: the whole escalation track
)


# Due 0–11 days after the check day: before 24/03/2025, the default policy's reach (8 working
# days) on CHECK_DAY, so `--within-reach` counts exactly the items a check day reads.
REACH = (0, 11)


def units(provinces: int = PROVINCES) -> list[tuple]:
    """The unit tree, parents before children; every unit has a head's address."""
    rows: list[tuple] = []

    def add(code: str, name: str, parent: str | None, title: str, domain: str) -> None:
        focal = f"caicach.{code.lower()}@{domain}" if len(rows) % 3 == 0 else None
        rows.append((code, name, parent, title, f"truong.{code.lower()}@{domain}", focal,
                     True, None))

    for province in (f"T{number:02d}" for number in range(1, provinces + 1)):
        domain = f"{province.lower()}.gov.example"
        add(province, f"UBND tỉnh {province}", None, "Chủ tịch UBND tỉnh", domain)
        for d in range(1, DEPARTMENTS + 1):
            department = f"{province}-S{d:02d}"
            add(department, f"Sở số {d} tỉnh {province}", province, "Giám đốc Sở", domain)
            for p in range(1, DIVISIONS + 1):
                add(f"{department}-P{p}", f"Phòng {p}, Sở số {d}", department, "Trưởng phòng",
                    domain)
        for c in range(1, COMMUNES + 1):
            add(f"{province}-X{c:03d}", f"UBND xã số {c} tỉnh {province}", province,
                "Chủ tịch UBND xã", domain)
    return rows


def items(count: int, unit_codes: list[str], seed: int = 7,
          within_reach: int | None = None) -> Iterator[tuple]:
    """`count` open items spread over the units below the provinces; with `within_reach`, that
    many from the near ranges first (from a generator of their own), the rest far away."""
    now = datetime.now(UTC)
    if within_reach is None:
        spreads = [(count, random.Random(seed), DUE_SPREAD)]
    else:
        near = [((share, REACH) if days == (0, 14) else (share, days))
                for share, days in DUE_SPREAD[1:]]
        spreads = [(within_reach, random.Random(seed), near),
                   (count - within_reach, random.Random(seed + 1), DUE_SPREAD[:1])]
    number = 0
    for size, rng, spread in spreads:
        shares = [share for share, _ in spread]
        ranges = [days for _, days in spread]
        for _ in range(size):
            number += 1
            low, high = rng.choices(ranges, shares)[0]
            due = CHECK_DAY + timedelta(days=rng.randint(low, high))
            unit = rng.choice(unit_codes)
            yield ("task", "KH-QG-2025", f"{number}", number,
                   f"Nhiệm vụ cải cách hành chính số {number} của đơn vị {unit}", unit,
                   f"Trước {due:%d/%m/%Y}", "fixed", due, due, now)


def generate(engine: Engine, count: int, provinces: int = PROVINCES,
             within_reach: int | None = None) -> tuple[int, int]:
    """Load the country into an empty, migrated database; (units, items) loaded."""
    unit_rows = units(provinces)
    codes = [row[0] for row in unit_rows if "-" in row[0]]
    item_rows = items(count, codes, within_reach=within_reach)
    if engine.dialect.name == "postgresql":
        _copy(engine, unit_rows, item_rows)
    else:
        _executemany(engine, unit_rows, item_rows)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return len(unit_rows), count


def _copy(engine: Engine, unit_rows: list[tuple], item_rows: Iterator[tuple]) -> None:
    connection = engine.raw_connection()
    try:
        with connection.cursor() as cursor:
            for table, columns, rows in (("unit", UNIT_COLUMNS, unit_rows),
                                         ("trackeditem", ITEM_COLUMNS, item_rows)):
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        connection.commit()
    finally:
        connection.close()


def _executemany(engine: Engine, unit_rows: list[tuple], item_rows: Iterator[tuple]) -> None:
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        for table, columns, rows in (("unit", UNIT_COLUMNS, iter(unit_rows)),
                                     ("trackeditem", ITEM_COLUMNS, item_rows)):
            statement = (f"INSERT INTO {table} ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})")
            while chunk := [row for _, row in zip(range(200_000), rows)]:
                cursor.executemany(statement, [_sqlite_row(row) for row in chunk])
                connection.commit()
    finally:
        connection.close()


def _sqlite_row(row: tuple) -> tuple:
    # Stored as SQLAlchemy stores them, so the ORM and Core read the same values back.
    return tuple(
        value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime)
        else value.isoformat() if isinstance(value, date) else value
        for value in row
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--provinces", type=int, default=PROVINCES)
    parser.add_argument("--within-reach", type=int,
                        help="items due within the ladder's reach or overdue; the rest far away")
    args = parser.parse_args()
    if args.within_reach is not None and not 0 <= args.within_reach <= args.items:
        parser.error("--within-reach must be between 0 and --items")
    engine = make_engine(args.database_url)
    upgrade(engine)
    started = time.perf_counter()
    unit_count, item_count = generate(engine, args.items, args.provinces, args.within_reach)
    print(f"{unit_count:,} units and {item_count:,} open items loaded into "
          f"{engine.dialect.name} in {time.perf_counter() - started:.1f} s "
          f"(check day {CHECK_DAY:%d/%m/%Y})")
    engine.dispose()


if __name__ == "__main__":
    main()
