"""Apply: the only writer. Batches of rows are first-or-created by their lookup key.

The same machinery runs read-only for ``plan`` against a live database (``dry_run``): rows that
would be created get placeholder ids, so later steps can still be counted without writing.
"""

from __future__ import annotations

import dataclasses
import time

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database import indexes
from seedspec.database.aggregates import settle_aggregates
from seedspec.database.deferred import DeferredRows, checks_at_commit
from seedspec.database.dialects import dialect_for
from seedspec.database.parallel import ParallelLoad, load_step, serial_reason
from seedspec.database.statements import table_of
from seedspec.database.stepwriter import DatabaseStep
from seedspec.errors import DatabaseError, Diagnostic, database_reason, shown_url
from seedspec.generation.prefetch import Prefetcher, default_workers
from seedspec.generation.rows import Key, Progress
from seedspec.generation.slots import RunState
from seedspec.ir import Plan, Step
from seedspec.outcome import Report, StepReport

__all__ = ["Progress", "apply_plan"]


def apply_plan(
    plan: Plan,
    connection: Connection,
    metadata: sa.MetaData,
    *,
    progress: Progress | None = None,
    dry_run: bool = False,
    workers: int | None = None,
    state: RunState | None = None,
    declared: dict[str, list[Key]] | None = None,
    parallel: ParallelLoad | None = None,
    defer_indexes: bool = False,
) -> Report:
    """Create every missing row of the plan on ``connection`` (the caller owns the transaction).

    With ``dry_run`` nothing is written: the report says what applying would do. ``workers``
    processes draw Faker values ahead (default: one per core; 0 draws everything here); the rows
    are the same either way. A ``state`` given carries pools, sequences and unique values in and
    out (a factory's ``create``); by default the run starts afresh. A ``declared`` dict is
    filled with every step's keys (by step id): the rows the spec owns after the run. With
    ``parallel`` (the connection's transaction begun without a context manager: see
    ``session.segments``), the steps that shard are loaded by several processes
    (``database.parallel``), the transaction committed before each; the report notes how each
    step ran. With ``defer_indexes``, a table empty when a step starts loses its secondary
    indexes until the step is done (``database.indexes``).
    """
    state = RunState() if state is None else state
    reports: list[StepReport] = []
    notes: list[str] = []
    settle_after = plan.deferred_updates()  # step id -> the steps whose deferred columns are set then
    aggregate_after = plan.aggregate_updates()  # step id -> the factories whose aggregates are set then
    waiting: dict[str, tuple[int, DeferredRows]] = {}
    prefetcher = Prefetcher(default_workers() if workers is None else workers)
    dialect = dialect_for(connection)
    try:
        with dialect.strict(connection), checks_at_commit(connection, metadata, plan):
            for step in plan.steps:
                table = table_of(metadata, step)
                started = time.perf_counter()
                try:
                    report, run = _run_step(
                        plan,
                        step,
                        table,
                        connection,
                        state,
                        prefetcher,
                        notes,
                        dry_run=dry_run,
                        progress=progress,
                        declared=declared,
                        parallel=parallel,
                        defer_indexes=defer_indexes,
                    )
                    if report.created and not dry_run:
                        dialect.after_bulk_load(connection, table, step.all_columns, report.created)
                    reports.append(dataclasses.replace(report, seconds=time.perf_counter() - started))
                    if run is not None and run.deferred is not None:
                        waiting[step.id] = (len(reports) - 1, run.deferred)
                    for later in settle_after.get(step.id, ()):
                        i, rows = waiting.pop(later.id)
                        settling = time.perf_counter()  # the UPDATE counts in its step's time
                        settled = rows.settle(reports[i], dry_run=dry_run)
                        spent = time.perf_counter() - settling
                        reports[i] = dataclasses.replace(settled, seconds=settled.seconds + spent)
                    for factory in aggregate_after.get(step.id, ()):
                        settle_aggregates(
                            plan, factory, state, reports, None if dry_run else connection, metadata
                        )
                except sa.exc.DBAPIError as exc:  # not a refused row (those are located): server or link
                    raise _database_failed(exc, step) from exc
    finally:
        prefetcher.close()
    url = shown_url(connection.engine.url)
    return Report(spec=plan.spec, database=url, steps=tuple(reports), dry_run=dry_run, notes=tuple(notes))


def _run_step(
    plan: Plan,
    step: Step,
    table: sa.Table,
    connection: Connection,
    state: RunState,
    prefetcher: Prefetcher,
    notes: list[str],
    *,
    dry_run: bool,
    progress: Progress | None,
    declared: dict[str, list[Key]] | None,
    parallel: ParallelLoad | None,
    defer_indexes: bool,
) -> tuple[StepReport, DatabaseStep | None]:
    """One step, serially or in shards; the run (None: sharded) for its deferred columns."""
    dropped = indexes.drop(connection, table) if defer_indexes and not dry_run else 0
    serial = None if parallel is None else serial_reason(plan, step, table)
    run = None
    sharded = None
    if parallel is not None and serial is None:
        sharded = load_step(parallel, plan, step, table, connection, state, prefetcher, progress)
        serial = "later steps read its ids, which the database draws outside one reserved block"
    if sharded is not None and parallel is not None:
        report = sharded
        notes.append(f"step '{step.id}': {parallel.shards} shards {parallel.where}")
    else:
        if serial is not None:
            notes.append(f"step '{step.id}' ran serially: {serial}")
        run = DatabaseStep(plan, step, table, connection, state, dry_run, prefetcher)
        if declared is not None:
            run.declared_keys = declared.setdefault(step.id, [])
        report = run.run(progress)
    if dropped:
        indexes.rebuild(connection, table)
        notes.append(
            f"step '{step.id}': {dropped} secondary indexes of {step.table} dropped, rebuilt after it"
        )
    return report, run


def _database_failed(exc: sa.exc.DBAPIError, step: Step) -> DatabaseError:
    reason = database_reason(exc)
    return DatabaseError(
        Diagnostic(
            code="E403",
            message=f"the database failed during apply, in step '{step.id}' (table {step.table}): {reason}",
            pointer=step.pointer,
            hint="nothing was written: the whole apply was rolled back",
        )
    )
