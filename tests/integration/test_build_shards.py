"""``build --shard K/N``: the N shards of every example spec hold, byte for byte, the rows of the
unsharded build, for N in 1, 2, 3 and 7.

Each table's shard files, read in shard order, hold the unsharded file's lines: in the same
order where one step writes the table; where several do, each shard holds its part of every
step, so the lines are the same, shard by shard. JSON lines: a row per line, compared as bytes.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from helpers import EXAMPLES, example_specs

import seedspec
from seedspec.api.building import BuildJob, build
from seedspec.api.specs import table_definitions
from seedspec.errors import SeedspecError
from seedspec.generation.shards import pure_step

SHARD_COUNTS = (1, 2, 3, 7)
CYCLIC = {EXAMPLES / "cycles" / "cycles.yaml"}  # a deferred ref is set by an UPDATE: E716
SPECS = [p for p in example_specs() if p not in CYCLIC]


@pytest.fixture(scope="module")
def unsharded(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, tuple[Path, Counter[str]]]:
    """Each spec's unsharded JSON lines build (made once), with the steps that wrote each table."""
    built = {}
    for spec in SPECS:
        out = tmp_path_factory.mktemp(spec.stem)
        report = build(seedspec.load(spec), "jsonl", out=out, workers=0)
        built[spec] = (out, Counter(s.table for s in report.steps if s.created))
    return built


@pytest.mark.parametrize("count", SHARD_COUNTS)
@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_the_shards_together_are_the_unsharded_build(
    spec: Path, count: int, unsharded: dict[Path, tuple[Path, Counter[str]]], tmp_path: Path
) -> None:
    full, steps = unsharded[spec]
    loaded = seedspec.load(spec)
    for k in range(1, count + 1):
        build(loaded, "jsonl", out=tmp_path, shard=f"{k}/{count}", workers=0)
    tables = sorted(p.stem for p in full.glob("*.jsonl"))
    assert tables, "the example builds rows"
    for table in tables:
        expected = (full / f"{table}.jsonl").read_bytes().splitlines(keepends=True)
        parts = sorted((tmp_path / table).glob(f"part-*-of-{count}.jsonl"))
        assert len(parts) == count
        lines = [line for part in parts for line in part.read_bytes().splitlines(keepends=True)]
        if steps[table] <= 1:
            assert lines == expected, table
        else:
            assert sorted(lines) == sorted(expected), table


def test_shard_files_are_named_to_sort_in_order(tmp_path: Path) -> None:
    spec = EXAMPLES / "library" / "library.toml"
    report = build(seedspec.load(spec), "jsonl", out=tmp_path, shard="3/12", workers=0)
    assert sorted(Path(f).relative_to(tmp_path).as_posix() for f in report.files) == [
        "authors/part-03-of-12.jsonl",
        "books/part-03-of-12.jsonl",
    ]
    assert report.shards == ("3/12",)


def test_all_shards_in_one_call_give_the_same_files(tmp_path: Path) -> None:
    spec = seedspec.load(EXAMPLES / "library" / "library.toml")
    report = build(spec, "jsonl", out=tmp_path / "all", shards=3, workers=0)
    for k in (1, 2, 3):
        build(spec, "jsonl", out=tmp_path / "one", shard=f"{k}/3", workers=0)
    assert report.shards == ("1/3", "2/3", "3/3")
    assert sum(s.created for s in report.steps) == 75
    for part in sorted((tmp_path / "one").rglob("*.jsonl")):
        assert (tmp_path / "all" / part.relative_to(tmp_path / "one")).read_bytes() == part.read_bytes()


def test_a_shard_is_refused_an_unknown_form() -> None:
    spec = seedspec.load(EXAMPLES / "library" / "library.toml")
    for text in ("3", "0/2", "3/2", "a/b"):
        with pytest.raises(ValueError, match="shard"):
            build(spec, "jsonl", out="unused", shard=text)


def test_several_shards_need_a_directory() -> None:
    spec = seedspec.load(EXAMPLES / "library" / "library.toml")
    with pytest.raises(SeedspecError) as raised:
        build(spec, "jsonl", stream=io.StringIO(), shards=2)
    assert raised.value.diagnostics[0].code == "E711"


