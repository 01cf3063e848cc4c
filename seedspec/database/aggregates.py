"""Aggregate columns (part of the writer): set once the children they are computed from exist.

``generation.aggregates`` computes the values; this module stores the rows whose value
changed, in the apply's transaction, finding each by the column its children refer to (its id),
and counts a found row whose stored value was not its children's as differing and updated.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.statements import table_of
from seedspec.errors import DatabaseError, Diagnostic, database_reason
from seedspec.generation.aggregates import Change, settle
from seedspec.generation.rows import MAX_DIFFS_SHOWN
from seedspec.generation.slots import RunState
from seedspec.ir import Plan
from seedspec.outcome import RowDiff, StepReport


def settle_aggregates(
    plan: Plan,
    factory: str,
    state: RunState,
    reports: list[StepReport],
    connection: Connection | None,
    metadata: sa.MetaData,
) -> None:
    """Give ``factory``'s rows their aggregates: pools and named records now, the database
    (``connection``; None in a dry run) by an UPDATE per column; ``reports`` count the found
    rows whose stored value differed."""
    pool = state.pools.get(factory)
    if pool is None:
        return
    changes = settle(plan, factory, pool, state.named.get(factory, {}), state.totals)
    _count(changes, reports)
    if connection is not None:
        _write(plan, changes, connection, metadata)


def _count(changes: list[Change], reports: list[StepReport]) -> None:
    """A found row whose aggregates change counts once as differing and updated, with one diff."""
    at = {r.step: i for i, r in enumerate(reports)}
    rows: dict[tuple[str, int], list[Change]] = {}
    for change in changes:
        if not change.created and change.step in at:
            rows.setdefault((change.step, change.ordinal), []).append(change)
    for (step, ordinal), changed in rows.items():
        i = at[step]
        report = reports[i]
        diffs = report.diffs
        if len(diffs) < MAX_DIFFS_SHOWN:
            key = (changed[0].link,)  # the row's id: its lookup key is not kept
            diff = RowDiff(n=ordinal, key=key, changes=tuple((c.column, c.old, c.new) for c in changed))
            diffs = (*diffs, diff)
        reports[i] = dataclasses.replace(
            report, differing=report.differing + 1, updated=report.updated + 1, diffs=diffs
        )


def _write(plan: Plan, changes: list[Change], connection: Connection, metadata: sa.MetaData) -> None:
    steps = {s.id: s for s in plan.steps}
    groups: dict[tuple[str, str, str], list[Change]] = {}
    for change in changes:
        groups.setdefault((change.step, change.column, change.target), []).append(change)
    for (step_id, column, target), group in groups.items():
        step = steps[step_id]
        table = table_of(metadata, step)
        statement = (
            table.update()
            .where(table.c[target] == sa.bindparam("link"))
            .values({column: sa.bindparam("new")})
        )
        try:
            with connection.begin_nested():
                connection.execute(statement, [{"link": c.link, "new": c.new} for c in group])
        except sa.exc.DBAPIError as exc:
            if exc.connection_invalidated:
                raise
            field = next(f for f in step.aggregate_fields if f.column == column)
            raise DatabaseError(
                Diagnostic(
                    code="E531",
                    message=f"setting the aggregate column '{column}' of step '{step_id}' (table "
                    f"'{step.table}') failed: {database_reason(exc)}",
                    pointer=field.pointer,
                    hint="nothing was written: the whole apply was rolled back; the column must hold "
                    "the aggregate's values (its type, precision and constraints)",
                )
            ) from exc
