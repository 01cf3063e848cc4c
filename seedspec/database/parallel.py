"""``apply --shards N``: a step's rows loaded by N processes, each over its own connection with COPY.

Only a step whose shards can work alone is loaded so (``serial_reason`` says why another is not):
PostgreSQL (COPY), a *pure* step (``generation.shards.pure_step``: no later step reads its rows, its
key never repeats, nothing it draws remembers earlier draws), no ``after_create`` hook, the only
step writing its table, and no deferred columns anywhere in the plan (their checks wait for one
commit). Each shard walks only its range of the step's rows, finds the rows already stored by key
(first-or-create, as a serial apply does) and COPYs the missing ones, in **its own transaction**.

The apply is then no longer one transaction: the steps before a sharded step commit first (its
rows' parents must be visible to the other connections), each shard commits on its own, and the
steps after it run in a new transaction. A killed run leaves complete rows of the spec only (never
a half row: a shard's COPY is all or nothing), and a re-run finds them by key and creates exactly
the missing ones: docs/guarantees.md states it.

Ids: into an empty table whose id column the database draws, the whole step's ids are reserved
in one block before the shards start, and row ``k`` of the step gets the ``k``-th: the ids a
serial apply gives. Into a table holding rows, new rows take the database's default, as any
later apply's new rows do.
"""

from __future__ import annotations

import ctypes
import dataclasses
import multiprocessing
import os
import signal
import sys

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from seedspec.database.dialects import dialect_for
from seedspec.database.dialects.postgresql import explicit_sequence
from seedspec.database.stepwriter import DatabaseStep
from seedspec.errors import DatabaseError, Diagnostic, SeedspecError, database_reason
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.rows import Key, Row
from seedspec.generation.shards import Shard, pure_step, range_slots
from seedspec.generation.slots import RowSlot, RunState, slot_count
from seedspec.ir import Plan, Step
from seedspec.outcome import StepReport

COUNTED = ("created", "existing", "updated", "differing", "duplicate")
Failed = tuple[type[SeedspecError], tuple[Diagnostic, ...]]  # a shard's error, as the process returns it
PAUSE_ENV = (
    "SEEDSPEC_TEST_SHARD_PAUSE"  # tests: "K:S", shard K sleeps S s after committing, the others before
)


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


def serial_reason(plan: Plan, step: Step) -> str | None:
    """Why ``step`` runs serially under ``--shards`` (None: it is sharded)."""
    if step.after_create:
        return "it has after_create hooks"
    if sum(1 for s in plan.steps if s.table == step.table) > 1:
        return f"another step also writes table {step.table}"
    if not pure_step(plan, step):
        if plan.needs_pool(step.factory):
            return "later steps read its rows (ids and keys)"
        return "its rows depend on the rows before them (a key that may repeat, unique, distinct_per)"
    return None


def load_step(
    load: ParallelLoad, plan: Plan, step: Step, table: sa.Table, connection: Connection, state: RunState
) -> StepReport:
    """Load ``step`` in ``load.shards`` processes (the caller's transaction is committed: the
    shards see its rows); ``state`` moves on as a serial run would move it."""
    total = slot_count(step, state)
    first_id = _id_block(connection, table, step, total)
    connection.commit()
    job = _Job(load.url, plan, step, table, state, first_id, load.shards)
    context = multiprocessing.get_context("fork")
    global _JOB
    _JOB = job  # the children read it as forked: the state (parents' pools) is not pickled
    try:
        with context.Pool(load.shards) as pool:
            results = pool.map(_run_shard, range(1, load.shards + 1), chunksize=1)
    finally:
        _JOB = None
    for result in results:
        if not isinstance(result, StepReport):
            kind, diagnostics = result
            raise kind(diagnostics)
    for _ in range_slots(step, state, range(0), total):  # the step's sequences move on by all its rows
        pass
    return summed(step, [r for r in results if isinstance(r, StepReport)])


