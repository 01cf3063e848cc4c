"""Rows made by workers a part of a step at a time are the rows of a serial run, and a part
that fails is reported as a serial run reports it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump

import seedspec
from seedspec import partitions
from seedspec.errors import SeedspecError

SCHEMA = """
CREATE TABLE teams (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE, tier VARCHAR(5) NOT NULL);
CREATE TABLE tags (id INTEGER PRIMARY KEY, name VARCHAR(20) NOT NULL UNIQUE, kind VARCHAR(5) NOT NULL);
CREATE TABLE players (
  id INTEGER PRIMARY KEY,
  team_id INTEGER NOT NULL REFERENCES teams (id),
  name VARCHAR(60) NOT NULL,
  label VARCHAR(80),
  rating INTEGER,
  nick VARCHAR(40),
  buddy_tier VARCHAR(5),
  UNIQUE (team_id, name)
);
CREATE TABLE player_tags (
  player_id INTEGER NOT NULL REFERENCES players (id),
  tag_id INTEGER NOT NULL REFERENCES tags (id),
  rank INTEGER NOT NULL,
  PRIMARY KEY (player_id, tag_id)
);
"""

# players and player_tags are independent (parts in workers); teams (unique, sequence) are not
SPEC = """
version: 1
tables: {ddl: schema.sql}
settings: {seed: 7}
factories:
  team:
    table: teams
    key: [code]
    fields:
      code: {sequence: "t{n:05d}"}
      tier: {choice: [gold, blue, red]}
  tag:
    table: tags
    key: [name]
    fields:
      name: {sequence: "tag-{n}"}
      kind: {choice: [a, b]}
  player:
    table: players
    key: [team_id, name]
    fields:
      team_id: {ref: team}
      name: {faker: name}
      label: {template: "{{ name }} #{{ n }} of {{ team_id }}"}
      rating: {distribution: normal, mean: 50, stddev: 10, decimals: 0, null_rate: 0.2}
      nick: {faker: user_name, null_rate: 0.1}
      buddy_tier: {ref: team, column: tier, where: {tier: [gold, red]}}
  player_tag:
    table: player_tags
    key: [player_id, tag_id]
    fields:
      player_id: {ref: player}
      tag_id: {ref: tag, distinct_per: player_id}
      rank: {template: "FAIL_AT"}
seed:
  - {factory: team, count: 400}
  - {factory: tag, count: 12}
  - {factory: player, for_each: team, count: {min: 10, max: 20}}
  - {factory: player_tag, for_each: player, count: 3}
"""


def write(tmp_path: Path, rank: str = "{{ n + 1 }}") -> Path:
    (tmp_path / "schema.sql").write_text(SCHEMA, encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(SPEC).replace("FAIL_AT", rank), encoding="utf-8")
    return path


def apply(path: Path, url: str, workers: int) -> seedspec.Report:
    engine = seedspec.create_engine(url)
    try:
        return seedspec.apply(seedspec.load(path), engine, create=True, workers=workers)
    finally:
        engine.dispose()


def test_the_steps_are_independent_as_expected(tmp_path: Path) -> None:
    plan = seedspec.plan(seedspec.load(write(tmp_path)))
    steps = {s.id: s for s in plan.steps}
    parent = {f.column: f for f in steps["player_tag<player"].fields}["player_id"]
    assert not partitions.independent(steps["team"], None)  # a sequence
    assert partitions.independent(steps["player<team"], None)
    assert partitions.independent(steps["player_tag<player"], parent)
    assert not partitions.independent(steps["player_tag<player"], None)  # picks would span parts


def test_rows_made_in_parts_are_the_rows_of_a_serial_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts_made: list[str] = []
    original = partitions.job

    def job(*args: object) -> partitions.Job:
        work = original(*args)  # type: ignore[arg-type]
        parts_made.append(work[0])
        return work

    monkeypatch.setattr(partitions, "job", job)
    path = write(tmp_path)
    serial, parts = f"sqlite:///{tmp_path / 'serial.db'}", f"sqlite:///{tmp_path / 'parts.db'}"
    apply(path, serial, workers=0)
    report = apply(path, parts, workers=2)
    assert dump(parts) == dump(serial)
    assert report.steps[3].created == 3 * report.steps[2].created
    assert report.steps[2].created >= partitions.MIN_ROWS
    assert set(parts_made) == {"player<team", "player_tag<player"}  # made in parts by workers
    again = apply(path, parts, workers=2)  # key first: the key columns made in parts
    assert again.created == 0
    assert dump(parts) == dump(serial)


def test_a_part_that_fails_is_reported_as_a_serial_run_reports_it(tmp_path: Path) -> None:
    path = write(tmp_path, rank="{{ 1 // (player_id - 3456) }}")  # the tags of player 3456, in a late part
    errors = []
    for workers, name in ((0, "serial"), (2, "parts")):
        with pytest.raises(SeedspecError) as info:
            apply(path, f"sqlite:///{tmp_path / name}.db", workers=workers)
        errors.append(info.value.diagnostics)
    assert errors[0] == errors[1]
    assert errors[0][0].code == "E507"
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'parts.db'}")
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("players")  # rolled back, the tables --create made too
    engine.dispose()
