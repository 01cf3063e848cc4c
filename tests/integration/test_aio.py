"""The async API for real: aiosqlite and asyncpg, through AsyncEngine, AsyncConnection and
AsyncSession (as a FastAPI + SQLAlchemy asyncio application holds them)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

import seedspec

PROJECT = Path(__file__).resolve().parent / "api_project"


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="aiosqlite"),
        pytest.param("postgresql", id="asyncpg", marks=pytest.mark.postgres),
    ]
)
def async_url(request: pytest.FixtureRequest, new_db_url: Callable[[str], str]) -> str:
    """A fresh database holding the spec's empty tables; its URL, for the sync driver."""
    url = new_db_url(request.param)
    engine = seedspec.create_engine(url)
    seedspec.table_definitions(seedspec.load(PROJECT / "spec.yaml"), None).create_all(engine)
    engine.dispose()
    return url


def async_engine(url: str) -> AsyncEngine:
    """The same database through aiosqlite or asyncpg. asyncpg takes no libpq ``options``: the
    test schema goes first on the search_path through ``server_settings``."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return create_async_engine(parsed.set(drivername="sqlite+aiosqlite"))
    schema = str(parsed.query["options"]).removeprefix("-csearch_path=")
    return create_async_engine(
        parsed.set(drivername="postgresql+asyncpg", query={}),
        connect_args={"server_settings": {"search_path": schema}},
    )


async def _count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}"))).scalar_one())


def test_apply_plan_and_reset_on_an_async_engine(async_url: str) -> None:
    spec = seedspec.load(PROJECT / "spec.yaml")

    async def scenario() -> None:
        engine = async_engine(async_url)
        try:
            _, pending = await seedspec.plan_against_async(spec, engine)
            assert pending.created == 6
            assert (await seedspec.apply_async(spec, engine)).created == 6  # committed
            assert await _count(engine, "users") == 4
            assert (await seedspec.apply_async(spec, engine)).existing == 6
            plan = await seedspec.plan_async(spec, engine)
            assert [s.table for s in plan.steps] == ["teams", "users", "users"]
            assert dict((await seedspec.reset_async(spec, engine)).reset) == {"users": 4, "teams": 2}
            assert await _count(engine, "teams") == 0
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_an_async_session_keeps_the_transaction_and_factories_create_in_it(async_url: str) -> None:
    spec = seedspec.load(PROJECT / "spec.yaml")

    async def scenario() -> None:
        engine = async_engine(async_url)
        try:
            async with AsyncSession(engine) as session:
                assert (await seedspec.apply_async(spec, session)).created == 6
                await session.rollback()  # the session's to decide: nothing stays
            assert await _count(engine, "teams") == 0
            async with AsyncSession(engine) as session, session.begin():
                team = await seedspec.factory(spec, "team").create_async(session)
                users = await seedspec.factory(spec, "user").state("admin").create_batch_async(session, 2)
            expected = [(team["id"], "admin", True)] * 2
            assert [(u["team_id"], u["role"], u["active"]) for u in users] == expected
            async with engine.connect() as conn:
                again = (
                    await seedspec.factory(spec, "user").state("admin").create_async(conn, name="Override")
                )
                more = await seedspec.factory(spec, "user").create_batch_async(conn, 3)
                await conn.commit()
            # rows 0 and 1 are stored: a factory numbers past them, never returns them
            assert (again["name"], again["role"]) == ("Override", "admin")
            ids = [u["id"] for u in (*users, again, *more)]
            assert len(set(ids)) == 6
            assert await _count(engine, "users") == 6
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_a_failure_in_an_async_session_leaves_its_transaction_usable(async_url: str) -> None:
    spec = seedspec.load(PROJECT / "spec.yaml")

    async def scenario() -> None:
        engine = async_engine(async_url)
        try:
            async with AsyncSession(engine) as session:
                await session.execute(sa.text("INSERT INTO teams (name) VALUES ('mine')"))
                with pytest.raises(seedspec.DatabaseError) as caught:
                    await seedspec.factory(spec, "user").create_async(session, name=None)  # NOT NULL
                assert caught.value.diagnostics[0].code == "E500"
                await session.commit()
            assert await _count(engine, "teams") == 1
        finally:
            await engine.dispose()

    asyncio.run(scenario())


def test_an_async_engine_is_treated_as_an_engine_not_as_a_callers_connection(async_url: str) -> None:
    from seedspec.api.aio import run_sync
    from seedspec.database import session

    def ownership(bind: session.Bind) -> bool:
        with session.linked(bind) as link:
            return link.owned

    async def scenario() -> tuple[bool, bool]:
        engine = async_engine(async_url)
        try:
            async with engine.connect() as conn:
                callers = await run_sync(conn, ownership)
            return await run_sync(engine, ownership), callers
        finally:
            await engine.dispose()

    assert asyncio.run(scenario()) == (True, False)