ORDERED = """
version: 1
tables: {ddl: schema.sql}
settings: {seed: 11}
factories:
  team:
    table: teams
    key: [code]
    fields:
      code: {sequence: "team-{n}"}            # one sequence, shared by the two team steps
      tier: {choice: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], unique: true}  # redraws
  member:
    table: members
    key: [handle]
    duplicates: skip                          # repeated keys are dropped, which shifts the ids
    fields:
      team_id: {ref: team, pick: round_robin}
      handle: {choice: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t]}
      buddy_id: {ref: team, distinct_per: team_id}
      nickname: {faker: first_name}
  task:
    table: tasks
    key: [member_id, pos]
    fields:
      member_id: {ref: member}
      pos: "{{ n }}"
      title: {faker: sentence}
      reviewer_id: {ref: team, max_picks: 4}  # a capped pick moves on: depends on earlier picks
  audit:                                      # pure: a shard makes only its own rows
    table: audits
    key: [code]
    fields:
      member_id: {ref: member}
      code: {sequence: "A{n:06d}"}            # unique (UNIQUE in the table) and never repeats
      team_id: {ref: team, pick: round_robin}
      note: {faker: sentence}
seed:
  - {factory: team, count: 5}
  - {factory: team, id: more_teams, count: 7}
  - {factory: team, records: [{code: fixed}, {code: other}]}
  - {factory: member, count: 40}
  - {factory: task, for_each: member, count: {min: 0, max: 4}}
  - {factory: audit, for_each: member, count: {min: 0, max: 3}}
"""
ORDERED_DDL = """
CREATE TABLE teams (id INTEGER PRIMARY KEY, code VARCHAR(20) NOT NULL UNIQUE, tier INTEGER);
CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES teams(id),
  handle VARCHAR(5) NOT NULL, buddy_id INTEGER REFERENCES teams(id), nickname VARCHAR(40));
CREATE TABLE tasks (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES members(id),
  pos INTEGER NOT NULL, title VARCHAR(200), reviewer_id INTEGER REFERENCES teams(id));
CREATE TABLE audits (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES members(id),
  code VARCHAR(10) NOT NULL UNIQUE, team_id INTEGER REFERENCES teams(id), note VARCHAR(200));
"""


@pytest.mark.parametrize("count", SHARD_COUNTS)
def test_generators_that_depend_on_earlier_rows_give_the_same_rows(count: int, tmp_path: Path) -> None:
    """A shared sequence, unique redraws, dropped duplicate keys (and the ids they shift), round-robin,
    distinct_per and max_picks picks, per-parent count ranges: every shard draws what orders or counts rows
    for every row, so its rows are the unsharded build's. The audits are a pure step: a shard
    makes only its range, its sequence numbers, ids and parents counted from the range's start."""
    (tmp_path / "schema.sql").write_text(ORDERED_DDL, encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(ORDERED, encoding="utf-8")
    spec = seedspec.load(tmp_path / "spec.yaml")
    full = build(spec, "jsonl", out=tmp_path / "full", workers=0)
    assert {s.step: (s.created, s.existing, s.duplicate) for s in full.steps}["member"][2] > 0
    sharded = build(spec, "jsonl", out=tmp_path / "sharded", shards=count, workers=0)
    assert [(s.created, s.existing, s.duplicate) for s in sharded.steps] == [
        (s.created, s.existing, s.duplicate) for s in full.steps
    ]
    plan, _ = BuildJob(spec, "jsonl", "sqlite", None, table_definitions(spec, None)).planned
    assert [s.id for s in plan.steps if pure_step(plan, s)] == ["audit<member"]
    for table, steps in (("teams", 3), ("members", 1), ("tasks", 1), ("audits", 1)):
        expected = (tmp_path / "full" / f"{table}.jsonl").read_bytes().splitlines(keepends=True)
        parts = sorted((tmp_path / "sharded" / table).glob("*.jsonl"))
        lines = [line for part in parts for line in part.read_bytes().splitlines(keepends=True)]
        assert (lines if steps == 1 else sorted(lines)) == (expected if steps == 1 else sorted(expected))
