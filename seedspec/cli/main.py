"""The command line: a thin argparse shell over ``seedspec.api.commands``.

User errors (``SeedspecError``) print located diagnostics and exit 1; anything else is a bug:
exit 3 with a request to report it (the traceback behind ``--traceback``).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

from seedspec.api import commands as api
from seedspec.cli import colour
from seedspec.compiler.selection import Selection
from seedspec.database import guard
from seedspec.errors import Diagnostic, SeedspecError, Severity
from seedspec.ir import BUILD_DIALECTS, BUILD_FORMATS
from seedspec.report import render
from seedspec.spec.loader import LoadedSpec

if TYPE_CHECKING:
    from seedspec.database.writer import Progress

R = TypeVar("R")

EXIT_OK, EXIT_INVALID, EXIT_PENDING, EXIT_BUG = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 1 like every other user error: exit 2 means 'work pending' (plan)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--traceback", action="store_true", help="show the traceback of an internal error")
    common.add_argument(
        "--no-color", action="store_true", help="never colour the output (so does NO_COLOR=1)"
    )
    parser = _Parser(prog="seedspec", description="Declarative, idempotent database seeding.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", parents=[common], help="check specs; exit 1 with located errors")
    p.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    p.add_argument("--database-url", help="also check tables and columns against this database")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--plan", type=Path, help="warn when Faker differs from the version this saved plan was made with"
    )
    _profile_options(p)
    p.set_defaults(handler=_validate)

    p = sub.add_parser("plan", parents=[common], help="print the execution plan")
    p.add_argument("spec", type=Path)
    _database_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-v", "--verbose", action="store_true", help="show every field's generator")
    p.add_argument("--offline", action="store_true", help="do not connect: the plan alone")
    p.add_argument("--out", type=Path, help="also save the plan as JSON, for 'apply --plan'")
    p.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 2 when applying would create or update rows (for CI drift checks)",
    )
    _profile_options(p)
    _selection_options(p)
    p.set_defaults(handler=_plan)

    p = sub.add_parser("apply", parents=[common], help="first-or-create the spec's rows in the database")
    p.add_argument("spec", type=Path)
    _database_options(p)
    p.add_argument(
        "--create",
        action="store_true",
        help="create missing tables from tables.models or tables.ddl",
    )
    first = p.add_mutually_exclusive_group()
    first.add_argument("--plan", type=Path, help="apply only if it still does what this saved plan says")
    first.add_argument(
        "--reset",
        action="store_true",
        help="first empty the tables the spec writes (children first, id counters restarted), "
        "in the same transaction",
    )
    _force_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print each step: rows created / existing / updated, time",
    )
    _jobs_option(p)
    _profile_options(p)
    _selection_options(p)
    p.set_defaults(handler=_apply)

    p = sub.add_parser(
        "reset",
        parents=[common],
        help="empty exactly the tables the spec (or --only) writes, for CI and test databases",
    )
    p.add_argument("spec", type=Path)
    _database_options(p)
    _force_option(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    _selection_options(p, deps=False)
    p.set_defaults(handler=_reset)

    _build_parser(sub, common)

    p = sub.add_parser("schema", parents=[common], help="print the JSON Schema of the spec language")
    p.add_argument(
        "--for",
        dest="for_spec",
        type=Path,
        metavar="SPEC",
        help="a schema that also completes this spec's factories, states, tables and columns",
    )
    p.add_argument("--database-url", help="with --for: the database whose tables to complete")
    p.set_defaults(handler=_schema)
    _new_parsers(sub, common)
    _init_parser(sub, common)
    return parser


def _build_parser(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "build", parents=[common], help="write the rows apply would create as json, jsonl, csv or sql"
    )
    p.add_argument("spec", type=Path)
    p.add_argument("--format", choices=BUILD_FORMATS, required=True)
    p.add_argument(
        "--dialect",
        choices=BUILD_DIALECTS,
        help="the database the rows are for (SQL text, key comparison); default: the dialect of the "
        "database apply would use, else sqlite",
    )
    p.add_argument(
        "-o", "--out", type=Path, metavar="DIR", help="write a file per table (sql: seed.sql) into DIR"
    )
    p.add_argument(
        "--database-url",
        help="read the table definitions from this database when the spec has no 'tables:' (it is only read)",
    )
    p.add_argument("--force", action="store_true", help="overwrite the files already in DIR")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    _jobs_option(p)
    _profile_options(p)
    _selection_options(p)
    p.set_defaults(handler=_build)


def _jobs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes drawing Faker values ahead (default: one per core; 0: none)",
    )


def _database_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: DATABASE_URL, then the spec's database.url, "
        "then a SQLite file next to the spec)",
    )


def _profile_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--set",
        dest="params",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter of the spec's params: (repeatable)",
    )
    p.add_argument("--scale", type=float, metavar="FACTOR", help="multiply every top-level count (0.1, 2)")


def _selection_options(p: argparse.ArgumentParser, *, deps: bool = True) -> None:
    what = "factories, step ids or step names, comma-separated (repeatable)"
    p.add_argument("--only", action="append", default=[], metavar="NAMES", help=f"run only these {what}")
    p.add_argument("--exclude", action="append", default=[], metavar="NAMES", help=f"skip these {what}")
    if not deps:
        p.set_defaults(no_deps=False)
        return
    p.add_argument(
        "--no-deps",
        action="store_true",
        help="refuse, listing them, instead of also running the steps the selected ones depend on",
    )


def _force_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--force", action="store_true", help="write even to a database matching a protect: pattern"
    )


def _load(path: Path, args: argparse.Namespace) -> LoadedSpec:
    """The spec with ``--set`` and ``--scale`` applied."""
    params: dict[str, str] = {}
    for item in getattr(args, "params", []):
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            raise SeedspecError(
                Diagnostic(
                    code="E700",
                    message=f"--set {item}: expected NAME=VALUE",
                    hint="for example --set users=10",
                )
            )
        params[name.strip()] = value
    return api.load(path, os.environ, params=params, scale=getattr(args, "scale", None))


def _selection(args: argparse.Namespace) -> Selection | None:
    def names(values: list[str]) -> tuple[str, ...]:
        return tuple(n.strip() for v in values for n in v.split(",") if n.strip())

    only, exclude = names(args.only), names(args.exclude)
    for flag, given, found in (("--only", args.only, only), ("--exclude", args.exclude, exclude)):
        if given and not found:  # an unset $SEEDER must never mean "everything"
            raise SeedspecError(
                Diagnostic(
                    code="E703",
                    message=f"{flag} {' '.join(map(repr, given))} names no step",
                    hint=f"give {flag} factory names, step ids or step names: {flag} user,post",
                )
            )
    if not only and not exclude and not args.no_deps:
        return None
    return Selection(only=only, exclude=exclude, with_deps=not args.no_deps)


def _protect() -> tuple[guard.Pattern, ...]:
    return guard.env_patterns(os.environ.get(guard.ENV_VARIABLE))


_NO_COLOR = [False]  # --no-color of the running command (main sets it)


def _out(text: str, *, styled: bool = False, stream: TextIO | None = None) -> None:
    """Print ``text``; ``styled`` text (diagnostics, reports; never JSON) is coloured on a terminal."""
    stream = stream or sys.stdout
    wanted = styled and colour.wanted(stream, no_color=_NO_COLOR[0], environ=os.environ)
    colour.write(stream, text, colour=wanted)


def _validate(args: argparse.Namespace) -> int:
    everything: list[Diagnostic] = []
    database = api.create_engine(args.database_url) if args.database_url else None
    for path in args.specs:
        try:
            everything.extend(api.check(_load(path, args), database))
        except SeedspecError as exc:
            everything.extend(exc.diagnostics)
    if args.plan is not None:
        try:
            everything.extend(api.library_drift(args.plan))
        except SeedspecError as exc:
            everything.extend(exc.diagnostics)
    failing = [d for d in everything if d.severity is Severity.ERROR or args.strict]
    if args.format == "json":
        _out(render.diagnostics_json(everything))
    elif everything:
        _out(render.diagnostics_text(everything), styled=True)
    else:
        _out(f"{len(args.specs)} spec{'s' * (len(args.specs) != 1)} valid")
    return EXIT_INVALID if failing else EXIT_OK


def _url(spec: LoadedSpec, args: argparse.Namespace) -> str:
    return api.database_url(spec, args.database_url or os.environ.get("DATABASE_URL"))


def _plan(args: argparse.Namespace) -> int:
    spec = _load(args.spec, args)
    url = _url(spec, args)
    if args.offline or not _database_exists(url):
        execution = api.plan(spec, selection=_selection(args))
        _save(args.out, render.plan_json(execution))
        _out(
            render.plan_json(execution)
            if args.format == "json"
            else render.plan_text(execution, verbose=args.verbose)
        )
        return EXIT_PENDING if args.detailed_exitcode else EXIT_OK
    with api.connect(api.create_engine(url)) as conn:
        execution, report = api.plan_against(spec, conn, selection=_selection(args))
    _save(args.out, render.plan_with_report_json(execution, report))
    if args.format == "json":
        _out(render.plan_with_report_json(execution, report))
    else:
        _out(
            render.plan_text(execution, verbose=args.verbose) + "\n" + render.report_text(report), styled=True
        )
    return EXIT_PENDING if args.detailed_exitcode and report.pending else EXIT_OK


def _save(path: Path | None, text: str) -> None:
    if path is not None:
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def _database_exists(url: str) -> bool:
    """A SQLite file that does not exist yet is not a database to plan against (nor to create)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return True
    return Path(parsed.database).exists()


