"""Factory ``create`` on real databases: first-or-create, ids and defaults, refs from stored rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

import seedspec

PROJECT = Path(__file__).resolve().parent / "api_project"


@pytest.fixture
def spec() -> seedspec.LoadedSpec:
    return seedspec.load(PROJECT / "spec.yaml")


def _engine(spec: seedspec.LoadedSpec, url: str) -> sa.Engine:
    engine = seedspec.create_engine(url)
    seedspec.table_definitions(spec, None).create_all(engine)
    return engine


@pytest.fixture
def engine(spec: seedspec.LoadedSpec, db_url: str) -> Iterator[sa.Engine]:
    engine = _engine(spec, db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(spec: seedspec.LoadedSpec, sqlite_url: str) -> Iterator[sa.Engine]:
    engine = _engine(spec, sqlite_url)
    yield engine
    engine.dispose()


def test_create_returns_the_stored_rows_with_ids_defaults_and_refs_to_stored_parents(
    spec: seedspec.LoadedSpec, engine: sa.Engine
) -> None:
    teams = seedspec.factory(spec, "team").create_batch(engine, 2)
    assert [t["name"] for t in teams] == ["team-0", "team-1"]
    user = seedspec.factory(spec, "user")
    made = seedspec.factory(spec, "user").make_batch(3)
    created = [*user.state("suspended").create_batch(engine, 2), user.create(engine)]
    assert [r["id"] for r in created] == sorted({r["id"] for r in created})
    assert [(r["active"], r["score"]) for r in created] == [(False, 0), (False, 0), (True, 0)]
    assert {r["team_id"] for r in created} <= {t["id"] for t in teams}
    assert created[2]["email"] == made[2]["email"]  # make and create number the same rows
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT id, email FROM users ORDER BY id")).all()
    assert [tuple(r) for r in stored] == [(r["id"], r["email"]) for r in created]


def test_create_never_returns_a_stored_row_it_numbers_past_them(
    spec: seedspec.LoadedSpec, sqlite_engine: sa.Engine
) -> None:
    seedspec.factory(spec, "team").create(sqlite_engine)
    first = seedspec.factory(spec, "user").create_batch(sqlite_engine, 2, role="guest")
    again = seedspec.factory(spec, "user").create_batch(sqlite_engine, 3, role="admin")  # rows 0, 1 stored
    assert {r["id"] for r in again}.isdisjoint(r["id"] for r in first)
    assert [r["role"] for r in again] == ["admin"] * 3  # the overrides, not the stored rows' values
    with sqlite_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM users")).scalar_one() == 5
        assert conn.execute(sa.text("SELECT role FROM users ORDER BY id")).scalars().all() == [
            "guest",
            "guest",
            "admin",
            "admin",
            "admin",
        ]


def test_a_key_override_naming_a_stored_row_is_e726_and_nothing_changes(
    spec: seedspec.LoadedSpec, sqlite_engine: sa.Engine
) -> None:
    seedspec.factory(spec, "team").create(sqlite_engine)
    stored = seedspec.factory(spec, "user").create(sqlite_engine, role="guest")
    user = seedspec.factory(spec, "user")
    with pytest.raises(seedspec.DatabaseError) as caught:
        user.create(sqlite_engine, email=stored["email"], role="admin")
    (d,) = caught.value.diagnostics
    assert d.code == "E726"
    assert "never returns a row it did not create" in d.message
    assert user.create(sqlite_engine)["id"] != stored["id"]  # the factory still works
    with sqlite_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT role FROM users ORDER BY id")).scalars().all()[0] == "guest"


def test_a_ref_with_no_parent_rows_is_a_located_error_unless_overridden(
    spec: seedspec.LoadedSpec, sqlite_engine: sa.Engine
) -> None:
    user = seedspec.factory(spec, "user")
    with pytest.raises(seedspec.DatabaseError) as caught:
        user.create(sqlite_engine)
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer) == ("E723", "/factories/user/fields/team_id")
    assert d.location is not None
    assert (Path(d.location.file).name, d.location.line) == ("spec.yaml", 19)
    assert "a ref never creates parents" in d.hint
    team = seedspec.factory(spec, "team").create(sqlite_engine)
    assert user.create(sqlite_engine, team_id=team["id"])["team_id"] == team["id"]


def test_create_in_a_callers_session_is_the_callers_to_commit(
    spec: seedspec.LoadedSpec, sqlite_engine: sa.Engine
) -> None:
    with Session(sqlite_engine) as session:
        team = seedspec.factory(spec, "team").create(session)
        user = seedspec.factory(spec, "user").create(session)
        assert user["team_id"] == team["id"]
        session.rollback()
    with sqlite_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM teams")).scalar_one() == 0


def test_create_runs_the_spec_checks_against_the_database_tables(
    spec: seedspec.LoadedSpec, sqlite_url: str
) -> None:
    engine = seedspec.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE teams (id INTEGER PRIMARY KEY, label TEXT)"))
    other = seedspec.load(PROJECT / "spec.yaml").document
    other.pop("tables")  # tables from the database: 'name' is not a column there
    bare = seedspec.LoadedSpec(path=spec.path, document=other, source_map=spec.source_map, files=spec.files)
    with pytest.raises(seedspec.SpecInvalid) as caught:
        seedspec.factory(bare, "team").create(engine)
    assert {d.code for d in caught.value.diagnostics} == {"E310", "E311"}
    engine.dispose()


DOCTORS = """\
version: 1
factories:
  doctor:
    table: doctors
    key: [email]
    fields:
      email: "doctor{{ n }}@clinic.test"
      full_name: {faker: name}
seed:
  - {factory: doctor, count: 5}
"""

PRIMARY_KEYS = {
    "sqlite": "INTEGER PRIMARY KEY",
    "postgresql": "SERIAL PRIMARY KEY",
    "mysql": "INTEGER AUTO_INCREMENT PRIMARY KEY",
}


def test_a_factory_on_a_seeded_database_creates_new_rows_with_its_overrides(
    db_url: str, tmp_path: Path
) -> None:
    engine = seedspec.create_engine(db_url)
    pk = PRIMARY_KEYS[engine.url.get_backend_name()]
    with engine.begin() as conn:  # made here: the DDL file is SQLite's
        conn.exec_driver_sql(
            f"CREATE TABLE doctors (id {pk}, email VARCHAR(40) NOT NULL UNIQUE, "
            "full_name VARCHAR(60) NOT NULL)"
        )
    (tmp_path / "spec.yaml").write_text(DOCTORS, encoding="utf-8")
    spec = seedspec.load(tmp_path / "spec.yaml")
    try:
        seedspec.apply(spec, engine)
        doctor = seedspec.factory(spec, "doctor")
        override = doctor.create(engine, full_name="Dr. Override")
        batch = doctor.create_batch(engine, 3)
        assert (override["email"], override["full_name"]) == ("doctor5@clinic.test", "Dr. Override")
        assert [d["email"] for d in batch] == [f"doctor{n}@clinic.test" for n in (6, 7, 8)]
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT COUNT(*) FROM doctors")).scalar_one() == 9
            names = conn.execute(sa.text("SELECT full_name FROM doctors WHERE email = 'doctor0@clinic.test'"))
            assert names.scalar_one() != "Dr. Override"  # the seeded row is untouched
    finally:
        engine.dispose()
