"""The public Python API: load, validate, compile, plan and apply a spec.

These functions take objects (paths, engines, connections, sessions), never read the environment
and never print; the CLI is a thin shell over them. Where they touch a database they take a
``Bind``: an ``Engine`` (seedspec opens a connection and owns its transaction) or a caller's
``Connection`` or ``Session`` (seedspec works inside the caller's transaction, never commits it).
"""

from __future__ import annotations

import dataclasses
import json
import os
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from seedspec.catalog import Catalog
from seedspec.compiler.selection import Selection, select_steps, selected_steps
from seedspec.database import tables
from seedspec.database.guard import Pattern, matching, refuse
from seedspec.errors import (
    DatabaseError,
    Diagnostic,
    Location,
    SeedspecError,
    Severity,
    SpecInvalid,
    database_reason,
    masked,
)
from seedspec.ir import BUILD_DIALECTS, BUILD_FORMATS, BuildReport, Plan, Report, Step
from seedspec.spec.loader import LoadedSpec, load_spec
from seedspec.spec.profiles import with_profile
from seedspec.spec.validation import validate_document

# What validate never needs is imported where it is used: the writer, build, init's and new's
# modules, and the ORM (a Session is told apart as the Bind that is neither Engine nor Connection).
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from seedspec.database.writer import Progress
    from seedspec.scaffold import draft_spec as introspect
    from seedspec.scaffold import guess as scaffold

    Bind: TypeAlias = Engine | Connection | Session
    """Where seedspec reads and writes: an ``Engine``, or a caller's ``Connection`` or ``Session``."""
else:

    def __getattr__(name: str) -> Any:
        """``Bind``, made when first read: it names the ORM's ``Session``."""
        if name != "Bind":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from sqlalchemy.orm import Session

        globals()["Bind"] = bind = Engine | Connection | Session
        return bind


def load(
    path: Path | str,
    env: Mapping[str, str] | None = None,
    *,
    params: Mapping[str, str] | None = None,
    scale: float | None = None,
) -> LoadedSpec:
    """Load a YAML or TOML spec and its includes; ``env`` feeds ``${VAR}`` interpolation.

    ``params`` override the spec's ``params:`` defaults (text, read as YAML scalars, as
    ``--set name=value`` gives them) and ``scale`` multiplies its top-level counts.

    Raises:
        SpecInvalid: the spec cannot be loaded, or an override names no parameter or has the
            wrong type.
    """
    return with_profile(load_spec(Path(path), env or {}), params or {}, scale)


def validate(spec: LoadedSpec, catalog: Catalog | None = None) -> tuple[Diagnostic, ...]:
    """Every diagnostic of a loaded spec; with a catalog, tables and columns are checked too."""
    return validate_document(spec.document, spec.source_map, catalog, spec.path.parent)


def check(spec: LoadedSpec, database: Engine | None = None) -> tuple[Diagnostic, ...]:
    """Every diagnostic of a spec in one pass; tables and columns are checked too when the spec
    has ``tables:`` or a ``database`` is given (the only case where this connects)."""
    try:
        catalog = known_tables(spec, database)
    except SeedspecError as exc:
        return tuple(_located(d, spec) for d in exc.diagnostics) + validate(spec)
    return validate(spec, catalog)


def known_tables(spec: LoadedSpec, database: Engine | None = None) -> Catalog | None:
    """The tables a spec may use, from ``database`` if given, else from its ``tables:`` source;
    None when neither says (reflection needs a database)."""
    if database is not None:
        with connect(database) as conn:
            return tables.catalog_from_metadata(table_definitions(spec, conn), conn.dialect.name)
    source = spec.document.get("tables")
    if isinstance(source, dict) and any(isinstance(source.get(k), str) for k in ("models", "ddl")):
        return tables.catalog_from_metadata(table_definitions(spec, None))
    return None


def project_schema(spec: LoadedSpec, database: Engine | None = None) -> dict[str, Any]:
    """The JSON Schema narrowed to this spec's names (and tables, from ``tables:`` or ``database``)."""
    from seedspec.spec.project_schema import schema_for

    return schema_for(spec.document, known_tables(spec, database))


