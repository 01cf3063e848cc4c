"""Reflection, planning against a live database, saved plans and conflict policies, on every database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump
from helpers import apply_spec, assert_idempotent, run_cli

import seedspec

METADATA = sa.MetaData()
sa.Table(
    "teams",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(20), nullable=False, unique=True),
    sa.Column("name", sa.String(100), nullable=False),
)
sa.Table(
    "players",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("position", sa.String(20), nullable=False),
    sa.UniqueConstraint("team_id", "number"),
)

SPEC = """\
version: 1
settings: {seed: 11}
factories:
  team:
    table: teams
    on_existing: POLICY
    fields:
      code: {sequence: "T{n:02d}"}
      name: "{{ fake.city() }} {{ code }}"
  player:
    table: players
    fields:
      team_id: {ref: team}
      number: {sequence: 1}
      name: {faker: name}
      position: {choice: [goalkeeper, defender, midfielder, forward]}
seed:
  - factory: team
    count: TEAMS
  - factory: player
    for_each: team
    count: 5
"""


def _spec(tmp_path: Path, *, teams: int = 3, policy: str = "skip", name: str = "") -> Path:
    text = SPEC.replace("TEAMS", str(teams)).replace("POLICY", policy)
    if name:
        text = text.replace('"{{ fake.city() }} {{ code }}"', name)
    path = tmp_path / "league.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def league(db_url: str) -> str:
    """A database whose tables exist already: the spec reflects them (no ``tables:``)."""
    engine = sa.create_engine(db_url)
    try:
        METADATA.create_all(engine)
    finally:
        engine.dispose()
    return db_url


def test_reflected_tables_are_filled_idempotently_with_keys_from_unique_constraints(
    league: str, tmp_path: Path
) -> None:
    report = assert_idempotent(_spec(tmp_path), league)
    assert {t.table: t.created for t in report.tables} == {"teams": 3, "players": 15}
    rows = dump(league)
    assert len({(r[1], r[2]) for r in rows["players"]}) == 15  # (team_id, number) is the key


def test_plan_against_the_database_reports_pending_work_and_writes_nothing(
    league: str, tmp_path: Path
) -> None:
    spec = _spec(tmp_path)
    before = dump(league)
    pending = run_cli("plan", spec, "--database-url", league, "--detailed-exitcode", cwd=tmp_path)
    assert pending.returncode == 2, pending.stderr
    assert "to create" in pending.stdout
    assert dump(league) == before
    apply_spec(spec, league)
    clean = run_cli("plan", spec, "--database-url", league, "--detailed-exitcode", cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr


def test_growing_a_count_creates_exactly_the_new_rows(league: str, tmp_path: Path) -> None:
    apply_spec(_spec(tmp_path, teams=3), league)
    grown = apply_spec(_spec(tmp_path, teams=5), league)
    assert {t.table: t.created for t in grown.tables} == {"teams": 2, "players": 10}


def test_a_saved_plan_applies_once_and_is_stale_afterwards(league: str, tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    saved = tmp_path / "plan.json"
    made = run_cli("plan", spec, "--database-url", league, "--out", saved, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert json.loads(saved.read_text())["against"]["pending"] is True
    first = run_cli("apply", spec, "--database-url", league, "--plan", saved, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    after = dump(league)
    again = run_cli("apply", spec, "--database-url", league, "--plan", saved, cwd=tmp_path)
    assert again.returncode == 1
    assert "E405" in again.stderr
    assert "stale" in again.stderr
    assert dump(league) == after


@pytest.mark.parametrize(("policy", "updated"), [("skip", 0), ("update", 3)])
def test_on_existing_decides_what_happens_to_rows_that_differ(
    league: str, tmp_path: Path, policy: str, updated: int
) -> None:
    apply_spec(_spec(tmp_path, policy=policy), league)
    changed = _spec(tmp_path, policy=policy, name='"Club {{ code }}"')
    engine = seedspec.create_engine(league)
    try:
        with engine.connect() as conn:
            _, planned = seedspec.plan_against(seedspec.load(changed), conn)
    finally:
        engine.dispose()
    assert next(t for t in planned.tables if t.table == "teams").differing == 3  # plan compares
    report = apply_spec(changed, league)
    teams = next(t for t in report.tables if t.table == "teams")
    # skip keeps existing rows without reading their other fields; update compares and rewrites
    assert (teams.created, teams.differing, teams.updated) == (0, updated, updated)
    names = {row[2] for row in dump(league)["teams"]}
    assert (names == {"Club T00", "Club T01", "Club T02"}) is (policy == "update")


def test_on_existing_error_refuses_a_differing_row_and_writes_nothing(league: str, tmp_path: Path) -> None:
    apply_spec(_spec(tmp_path, policy="error"), league)
    before = dump(league)
    changed = _spec(tmp_path, policy="error", name='"Club {{ code }}"')
    result = run_cli("apply", changed, "--database-url", league, cwd=tmp_path)
    assert result.returncode == 1
    assert "E505" in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(league) == before


@pytest.mark.parametrize("kind", ["SERIAL", "INTEGER GENERATED BY DEFAULT AS IDENTITY"])
def test_explicit_ids_realign_the_postgresql_sequence(postgres_url: str, tmp_path: Path, kind: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE genres (genre_id {kind} PRIMARY KEY, name VARCHAR(40) NOT NULL)")
    spec = tmp_path / "genres.yaml"
    spec.write_text(
        "version: 1\nfactories:\n  genre:\n    table: genres\n"
        "    fields: {genre_id: {sequence: 1}, name: 'g{{ n }}'}\n"
        "seed:\n  - {factory: genre, count: 7}\n",
        encoding="utf-8",
    )
    apply_spec(spec, postgres_url)
    with engine.begin() as conn:  # the application's own insert must not collide with our ids
        new_id = conn.exec_driver_sql("INSERT INTO genres (name) VALUES ('app') RETURNING genre_id").scalar()
    engine.dispose()
    assert new_id == 8
