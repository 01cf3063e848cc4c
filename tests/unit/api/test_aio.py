"""The async API on aiosqlite (a SQLite file): each coroutine runs its sync twin, committing on
an AsyncEngine, inside the caller's transaction on an AsyncConnection or AsyncSession."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from samples import TEAMS_SCHEMA, teams_spec
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from seedspec.api import aio, specs
from seedspec.compiler.selection import Selection
from seedspec.errors import SpecInvalid
from seedspec.spec.loader import LoadedSpec

WriteSpec = Callable[[str, str], Path]


@pytest.fixture
def spec(write: WriteSpec) -> LoadedSpec:
    write("schema.sql", TEAMS_SCHEMA)
    return specs.load(write("spec.yaml", teams_spec(3)))


@pytest.fixture
def database(tmp_path: Path, spec: LoadedSpec) -> Path:
    """A SQLite file holding the spec's empty tables."""
    path = tmp_path / "db.sqlite"
    engine = specs.create_engine(f"sqlite:///{path}")
    specs.table_definitions(spec, None).create_all(engine)
    engine.dispose()
    return path


def run(database: Path, work: Callable[[AsyncEngine], Any]) -> Any:
    """``work(engine)`` on an aiosqlite engine of ``database``, disposed afterwards."""

    async def scenario() -> Any:
        engine = create_async_engine(f"sqlite+aiosqlite:///{database}")
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(scenario())


def counts(database: Path) -> dict[str, int]:
    engine = specs.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as conn:
            count = "SELECT COUNT(*) FROM {}"
            return {t: conn.execute(sa.text(count.format(t))).scalar_one() for t in ("teams", "users")}
    finally:
        engine.dispose()


def test_apply_async_on_an_engine_commits(spec: LoadedSpec, database: Path) -> None:
    report = run(database, lambda engine: aio.apply_async(spec, engine, workers=0))
    assert (report.created, report.existing) == (5, 0)
    assert counts(database) == {"teams": 2, "users": 3}
    again = run(database, lambda engine: aio.apply_async(spec, engine, workers=0))
    assert (again.created, again.existing) == (0, 5)  # first-or-create: found, not duplicated


def test_apply_async_with_a_selection_writes_only_the_selected(spec: LoadedSpec, database: Path) -> None:
    only_teams = Selection(only=("team",), exclude=(), with_deps=True)
    report = run(database, lambda engine: aio.apply_async(spec, engine, workers=0, selection=only_teams))
    assert report.created == 2
    assert counts(database) == {"teams": 2, "users": 0}


def test_plan_async_reads_the_tables_and_writes_nothing(spec: LoadedSpec, database: Path) -> None:
    plan = run(database, lambda engine: aio.plan_async(spec, engine))
    assert [(s.factory, s.count) for s in plan.steps] == [("team", 2), ("user", 3)]
    execution, report = run(database, lambda engine: aio.plan_against_async(spec, engine))
    assert execution.steps == plan.steps
    assert (report.created, report.pending) == (5, True)
    assert counts(database) == {"teams": 0, "users": 0}


def test_plan_async_of_a_database_without_the_tables_is_e310(spec: LoadedSpec, tmp_path: Path) -> None:
    with pytest.raises(SpecInvalid) as caught:
        run(tmp_path / "empty.sqlite", lambda engine: aio.plan_async(spec, engine))
    assert {d.code for d in caught.value.diagnostics} == {"E310"}


def test_reset_async_empties_the_tables_the_spec_writes(spec: LoadedSpec, database: Path) -> None:
    run(database, lambda engine: aio.apply_async(spec, engine, workers=0))
    report = run(database, lambda engine: aio.reset_async(spec, engine))
    assert dict(report.reset) == {"users": 3, "teams": 2}
    assert counts(database) == {"teams": 0, "users": 0}


def test_on_a_callers_connection_the_caller_commits_or_rolls_back(spec: LoadedSpec, database: Path) -> None:
    async def rolled_back(engine: AsyncEngine) -> int:
        async with engine.connect() as conn:
            report = await aio.apply_async(spec, conn, workers=0)
            await conn.rollback()
        return report.created

    assert run(database, rolled_back) == 5
    assert counts(database) == {"teams": 0, "users": 0}

    async def committed(engine: AsyncEngine) -> None:
        async with AsyncSession(engine) as session:
            await aio.apply_async(spec, session, workers=0)
            await session.commit()

    run(database, committed)
    assert counts(database) == {"teams": 2, "users": 3}


def test_run_sync_on_an_engine_rolls_back_when_the_work_raises(database: Path) -> None:
    def work(bind: Any) -> None:
        bind.execute(sa.text("INSERT INTO teams (name) VALUES ('lost')"))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        run(database, lambda engine: aio.run_sync(engine, work))
    assert counts(database)["teams"] == 0


def test_run_sync_hands_the_work_a_sync_connection_and_returns_its_result(database: Path) -> None:
    def work(bind: Any) -> str:
        assert isinstance(bind, sa.Connection)
        return str(bind.dialect.name)

    assert run(database, lambda engine: aio.run_sync(engine, work)) == "sqlite"