def raise_for_errors(diagnostics: tuple[Diagnostic, ...]) -> None:
    """Raise ``SpecInvalid`` when any diagnostic is an error."""
    errors = tuple(d for d in diagnostics if d.severity is Severity.ERROR)
    if errors:
        raise SpecInvalid(errors)


def database_url(spec: LoadedSpec, override: str | None = None) -> str:
    """``override``, else the spec's ``database.url``, else a SQLite file next to the spec.

    A relative SQLite path written in the spec is relative to the spec file.
    """
    if override:
        return override
    url = spec.document.get("database", {}).get("url")
    if not isinstance(url, str):
        return f"sqlite:///{spec.path.with_suffix('.db')}"
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        db_path = Path(parsed.database)
        if not db_path.is_absolute():
            return parsed.set(database=str(spec.path.parent / db_path)).render_as_string(hide_password=False)
    return url


def create_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite connections enforce foreign keys and support SAVEPOINT."""
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError, ValueError) as exc:
        raise DatabaseError(
            Diagnostic(
                code="E400",
                message=f"invalid database URL: {masked(str(exc))}",
                hint="for example sqlite:///dev.db or postgresql+psycopg://user@host/db",
            )
        ) from exc
    if engine.dialect.name == "sqlite":
        _sqlite_transactions(engine)
    return engine


def _sqlite_transactions(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy's documented recipe.
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def connect(engine: Engine) -> Connection:
    """Open a connection, turning a failure into a located, password-free ``DatabaseError``."""
    try:
        return engine.connect()
    except sa.exc.DBAPIError as exc:
        url = engine.url.render_as_string(hide_password=True)
        reason = database_reason(exc)
        raise DatabaseError(
            Diagnostic(
                code="E401",
                message=f"cannot connect to {url}: {reason}",
                hint="check that the server runs and the URL is right "
                "(--database-url, DATABASE_URL or database.url in the spec)",
            )
        ) from exc


@dataclasses.dataclass(frozen=True, slots=True)
class _Link:
    """The connection seedspec works on; ``owned`` when seedspec opened it (from an Engine)."""

    connection: Connection
    owned: bool


_OWNED: weakref.WeakSet[Connection] = weakref.WeakSet()


@contextmanager
def _owning(connection: Connection) -> Iterator[Connection]:
    """Treat ``connection`` as one seedspec opened from an Engine (its transactions are
    seedspec's): the sync side of an ``AsyncEngine``'s connection, in ``aio``."""
    _OWNED.add(connection)
    try:
        yield connection
    finally:
        _OWNED.discard(connection)


def _owns(bind: Bind) -> bool:
    """Whether seedspec works on ``bind`` in transactions of its own (not a caller's)."""
    return isinstance(bind, Engine) or (isinstance(bind, Connection) and bind in _OWNED)


@contextmanager
def _linked(bind: Bind) -> Iterator[_Link]:
    """The connection of ``bind``: a new one from an Engine (closed afterwards), the caller's
    own, or the one of a Session's transaction (its pending changes flushed first, so seedspec
    sees them)."""
    if isinstance(bind, Engine):
        with connect(bind) as connection:
            yield _Link(connection, owned=True)
    elif isinstance(bind, Connection):
        yield _Link(bind, owned=_owns(bind))
    else:
        bind.flush()
        yield _Link(bind.connection(), owned=False)


def _bind_url(bind: Bind) -> URL:
    if isinstance(bind, Engine):
        return bind.url
    if isinstance(bind, Connection):
        return bind.engine.url
    engine = bind.get_bind()
    return engine.url if isinstance(engine, Engine) else engine.engine.url


@contextmanager
def _transaction(link: _Link) -> Iterator[None]:
    """seedspec's unit of work on ``link``: on its own connection, a transaction committed on
    success; on a caller's, a SAVEPOINT in the caller's transaction (begun if none is open),
    released on success and rolled back on failure. The caller's transaction is never
    committed nor rolled back: that stays the caller's to do."""
    connection = link.connection
    if link.owned:
        with connection.begin():
            _driver_transaction(connection)
            yield
        return
    if not connection.in_transaction():
        connection.begin()  # the caller's transaction from now on, as autobegin would start it
    _driver_transaction(connection)
    with connection.begin_nested():
        yield


def _driver_transaction(connection: Connection) -> None:
    """Make SQLite's driver open the transaction SQLAlchemy has begun.

    pysqlite and aiosqlite open it lazily, at the first write (unless the engine comes from
    ``create_engine`` here): a SAVEPOINT issued before would be the outermost one, and releasing
    it would commit.
    """
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if not getattr(driver, "in_transaction", True):
            connection.exec_driver_sql("BEGIN")


def table_definitions(
    spec: LoadedSpec, connection: Connection | None, *, create: bool = False
) -> sa.MetaData:
    """Table definitions from ``tables:`` (models or DDL) or, by default, the live database.

    With ``create``, missing tables are created from the models (create_all) or the DDL file.
    """
    source = spec.document.get("tables", {})
    location = spec.source_map.locate("/tables/" + next(iter(source), ""), value=True)
    if "models" in source:
        metadata = tables.import_metadata(source["models"], spec.path.parent, location)
        if create and connection is not None:
            try:
                metadata.create_all(connection)
            except sa.exc.InvalidRequestError as exc:  # e.g. a foreign key to an undefined table
                raise SpecInvalid(
                    Diagnostic(
                        code="E320",
                        message=f"the table models cannot be created: {exc}",
                        location=location,
                        pointer="/tables/models",
                        hint="fix the models module: every foreign key must name a defined table",
                    )
                ) from exc
        return metadata
    if connection is None:
        return _ddl_in_memory(spec) if "ddl" in source else sa.MetaData()
    if "ddl" in source and create:
        needed = {f.get("table") for f in spec.document.get("factories", {}).values()}
        present = set(sa.inspect(connection).get_table_names())
        if not needed <= present:
            tables.run_ddl(connection, spec.path.parent / source["ddl"], location)
    return tables.reflect(connection)


def _ddl_in_memory(spec: LoadedSpec) -> sa.MetaData:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        tables.run_ddl(
            conn,
            spec.path.parent / spec.document["tables"]["ddl"],
            spec.source_map.locate("/tables/ddl", value=True),
        )
        return tables.reflect(conn)


def compile(spec: LoadedSpec, metadata: sa.MetaData, dialect: str | None = None) -> Plan:
    """Validate against the tables of ``metadata`` and compile the execution plan; ``dialect``
    names the database the plan is for (which foreign key checks can wait until commit).

    Raises:
        SpecInvalid: with every error found.
    """
    from seedspec.compiler.steps import compile_spec

    catalog = tables.catalog_from_metadata(metadata, dialect)
    raise_for_errors(validate(spec, catalog))
    return compile_spec(spec.document, catalog, str(spec.path), spec.source_map)


def plan(spec: LoadedSpec, bind: Bind | None = None, *, selection: Selection | None = None) -> Plan:
    """The execution plan of a spec; tables from ``tables:`` or the database of ``bind``.

    With a ``selection``, only the selected steps and what they depend on.
    """
    raise_for_errors(validate(spec))
    if bind is None:
        return _selected(compile(spec, table_definitions(spec, None)), selection, spec)
    with _linked(bind) as link:
        metadata = table_definitions(spec, link.connection)
        return _selected(compile(spec, metadata, link.connection.dialect.name), selection, spec)


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


def _selected(execution: Plan, selection: Selection | None, spec: LoadedSpec) -> Plan:
    if selection is None:
        return execution
    with _spec_errors(spec):
        return select_steps(execution, selection)


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
    with _linked(bind) as link:
        connection = link.connection
        metadata = table_definitions(spec, connection)
        execution = _selected(compile(spec, metadata, connection.dialect.name), selection, spec)
        _require_tables(execution, connection)
        with (
            _spec_errors(spec),
            connection.begin_nested() if connection.in_transaction() else connection.begin() as tx,
        ):
            report = apply_plan(execution, connection, metadata, dry_run=True)
            tx.rollback()  # a dry run only reads; never keep anything
            return execution, report


def _require_tables(execution: Plan, connection: Connection) -> None:
    """Models describe tables the database may not have yet."""
    present = set(sa.inspect(connection).get_table_names())
    missing = sorted({step.table for step in execution.steps} - present)
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
    spec's ``protect:`` patterns or of ``protect`` is refused unless ``force``.

    Raises:
        SpecInvalid: the spec or the selection is invalid (nothing is written).
        DatabaseError: the database is protected, unreachable, refused a row, or the saved
            plan is stale (everything is rolled back); E725, ``create`` in a caller's
            transaction on MySQL/MariaDB (refused before anything runs).
        ValueError: ``saved_plan`` and ``reset`` together (a reset changes what the plan saw).
    """
    if saved_plan is not None and reset:
        raise ValueError("a saved plan describes the database before a reset: use one or the other")
    from seedspec.database.emptying import reset_tables
    from seedspec.database.locks import one_apply_at_a_time
    from seedspec.database.writer import apply_plan

    raise_for_errors(validate(spec))
    _guard(spec, bind, protect, "reset and apply to" if reset else "apply to", force=force)
    if create:
        _refuse_ddl_in_callers_transaction(bind)
    # tables created by --create belong to the same transaction: a failed apply leaves no empty
    # tables behind (MySQL commits DDL implicitly; there they stay)
    with (
        _linked(bind) as link,
        _spec_errors(spec, writing="apply"),
        one_apply_at_a_time(link.connection, own_transaction=link.owned),
        _transaction(link),
    ):
        connection = link.connection
        metadata = table_definitions(spec, connection, create=create)
        full = compile(spec, metadata, connection.dialect.name)
        targets = _reset_steps(full, selection) if reset else ()
        execution = _selected(full, _refilling(full, selection, targets), spec)
        if saved_plan is not None:
            _check_saved_plan(saved_plan, execution, connection, metadata)
        emptied = reset_tables(connection, targets) if reset else ()
        report = apply_plan(execution, connection, metadata, progress=progress, workers=workers)
        return dataclasses.replace(report, reset=emptied)


def _refuse_ddl_in_callers_transaction(bind: Bind) -> None:
    """MySQL and MariaDB commit the open transaction at any CREATE TABLE: ``create`` inside a
    caller's transaction would commit the caller's work (E725, before anything runs)."""
    backend = _bind_url(bind).get_backend_name()
    if _owns(bind) or backend not in ("mysql", "mariadb"):
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


def build(
    spec: LoadedSpec,
    format: str,
    *,
    dialect: str = "sqlite",
    out: Path | str | None = None,
    stream: TextIO | None = None,
    database: Engine | None = None,
    selection: Selection | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    force: bool = False,
) -> BuildReport:
    """Write the rows ``apply`` would create in an empty ``dialect`` database, without one.

    ``format`` is json, jsonl, csv or sql (INSERTs for ``dialect``: sqlite, postgresql, mysql or
    mariadb). With ``out``, a directory, each table gets a file (SQL: ``seed.sql``), and files
    already there are kept (E717) unless ``force``; else everything goes to ``stream`` (not for
    csv). Rows are written as they are generated. Table definitions come from the spec's
    ``tables:``, else are reflected from ``database`` (the only case where this connects).
    ``after_create`` hooks do not run: the report lists their steps.

    Raises:
        SpecInvalid: the spec or the selection is invalid.
        SeedspecError: E710 to E717 (no table definitions, csv without a directory, an output
            that cannot be written, values only a database knows, files that would be
            overwritten); partial files are removed.
        ValueError: an unknown ``format`` or ``dialect``, or neither ``out`` nor ``stream``.
    """
    if format not in BUILD_FORMATS or dialect not in BUILD_DIALECTS:
        raise ValueError(f"format must be one of {BUILD_FORMATS} and dialect one of {BUILD_DIALECTS}")
    if format == "csv" and out is None:
        hint = "give a directory: seedspec build SPEC --format csv -o DIR"
        message = "--format csv needs a directory: it writes one file per table"
        raise SeedspecError(Diagnostic(code="E711", message=message, hint=hint))
    if out is None and stream is None:
        raise ValueError("build needs a directory (out) or a stream to write to")
    from seedspec.output.builder import build_plan, hooked_steps, written_columns
    from seedspec.output.formats import file_names, open_output

    raise_for_errors(validate(spec))
    metadata = _tables_to_build(spec, database)
    execution = _selected(compile(spec, metadata, dialect), selection, spec)
    hooks = hooked_steps(execution)
    notes = [f"seedspec build of {spec.path.name} for {dialect}: load into empty tables"]
    if hooks:
        notes.append(f"after_create hooks do not run in build (no database): steps {', '.join(hooks)}")
    directory = Path(out) if out is not None else None
    columns = written_columns(execution, metadata)
    if directory is not None and not force:
        _keep_files(directory, file_names(format, columns))
    with _spec_errors(spec), _writing(directory or Path("<stdout>")):
        output = open_output(
            format,
            columns,
            directory=directory,
            stream=stream,
            dialect=dialect,
            notes=notes,
        )
        try:
            steps = build_plan(
                execution, metadata, output, dialect=dialect, progress=progress, workers=workers
            )
            files = output.close()
        except BaseException:
            output.abort()
            raise
    return BuildReport(
        spec=str(spec.path),
        format=format,
        dialect=dialect,
        destination=str(directory) if directory is not None else "stdout",
        steps=steps,
        files=tuple(map(str, files)),
        hooks_not_run=hooks,
    )


def default_dialect(spec: LoadedSpec, override: str | None = None) -> str:
    """The dialect ``build`` writes for by default: that of the database ``apply`` would use
    (``database_url``), when build knows it, else sqlite. Nothing connects."""
    try:
        backend = make_url(database_url(spec, override)).get_backend_name()
    except sa.exc.ArgumentError:
        return "sqlite"
    return backend if backend in BUILD_DIALECTS else "sqlite"


def _tables_to_build(spec: LoadedSpec, database: Engine | None) -> sa.MetaData:
    """The spec's ``tables:``, else the tables of ``database``; E710 when there is neither."""
    source = spec.document.get("tables")
    if isinstance(source, dict) and any(isinstance(source.get(k), str) for k in ("models", "ddl")):
        return table_definitions(spec, None)
    if database is not None:
        with connect(database) as conn, _spec_errors(spec):
            return table_definitions(spec, conn)
    raise SeedspecError(
        Diagnostic(
            code="E710",
            message="build needs table definitions, and the spec has no 'tables:'",
            location=spec.source_map.locate(""),
            hint="add 'tables: {models: package.module:Base}' or 'tables: {ddl: schema.sql}' to the spec, "
            "or pass --database-url of a database that has the tables (it is only read)",
        )
    )


def _keep_files(directory: Path, names: Sequence[str]) -> None:
    """E717: the build would overwrite files in ``directory``."""
    there = [name for name in names if (directory / name).exists()]
    if there:
        shown = ", ".join(there[:3]) + (f" and {len(there) - 3} more" if len(there) > 3 else "")
        raise SeedspecError(
            Diagnostic(
                code="E717",
                message=f"{directory} already holds {shown}; nothing was written",
                hint="pass --force to overwrite them, or choose another directory with -o",
            )
        )


@contextmanager
def _writing(destination: Path) -> Iterator[None]:
    """A file that cannot be written is E712 (a reader leaving a pipe is not an error here)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise SeedspecError(
            Diagnostic(
                code="E712",
                message=f"cannot write the build to {destination}: {exc}",
                hint="choose a directory you can write to (-o DIR), with space left",
            )
        ) from exc


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
    _guard(spec, bind, protect, "reset", force=force)
    with (
        _linked(bind) as link,
        _spec_errors(spec, writing="reset"),
        one_apply_at_a_time(link.connection, own_transaction=link.owned),
    ):
        connection = link.connection
        with _transaction(link):
            full = compile(spec, table_definitions(spec, connection), connection.dialect.name)
            emptied = reset_tables(connection, _reset_steps(full, selection))
        if link.owned:
            restart_mysql_counters(connection, tuple(table for table, _ in emptied))
    url = _bind_url(bind).render_as_string(hide_password=True)
    return Report(spec=str(spec.path), database=url, steps=(), reset=emptied)


def protected_by(spec: LoadedSpec, url: str, protect: Sequence[Pattern] = ()) -> Pattern | None:
    """The first of the spec's ``protect:`` patterns, then of ``protect``, matching ``url``."""
    declared = spec.document.get("protect", [])
    texts = [declared] if isinstance(declared, str) else list(declared)
    pointers = ["/protect"] if isinstance(declared, str) else [f"/protect/{i}" for i in range(len(texts))]
    own = [
        Pattern(
            text=text,
            origin="protect: in the spec",
            location=spec.source_map.locate(ptr, value=True),
            pointer=ptr,
        )
        for text, ptr in zip(texts, pointers, strict=True)
    ]
    return matching(url, [*own, *protect])


def _guard(spec: LoadedSpec, bind: Bind, protect: Sequence[Pattern], action: str, *, force: bool) -> None:
    url = _bind_url(bind).render_as_string(hide_password=False)
    pattern = protected_by(spec, url, protect)
    if pattern is not None and not force:
        raise refuse(url, pattern, action)


def read_saved_plan(path: Path) -> dict[str, Any]:
    """The JSON of a plan saved by ``seedspec plan --out``.

    Raises:
        SeedspecError: E406, the file is unreadable or not a plan.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SeedspecError(_unreadable_plan(f"cannot read saved plan {path}: {exc}")) from exc
    if not isinstance(data, dict):
        raise SeedspecError(_unreadable_plan(f"{path} is not a seedspec plan"))
    return data


def _unreadable_plan(message: str) -> Diagnostic:
    hint = "write one with 'seedspec plan SPEC --out plan.json'"
    return Diagnostic(code="E406", message=message, hint=hint)


def library_drift(plan_path: Path) -> tuple[Diagnostic, ...]:
    """W404 for every library (Faker) whose version differs from the one a saved plan recorded:
    values drawn from it may differ from what that plan, and the rows it created, hold."""
    from seedspec.compiler.planfile import version_drift
    from seedspec.compiler.steps import library_versions

    saved = read_saved_plan(plan_path)
    text = plan_path.read_text(encoding="utf-8")
    return tuple(
        Diagnostic(
            code="W404",
            severity=Severity.WARNING,
            location=_json_key_location(text, str(plan_path), "versions", lib),
            pointer=f"/versions/{lib}",
            message=f"{plan_path.name} was made with {lib} {then or '(not recorded)'}; this is {lib} {now}",
            hint=f"values drawn from {lib} may differ from that plan's: re-plan and review "
            f"(seedspec plan --out), or install {lib}=={then}"
            if then
            else "re-plan with this seedspec (seedspec plan --out) and review",
        )
        for lib, then, now in version_drift(saved, library_versions())
    )


def _json_key_location(text: str, file: str, section: str, key: str) -> Location:
    """Where ``"key"`` appears after ``"section"`` in a JSON text (its start if absent)."""
    start = text.find(f'"{section}"')
    at = text.find(f'"{key}"', max(start, 0))
    at = at if at >= 0 else max(start, 0)
    line = text.count("\n", 0, at) + 1
    return Location(file=file, line=line, column=at - (text.rfind("\n", 0, at) + 1) + 1)


def _check_saved_plan(
    saved: Mapping[str, Any], execution: Plan, connection: Connection, metadata: sa.MetaData
) -> None:
    from seedspec.compiler.planfile import staleness
    from seedspec.database.writer import apply_plan
    from seedspec.report.render import report_json

    with connection.begin_nested() as savepoint:
        report = apply_plan(execution, connection, metadata, dry_run=True)
        savepoint.rollback()
    reason = staleness(saved, execution, json.loads(report_json(report)))
    if reason is not None:
        raise DatabaseError(
            Diagnostic(
                code="E405",
                message=f"the saved plan is stale: {reason}",
                hint="run 'seedspec plan --out' again, review it, then apply that plan",
            )
        )


_ROLLED_BACK = {
    "apply": "nothing was written: the whole apply was rolled back",
    "reset": "nothing was removed: the reset was rolled back",
}


@contextmanager
def _spec_errors(spec: LoadedSpec, *, writing: str | None = None) -> Iterator[None]:
    """Diagnostics raised inside get the spec's file:line; while ``writing`` ("apply" or
    "reset"), a database failure becomes E403."""
    try:
        yield
    except SeedspecError as exc:
        raise type(exc)(tuple(_located(d, spec) for d in exc.diagnostics)) from exc
    except sa.exc.DBAPIError as exc:
        if writing is None:
            raise
        raise DatabaseError(
            Diagnostic(
                code="E403",
                message=f"the database failed during {writing}: {database_reason(exc)}",
                hint=_ROLLED_BACK[writing],
            )
        ) from exc


def _located(d: Diagnostic, spec: LoadedSpec) -> Diagnostic:
    if d.location is not None or not d.pointer:
        return d
    return dataclasses.replace(d, location=spec.source_map.locate(d.pointer, value=True))


def new_spec(path: Path | str, *, force: bool = False) -> tuple[Path, ...]:
    """Write the commented starter spec ``path`` and the ``schema.sql`` it uses; returns the files.

    Raises:
        SeedspecError: E800, a file exists (unless ``force``); E801, ``path`` is not YAML.
    """
    from seedspec.scaffold import starter

    return starter.write(Path(path), force=force)


def new_factory(
    spec_path: Path | str,
    table: str,
    name: str | None = None,
    *,
    database: Engine | None = None,
    env: Mapping[str, str] | None = None,
    write: bool = True,
) -> scaffold.Scaffolded:
    """Add a factory for ``table``, guessed from its columns, to the spec file, keeping its text.

    The table comes from ``database`` (reflected) if given, else from the spec's ``tables:``,
    else from the database ``apply`` would use (``env`` gives ``DATABASE_URL`` and ``${VAR}``).
    ``name`` defaults to the table's singular (``blog_posts`` -> ``blog_post``). With
    ``write=False`` the file is left alone.

    Raises:
        SeedspecError: E802 to E807 (no such spec, a bad or taken name, an unknown table, no table
            definitions, a text that cannot be extended); the file is untouched.
    """
    from seedspec.scaffold import guess as scaffold
    from seedspec.scaffold import text as scaffold_text

    path = Path(spec_path)
    if not path.is_file():
        hint = "create one with 'seedspec new spec', or pass the spec's path with --spec"
        raise SeedspecError(Diagnostic(code="E802", message=f"there is no spec {path}", hint=hint))
    spec = load(path, env)
    factories = {n: f for n, f in spec.document.get("factories", {}).items() if isinstance(f, dict)}
    if name is not None and (problem := scaffold.check_name(name, ())) is not None:
        raise SeedspecError(problem)
    metadata, source = _tables_to_scaffold(spec, database, env or {})
    if table not in metadata.tables:
        raise SeedspecError(scaffold.unknown_table(table, metadata.tables, source))
    name = name or scaffold.factory_name(table)
    if (problem := scaffold.check_name(name, factories)) is not None:
        where = spec.source_map.locate(problem.pointer)  # the name's line, not its body's
        raise SeedspecError(dataclasses.replace(problem, location=where))
    by_table = {str(f.get("table")): n for n, f in reversed(factories.items())}
    draft = scaffold.guess_factory(metadata.tables[table], name, by_table)
    raw = path.read_bytes().decode("utf-8")
    newline = "\r\n" if "\r\n" in raw else "\n"
    text, block = scaffold_text.append_factory(
        raw.replace("\r\n", "\n"), draft, toml=path.suffix == ".toml", file=str(path)
    )
    if write:
        path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return scaffold.Scaffolded(path=path, draft=draft, block=block, written=write)


def _tables_to_scaffold(
    spec: LoadedSpec, database: Engine | None, env: Mapping[str, str]
) -> tuple[sa.MetaData, str]:
    """The tables ``new_factory`` may draft from, and where they came from (for messages)."""
    if database is not None:
        with connect(database) as conn:
            return _some_tables(tables.reflect(conn), database.url.render_as_string(hide_password=True))
    source = spec.document.get("tables")
    if isinstance(source, dict) and any(isinstance(source.get(k), str) for k in ("models", "ddl")):
        kind = "models" if "models" in source else "ddl"
        return _some_tables(table_definitions(spec, None), f"tables.{kind} ({source[kind]})")
    engine = create_engine(database_url(spec, env.get("DATABASE_URL")))
    where = engine.url.render_as_string(hide_password=True)
    try:
        if engine.url.get_backend_name() == "sqlite" and not Path(engine.url.database or "").is_file():
            missing = f"the spec has no 'tables:' and its database {where} does not exist"
            raise SeedspecError(_no_tables(missing))
        with connect(engine) as conn:
            return _some_tables(tables.reflect(conn), where)
    finally:
        engine.dispose()


def _some_tables(metadata: sa.MetaData, source: str) -> tuple[sa.MetaData, str]:
    if not metadata.tables:
        raise SeedspecError(_no_tables(f"{source} has no tables"))
    return metadata, source


def _no_tables(reason: str) -> Diagnostic:
    return Diagnostic(
        code="E806",
        message=f"no table definitions to draft a factory from: {reason}",
        hint="pass --database-url of a database that has the table, "
        "or give the spec 'tables: {ddl: schema.sql}' or 'tables: {models: package.module:Base}'",
    )


SPEC_SUFFIXES = (".yaml", ".yml", ".toml")


def init_spec(
    engine: Engine,
    *,
    out: Path | str | None = None,
    tables: Sequence[str] = (),
    count: int = 10,  # introspect.DEFAULT_COUNT (a test keeps them equal)
    force: bool = False,
) -> introspect.Initialized:
    """Draft a spec for the database's existing tables (``seedspec init --from-database``): a
    factory per table (or per table of ``tables`` and the parents they need) and a step of
    ``count`` rows each, parents first. Written to ``out`` (TOML if it ends in ``.toml``) when
    given; the text is returned either way.

    Raises:
        SeedspecError: E808, ``out`` exists (unless ``force``); E809, an unknown table; E810, the
            database has no tables; E811, ``out`` is not a .yaml, .yml or .toml file; E813,
            ``out`` cannot be written.
        DatabaseError: E401, the database cannot be reached; E812, a MySQL URL names no database.
    """
    from seedspec.scaffold import draft_spec as introspect
    from seedspec.scaffold import text as scaffold_text

    path = Path(out) if out is not None else None
    if path is not None:
        _check_init_target(path, force=force)
    if count < 0:
        raise ValueError("count must be 0 or more")
    database = engine.url.database
    if engine.url.get_backend_name() == "sqlite" and database and not Path(database).is_file():
        raise SeedspecError(introspect.no_tables(f"the SQLite file {database} does not exist"))
    with connect(engine) as conn:
        from seedspec.database.reflect import schema_facts

        facts = schema_facts(conn)
    draft = introspect.draft_spec(facts, count=count, only=tables)
    url, header = _init_header(engine, path, draft)
    text = scaffold_text.render_spec(
        draft, header=header, database_url=url, toml=path is not None and path.suffix == ".toml"
    )
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SeedspecError(
                Diagnostic(
                    code="E813",
                    message=f"cannot write the spec to {path}: {exc}",
                    hint="choose a file in a folder you can write to (-o FILE), with space left",
                )
            ) from exc
    return introspect.Initialized(text=text, draft=draft, path=path)


def _check_init_target(path: Path, *, force: bool) -> None:
    if path.suffix not in SPEC_SUFFIXES:
        raise SeedspecError(
            Diagnostic(
                code="E811",
                message=f"cannot write a spec to {path}: the name must end in .yaml, .yml or .toml",
                hint="for example -o seeds/dev.yaml, or -o seeds/dev.toml for TOML",
            )
        )
    if path.exists() and not force:
        raise SeedspecError(
            Diagnostic(
                code="E808",
                message=f"{path} already exists; nothing was written",
                hint="pass --force to overwrite it, or choose another file with -o",
            )
        )


def _init_header(engine: Engine, path: Path | None, draft: introspect.SpecDraft) -> tuple[str, list[str]]:
    """The ``database.url`` for the spec (no password; a SQLite path relative to the spec, or
    absolute on stdout, where the spec's place is not known) and the header comment."""
    url = engine.url.set(password=None) if engine.url.password else engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        file = Path(url.database).resolve()
        url = url.set(database=str(file) if path is None else os.path.relpath(file, path.parent.resolve()))
    shown = engine.url.render_as_string(hide_password=True)
    name = path.name if path is not None else "SPEC"
    header = [
        f"Generated by `seedspec init` from {shown}: "
        f"{len(draft.factories)} factories, {sum(s.count for s in draft.steps)} rows.",
        "Every generator is a guess from the column's name, type and constraints: review them.",
        f"Apply with: seedspec apply {name}   (DATABASE_URL or --database-url overrides database.url)",
    ]
    if engine.url.password:
        header.append("The password is not written here: set DATABASE_URL or pass --database-url.")
    header += [f"Note: {note}" for note in draft.notes]
    return f"${{DATABASE_URL:-{url.render_as_string(hide_password=False)}}}", header