def _apply(args: argparse.Namespace) -> int:
    spec = _load(args.spec, args)
    engine = api.create_engine(_url(spec, args))
    saved = api.read_saved_plan(args.plan) if args.plan else None
    options: dict[str, Any] = {
        "create": args.create,
        "saved_plan": saved,
        "workers": args.jobs,
        "selection": _selection(args),
        "reset": args.reset,
        "force": args.force,
        "protect": _protect(),
    }
    quiet = args.quiet or args.format == "json"
    report = _with_progress(
        args, quiet, lambda progress: api.apply(spec, engine, progress=progress, **options)
    )
    if args.format == "json":
        _out(render.report_json(report))
    elif not args.quiet:
        steps = render.steps_text(report) + "\n" if args.verbose and report.steps else ""
        _out(steps + render.report_text(report), styled=True)
    return EXIT_OK


def _with_progress(args: argparse.Namespace, quiet: bool, run: Callable[[Progress | None], R]) -> R:
    """``run`` with progress bars on stderr when it is a terminal (and not ``quiet``), coloured
    unless --no-color or NO_COLOR says otherwise."""
    if quiet or not sys.stderr.isatty():
        return run(None)
    from seedspec.cli.progress import progress_bars

    with progress_bars(no_color=args.no_color) as progress:
        return run(progress)


