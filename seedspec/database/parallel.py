"""``apply --shards N``: a step's rows loaded by N shards at once, each COPYing its range over its own
connection in its own transaction.

A step is sharded unless ``serial_reason`` says why not: an ``after_create`` hook, another step
writing its table, an aggregate (its own, or one its rows are counted in: the totals live in this
process's run state, which forked shards do not share back), or rows later steps read whose ids
the shards cannot know (the database fills them in and they do not come from one reserved block:
``IdBlock``); and no step is where ``plan_reason`` says so (no COPY, deferred columns). Shard 1
runs in this process on the apply's connection (its walk leaves the run state, the pools later
steps read, as a serial run leaves it); shards 2..N run elsewhere, each with its own connection
(``shardstep.own_connection``): forked processes (``forked``) or Ray tasks (``apply --engine ray``,
in ``seedspec.api``: the runner is handed in, this room imports no Ray).

No shard commits before every shard has walked the whole step (a barrier kept here: each shard
says it has walked and waits for the verdict), so all of them see the database as the step found
it; then each commits on its own. A shard that fails, or is lost (its process killed: noticed at
once, E750), makes the others roll back before any commits. The steps before a sharded step
commit before it starts (the shards must see their rows), and the steps after it run in a new
transaction. A killed run leaves whole rows of the spec only, and a re-run finds them by key and
creates exactly the missing ones: docs/guarantees.md states it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from seedspec.database.dialects import dialect_for
from seedspec.database.dialects.postgresql import explicit_sequence
from seedspec.database.shardstep import (
    Failed,
    IdBlock,
    Outcome,
    ShardJob,
    ShardStep,
    failed_in_database,
    in_shard,
    pause_for_tests,
)
from seedspec.errors import DatabaseError, SeedspecError
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.rows import Progress
from seedspec.generation.shards import Shard
from seedspec.generation.slots import RunState, slot_count
from seedspec.ir import Plan, Step
from seedspec.outcome import StepReport

COUNTED = ("created", "existing", "updated", "differing", "duplicate")


class Others(Protocol):
    """Shards 2..N of a step, running elsewhere (forked processes: ``forked``; Ray tasks:
    ``seedspec.api.rayapply``), each in its own transaction, waiting for the verdict."""

    def walked(self) -> Failed | None:
        """Wait until every shard has walked the step (None), or one failed or was lost."""

    def failed(self) -> Failed | None:
        """A shard that failed or was lost so far (None: none yet); never waits."""

    def decide(self, commit: bool) -> None:
        """Tell every shard to commit, or to roll back."""

    def ended(self) -> list[Outcome | None]:
        """Once told to commit: how each shard ended, in order."""

    def close(self) -> None:
        """Stop what still runs (a shard not told to commit rolls back)."""


Runner = Callable[[ShardJob], Others]  # starts shards 2..N of a step


def forked(job: ShardJob) -> Others:
    """The default runner: forked processes of this one."""
    from seedspec.database.forked import Forked

    return Forked(job)


@dataclasses.dataclass(frozen=True, slots=True)
class ParallelLoad:
    """How ``apply --shards`` loads: ``shards`` shards, each connecting to ``url`` itself;
    shard 1 here, the others started by ``runner`` (forked processes, or Ray tasks)."""

    shards: int
    url: URL
    runner: Runner = forked
    where: str = "over as many connections"  # the report's note


def plan_reason(plan: Plan, connection: Connection) -> str | None:
    """Why no step of ``plan`` can be sharded on ``connection`` (None: some may)."""
    if not dialect_for(connection).copies:
        return f"{connection.dialect.name} has no COPY: only PostgreSQL loads over several connections"
    import multiprocessing  # here: `validate` imports this module (through the API) but never loads

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
    job = ShardJob(load.url, plan, step, table, state, ids, load.shards)
    with _started(load.runner, job) as others:
        here = ShardStep(plan, step, table, connection, state, prefetcher, Shard(1, load.shards), ids)
        report = _walked_here(here, others, connection, progress)
        if (failure := others.walked()) is not None:
            connection.rollback()
            others.decide(False)
            raise _raised(failure)
        others.decide(True)
        pause_for_tests(step, 1, committed=False)
        connection.commit()
        pause_for_tests(step, 1, committed=True)
        reports = [report]
        for result in others.ended():
            if isinstance(result, tuple):
                raise _raised(result)
            reports += [result] if result is not None else []
    return summed(step, reports)


def _walked_here(
    here: ShardStep, others: Others, connection: Connection, progress: Progress | None
) -> StepReport:
    """Shard 1's walk on the apply's connection; rolled back (and the others told to roll back)
    when it fails or another shard does meanwhile."""
    step, count = here.step, here.shard.count if here.shard is not None else 1
    try:
        return here.run(_watching(others, progress))
    except _Lost as lost:
        connection.rollback()
        others.decide(False)
        raise _raised(lost.failure) from None
    except SeedspecError as exc:
        connection.rollback()
        raise type(exc)(in_shard(exc.diagnostics, 1, count)) from exc
    except sa.exc.DBAPIError as exc:
        connection.rollback()
        raise DatabaseError(failed_in_database(step, 1, count, exc)) from exc
    except BaseException:
        connection.rollback()
        raise


def _raised(failure: Failed) -> SeedspecError:
    kind, diagnostics = failure
    return kind(diagnostics)


class _Lost(Exception):
    """Another shard failed or was lost while this one walked (``_watching``)."""

    def __init__(self, failure: Failed) -> None:
        super().__init__()
        self.failure = failure


def _watching(others: Others, progress: Progress | None) -> Progress:
    """Shard 1's progress, which also asks after the others at every batch: a lost shard stops
    the step then, not once shard 1 has walked it all."""

    def report(step: Step, done: int, total: int) -> None:
        if (failure := others.failed()) is not None:
            raise _Lost(failure)
        if progress is not None:
            progress(step, done, total)

    return report


@contextmanager
def _started(runner: Runner, job: ShardJob) -> Iterator[Others]:
    others = runner(job)
    try:
        yield others
    finally:
        others.close()


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
