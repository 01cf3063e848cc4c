"""Deferred columns: a foreign-key cycle written NULL first, then set once its rows exist; the
checks wait for the commit where the column holds a placeholder (E511 when one dangles)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.deferred import _verify
from seedspec.database.writer import apply_plan
from seedspec.errors import DatabaseError

SCHEMA = """
CREATE TABLE teams (id ID_COLUMN, name VARCHAR(20) NOT NULL UNIQUE, captain_id INTEGER);
CREATE TABLE players (
  id ID_COLUMN, name VARCHAR(20) NOT NULL UNIQUE, team_id INTEGER NOT NULL REFERENCES teams (id)
);
"""

SPEC = """
version: 1
tables: {ddl: schema.sql}
factories:
  team:
    table: teams
    key: [name]
    fields:
      name: {sequence: "team {n}"}
      captain_id: {ref: player, deferred: true}
  player:
    table: players
    key: [name]
    fields:
      name: {sequence: "player {n}"}
      team_id: {ref: team}
seed:
  - {factory: team, count: 2}
  - {factory: player, count: 4}
"""


def test_a_cycle_is_closed_after_its_rows_exist(prepare: Callable[..., Any], db_url: str) -> None:
    compiled = prepare(db_url, SCHEMA, SPEC)
    with compiled.engine.begin() as connection:
        report = apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
        captains = connection.execute(sa.text("SELECT captain_id FROM teams")).scalars().all()
        players = set(connection.execute(sa.text("SELECT id FROM players")).scalars())
    assert [s.created for s in report.steps] == [2, 4]
    assert captains
    assert all(c in players for c in captains)


def test_a_dangling_reference_is_e511(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    metadata = sa.MetaData()
    parent = sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
    child = sa.Table("child", metadata, sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id")))
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(parent.insert(), [{"id": 1}])
        connection.execute(child.insert(), [{"parent_id": 1}, {"parent_id": None}])
        _verify(connection, [child, parent])  # NULL refers to nothing: allowed
        connection.execute(child.insert(), [{"parent_id": 7}])
        with pytest.raises(DatabaseError) as caught:
            _verify(connection, [child])
    engine.dispose()
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E511"
    assert "1 row of table 'child' refer through parent_id to no row of 'parent'" in diagnostic.message
