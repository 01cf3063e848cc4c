"""Scaffolding: a starter spec (``new spec``), a factory guessed from a table (``new factory``),
and a spec drafted from a database's tables (``init``)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from seedspec.api.specs import database_url, load, table_definitions
from seedspec.database import tables
from seedspec.database.session import connect, create_engine, has_secret, without_secrets
from seedspec.errors import Diagnostic, SeedspecError, shown_url
from seedspec.spec.loader import LoadedSpec

if TYPE_CHECKING:
    from seedspec.scaffold import draft_spec as introspect
    from seedspec.scaffold import guess as scaffold


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
            return _some_tables(tables.reflect(conn), shown_url(database.url))
    source = spec.document.get("tables")
    if isinstance(source, dict) and any(isinstance(source.get(k), str) for k in ("models", "ddl")):
        kind = "models" if "models" in source else "ddl"
        return _some_tables(table_definitions(spec, None), f"tables.{kind} ({source[kind]})")
    engine = create_engine(database_url(spec, env.get("DATABASE_URL")))
    where = shown_url(engine.url)
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
    schemas: Sequence[str] = (),
) -> introspect.Initialized:
    """Draft a spec for the database's existing tables (``seedspec init --from-database``): a
    factory per table (or per table of ``tables`` and the parents they need) and a step of
    ``count`` rows each, parents first. On PostgreSQL the tables of ``schemas``, or of every
    schema a user made (``schema.table`` outside the default one). Written to ``out`` (TOML if
    it ends in ``.toml``) when given; the text is returned either way.

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

        facts = schema_facts(conn, schemas)
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
    url = without_secrets(engine.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        file = Path(url.database).resolve()
        url = url.set(database=str(file) if path is None else os.path.relpath(file, path.parent.resolve()))
    shown = shown_url(engine.url)
    name = path.name if path is not None else "SPEC"
    header = [
        f"Generated by `seedspec init` from {shown}: "
        f"{len(draft.factories)} factories, {sum(s.count for s in draft.steps)} rows.",
        "Every generator is a guess from the column's name, type and constraints: review them.",
        f"Apply with: seedspec apply {name}   (DATABASE_URL or --database-url overrides database.url)",
    ]
    if has_secret(engine.url):
        header.append("The password is not written here: set DATABASE_URL or pass --database-url.")
    header += [f"Note: {note}" for note in draft.notes]
    return f"${{DATABASE_URL:-{url.render_as_string(hide_password=False)}}}", header