def _build(args: argparse.Namespace) -> int:
    spec = _load(args.spec, args)
    dialect = args.dialect or api.default_dialect(spec, args.database_url or os.environ.get("DATABASE_URL"))
    options: dict[str, Any] = {
        "dialect": dialect,
        "out": args.out,
        "stream": None if args.out else sys.stdout,
        "database": api.create_engine(args.database_url) if args.database_url else None,
        "selection": _selection(args),
        "workers": args.jobs,
        "force": args.force,
    }
    report = _with_progress(
        args, args.quiet, lambda progress: api.build(spec, args.format, progress=progress, **options)
    )
    if args.quiet:
        return EXIT_OK
    if report.hooks_not_run:
        sys.stderr.write(render.hooks_not_run_note(report) + "\n")
    if args.out:
        _out(render.build_text(report))
    return EXIT_OK


def _reset(args: argparse.Namespace) -> int:
    spec = api.load(args.spec, os.environ)
    engine = api.create_engine(_url(spec, args))
    report = api.reset(spec, engine, selection=_selection(args), force=args.force, protect=_protect())
    if args.format == "json":
        _out(render.report_json(report))
    elif not args.quiet:
        _out(
            render.report_text(report) if report.reset else f"reset {report.database}: nothing to empty",
            styled=True,
        )
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    from seedspec.spec.validation import spec_schema

    if args.for_spec is None:
        _out(json.dumps(spec_schema(), indent=2))
        return EXIT_OK
    spec = api.load(args.for_spec, os.environ)
    database = api.create_engine(args.database_url) if args.database_url else None
    _out(json.dumps(api.project_schema(spec, database), indent=2))
    return EXIT_OK


