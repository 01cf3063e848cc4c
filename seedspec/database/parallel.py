"""``apply --shards N``: a step's rows loaded by N shards at once, each COPYing its range over its own
connection in its own transaction.

A step is sharded unless ``serial_reason`` says why not: an ``after_create`` hook, another step
writing its table, an aggregate (its own, or one its rows are counted in: the totals live in this
process's run state, which forked shards do not share back), or rows later steps read whose ids
the shards cannot know (the database fills them in and they do not come from one reserved block:
``IdBlock``); and no step is where ``plan_reason`` says so (no COPY, deferred columns). Shard 1
runs in this process on the apply's connection (its walk leaves the run state, the pools later
steps read, as a serial run leaves it); shards 2..N run in forked processes, each with its own
connection (``shardstep``).

No shard commits before every shard has walked the whole step (a barrier), so all of them see the
database as the step found it; then each commits on its own. The steps before a sharded step
commit before it starts (the shards must see their rows), and the steps after it run in a new
transaction. A killed run leaves whole rows of the spec only, and a re-run finds them by key and
creates exactly the missing ones: docs/guarantees.md states it.
"""

from __future__ import annotations

import ctypes
import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from seedspec.database.dialects import dialect_for
from seedspec.database.dialects.postgresql import explicit_sequence
from seedspec.database.shardstep import IdBlock, ShardStep
from seedspec.errors import DatabaseError, Diagnostic, SeedspecError, database_reason
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.rows import Progress
from seedspec.generation.shards import Shard
from seedspec.generation.slots import RunState, slot_count
from seedspec.ir import Plan, Step
from seedspec.outcome import StepReport

COUNTED = ("created", "existing", "updated", "differing", "duplicate")
Failed = tuple[type[SeedspecError], tuple[Diagnostic, ...]]  # a shard's error, as the process returns it
BARRIER_TIMEOUT = 24 * 3600.0  # a shard waits this long for the others (a lost process: then E403)
PAUSE_ENV = "SEEDSPEC_TEST_SHARD_PAUSE"  # tests: "STEP:K:S" (see _pause_for_tests)


@dataclasses.dataclass(frozen=True, slots=True)
class ParallelLoad:
    """How ``apply --shards`` loads: ``shards`` processes, each connecting to ``url`` itself."""

    shards: int
    url: URL


def plan_reason(plan: Plan, connection: Connection) -> str | None:
    """Why no step of ``plan`` can be sharded on ``connection`` (None: some may)."""
    if not dialect_for(connection).copies:
        return f"{connection.dialect.name} has no COPY: only PostgreSQL loads over several connections"
    if "fork" not in multiprocessing.get_all_start_methods():
        return "this platform cannot fork worker processes"
    if any(s.deferred_fields for s in plan.steps):
        return "the spec has deferred columns (a cycle), whose checks wait for a single commit"
    return None


def serial_reason(plan: Plan, step: Step, table: sa.Table) -> str | None:
    """Why ``step`` runs serially under ``--shards`` (None: it is sharded, ids permitting: see
    ``load_step``)."""
    if step.after_create:
        return "it has after_create hooks"
    if sum(1 for s in plan.steps if s.table == step.table) > 1:
        return f"another step also writes table {step.table}"
    if fed := plan.aggregates_over(step.factory):  # the totals are counted in this process's run state
        parent, field = fed[0]
        return f"its rows are counted in the aggregate {parent}.{field.column}"
    if step.aggregate_fields:
        return f"its column {step.aggregate_fields[0].column} is an aggregate, set after its children"
    if plan.needs_pool(step.factory):
        pk = set(table.primary_key.columns.keys())
        filled = set(plan.columns_kept_for(step.factory)) | pk
        unknown = sorted(filled - set(step.all_columns) - (pk if len(pk) == 1 else set()))
        if unknown:
            return f"later steps read {', '.join(unknown)}, which the database fills in"
    return None


def load_step(
    load: ParallelLoad,
    plan: Plan,
    step: Step,
    table: sa.Table,
    connection: Connection,
    state: RunState,
    prefetcher: Prefetcher,
    progress: Progress | None,
) -> StepReport | None:
    """Load ``step`` in ``load.shards`` shards; None (nothing done) when later steps read ids
    the shards cannot know. The caller's transaction is committed first, and the shard run here
    commits too; ``state`` moves on as a serial run moves it."""
    read = plan.needs_pool(step.factory)
    ids = (
        _id_block(connection, table, step, slot_count(step, state))
        if read or _empty(connection, table)
        else None
    )
    if ids is None and read and not set(table.primary_key.columns.keys()) <= set(step.all_columns):
        return None
    connection.commit()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(load.shards, timeout=BARRIER_TIMEOUT)
    global _JOB
    _JOB = _Job(load.url, plan, step, table, state, ids, load.shards, barrier)  # read as forked
    try:
        with context.Pool(load.shards - 1) as pool:
            others = pool.map_async(_run_shard, range(2, load.shards + 1), chunksize=1)
            try:
                here = _shard_here(_JOB, connection, prefetcher, progress)
            except threading.BrokenBarrierError:
                connection.rollback()
                here = None  # another shard failed: its error is the one to report
            except BaseException:
                barrier.abort()
                raise
            results = [here, *others.get()]
    finally:
        _JOB = None
    reports: list[StepReport] = []
    for result in results:
        if isinstance(result, StepReport):
            reports.append(result)
        elif result is not None:
            kind, diagnostics = result
            raise kind(diagnostics)
    return summed(step, reports)


