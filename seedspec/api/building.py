"""``build``: the rows ``apply`` would create, written as files instead of to a database, and
the policy for its output (which dialect, which tables, which files it may overwrite)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from seedspec.api.specs import (
    compile,
    database_url,
    raise_for_errors,
    selected,
    spec_errors,
    table_definitions,
    validate,
)
from seedspec.compiler.selection import Selection
from seedspec.database.session import connect, engine_url
from seedspec.errors import Diagnostic, SeedspecError
from seedspec.outcome import BUILD_DIALECTS, BUILD_FORMATS, BuildReport
from seedspec.spec.loader import LoadedSpec

if TYPE_CHECKING:
    from seedspec.database.writer import Progress


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
    execution = selected(compile(spec, metadata, dialect, validated=True), selection, spec)
    hooks = hooked_steps(execution)
    notes = [f"seedspec build of {spec.path.name} for {dialect}: load into empty tables"]
    if hooks:
        notes.append(f"after_create hooks do not run in build (no database): steps {', '.join(hooks)}")
    directory = Path(out) if out is not None else None
    columns = written_columns(execution, metadata)
    if directory is not None and not force:
        _keep_files(directory, file_names(format, columns))
    with spec_errors(spec), _writing(directory or Path("<stdout>")):
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
        backend = engine_url(database_url(spec, override)).get_backend_name()
    except sa.exc.ArgumentError:
        return "sqlite"
    return backend if backend in BUILD_DIALECTS else "sqlite"


def _tables_to_build(spec: LoadedSpec, database: Engine | None) -> sa.MetaData:
    """The spec's ``tables:``, else the tables of ``database``; E710 when there is neither."""
    source = spec.document.get("tables")
    if isinstance(source, dict) and any(isinstance(source.get(k), str) for k in ("models", "ddl")):
        return table_definitions(spec, None)
    if database is not None:
        with connect(database) as conn, spec_errors(spec):
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
