"""A factory's rows created in a database (SQLite files): refs pick among stored parent rows,
never create them; empty parents and named records are located errors; rows come back as stored."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from samples import TEAMS_SCHEMA, teams_spec

from seedspec.api import factories, specs
from seedspec.api.factory_create import create_rows, unreferenced
from seedspec.errors import DatabaseError, SpecInvalid
from seedspec.generation.rowmaker import RunState
from seedspec.ir import Field, Literal, Ref
from seedspec.spec.loader import LoadedSpec

WriteSpec = Callable[[str, str], Path]


@pytest.fixture
def spec(write: WriteSpec) -> LoadedSpec:
    write("schema.sql", TEAMS_SCHEMA)
    return specs.load(write("spec.yaml", teams_spec()))


@pytest.fixture
def engine(tmp_path: Path, spec: LoadedSpec) -> Iterator[sa.Engine]:
    engine = specs.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    specs.table_definitions(spec, None).create_all(engine)
    yield engine
    engine.dispose()


def test_unreferenced_makes_a_ref_none_and_leaves_other_fields_alone() -> None:
    team = Ref(factory="team", column="id")
    ref = Field(column="team_id", generator=team, pointer="/p", deferred=True, placeholder=0)
    plain = Field(column="name", generator=Literal(value="x"), pointer="/q")
    assert unreferenced(ref) == dataclasses.replace(
        ref, generator=Literal(value=None), deferred=False, placeholder=None
    )
    assert unreferenced(plain) is plain


def test_create_rows_applies_the_step_and_returns_every_column_as_stored(
    spec: LoadedSpec, engine: sa.Engine
) -> None:
    with engine.begin() as conn:
        metadata = specs.table_definitions(spec, conn)
        plan = specs.compile(spec, metadata, "sqlite")
        rows, report = create_rows(spec, "team", plan, connection=conn, metadata=metadata, state=RunState())
    assert rows == [{"id": 1, "name": "team-0"}, {"id": 2, "name": "team-1"}]
    assert (report.created, report.existing) == (2, 0)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, name FROM teams ORDER BY id")).all() == [
            (1, "team-0"),
            (2, "team-1"),
        ]


def test_a_ref_picks_among_the_rows_already_in_the_parent_table(spec: LoadedSpec, engine: sa.Engine) -> None:
    teams = factories.factory(spec, "team").create_batch(engine, 2)
    users = factories.factory(spec, "user").create_batch(engine, 6)
    assert {u["team_id"] for u in users} <= {t["id"] for t in teams}
    assert [u["role"] for u in users] == ["member"] * 6  # the database default, read back
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM teams")).scalar_one() == 2  # none created


def test_a_ref_to_an_empty_parent_table_is_e723_and_creates_nothing(
    spec: LoadedSpec, engine: sa.Engine
) -> None:
    with pytest.raises(DatabaseError) as caught:
        factories.factory(spec, "user").create(engine)
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer) == ("E723", "/factories/user/fields/team_id")
    assert d.message == "factory 'user' refers to 'team', but table 'teams' has no rows to point at"
    assert "pass team_id=<teams.id of a stored row> as an override" in d.hint
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM users")).scalar_one() == 0


def test_a_ref_to_a_named_record_is_e724(write: WriteSpec, spec: LoadedSpec, engine: sa.Engine) -> None:
    text = (
        teams_spec()
        .replace("team_id: {ref: team}", "team_id: {ref: team.home}")
        .replace("- {factory: team, count: 2}", "- {factory: team, records: {home: {name: home}}}")
    )
    named = specs.load(write("named.yaml", text))
    factories.factory(named, "team").create(engine)
    with pytest.raises(SpecInvalid) as caught:
        factories.factory(named, "user").create(engine)
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer) == ("E724", "/factories/user/fields/team_id")
    assert "the named record 'team.home'" in d.message


def test_create_batch_of_none_returns_nothing(spec: LoadedSpec, engine: sa.Engine) -> None:
    assert factories.factory(spec, "team").create_batch(engine, 0) == []