def summed(step: Step, reports: list[StepReport]) -> StepReport:
    """The shards' reports of one step as one."""
    counts = {name: sum(getattr(r, name) for r in reports) for name in COUNTED}
    diffs = tuple(d for r in reports for d in r.diffs)
    return StepReport(step=step.id, factory=step.factory, table=step.table, diffs=diffs, **counts)


def _empty(connection: Connection, table: sa.Table) -> bool:
    return connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is None


def _id_block(connection: Connection, table: sa.Table, step: Step, total: int) -> IdBlock | None:
    """``total`` ids reserved in one block for the step, when its integer id is drawn from a
    sequence the spec does not set; else None (the database's default, for rows nobody reads).
    The caller asks only where the ids matter: later steps read them, or the table is empty (the
    ids of a serial run); a re-apply of rows nobody reads then uses no sequence values."""
    pk = list(table.primary_key.columns)
    if total == 0 or len(pk) != 1 or pk[0].name in step.all_columns:
        return None
    column = pk[0].name
    sequence = explicit_sequence(connection, table, column)
    if sequence is None:
        return None
    values = sa.select(sa.func.nextval(sequence).label("v")).select_from(sa.func.generate_series(1, total))
    sub = values.subquery()
    low, high = connection.execute(sa.select(sa.func.min(sub.c.v), sa.func.max(sub.c.v))).one()
    if high - low + 1 != total:  # another writer drew ids meanwhile, or an increment other than 1
        return None
    return IdBlock(column, int(low), total)


@dataclasses.dataclass(frozen=True)
class _Job:
    url: URL
    plan: Plan
    step: Step
    table: sa.Table
    state: RunState
    ids: IdBlock | None
    shards: int
    barrier: Any  # multiprocessing's Barrier (a threading.Barrier's interface)


_JOB: _Job | None = None


def _shard_here(
    job: _Job, connection: Connection, prefetcher: Prefetcher, progress: Progress | None
) -> StepReport:
    """Shard 1, on the apply's connection (this process's Faker workers drawing ahead)."""
    run = ShardStep(
        job.plan, job.step, job.table, connection, job.state, prefetcher, Shard(1, job.shards), job.ids
    )
    report = run.run(progress)
    job.barrier.wait()
    connection.commit()
    _pause_for_tests(job.step, 1, committed=True)
    return report


def _run_shard(index: int) -> StepReport | Failed | None:
    """One process: shard ``index`` of the step, on its own connection, in its own transaction."""
    _die_with_parent()
    job = _JOB
    assert job is not None, "set before the fork"
    from seedspec.database.session import create_engine

    engine = create_engine(job.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection, connection.begin():
            state = job.state
            run = ShardStep(
                job.plan,
                job.step,
                job.table,
                connection,
                state,
                Prefetcher(0),
                Shard(index, job.shards),
                job.ids,
            )
            report = run.run(None)
            job.barrier.wait()
            _pause_for_tests(job.step, index, committed=False)  # after the barrier, before the commit
        _pause_for_tests(job.step, index, committed=True)
        return report
    except threading.BrokenBarrierError:
        return None
    except SeedspecError as exc:
        job.barrier.abort()
        return type(exc), exc.diagnostics
    except sa.exc.DBAPIError as exc:
        job.barrier.abort()
        return DatabaseError, (_failed(job.step, index, job.shards, exc),)
    except BaseException:
        job.barrier.abort()
        raise
    finally:
        engine.dispose()


def _failed(step: Step, index: int, count: int, exc: sa.exc.DBAPIError) -> Diagnostic:
    return Diagnostic(
        code="E403",
        message=f"the database failed during apply, in step '{step.id}' (table {step.table}), "
        f"shard {index}/{count}: {database_reason(exc)}",
        pointer=step.pointer,
        hint="no shard of this step committed; the steps before it did: run the same apply again "
        "to create the rest",
    )


def _die_with_parent() -> None:
    """A shard process ends when the apply that started it is killed (Linux): it then never
    commits behind a re-run's back."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:
        os._exit(1)


def _pause_for_tests(step: Step, index: int, *, committed: bool) -> None:
    """``SEEDSPEC_TEST_SHARD_PAUSE=STEP:K:S``: in step STEP, shard K sleeps S seconds after it
    committed, the others before they commit (the tests kill the apply then: a deterministic
    point mid-load, exactly shard K's rows of the step stored)."""
    setting = os.environ.get(PAUSE_ENV, "")
    rest, _, seconds = setting.rpartition(":")
    name, _, shard = rest.rpartition(":")
    if name == step.id and shard.isdigit() and (int(shard) == index) == committed:
        import time

        time.sleep(float(seconds or 0))
