"""Specs as the API gives them: load, validate, check, table definitions, compile.

These functions take objects (paths, engines, connections), never read the environment and never
print; the CLI is a thin shell over them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from seedspec.catalog import Catalog
from seedspec.compiler.selection import Selection as Selection
from seedspec.compiler.selection import select_steps
from seedspec.database import tables
from seedspec.database.session import connect as connect
from seedspec.database.session import create_engine as create_engine
from seedspec.errors import DatabaseError, Diagnostic, SeedspecError, Severity, SpecInvalid, database_reason
from seedspec.ir import Plan
from seedspec.spec.loader import LoadedSpec as LoadedSpec
from seedspec.spec.loader import load_spec
from seedspec.spec.profiles import with_profile
from seedspec.spec.validation import spec_schema as spec_schema
from seedspec.spec.validation import validate_document


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
        return tuple(located(d, spec) for d in exc.diagnostics) + validate(spec)
    return validate(spec, catalog)


def known_tables(spec: LoadedSpec, database: Engine | None = None) -> Catalog | None:
    """The tables a spec may use, from ``database`` if given, else from its ``tables:`` source;
    None when neither says (reflection needs a database)."""
    if database is not None:
        with connect(database) as conn:
            return tables.catalog_from_metadata(table_definitions(spec, conn), conn.dialect.name)
    source = spec.document.get("tables")
    if isinstance(source, dict) and any(isinstance(source.get(k), str) for k in ("models", "ddl")):
        # a DDL file read in its own dialect is checked as that database would take it
        return tables.catalog_from_metadata(table_definitions(spec, None), source.get("dialect"))
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
    database = spec.document.get("database")
    url = database.get("url") if isinstance(database, dict) else None  # else the schema reports it
    if not isinstance(url, str):
        return f"sqlite:///{spec.path.with_suffix('.db')}"
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        return url  # not a URL: connecting reports it (E401), and plan --offline never connects
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        db_path = Path(parsed.database)
        if not db_path.is_absolute():
            return parsed.set(database=str(spec.path.parent / db_path)).render_as_string(hide_password=False)
    return url


def database_exists(url: str) -> bool:
    """A SQLite file that does not exist yet is not a database to plan against (nor to create)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return True
    return Path(parsed.database).exists()


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
        if tables.missing_tables(connection, (t for t in needed if isinstance(t, str))):
            path = spec.path.parent / source["ddl"]
            if "dialect" in source:
                from seedspec.database import ddl_load  # sqlglot, only for a DDL with a dialect

                ddl_load.run(connection, path, source["dialect"], location)
            else:
                tables.run_ddl(connection, path, location)
    factories = spec.document.get("factories", {})
    named = (f.get("table") for f in factories.values() if isinstance(f, dict))
    return tables.reflect(connection, tables.schemas_named(named))


def _ddl_in_memory(spec: LoadedSpec) -> sa.MetaData:
    """The tables of the spec's DDL file without its database: read in its ``dialect`` when the
    spec names one, else run as written in an in-memory SQLite database."""
    source = spec.document["tables"]
    path = spec.path.parent / source["ddl"]
    location = spec.source_map.locate("/tables/ddl", value=True)
    if "dialect" in source:
        from seedspec.database import ddl_load  # sqlglot, only for a DDL with a dialect

        return ddl_load.offline_metadata(path, source["dialect"], location)
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        tables.run_ddl(conn, path, location)
        return tables.reflect(conn)


def compile(
    spec: LoadedSpec, metadata: sa.MetaData, dialect: str | None = None, *, validated: bool = False
) -> Plan:
    """Validate against the tables of ``metadata`` and compile the execution plan; ``dialect``
    names the database the plan is for (which foreign key checks can wait until commit).
    ``validated``: the caller already raised for ``validate(spec)``, so only the checks that
    depend on the tables run again (a command validates once, and imports user code once).

    Raises:
        SpecInvalid: with every error found.
    """
    from seedspec.compiler.steps import compile_spec

    catalog = tables.catalog_from_metadata(metadata, dialect)
    base_dir = spec.path.parent
    raise_for_errors(
        validate_document(spec.document, spec.source_map, catalog, base_dir, tables_only=validated)
    )
    return compile_spec(spec.document, catalog, str(spec.path), spec.source_map)


def selected(execution: Plan, selection: Selection | None, spec: LoadedSpec) -> Plan:
    if selection is None:
        return execution
    with spec_errors(spec):
        return select_steps(execution, selection)


_ROLLED_BACK = {
    "apply": "nothing was written: the whole apply was rolled back",
    "reset": "nothing was removed: the reset was rolled back",
}


@contextmanager
def spec_errors(spec: LoadedSpec, *, writing: str | None = None) -> Iterator[None]:
    """Diagnostics raised inside get the spec's file:line; while ``writing`` ("apply" or
    "reset"), a database failure becomes E403."""
    try:
        yield
    except SeedspecError as exc:
        raise type(exc)(tuple(located(d, spec) for d in exc.diagnostics)) from exc
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


def located(d: Diagnostic, spec: LoadedSpec) -> Diagnostic:
    if d.location is not None or not d.pointer:
        return d
    return dataclasses.replace(d, location=spec.source_map.locate(d.pointer, value=True))