def summed(step: Step, reports: list[StepReport]) -> StepReport:
    """The shards' reports of one step as one."""
    counts = {name: sum(getattr(r, name) for r in reports) for name in COUNTED}
    diffs = tuple(d for r in reports for d in r.diffs)
    return StepReport(step=step.id, factory=step.factory, table=step.table, diffs=diffs, **counts)


def _id_block(connection: Connection, table: sa.Table, step: Step, total: int) -> tuple[str, int] | None:
    """Into an empty table whose integer id the database draws from a sequence (and the spec
    does not set), the first of ``total`` ids reserved in one block; else None (the default)."""
    pk = list(table.primary_key.columns)
    if total == 0 or len(pk) != 1 or pk[0].name in step.all_columns:
        return None
    column = pk[0].name
    sequence = explicit_sequence(connection, table, column)
    if sequence is None or connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
        return None
    values = sa.select(sa.func.nextval(sequence).label("v")).select_from(sa.func.generate_series(1, total))
    sub = values.subquery()
    low, high = connection.execute(sa.select(sa.func.min(sub.c.v), sa.func.max(sub.c.v))).one()
    if high - low + 1 != total:  # another writer drew ids meanwhile, or an increment other than 1
        return None
    return column, int(low)


@dataclasses.dataclass(frozen=True, slots=True)
class _Job:
    url: URL
    plan: Plan
    step: Step
    table: sa.Table
    state: RunState
    first_id: tuple[str, int] | None
    shards: int


_JOB: _Job | None = None


def _run_shard(index: int) -> StepReport | Failed:
    """One process: shard ``index`` of the step, on its own connection, in its own transaction."""
    _die_with_parent()
    job = _JOB
    assert job is not None, "set before the fork"
    from seedspec.database.session import create_engine

    engine = create_engine(job.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            _pause_for_tests(index, committed=False)
            with connection.begin():
                run = ShardStep(job, connection, Shard(index, job.shards))
                report = run.run(None)
            _pause_for_tests(index, committed=True)
            return report
    except SeedspecError as exc:
        return type(exc), exc.diagnostics
    except sa.exc.DBAPIError as exc:
        return DatabaseError, (_failed(job.step, index, job.shards, exc),)
    finally:
        engine.dispose()


def _failed(step: Step, index: int, count: int, exc: sa.exc.DBAPIError) -> Diagnostic:
    return Diagnostic(
        code="E403",
        message=f"the database failed during apply, in step '{step.id}' (table {step.table}), "
        f"shard {index}/{count}: {database_reason(exc)}",
        pointer=step.pointer,
        hint="this shard's rows were rolled back; the steps and shards that committed stay: "
        "run the same apply again to create the rest",
    )


class ShardStep(DatabaseStep):
    """A shard of a pure step: only its range of rows is made; new rows get the reserved ids."""

    def __init__(self, job: _Job, connection: Connection, shard: Shard) -> None:
        super().__init__(
            job.plan, job.step, job.table, connection, job.state, False, Prefetcher(0), shard=shard
        )
        self.first_id = job.first_id

    def _skip_before(self, first: int) -> bool:
        return True  # a pure step: rows are never dropped, no later step reads them

    def _create(self, missing: list[tuple[RowSlot, Row]]) -> dict[Key, Row]:
        if self.first_id is not None:
            column, first = self.first_id
            missing = [(slot, {**row, column: first + slot.ordinal}) for slot, row in missing]
        return super()._create(missing)


def _die_with_parent() -> None:
    """A shard process ends when the apply that started it is killed (Linux): it then never
    commits behind a re-run's back."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() == 1:
        os._exit(1)


def _pause_for_tests(index: int, *, committed: bool) -> None:
    """``SEEDSPEC_TEST_SHARD_PAUSE=K:S``: shard K sleeps S seconds after it committed, the others
    before they begin (the tests kill the apply then: a deterministic point mid-load, exactly
    shard K's rows stored)."""
    setting = os.environ.get(PAUSE_ENV, "")
    shard, _, seconds = setting.partition(":")
    if shard.isdigit() and (int(shard) == index) == committed:
        import time

        time.sleep(float(seconds or 0))
