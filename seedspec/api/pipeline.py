"""The commands that work on a database: plan, plan_against, apply and reset.

Each takes a ``Bind``: an ``Engine`` (seedspec opens a connection and owns its transaction) or a
caller's ``Connection`` or ``Session`` (seedspec works inside the caller's transaction, never
commits it); ``database.session`` holds those rules.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

from seedspec.api.building import require_extra
from seedspec.api.protection import refuse_protected
from seedspec.api.saved_plans import check_saved_plan
from seedspec.api.sharding import APPLY_ENGINES, parallel_load, sharded
from seedspec.api.specs import compile, raise_for_errors, selected, spec_errors, table_definitions, validate
from seedspec.compiler.selection import Selection, selected_steps
from seedspec.database.guard import Pattern
from seedspec.database.session import Link, bind_url, linked, owns, segments, transaction
from seedspec.database.tables import missing_tables
from seedspec.errors import DatabaseError, Diagnostic, shown_url
from seedspec.ir import Plan, Step
from seedspec.outcome import Report
from seedspec.spec.loader import LoadedSpec

if TYPE_CHECKING:
    from seedspec.database.session import Bind
    from seedspec.database.writer import Progress as Progress


def plan(spec: LoadedSpec, bind: Bind | None = None, *, selection: Selection | None = None) -> Plan:
    """The execution plan of a spec; tables from ``tables:`` or the database of ``bind``.

    With a ``selection``, only the selected steps and what they depend on.
    """
    raise_for_errors(validate(spec))
    if bind is None:
        return selected(compile(spec, table_definitions(spec, None), validated=True), selection, spec)
    with linked(bind) as link:
        metadata = table_definitions(spec, link.connection)
        return selected(
            compile(spec, metadata, link.connection.dialect.name, validated=True), selection, spec
        )


def _reset_steps(full: Plan, selection: Selection | None) -> tuple[Step, ...]:
    """The steps whose tables a reset empties: the selected ones, not what they pull in."""
    return full.steps if selection is None else selected_steps(full, selection)


def _refilling(full: Plan, selection: Selection | None, targets: tuple[Step, ...]) -> Selection | None:
    """After a reset, every step writing an emptied table runs (not only the selected ones), so
    the tables hold what a full apply puts there."""
    if selection is None or not targets:
        return selection
    tables = {s.table for s in targets}
    refill = tuple(s.id for s in full.steps if s.table in tables)
    return dataclasses.replace(selection, only=refill, exclude=())


def plan_against(spec: LoadedSpec, bind: Bind, *, selection: Selection | None = None) -> tuple[Plan, Report]:
    """The plan plus what applying it to ``bind``'s database would do, without writing anything.

    On a caller's Connection or Session the dry run reads inside the caller's transaction (in a
    SAVEPOINT it rolls back), so it sees the caller's uncommitted rows.

    Raises:
        SpecInvalid: the spec is invalid.
        DatabaseError: the database lacks a table of the spec.
    """
    from seedspec.database.writer import apply_plan

    raise_for_errors(validate(spec))
    with linked(bind) as link:
        connection = link.connection
        metadata = table_definitions(spec, connection)
        execution = selected(
            compile(spec, metadata, connection.dialect.name, validated=True), selection, spec
        )
        require_tables(execution, connection)
        with (
            spec_errors(spec),
            connection.begin_nested() if connection.in_transaction() else connection.begin() as tx,
        ):
            declared: dict[str, list[Any]] | None = {} if _tracked(connection, execution, selection) else None
            report = apply_plan(execution, connection, metadata, dry_run=True, declared=declared)
            if declared is not None:
                report = reconcile(spec, execution, connection, report, declared)
            tx.rollback()  # a dry run only reads; never keep anything
            return execution, report


def require_tables(execution: Plan, connection: Connection) -> None:
    """Models describe tables the database may not have yet."""
    missing = missing_tables(connection, (step.table for step in execution.steps))
    if missing:
        raise DatabaseError(
            Diagnostic(
                code="E404",
                message=f"the database has no table {', '.join(missing)}",
                hint="run 'seedspec apply --create' to create the tables first",
            )
        )


def apply(
    spec: LoadedSpec,
    bind: Bind,
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
    shards: int | None = None,
    defer_indexes: bool = False,
    engine: str = "local",
) -> Report:
    """First-or-create every row of the spec in one transaction; returns what was done.

    With an ``Engine``, seedspec opens a connection and commits its own transaction. With a
    caller's ``Connection`` or ``Session``, it works in a SAVEPOINT inside the caller's
    transaction (begun if none is open): on success the rows are there but uncommitted (the
    caller commits or rolls back); on failure only seedspec's work is rolled back and the error
    raised, the caller's transaction staying usable. A Session's pending changes are flushed
    first. With ``saved_plan`` (the JSON of ``seedspec plan --out``), refuse to write unless applying
    would do exactly what that plan said. ``workers`` processes draw Faker values ahead of the
    writes (default: one per core; 0: none); the rows are the same whatever the number.
    ``selection`` applies only some steps (and what they depend on); ``reset`` first empties
    the tables those steps write, in the same transaction. A database matching one of the
    spec's ``protect:`` patterns or of ``protect`` is refused unless ``force``. ``prune`` also
    removes, in the same transaction, the rows the spec owns and no longer declares (see
    ``database.pruning`` for what is refused; ``force`` lifts the half-of-a-table bound).
    ``shards`` (2 or more, PostgreSQL, an Engine) loads each step that can be sharded in that
    many processes, each COPYing its range over its own connection in its own transaction: the
    apply is then several transactions, and a failed or killed one is finished by running it
    again (``database.parallel``; docs/guarantees.md). A step that cannot be sharded runs
    serially and the report's ``notes`` say why. ``engine`` "ray" runs the other shards as the
    tasks of a Ray cluster (``RAY_ADDRESS``, else a local one; ``seedspec[ray]``; ``shards``
    defaults to its CPUs; ``api.rayapply``). ``defer_indexes`` (PostgreSQL) drops the
    secondary indexes of a table empty when a step starts and rebuilds them after the step
    (``database.indexes``); every apply first rebuilds those a killed run left dropped.

    Raises:
        SpecInvalid: the spec or the selection is invalid (nothing is written).
        DatabaseError: the database is protected, unreachable, refused a row, or the saved
            plan is stale (everything is rolled back); E725, ``create`` in a caller's
            transaction on MySQL/MariaDB (refused before anything runs).
        ValueError: ``saved_plan`` and ``reset`` together (a reset changes what the plan saw);
            ``prune`` with any of ``saved_plan``, ``reset`` or ``selection``; ``shards`` below
            1, or above 1 (or Ray) with a caller's Connection or Session; an unknown ``engine``.
    """
    if saved_plan is not None and reset:
        raise ValueError("a saved plan describes the database before a reset: use one or the other")
    if prune and (saved_plan is not None or reset or selection is not None):
        raise ValueError("prune needs the whole spec, without a saved plan, a reset or a selection")
    if (
        engine not in APPLY_ENGINES
        or (shards is not None and shards < 1)
        or (sharded(shards, engine) and not owns(bind))
    ):
        raise ValueError(
            "shards must be 1 or more, and above 1 (or on Ray) needs an Engine (it commits as it "
            f"goes); engine one of {APPLY_ENGINES}"
        )
    if engine == "ray":
        require_extra("", engine)
    from seedspec.database import indexes
    from seedspec.database.emptying import reset_tables
    from seedspec.database.locks import one_apply_at_a_time
    from seedspec.database.writer import apply_plan

    raise_for_errors(validate(spec))
    action = "reset and apply to" if reset else "apply and prune" if prune else "apply to"
    refuse_protected(spec, bind, protect, action, force=force)
    if create:
        _refuse_ddl_in_callers_transaction(bind)
    # tables created by --create belong to the same transaction: a failed apply leaves no empty
    # tables behind (MySQL commits DDL implicitly; there they stay)
    with (
        linked(bind) as link,
        spec_errors(spec, writing="apply"),
        one_apply_at_a_time(link.connection, own_transaction=link.owned),
        _state_table(link, needed=prune),
        segments(link) if sharded(shards, engine) else transaction(link),
        ExitStack() as cluster,
    ):
        connection = link.connection
        metadata = table_definitions(spec, connection, create=create)
        full = compile(spec, metadata, connection.dialect.name, validated=True)
        targets = _reset_steps(full, selection) if reset else ()
        execution = selected(full, _refilling(full, selection, targets), spec)
        if saved_plan is not None:
            check_saved_plan(saved_plan, execution, connection, metadata)
        emptied = reset_tables(connection, targets) if reset else ()
        restored = indexes.restore(connection)
        declared: dict[str, list[Any]] | None = {} if prune or _tracked(connection, execution, None) else None
        tracked = declared is not None
        parallel, notes = parallel_load(execution, connection, shards, engine, cluster, tracked=tracked)
        report = apply_plan(
            execution,
            connection,
            metadata,
            progress=progress,
            workers=workers,
            declared=declared,
            parallel=parallel,
            defer_indexes=defer_indexes,
        )
        if restored:
            notes += (f"{restored} indexes that an interrupted apply had dropped were rebuilt first",)
        report = dataclasses.replace(report, notes=notes + report.notes)
        if declared is not None:
            report = reconcile(
                spec,
                execution,
                connection,
                report,
                declared,
                complete=selection is None,
                prune=prune,
                force=force,
            )
        return dataclasses.replace(report, reset=emptied)


def _tracked(connection: Connection, execution: Plan, selection: Selection | None) -> bool:
    """Whether this run records or reads ownership: the whole spec, in a database where
    pruning is in use (the state table exists) or with an ``exact`` table."""
    from seedspec.database import provenance

    return selection is None and (any(s.exact for s in execution.steps) or provenance.exists(connection))


@contextmanager
def _state_table(link: Link, *, needed: bool) -> Iterator[None]:
    """Create the state table before the apply's transaction when a prune needs it: MySQL and
    MariaDB commit at CREATE TABLE, so it cannot be part of that transaction (E743 in a
    caller's transaction there)."""
    from seedspec.database import provenance

    connection = link.connection
    if needed and link.owned:
        provenance.ensure(connection)
        connection.commit()  # the inspection began a transaction: the apply begins its own
    elif needed and connection.dialect.name in ("mysql", "mariadb") and not provenance.exists(connection):
        raise DatabaseError(
            Diagnostic(
                code="E743",
                message=f"apply(prune=True) cannot create the table {provenance.STATE_TABLE} in the "
                "transaction of your connection on MySQL/MariaDB: CREATE TABLE would commit it",
                hint="nothing was run; prune once with an Engine (seedspec commits its own work), "
                "then prune in your transaction",
            )
        )
    yield


def reconcile(
    spec: LoadedSpec,
    execution: Plan,
    connection: Connection,
    report: Report,
    declared: dict[str, list[Any]],
    *,
    complete: bool = True,
    prune: bool = False,
    force: bool = False,
) -> Report:
    """Record what the spec owns (not in a dry run), list what it no longer declares and, with
    ``prune``, remove that after the guardrails passed. ``complete``: every step ran."""
    from seedspec.database import provenance, pruning

    settings = spec.document.get("settings") or {}
    spec_id = provenance.spec_identity(spec.path, settings if isinstance(settings, dict) else {})
    steps = {s.id: s for s in execution.steps}
    keys = {
        step: provenance.StepKeys(table=steps[step].table, columns=steps[step].key, keys=found)
        for step, found in declared.items()
    }
    present = provenance.exists(connection)
    if prune and not present:  # a caller's transaction: DDL is transactional here (E743 elsewhere)
        provenance.ensure(connection)
        present = True
    if present and not report.dry_run:
        provenance.record(connection, spec_id, keys)
    if not complete:
        return report
    owned = provenance.owned(connection, spec_id) if present else []
    casefold = connection.dialect.name in ("mysql", "mariadb")
    pending = pruning.pending_removals(owned, keys, casefold=casefold)
    seen = {(r.table, r.key_json) for r in pending}
    pending += [
        r
        for r in pruning.undeclared_in_exact_tables(connection, execution, keys, casefold=casefold)
        if (r.table, r.key_json) not in seen
    ]
    if prune and pending:
        pruning.refuse_unsafe(connection, execution, owned, pending, keys, force=force)
        pruning.remove(connection, pending)
        provenance.forget(connection, spec_id, pending)
    return dataclasses.replace(report, removals=pruning.as_removals(pending), pruned=prune)


def _refuse_ddl_in_callers_transaction(bind: Bind) -> None:
    """MySQL and MariaDB commit the open transaction at any CREATE TABLE: ``create`` inside a
    caller's transaction would commit the caller's work (E725, before anything runs)."""
    backend = bind_url(bind).get_backend_name()
    if owns(bind) or backend not in ("mysql", "mariadb"):
        return
    kind = "Connection" if isinstance(bind, Connection) else "Session"
    raise DatabaseError(
        Diagnostic(
            code="E725",
            message=f"apply(create=True) cannot run in the transaction of your {kind} on {backend}: "
            "CREATE TABLE would commit it (MySQL and MariaDB commit DDL implicitly)",
            hint="nothing was run; pass an Engine, which seedspec commits itself, or create the tables "
            "first (apply(spec, engine, create=True) once) and apply in your transaction without create",
        )
    )


def reset(
    spec: LoadedSpec,
    bind: Bind,
    *,
    selection: Selection | None = None,
    force: bool = False,
    protect: Sequence[Pattern] = (),
) -> Report:
    """Empty exactly the tables the spec (or its ``selection``) writes, children first, and
    restart their id counters; returns a report whose ``reset`` lists the rows removed.

    On a caller's ``Connection`` or ``Session`` the rows are removed in a SAVEPOINT of the
    caller's transaction, as ``apply`` does; MySQL/MariaDB id counters are then left as they
    are (restarting them is DDL, which would commit the caller's transaction).

    Raises:
        SpecInvalid: the spec or the selection is invalid.
        DatabaseError: the database is protected (see ``apply``), unreachable, or a table the
            spec does not write has rows referring to one it would empty (nothing is removed).
    """
    from seedspec.database.emptying import reset_tables, restart_mysql_counters
    from seedspec.database.locks import one_apply_at_a_time

    raise_for_errors(validate(spec))
    refuse_protected(spec, bind, protect, "reset", force=force)
    with (
        linked(bind) as link,
        spec_errors(spec, writing="reset"),
        one_apply_at_a_time(link.connection, own_transaction=link.owned),
    ):
        connection = link.connection
        with transaction(link):
            full = compile(spec, table_definitions(spec, connection), connection.dialect.name, validated=True)
            emptied = reset_tables(connection, _reset_steps(full, selection))
        if link.owned:
            restart_mysql_counters(connection, tuple(table for table, _ in emptied))
    url = shown_url(bind_url(bind))
    return Report(spec=str(spec.path), database=url, steps=(), reset=emptied)
