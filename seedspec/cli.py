"""The command line: a thin argparse shell over ``seedspec.api``.

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
from typing import NoReturn

from seedspec import api, render
from seedspec.errors import Diagnostic, SeedspecError, Severity
from seedspec.load import LoadedSpec

EXIT_OK, EXIT_INVALID, EXIT_PENDING, EXIT_BUG = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 1 like every other user error: exit 2 means 'work pending' (plan)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--traceback", action="store_true", help="show the traceback of an internal error")
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
    p.set_defaults(handler=_plan)

    p = sub.add_parser("apply", parents=[common], help="first-or-create the spec's rows in the database")
    p.add_argument("spec", type=Path)
    _database_options(p)
    p.add_argument(
        "--create",
        action="store_true",
        help="create missing tables from tables.models or tables.ddl",
    )
    p.add_argument("--plan", type=Path, help="apply only if it still does what this saved plan says")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes drawing Faker values ahead (default: one per core; 0: none)",
    )
    p.set_defaults(handler=_apply)

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
    return parser


def _database_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: DATABASE_URL, then the spec's database.url, "
        "then a SQLite file next to the spec)",
    )


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _validate(args: argparse.Namespace) -> int:
    everything: list[Diagnostic] = []
    database = api.create_engine(args.database_url) if args.database_url else None
    for path in args.specs:
        try:
            everything.extend(api.check(api.load(path, os.environ), database))
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
        _out(render.diagnostics_text(everything))
    else:
        _out(f"{len(args.specs)} spec{'s' * (len(args.specs) != 1)} valid")
    return EXIT_INVALID if failing else EXIT_OK


def _url(spec: LoadedSpec, args: argparse.Namespace) -> str:
    return api.database_url(spec, args.database_url or os.environ.get("DATABASE_URL"))


def _plan(args: argparse.Namespace) -> int:
    spec = api.load(args.spec, os.environ)
    url = _url(spec, args)
    if args.offline or not _database_exists(url):
        execution = api.plan(spec)
        _save(args.out, render.plan_json(execution))
        _out(
            render.plan_json(execution)
            if args.format == "json"
            else render.plan_text(execution, verbose=args.verbose)
        )
        return EXIT_PENDING if args.detailed_exitcode else EXIT_OK
    with api.connect(api.create_engine(url)) as conn:
        execution, report = api.plan_against(spec, conn)
    _save(args.out, render.plan_with_report_json(execution, report))
    if args.format == "json":
        _out(render.plan_with_report_json(execution, report))
    else:
        _out(render.plan_text(execution, verbose=args.verbose) + "\n" + render.report_text(report))
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
    spec = api.load(args.spec, os.environ)
    engine = api.create_engine(_url(spec, args))
    saved = api.read_saved_plan(args.plan) if args.plan else None
    if args.quiet or args.format == "json" or not sys.stderr.isatty():
        report = api.apply(spec, engine, create=args.create, saved_plan=saved, workers=args.jobs)
    else:
        from seedspec.progress import progress_bars

        with progress_bars() as progress:
            report = api.apply(
                spec, engine, create=args.create, progress=progress, saved_plan=saved, workers=args.jobs
            )
    if args.format == "json":
        _out(render.report_json(report))
    elif not args.quiet:
        _out(render.report_text(report))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    from seedspec.validate import spec_schema

    if args.for_spec is None:
        _out(json.dumps(spec_schema(), indent=2))
        return EXIT_OK
    spec = api.load(args.for_spec, os.environ)
    database = api.create_engine(args.database_url) if args.database_url else None
    _out(json.dumps(api.project_schema(spec, database), indent=2))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except SeedspecError as exc:
        sys.stderr.write(render.diagnostics_text(exc.diagnostics) + "\n")
        return EXIT_INVALID
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was committed\n")
        return 130
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
