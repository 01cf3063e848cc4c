"""Keys a run draws twice, on every database: E520 by default (nothing written), or with
``duplicates: skip`` written once and reported as ``duplicate``, never as ``existing``; apply,
plan and build agree."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

import seedspec

PRIMARY_KEYS = {
    "sqlite": "INTEGER PRIMARY KEY",
    "postgresql": "SERIAL PRIMARY KEY",
    "mysql": "INTEGER AUTO_INCREMENT PRIMARY KEY",
}

TABLES = """\
CREATE TABLE orders (id {pk}, code VARCHAR(10) NOT NULL UNIQUE, status VARCHAR(10) NOT NULL);
CREATE TABLE payments (
  id {pk}, order_id INTEGER NOT NULL UNIQUE REFERENCES orders (id), amount INTEGER NOT NULL
);
CREATE TABLE users (id {pk}, email VARCHAR(40) NOT NULL UNIQUE);
CREATE TABLE profiles (
  user_id INTEGER NOT NULL REFERENCES users (id), kind VARCHAR(10) NOT NULL, PRIMARY KEY (user_id, kind)
)
"""

SPEC = """\
version: 1
settings: {seed: 7}
factories:
  order:
    table: orders
    fields:
      code: {sequence: "O{n}"}
      status: {choice: [new, paid, shipped]}
  payment:
    table: payments
    key: [order_id]
    fields:
      order_id: {ref: order, where: {status: [paid, shipped]}}
      amount: {range: [1, 100]}
  user:
    table: users
    fields: {email: {sequence: "u{n}@x.test"}}
  profile:
    table: profiles
    key: [user_id, kind]
    fields:
      user_id: {ref: user}
      kind: main
seed:
  - {factory: order, count: 60}
  - {factory: payment, count: 60}          # 60 picks among the paid and shipped orders
  - {factory: user, count: 10}
  - {factory: profile, count: 10}
"""


def _spec(tmp_path: Path, text: str) -> seedspec.LoadedSpec:
    (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
    return seedspec.load(tmp_path / "spec.yaml")


@pytest.fixture
def engine(db_url: str) -> sa.Engine:
    engine = seedspec.create_engine(db_url)
    pk = PRIMARY_KEYS[engine.url.get_backend_name()]
    with engine.begin() as conn:  # made here: one DDL for the three databases
        for statement in TABLES.format(pk=pk).split(";"):
            conn.exec_driver_sql(statement)
    return engine


def _count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def test_a_key_drawn_twice_is_e520_and_nothing_is_written(engine: sa.Engine, tmp_path: Path) -> None:
    spec = _spec(tmp_path, SPEC)
    for run in (lambda: seedspec.apply(spec, engine), lambda: seedspec.plan_against(spec, engine)):
        with pytest.raises(seedspec.SeedspecError) as caught:
            run()
        (d,) = caught.value.diagnostics
        assert (d.code, d.pointer) == ("E520", "/factories/payment/fields/order_id")
        assert "step 'payment'" in d.message
    with pytest.raises(seedspec.SeedspecError) as built:
        seedspec.build(spec, "json", database=engine, stream=io.StringIO(), workers=0)
    assert built.value.diagnostics[0].code == "E520"
    assert _count(engine, "orders") == 0  # rolled back
    engine.dispose()


def test_a_composite_key_drawn_twice_is_e520(engine: sa.Engine, tmp_path: Path) -> None:
    spec = _spec(
        tmp_path, SPEC.replace("    key: [order_id]\n", "    key: [order_id]\n    duplicates: skip\n")
    )
    with pytest.raises(seedspec.SeedspecError) as caught:
        seedspec.apply(spec, engine)
    (d,) = caught.value.diagnostics
    assert d.code == "E520"
    assert "drew a key (user_id, kind)" in d.message
    engine.dispose()


def test_accepted_duplicates_are_reported_as_such_and_never_as_existing(
    engine: sa.Engine, tmp_path: Path
) -> None:
    spec = _spec(tmp_path, SPEC.replace("    table: ", "    duplicates: skip\n    table: "))
    planned = seedspec.plan_against(spec, engine)[1].tables
    first = seedspec.apply(spec, engine).tables
    built = seedspec.build(spec, "json", database=engine, stream=io.StringIO(), workers=0).tables
    payments = {t.table: t for t in first}["payments"]
    assert payments.created == _count(engine, "payments") < 60
    assert (payments.existing, payments.created + payments.duplicate) == (0, 60)
    counts = [[(t.table, t.created, t.existing, t.duplicate) for t in tables] for tables in (planned, built)]
    assert counts == [[(t.table, t.created, t.existing, t.duplicate) for t in first]] * 2
    again = {t.table: t for t in seedspec.apply(spec, engine).tables}
    assert (again["payments"].created, again["payments"].existing) == (0, _count(engine, "payments"))
    assert again["payments"].duplicate == payments.duplicate
    assert again["profiles"].existing == _count(engine, "profiles") == first[-1].created
    engine.dispose()
