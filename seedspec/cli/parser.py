"""The command line's grammar (argparse): subcommands, their options, and their handlers."""

from __future__ import annotations

import argparse
import sys
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn

from seedspec.api import building
from seedspec.cli import commands
from seedspec.cli.commands import EXIT_INVALID
from seedspec.outcome import BUILD_DIALECTS, BUILD_ENGINES, BUILD_FORMATS


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 1 like every other user error: exit 2 means 'work pending' (plan)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    """The parser of every subcommand; each sets ``handler``, the function that runs it."""
    common = _Parser(add_help=False)
    common.add_argument("--traceback", action="store_true", help="show the traceback of an internal error")
    common.add_argument(
        "--no-color", action="store_true", help="never colour the output (so does NO_COLOR=1)"
    )
    parser = _Parser(
        prog="seedspec",
        description="Declarative, idempotent database seeding. A SPEC is a YAML or TOML file "
        "(seeds/dev.yaml) that says which rows the database must hold: factories, seed steps, "
        "where the tables come from. 'seedspec new spec' writes a starter one.",
        epilog="Run 'seedspec COMMAND --help' for a command's options. Docs: docs/cli.md.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", parents=[common], help="check specs; exit 1 with located errors")
    p.add_argument("specs", nargs="+", type=Path, metavar="SPEC", help=SPEC_HELP)
    p.add_argument("--database-url", help="also check tables and columns against this database")
    p.add_argument("--strict", action="store_true", help="warnings fail too")
    _format_option(p, "the diagnostics (warnings too)", errors_too=False)
    p.add_argument(
        "--plan", type=Path, help="warn when Faker differs from the version this saved plan was made with"
    )
    _profile_options(p)
    p.set_defaults(handler=commands.validate)

    p = sub.add_parser("plan", parents=[common], help="print the execution plan")
    p.add_argument("spec", type=Path, metavar="SPEC", help=SPEC_HELP)
    _database_options(p)
    _format_option(p, "the plan, and what applying would do when the database exists")
    p.add_argument("-v", "--verbose", action="store_true", help="show every field's generator")
    p.add_argument("--offline", action="store_true", help="do not connect: the plan alone")
    p.add_argument("--out", type=Path, help="also save the plan as JSON, for 'apply --plan'")
    p.add_argument(
        "--detailed-exitcode",
        action="store_true",
        help="exit 2 when applying would create, update or prune rows (for CI drift checks)",
    )
    _profile_options(p)
    _selection_options(p)
    p.set_defaults(handler=commands.plan)

    p = sub.add_parser("apply", parents=[common], help="first-or-create the spec's rows in the database")
    p.add_argument("spec", type=Path, metavar="SPEC", help=SPEC_HELP)
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
    first.add_argument(
        "--prune",
        action="store_true",
        help="also remove the rows the spec owns and no longer declares, in the same transaction "
        "('seedspec plan' lists them); with --force, even more than half of a table's",
    )
    _force_option(p)
    _format_option(p, "the report: rows created and found per table")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print each step: rows created / existing / updated, time",
    )
    _jobs_option(p)
    p.add_argument(
        "--shards",
        type=int,
        metavar="N",
        help="PostgreSQL: load each step that shards in N processes, each COPYing its range over its own "
        "connection and committing on its own (not one transaction: a killed run is finished by "
        "running it again); other steps run serially, the report says why (with --engine ray: "
        "default its CPUs)",
    )
    p.add_argument(
        "--engine",
        choices=BUILD_ENGINES,
        default="local",
        help="where shards 2..N run: forked processes of this one, or the tasks of a Ray cluster "
        "(RAY_ADDRESS, else a local one; needs seedspec[ray])",
    )
    p.add_argument(
        "--defer-indexes",
        action="store_true",
        help="PostgreSQL: drop the secondary indexes (not unique, not the primary key) of a table empty "
        "when a step starts, and rebuild them after the step",
    )
    _profile_options(p)
    _selection_options(p)
    p.set_defaults(handler=commands.apply)

    p = sub.add_parser(
        "reset",
        parents=[common],
        help="empty exactly the tables the spec (or --only) writes, for CI and test databases",
    )
    p.add_argument("spec", type=Path, metavar="SPEC", help=SPEC_HELP)
    _database_options(p)
    _force_option(p)
    _format_option(p, "the report: rows deleted per table")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    _selection_options(p, deps=False)
    p.set_defaults(handler=commands.reset)

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
    p.set_defaults(handler=commands.schema)
    _new_parsers(sub, common)
    _init_parser(sub, common)
    return parser


def _build_parser(sub: argparse._SubParsersAction[Any], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "build",
        parents=[common],
        help="write the rows apply would create as json, jsonl, csv, sql or parquet",
    )
    p.add_argument("spec", type=Path, metavar="SPEC", help=SPEC_HELP)
    p.add_argument(
        "--format",
        choices=BUILD_FORMATS,
        required=True,
        help="the rows as a JSON document, JSON lines, CSV (a file per table: needs --out) or SQL "
        "INSERT statements; errors stay text on stderr",
    )
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
    sharding = p.add_mutually_exclusive_group()
    sharding.add_argument(
        "--shard",
        type=_shard,
        metavar="K/N",
        help="write only shard K of N of every step (DIR/TABLE/part-K-of-N.EXT); the N shards together "
        "are the whole build",
    )
    sharding.add_argument(
        "--shards", type=int, metavar="N", help="write all N shards (with --engine ray: default its CPUs)"
    )
    p.add_argument(
        "--engine",
        choices=BUILD_ENGINES,
        default="local",
        help="where the shards run: this process, or the tasks of a Ray cluster (RAY_ADDRESS, else a "
        "local one; needs seedspec[ray])",
    )
    _jobs_option(p)
    _profile_options(p)
    _selection_options(p)
    p.set_defaults(handler=commands.build)


def _shard(text: str) -> str:
    try:
        building.Shard.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text


SPEC_HELP = "the spec file (YAML or TOML) that says which rows the database must hold"


def installed_version() -> str:
    """The installed package's version, as pip knows it."""
    try:
        return metadata.version("seedspec")
    except metadata.PackageNotFoundError:
        return "(not installed: run from a source tree)"


def _format_option(p: argparse.ArgumentParser, what: str, *, errors_too: bool = True) -> None:
    """--format text|json; with json, an invalid spec's diagnostics are JSON on stdout too."""
    errors = (
        "; with json, errors are also printed on stdout as a JSON list of diagnostics (the fields "
        "of 'validate --format json')"
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=f"print {what} as text (default) or as JSON for scripts{errors if errors_too else ''}",
    )
    p.set_defaults(json_diagnostics=True)


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
    p.set_defaults(handler=commands.new_factory)
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
    p.set_defaults(handler=commands.new_spec)


DEFAULT_SPEC = "seeds/dev.yaml"


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
    p.add_argument(
        "--schema",
        dest="schemas",
        action="append",
        default=[],
        metavar="S1,S2",
        help="PostgreSQL: only the tables of these schemas (comma-separated, repeatable); "
        "default: every schema that has tables",
    )
    p.add_argument("--count", type=_count, default=10, metavar="N", help="rows per table (default: 10)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(handler=commands.init)


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of rows, not {text!r}")
    return int(text)
