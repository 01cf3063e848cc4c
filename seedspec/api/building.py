"""``build``: the rows ``apply`` would create, written as files instead of to a database, and
the policy for its output (which dialect, which tables, which files it may overwrite)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

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
from seedspec.generation.shards import Shard as Shard  # the parser checks --shard with it
from seedspec.ir import Plan
from seedspec.outcome import BUILD_DIALECTS, BUILD_ENGINES, BUILD_FORMATS, BuildReport
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
    shard: Shard | str | None = None,
    shards: int | None = None,
    engine: str = "local",
) -> BuildReport:
    """Write the rows ``apply`` would create in an empty ``dialect`` database, without one.

    ``format`` is json, jsonl, csv, sql (INSERTs for ``dialect``: sqlite, postgresql, mysql or
    mariadb) or parquet (``seedspec[parquet]``; a directory per table). With ``out``, a directory,
    each table gets a file (SQL: ``seed.sql``), and files already there are kept (E717) unless
    ``force``; else everything goes to ``stream`` (not for csv or parquet). Rows are written as
    they are generated. Table definitions come from the spec's ``tables:``, else are reflected
    from ``database`` (the only case where this connects). ``after_create`` hooks do not run:
    the report lists their steps.

    ``shard`` (``"K/N"``) writes only shard K of N of every step, as ``<table>/part-K-of-N.<ext>``;
    the N shards together hold exactly the rows of the unsharded build. ``shards`` (N) writes all
    N, one after another in this process (``engine`` local) or as tasks of a Ray cluster
    (``engine`` ray: ``RAY_ADDRESS``, else a local one; ``seedspec[ray]``; N defaults to its CPUs).

    Raises:
        SpecInvalid: the spec or the selection is invalid.
        SeedspecError: E710 to E718 (no table definitions, csv without a directory, an output
            that cannot be written, values only a database knows, files that would be
            overwritten, a missing extra, shards without a directory); partial files are removed.
        ValueError: an unknown ``format``, ``dialect`` or ``engine``, a malformed ``shard``, both
            ``shard`` and ``shards``, or neither ``out`` nor ``stream``.
    """
    if format not in BUILD_FORMATS or dialect not in BUILD_DIALECTS or engine not in BUILD_ENGINES:
        raise ValueError(
            f"format must be one of {BUILD_FORMATS}, dialect one of {BUILD_DIALECTS} and engine one of "
            f"{BUILD_ENGINES}"
        )
    if shard is not None and (shards is not None or engine != "local"):
        raise ValueError("give either one shard (K/N) or a number of shards to run, not both")
    if out is None and (format in ("csv", "parquet") or shards is not None or engine != "local"):
        what = f"--format {format}" if format in ("csv", "parquet") else "a build of several shards"
        hint = f"give a directory: seedspec build SPEC --format {format} -o DIR"
        message = f"{what} needs a directory: it writes one file per table" + (
            "" if format in ("csv", "parquet") else " and shard"
        )
        raise SeedspecError(Diagnostic(code="E711", message=message, hint=hint))
    if out is None and stream is None:
        raise ValueError("build needs a directory (out) or a stream to write to")
    require_extra(format, engine)
    raise_for_errors(validate(spec))
    metadata = _tables_to_build(spec, database)
    job = BuildJob(spec, format, dialect, selection, metadata)
    if shards is not None or engine != "local":
        from seedspec.api.shards import build_shards

        directory = Path(cast(Path | str, out))
        return build_shards(job, directory, shards=shards, engine=engine, force=force, workers=workers)
    part = Shard.parse(shard) if isinstance(shard, str) else shard
    target = Path(out) if out is not None else None
    if target is not None and not force:
        keep_files(target, job.file_names(part))
    return job.run(part, directory=target, stream=stream, progress=progress, workers=workers)


@dataclass(frozen=True)
class BuildJob:
    """What every shard of one build shares: a validated spec and the tables it is built for."""

    spec: LoadedSpec
    format: str
    dialect: str
    selection: Selection | None
    metadata: sa.MetaData

    @cached_property
    def planned(self) -> tuple[Plan, sa.MetaData]:
        """The plan and its tables, compiled once (and shipped to Ray's tasks compiled)."""
        plan = compile(self.spec, self.metadata, self.dialect, validated=True)
        return selected(plan, self.selection, self.spec), self.metadata

    def file_names(self, part: Shard | None) -> tuple[str, ...]:
        from seedspec.output.builder import written_columns
        from seedspec.output.formats import file_names

        execution, metadata = self.planned
        return file_names(self.format, written_columns(execution, metadata), part.part if part else None)

    def run(
        self,
        part: Shard | None,
        *,
        directory: Path | None,
        stream: TextIO | None = None,
        progress: Progress | None = None,
        workers: int | None = None,
    ) -> BuildReport:
        """Build ``part`` (None: everything) into ``directory`` or ``stream``."""
        from seedspec.output.builder import build_plan, hooked_steps, written_columns, written_tables
        from seedspec.output.formats import open_output

        spec, dialect = self.spec, self.dialect
        execution, metadata = self.planned
        hooks = hooked_steps(execution)
        notes = [f"seedspec build of {spec.path.name} for {dialect}: load into empty tables"]
        if part is not None:
            notes.append(f"shard {part.index} of {part.count}: load every shard")
        if hooks:
            notes.append(f"after_create hooks do not run in build (no database): steps {', '.join(hooks)}")
        columns = written_columns(execution, metadata)
        with spec_errors(spec), _writing(directory or Path("<stdout>")):
            output = open_output(
                self.format,
                columns,
                directory=directory,
                stream=stream,
                dialect=dialect,
                notes=notes,
                part=part.part if part else None,
                tables=written_tables(execution, metadata),
            )
            try:
                steps = build_plan(
                    execution,
                    metadata,
                    output,
                    dialect=dialect,
                    progress=progress,
                    workers=workers,
                    shard=part,
                )
                files = output.close()
            except BaseException:
                output.abort()
                raise
        return BuildReport(
            spec=str(spec.path),
            format=self.format,
            dialect=dialect,
            destination=str(directory) if directory is not None else "stdout",
            steps=steps,
            files=tuple(map(str, files)),
            hooks_not_run=hooks,
            shards=(f"{part.index}/{part.count}",) if part is not None else (),
        )


def require_extra(format: str, engine: str) -> None:
    """E718: the optional package a format or an engine needs is not installed."""
    needed = [("parquet", "pyarrow", "parquet")] if format == "parquet" else []
    if engine == "ray":
        needed.append(("ray", "ray", "--engine ray"))
    for extra, module, what in needed:
        if importlib.util.find_spec(module) is None:
            raise SeedspecError(
                Diagnostic(
                    code="E718",
                    message=f"{what} needs the '{module}' package, which is not installed",
                    hint=f"install seedspec's optional extra: pip install 'seedspec[{extra}]'",
                )
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


def keep_files(directory: Path, names: Sequence[str]) -> None:
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