def _new_parsers(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """``seedspec new factory`` and ``seedspec new spec``: scaffolding."""
    new = sub.add_parser("new", help="scaffold a starter spec, or a factory for a table")
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    p = kinds.add_parser("factory", parents=[common], help="add a factory for a table to a spec")
    p.add_argument("name", nargs="?", metavar="NAME", help="the factory name (default: the table's singular)")
    p.add_argument("--table", required=True, help="the table the factory fills")
    p.add_argument(
        "--spec", type=Path, default=Path(DEFAULT_SPEC), help=f"the spec to add to (default: {DEFAULT_SPEC})"
    )
    p.add_argument("--database-url", help="read the table from this database instead of the spec's")
    p.add_argument("--dry-run", action="store_true", help="print the factory; leave the spec alone")
    p.set_defaults(handler=_new_factory)
    p = kinds.add_parser("spec", parents=[common], help="write a commented starter spec and its schema.sql")
    p.add_argument(
        "file",
        nargs="?",
        type=Path,
        default=Path(DEFAULT_SPEC),
        metavar="FILE",
        help=f"the spec to write (default: {DEFAULT_SPEC}); schema.sql goes next to it",
    )
    p.add_argument("--force", action="store_true", help="overwrite files that exist")
    p.set_defaults(handler=_new_spec)


DEFAULT_SPEC = "seeds/dev.yaml"


def _new_factory(args: argparse.Namespace) -> int:
    database = api.create_engine(args.database_url) if args.database_url else None
    done = api.new_factory(
        args.spec, args.table, args.name, database=database, env=os.environ, write=not args.dry_run
    )
    draft = done.draft
    verb = "added" if done.written else "would add (--dry-run)"
    _out(f"{verb} factory '{draft.name}' to {done.path} (table {draft.table}):\n{done.block.rstrip()}")
    for factory, table in draft.missing:
        _out(
            f"note: it refers to factory '{factory}', which the spec does not have yet: "
            f"seedspec new factory {factory} --table {table} --spec {done.path}"
        )
    step = (
        f'[[seed]] factory = "{draft.name}", count = 10'
        if done.path.suffix == ".toml"
        else f"- {{factory: {draft.name}, count: 10}}"
    )
    _out(f"next: review the guesses, then add a seed step such as '{step}'")
    return EXIT_OK


def _new_spec(args: argparse.Namespace) -> int:
    written = api.new_spec(args.file, force=args.force)
    _out(f"wrote {' and '.join(map(str, written))}")
    _out(f"next: seedspec apply {args.file} --create")
    return EXIT_OK


def _init_parser(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    """``seedspec init --from-database URL``: a spec for an existing schema."""
    p = sub.add_parser("init", parents=[common], help="write a spec for the tables of an existing database")
    p.add_argument(
        "--from-database", required=True, metavar="URL", help="the database to read (SQLAlchemy URL)"
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the spec here (.yaml, .yml or .toml); default: stdout",
    )
    p.add_argument(
        "--tables",
        action="append",
        default=[],
        metavar="T1,T2",
        help="only these tables (comma-separated, repeatable), plus the parents they need",
    )
    p.add_argument("--count", type=_count, default=10, metavar="N", help="rows per table (default: 10)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(handler=_init)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of rows, not {text!r}")
    return int(text)


def _init(args: argparse.Namespace) -> int:
    tables = tuple(t.strip() for item in args.tables for t in item.split(",") if t.strip())
    engine = api.create_engine(args.from_database)
    try:
        done = api.init_spec(engine, out=args.output, tables=tables, count=args.count, force=args.force)
    finally:
        engine.dispose()
    if done.path is None:
        sys.stdout.write(done.text)
        return EXIT_OK
    rows = sum(step.count for step in done.draft.steps)
    _out(f"wrote {done.path}: {len(done.draft.factories)} factories, {rows} rows")
    for note in done.draft.notes:
        _out(f"note: {note}")
    _out(f"next: review the guesses, then seedspec apply {done.path}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    _NO_COLOR[0] = bool(getattr(args, "no_color", False))
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except SeedspecError as exc:
        _out(render.diagnostics_text(exc.diagnostics), styled=True, stream=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was committed\n")
        return 130
    except BrokenPipeError:  # `seedspec plan ... | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error on exit's flush
        return EXIT_OK
    except Exception:
        sys.stderr.write(
            "seedspec: internal error; please report it with the spec that caused it"
            " (https://github.com/seedspec/seedspec/issues)\n"
        )
        if args.traceback:
            traceback.print_exc()
        else:
            sys.stderr.write("run again with --traceback to see where it happened\n")
        return EXIT_BUG
