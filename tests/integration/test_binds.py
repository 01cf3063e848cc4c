"""apply, reset and plan_against on an Engine, a caller's Connection or a caller's Session."""

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


@pytest.fixture
def engine(spec: seedspec.LoadedSpec, db_url: str) -> Iterator[sa.Engine]:
    """An engine on an empty database holding the spec's (empty) tables."""
    engine = seedspec.create_engine(db_url)
    seedspec.table_definitions(spec, None).create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(spec: seedspec.LoadedSpec, sqlite_url: str) -> Iterator[sa.Engine]:
    engine = seedspec.create_engine(sqlite_url)
    seedspec.table_definitions(spec, None).create_all(engine)
    yield engine
    engine.dispose()


def _count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


def test_on_a_connection_apply_works_inside_the_callers_transaction(
    spec: seedspec.LoadedSpec, engine: sa.Engine
) -> None:
    with engine.connect() as conn:
        conn.execute(sa.text("INSERT INTO teams (name) VALUES ('mine')"))
        report = seedspec.apply(spec, conn)
        assert (report.created, conn.in_transaction()) == (6, True)
        assert _count(engine, "users") == 0  # not committed: other connections see nothing yet
        conn.rollback()  # the caller decides: nothing of it stays
    assert _count(engine, "teams") == 0
    with engine.connect() as conn:
        seedspec.apply(spec, conn)
        conn.commit()
    assert (_count(engine, "teams"), _count(engine, "users")) == (2, 4)


def test_a_failed_apply_on_a_connection_rolls_back_only_its_own_work(
    spec: seedspec.LoadedSpec, engine: sa.Engine, tmp_path: Path
) -> None:
    text = (PROJECT / "spec.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "spec.yaml"  # its last row points at a team that does not exist
    broken.write_text(text.replace("states: [admin]}", "states: [admin], values: {team_id: 999}}"))
    (tmp_path / "api_models.py").write_text((PROJECT / "api_models.py").read_text(encoding="utf-8"))
    with engine.connect() as conn:
        conn.execute(sa.text("INSERT INTO teams (name) VALUES ('mine')"))
        with pytest.raises(seedspec.DatabaseError) as caught:
            seedspec.apply(seedspec.load(broken), conn)
        assert caught.value.diagnostics[0].code == "E500"
        assert conn.in_transaction()  # the caller's transaction is intact and usable
        assert conn.execute(sa.text("SELECT name FROM teams")).scalars().all() == ["mine"]
        conn.commit()
    assert (_count(engine, "teams"), _count(engine, "users")) == (1, 0)


def test_on_a_session_apply_sees_its_pending_objects_and_leaves_the_commit_to_it(
    spec: seedspec.LoadedSpec, sqlite_engine: sa.Engine
) -> None:
    team = seedspec.table_definitions(spec, None).tables["teams"]
    with Session(sqlite_engine) as session:
        session.execute(team.insert().values(name="team-0"))
        report = seedspec.apply(spec, session)
        assert [(s.table, s.created, s.existing) for s in report.tables] == [("teams", 1, 1), ("users", 4, 0)]
        session.rollback()
    assert _count(sqlite_engine, "teams") == 0
    with Session(sqlite_engine) as session, session.begin():
        seedspec.apply(spec, session)
    assert _count(sqlite_engine, "users") == 4


def test_the_production_guard_looks_at_the_database_of_a_connection(
    spec: seedspec.LoadedSpec, sqlite_engine: sa.Engine
) -> None:
    protect = (seedspec.Pattern(text="sqlite:*", origin="the test"),)
    with sqlite_engine.connect() as conn:
        with pytest.raises(seedspec.SeedspecError) as caught:
            seedspec.apply(spec, conn, protect=protect)
        assert caught.value.diagnostics[0].code == "E706"
        assert seedspec.apply(spec, conn, protect=protect, force=True).created == 6


def test_reset_and_plan_against_on_a_connection_stay_in_its_transaction(
    spec: seedspec.LoadedSpec, sqlite_engine: sa.Engine
) -> None:
    seedspec.apply(spec, sqlite_engine)
    with sqlite_engine.connect() as conn:
        assert dict(seedspec.reset(spec, conn).reset) == {"users": 4, "teams": 2}
        _, report = seedspec.plan_against(spec, conn)  # sees the caller's uncommitted reset
        assert report.created == 6
        conn.rollback()
    _, report = seedspec.plan_against(spec, sqlite_engine)
    assert (report.created, report.existing) == (0, 6)
    assert _count(sqlite_engine, "users") == 4


@pytest.mark.parametrize("kind", ["connection", "session"])
def test_create_in_a_callers_transaction_on_mariadb_is_refused_before_anything_runs(
    spec: seedspec.LoadedSpec, mariadb_url: str, kind: str
) -> None:
    engine = seedspec.create_engine(mariadb_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE audit (id INTEGER PRIMARY KEY)"))
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("INSERT INTO audit VALUES (1)"))
            bind: sa.Connection | Session = conn if kind == "connection" else Session(bind=conn)
            with pytest.raises(seedspec.DatabaseError) as caught:
                seedspec.apply(spec, bind, create=True)
            (d,) = caught.value.diagnostics
            assert d.code == "E725"
            assert conn.in_transaction()  # the caller's transaction is untouched, not committed
            conn.rollback()
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT COUNT(*) FROM audit")).scalar_one() == 0
            assert sa.inspect(conn).get_table_names() == ["audit"]  # no table was created
        seedspec.apply(spec, engine, create=True)  # an Engine's transaction is seedspec's own
        assert _count(engine, "users") == 4
    finally:
        engine.dispose()


def test_bind_is_the_union_of_the_three() -> None:
    # made when first read (it names the ORM, which validate does not import)
    assert seedspec.Bind == sa.Engine | sa.Connection | Session
    from seedspec.database import session

    assert session.Bind is seedspec.Bind
    assert isinstance(Session(), seedspec.Bind)
