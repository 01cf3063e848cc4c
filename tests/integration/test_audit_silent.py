"""Cases that were silently wrong (issue #14), now correct or refused, on each database."""

from __future__ import annotations

import decimal
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

import seedspec
from seedspec.errors import SeedspecError

USERS = """
CREATE TABLE users (
  id INTEGER PRIMARY KEY, code VARCHAR(20) UNIQUE, username VARCHAR(50) UNIQUE, email VARCHAR(80),
  balance NUMERIC(8, 2)
);
"""
USERS_SPEC = """
version: 1
tables: {ddl: schema.sql}
factories:
  user:
    table: users
    key: [code]
    fields:
      id: "{{ n + 1 }}"
      code: {sequence: "U{n}"}
      username: {choice: [ann, bob, cy, dee, eve, fay, gus, hal], unique: true}
      email: "{{ username }}@example.com"
      balance: {range: [1.0, 100.0]}
seed:
  - factory: user
    count: 3
"""


def _write(tmp_path: Path, schema: str, spec: str) -> Path:
    (tmp_path / "schema.sql").write_text(schema, encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(spec), encoding="utf-8")
    return path


def test_fields_made_from_a_unique_value_follow_it_when_it_moves_on(db_url: str, tmp_path: Path) -> None:
    # rows made elsewhere hold the usernames this spec draws first: they move on, and their emails with them
    path = _write(tmp_path, USERS, USERS_SPEC)
    engine = sa.create_engine(db_url)
    try:
        seedspec.apply(seedspec.load(path), engine, create=True)
        with engine.begin() as conn:
            drawn = conn.execute(sa.text("SELECT username FROM users ORDER BY code")).scalars().all()
            conn.execute(sa.text("DELETE FROM users"))
            for i, name in enumerate(drawn):
                conn.execute(
                    sa.text("INSERT INTO users (id, code, username, email) VALUES (:i, :c, :u, 'x')"),
                    {"i": 100 + i, "c": f"X{i}", "u": name},
                )
        seedspec.apply(seedspec.load(path), engine)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT username, email FROM users WHERE code LIKE 'U%'")).all()
    finally:
        engine.dispose()
    assert len(rows) == 3
    assert not {u for u, _ in rows} & set(drawn)
    assert all(email == f"{username}@example.com" for username, email in rows)


def test_decimals_are_rounded_to_their_column_as_stored_and_a_replan_finds_no_difference(
    db_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, USERS, USERS_SPEC)
    engine = sa.create_engine(db_url)
    try:
        seedspec.apply(seedspec.load(path), engine, create=True)
        _, report = seedspec.plan_against(seedspec.load(path), engine)
        with engine.connect() as conn:
            balances = conn.execute(sa.text("SELECT balance FROM users")).scalars().all()
    finally:
        engine.dispose()
    assert report.steps[0].differing == 0
    assert report.steps[0].existing == 3
    assert all(
        decimal.Decimal(str(b)) == decimal.Decimal(str(b)).quantize(decimal.Decimal("0.01")) for b in balances
    )


ITEMS = (
    "CREATE TABLE items (id INTEGER PRIMARY KEY, code VARCHAR(10) UNIQUE, name VARCHAR(10), qty SMALLINT);"
)
ITEMS_SPEC = """
version: 1
tables: {ddl: schema.sql}
factories:
  item:
    table: items
    key: [code]
    fields:
      id: 1
      code: {sequence: "I{n}"}
      name: NAME
      qty: QTY
seed:
  - factory: item
    count: 1
"""


@pytest.mark.mariadb
@pytest.mark.parametrize(
    ("name", "qty"), [("'{{ \"x\" * 30 }}'", "1"), ("short", "100000")], ids=["long", "big"]
)
def test_a_non_strict_mariadb_session_refuses_what_it_would_truncate(
    mariadb_url: str, tmp_path: Path, name: str, qty: str
) -> None:
    path = _write(tmp_path, ITEMS, ITEMS_SPEC.replace("NAME", name).replace("QTY", qty))
    engine = sa.create_engine(mariadb_url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(ITEMS)
            conn.commit()
            conn.exec_driver_sql("SET SESSION sql_mode = ''")  # a server or session without strict mode
            with pytest.raises(SeedspecError) as info:
                seedspec.apply(seedspec.load(path), conn)
            conn.rollback()
            assert conn.exec_driver_sql("SELECT @@SESSION.sql_mode").scalar() == ""  # the caller's, back
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM items").scalar() == 0
    finally:
        engine.dispose()
    (d,) = info.value.diagnostics
    assert d.code == "E500"
    assert ("name" if qty == "1" else "qty") in d.message


@pytest.mark.mariadb
def test_a_non_strict_mariadb_session_gets_its_mode_back_after_an_apply(
    mariadb_url: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, ITEMS, ITEMS_SPEC.replace("NAME", "short").replace("QTY", "3"))
    engine = sa.create_engine(mariadb_url)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(ITEMS)
            conn.commit()
            conn.exec_driver_sql("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'")
            seedspec.apply(seedspec.load(path), conn)
            assert conn.exec_driver_sql("SELECT @@SESSION.sql_mode").scalar() == "NO_ENGINE_SUBSTITUTION"
            assert conn.exec_driver_sql("SELECT name, qty FROM items").one() == ("short", 3)
    finally:
        engine.dispose()
