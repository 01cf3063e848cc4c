"""The API on SQLAlchemy's asyncio objects: each coroutine runs its sync twin through
``run_sync`` (SQLAlchemy's greenlet bridge), so there is one implementation of everything.

Needs ``pip install 'seedspec[async]'`` (greenlet, and a driver: aiosqlite, asyncpg).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from seedspec.api import pipeline as api
from seedspec.compiler.selection import Selection
from seedspec.database.guard import Pattern
from seedspec.database.session import owning
from seedspec.ir import Plan, Report
from seedspec.spec.loader import LoadedSpec

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

    from seedspec.database.session import Bind
    from seedspec.database.writer import Progress

AsyncBind: TypeAlias = "AsyncEngine | AsyncConnection | AsyncSession"
"""Where the coroutines read and write: an ``AsyncEngine``, or a caller's ``AsyncConnection``
or ``AsyncSession``."""

T = TypeVar("T")


async def run_sync(bind: AsyncBind, work: Callable[[Bind], T]) -> T:
    """``work(sync_bind)`` on the sync side of ``bind``: an ``AsyncConnection`` or ``AsyncSession``
    gives its own sync ``Connection`` or ``Session`` (the caller's transaction, as the sync API
    treats it); an ``AsyncEngine`` gives a connection of its own, committed when ``work``
    returns and rolled back when it raises, which ``work`` treats as an ``Engine``'s (seedspec's
    own transactions and locks, not a caller's)."""
    from sqlalchemy.ext.asyncio import AsyncEngine

    def owned(connection: Connection) -> T:
        with owning(connection):
            return work(connection)

    if isinstance(bind, AsyncEngine):
        async with bind.connect() as connection:
            result = await connection.run_sync(owned)
            await connection.commit()
            return result
    return await bind.run_sync(work)


async def apply_async(
    spec: LoadedSpec,
    bind: AsyncBind,
    *,
    create: bool = False,
    progress: Progress | None = None,
    saved_plan: Mapping[str, Any] | None = None,
    workers: int | None = None,
    selection: Selection | None = None,
    reset: bool = False,
    force: bool = False,
    protect: Sequence[Pattern] = (),
    prune: bool = False,
) -> Report:
    """``apply`` on an ``AsyncEngine`` (one transaction, committed), or inside the transaction
    of a caller's ``AsyncConnection`` or ``AsyncSession`` (a SAVEPOINT; the caller commits)."""
    return await run_sync(
        bind,
        lambda sync_bind: api.apply(
            spec,
            sync_bind,
            create=create,
            progress=progress,
            saved_plan=saved_plan,
            workers=workers,
            selection=selection,
            reset=reset,
            force=force,
            protect=protect,
            prune=prune,
        ),
    )


async def plan_async(spec: LoadedSpec, bind: AsyncBind, *, selection: Selection | None = None) -> Plan:
    """``plan`` with the tables of ``bind``'s database."""
    return await run_sync(bind, lambda sync_bind: api.plan(spec, sync_bind, selection=selection))


async def plan_against_async(
    spec: LoadedSpec, bind: AsyncBind, *, selection: Selection | None = None
) -> tuple[Plan, Report]:
    """``plan_against``: the plan and what applying it would do, writing nothing."""
    return await run_sync(bind, lambda sync_bind: api.plan_against(spec, sync_bind, selection=selection))


async def reset_async(
    spec: LoadedSpec,
    bind: AsyncBind,
    *,
    selection: Selection | None = None,
    force: bool = False,
    protect: Sequence[Pattern] = (),
) -> Report:
    """``reset``: empty the tables the spec writes."""
    return await run_sync(
        bind,
        lambda sync_bind: api.reset(spec, sync_bind, selection=selection, force=force, protect=protect),
    )
