"""Build without a database: counted ids, refs to them, keys found again, located errors."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES

import seedspec
from seedspec.api import building as api
from seedspec.errors import SeedspecError
from seedspec.output.builder import _Ids

WriteSpec = Callable[[str, str], Path]

SCHEMA = """
CREATE TABLE teams (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL, tier VARCHAR(10));
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  team_id INTEGER NOT NULL REFERENCES teams (id),
  email VARCHAR(50) NOT NULL UNIQUE
);
"""

SPEC = """
version: 1
tables: {ddl: schema.sql}
factories:
  team:
    table: teams
    key: [name]
    fields: {name: {sequence: "team-{n}"}}
  user:
    table: users
    key: [email]
    fields:
      team_id: {ref: team, pick: round_robin}
      email: {sequence: "u{n}@example.com"}
seed:
  - factory: team
    records: [{id: 7, name: seven}]
  - factory: team
    count: 2
  - factory: team
    records: [{name: team-0}]   # the key of a row built before: found, not written again
  - factory: user
    count: 4
"""


def built_json(write: WriteSpec, spec: str = SPEC, schema: str = SCHEMA, **options: Any) -> dict[str, Any]:
    write("schema.sql", schema)
    stream = io.StringIO()
    report = api.build(seedspec.load(write("spec.yaml", spec)), "json", stream=stream, workers=0, **options)
    document: dict[str, Any] = json.loads(stream.getvalue())
    document["report"] = report
    return document


def test_ids_are_those_an_empty_database_gives_and_refs_use_them(write: WriteSpec) -> None:
    built = built_json(write)
    assert built["teams"] == [
        {"id": 7, "name": "seven"},
        {"id": 8, "name": "team-0"},
        {"id": 9, "name": "team-1"},
    ]
    # the pool holds the found team-0 again, with the id it was built with
    assert [(u["id"], u["team_id"]) for u in built["users"]] == [(1, 7), (2, 8), (3, 9), (4, 8)]
    teams = next(t for t in built["report"].tables if t.table == "teams")
    assert (teams.created, teams.existing) == (3, 1)


def test_postgresql_ids_continue_from_its_sequence_until_a_step_that_set_ids_ends(write: WriteSpec) -> None:
    built = built_json(write, dialect="postgresql")
    assert [t["id"] for t in built["teams"]] == [7, 8, 9]  # setval after the step with id 7


def test_mysql_compares_keys_without_case(write: WriteSpec) -> None:
    spec = SPEC.replace("records: [{name: team-0}]", "records: [{name: TEAM-0}]")
    assert len(built_json(write, spec, dialect="mysql")["teams"]) == 3
    assert len(built_json(write, spec, dialect="sqlite")["teams"]) == 4


def _column(*args: Any, **table_options: Any) -> sa.Column[Any]:
    column = sa.Column("id", sa.Integer, *args, primary_key=True)
    sa.Table("t", sa.MetaData(), column, **table_options)
    return column


def test_counters_follow_each_dialect() -> None:
    for dialect, expected in (("sqlite", [1, 10, 11]), ("mysql", [1, 10, 11]), ("postgresql", [1, 10, 2])):
        ids = _Ids(_column(), dialect)
        rows: list[dict[str, Any]] = [{}, {"id": 10}, {}]
        for row in rows:
            ids.take(row)
        assert [r["id"] for r in rows] == expected, dialect
    ids = _Ids(_column(), "postgresql")
    ids.take({"id": 10})
    ids.step_done(explicit=True)
    row: dict[str, Any] = {}
    ids.take(row)
    assert row["id"] == 11


def test_a_batch_is_numbered_as_row_by_row() -> None:
    batches: list[list[dict[str, Any]]] = [[{}, {}, {}], [{}, {"id": 10}, {}], [], [{}]]
    for dialect in ("sqlite", "postgresql"):
        for increment in (1, 5, -2):
            one, many = (_Ids(_column(sa.Identity(start=3, increment=increment)), dialect) for _ in range(2))
            for batch in batches:
                by_one, by_many = [dict(r) for r in batch], [dict(r) for r in batch]
                for row in by_one:
                    one.take(row)
                many.take_all(by_many)
                assert by_many == by_one, (dialect, increment)
                assert (many.next, many.highest) == (one.next, one.highest), (dialect, increment)


def test_counters_start_where_the_models_say() -> None:
    identity = _column(sa.Identity(start=100, increment=5))
    assert (_Ids(identity, "postgresql").next, _Ids(identity, "postgresql").increment) == (100, 5)
    assert _Ids(identity, "sqlite").next == 1  # SQLite has no identity columns
    assert _Ids(_column(sa.Sequence("s", start=50)), "postgresql").next == 50
    assert _Ids(_column(mysql_auto_increment="30"), "mysql").next == 30
    assert _Ids(_column(mysql_auto_increment="30"), "postgresql").next == 1


def test_server_defaults_are_left_to_the_database(write: WriteSpec) -> None:
    schema = SCHEMA.replace("tier VARCHAR(10)", "tier VARCHAR(10) DEFAULT 'free'")
    built = built_json(write, schema=schema)
    assert "tier" not in built["teams"][0]  # a server default is the database's to fill


def _error(write: WriteSpec, spec: str, schema: str = SCHEMA, **options: Any) -> str:
    with pytest.raises(SeedspecError) as raised:
        built_json(write, spec, schema, **options)
    (diagnostic,) = raised.value.diagnostics
    return f"{diagnostic.code} {diagnostic.location}: {diagnostic.message} / {diagnostic.hint}"


def test_a_spec_without_tables_needs_a_database_to_read_them_from(write: WriteSpec) -> None:
    message = _error(write, SPEC.replace("tables: {ddl: schema.sql}\n", ""))
    assert message.startswith("E710 ")
    assert "spec.yaml:2:1" in message
    assert "--database-url" in message


def test_a_spec_without_tables_reads_them_from_the_database(write: WriteSpec, tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in SCHEMA.split(";")[:-1]:
            conn.exec_driver_sql(statement)
    database = seedspec.create_engine(url)
    built = built_json(write, SPEC.replace("tables: {ddl: schema.sql}\n", ""), database=database)
    engine.dispose()
    database.dispose()
    assert len(built["users"]) == 4


def test_csv_needs_a_directory(write: WriteSpec) -> None:
    write("schema.sql", SCHEMA)
    with pytest.raises(SeedspecError) as raised:
        api.build(seedspec.load(write("spec.yaml", SPEC)), "csv", stream=io.StringIO())
    assert raised.value.diagnostics[0].code == "E711"


def test_a_ref_to_a_value_only_the_database_knows_is_located(write: WriteSpec) -> None:
    schema = """
    CREATE TABLE teams (code VARCHAR(8) PRIMARY KEY DEFAULT (hex(randomblob(4))), name VARCHAR(20));
    CREATE TABLE users (id INTEGER PRIMARY KEY, team_code VARCHAR(8) REFERENCES teams (code), email TEXT);
    """
    spec = """
    version: 1
    tables: {ddl: schema.sql}
    factories:
      team:
        table: teams
        key: [name]
        fields: {name: {sequence: "team-{n}"}}
      user:
        table: users
        key: [email]
        fields:
          team_code: {ref: team}
          email: {sequence: "u{n}@example.com"}
    seed:
      - {factory: team, count: 2}
      - {factory: user, count: 2}
    """
    message = _error(write, spec, schema)
    assert message.startswith("E713 ")
    assert "spec.yaml:16:5" in message  # the team step
    assert "column 'code' of table 'teams'" in message


def test_updating_a_row_already_built_is_refused(write: WriteSpec) -> None:
    spec = SPEC.replace(
        '    fields: {name: {sequence: "team-{n}"}}',
        '    on_existing: update\n    fields: {name: {sequence: "team-{n}"}, tier: free}',
    ).replace("records: [{name: team-0}]", "records: [{name: team-0, tier: gold}]")
    message = _error(write, spec)
    assert message.startswith("E714 ")
    assert "{'name': 'team-0'}" in message


def test_a_foreign_key_cycle_is_refused_before_anything_is_written(tmp_path: Any) -> None:
    spec = seedspec.load(EXAMPLES / "cycles" / "cycles.yaml")
    with pytest.raises(SeedspecError) as raised:
        api.build(spec, "jsonl", out=tmp_path / "out")
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "E716"
    assert "column 'manager_id' of table 'departments'" in diagnostic.message
    assert diagnostic.location is not None
    assert diagnostic.location.line == 15
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_files_already_in_the_directory_are_kept_unless_forced(write: WriteSpec, tmp_path: Path) -> None:
    write("schema.sql", SCHEMA)
    spec = seedspec.load(write("spec.yaml", SPEC))
    out = tmp_path / "out"
    out.mkdir()
    (out / "teams.json").write_text("mine", encoding="utf-8")
    with pytest.raises(SeedspecError) as raised:
        api.build(spec, "json", out=out, workers=0)
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.code, diagnostic.message) == (
        "E717",
        f"{out} already holds teams.json; nothing was written",
    )
    assert sorted(p.name for p in out.iterdir()) == ["teams.json"]
    assert (out / "teams.json").read_text(encoding="utf-8") == "mine"
    api.build(spec, "sql", out=out, workers=0)  # seed.sql is not there yet
    api.build(spec, "json", out=out, workers=0, force=True)
    assert json.loads((out / "teams.json").read_text(encoding="utf-8"))[0] == {"id": 7, "name": "seven"}
    with pytest.raises(SeedspecError, match=r"already holds seed\.sql"):
        api.build(spec, "sql", out=out, workers=0)


def test_built_rows_hold_their_aggregates_and_later_rows_read_them() -> None:
    stream = io.StringIO()
    spec = seedspec.load(EXAMPLES / "apps" / "shop" / "shop.yaml")
    api.build(spec, "json", stream=stream, workers=0)
    built = json.loads(stream.getvalue())
    items: dict[int, list[dict[str, Any]]] = {}
    for item in built["order_items"]:
        items.setdefault(item["order_id"], []).append(item)
    for order in built["orders"]:
        mine = items.get(order["id"], [])
        assert Decimal(str(order["total"])) == sum(
            (i["quantity"] * Decimal(str(i["unit_price"])) for i in mine), Decimal(0)
        )
        assert order["item_count"] == len(mine) > 0
    paid = {p["order_id"]: Decimal(str(p["amount"])) for p in built["payments"]}
    # a payment for each paid order only, of its total
    assert paid == {o["id"]: Decimal(str(o["total"])) for o in built["orders"] if o["status"] == "paid"}
    assert 0 < len(paid) < len(built["orders"])
