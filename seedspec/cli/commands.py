"""The handlers of the subcommands: each reads its options, calls the API with named arguments,
prints the result and returns the exit code."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from seedspec.api import building, pipeline, saved_plans, scaffolding, specs
from seedspec.cli.common import engine as open_engine
from seedspec.cli.common import loaded, out, protect, save, selection, spec_url, with_progress
from seedspec.errors import Diagnostic, SeedspecError, Severity
from seedspec.outcome import BuildReport, Report
from seedspec.report import render

if TYPE_CHECKING:
    from seedspec.api.pipeline import Progress

EXIT_OK, EXIT_INVALID, EXIT_PENDING, EXIT_BUG = 0, 1, 2, 3


def validate(args: argparse.Namespace) -> int:
    everything: list[Diagnostic] = []
    database = open_engine(args.database_url) if args.database_url else None
    checked = []
    for path in args.specs:
        try:
            spec = loaded(path, args)
            everything.extend(specs.check(spec, database))
            checked.append(spec)
        except SeedspecError as exc:
            everything.extend(exc.diagnostics)
    if args.plan is not None:
        try:
            everything.extend(saved_plans.library_drift(args.plan))
            for spec in checked:
                everything.extend(saved_plans.generator_drift(args.plan, spec))
        except SeedspecError as exc:
            everything.extend(exc.diagnostics)
    failing = [d for d in everything if d.severity is Severity.ERROR or args.strict]
    if args.format == "json":
        out(render.diagnostics_json(everything))
    elif everything:
        out(render.diagnostics_text(everything), styled=True)
    else:
        out(f"{len(args.specs)} spec{'s' * (len(args.specs) != 1)} valid")
    return EXIT_INVALID if failing else EXIT_OK


def plan(args: argparse.Namespace) -> int:
    spec = loaded(args.spec, args)
    url = spec_url(spec, args)
    if args.offline or not specs.database_exists(url):
        execution = pipeline.plan(spec, selection=selection(args))
        save(args.out, render.plan_json(execution))
        out(
            render.plan_json(execution)
            if args.format == "json"
            else render.plan_text(execution, verbose=args.verbose)
        )
        return EXIT_PENDING if args.detailed_exitcode else EXIT_OK
    with specs.connect(open_engine(url)) as conn:
        execution, report = pipeline.plan_against(spec, conn, selection=selection(args))
    save(args.out, render.plan_with_report_json(execution, report))
    if args.format == "json":
        out(render.plan_with_report_json(execution, report))
    else:
        out(
            render.plan_text(execution, verbose=args.verbose) + "\n" + render.report_text(report), styled=True
        )
    return EXIT_PENDING if args.detailed_exitcode and report.pending else EXIT_OK


def apply(args: argparse.Namespace) -> int:
    spec = loaded(args.spec, args)
    engine = open_engine(spec_url(spec, args))
    saved = saved_plans.read_saved_plan(args.plan) if args.plan else None
    chosen, patterns = selection(args), protect()
    if args.prune and chosen is not None:
        sys.stderr.write(
            "seedspec apply: error: --prune needs the whole spec: not with --only or --exclude\n"
        )
        return EXIT_INVALID

    def run(progress: Progress | None) -> Report:
        return pipeline.apply(
            spec,
            engine,
            create=args.create,
            progress=progress,
            saved_plan=saved,
            workers=args.jobs,
            selection=chosen,
            reset=args.reset,
            force=args.force,
            protect=patterns,
            prune=args.prune,
            shards=args.shards,
            defer_indexes=args.defer_indexes,
            engine=args.engine,
        )

    report = with_progress(args, args.quiet or args.format == "json", run)
    if args.format == "json":
        out(render.report_json(report))
    elif not args.quiet:
        steps = render.steps_text(report) + "\n" if args.verbose and report.steps else ""
        out(steps + render.report_text(report), styled=True)
    return EXIT_OK


def build(args: argparse.Namespace) -> int:
    spec = loaded(args.spec, args)
    dialect = args.dialect or building.default_dialect(
        spec, args.database_url or os.environ.get("DATABASE_URL")
    )
    database = open_engine(args.database_url) if args.database_url else None
    chosen = selection(args)

    def run(progress: Progress | None) -> BuildReport:
        return building.build(
            spec,
            args.format,
            dialect=dialect,
            out=args.out,
            stream=None if args.out else sys.stdout,
            database=database,
            selection=chosen,
            progress=progress,
            workers=args.jobs,
            force=args.force,
            shard=args.shard,
            shards=args.shards,
            engine=args.engine,
        )

    report = with_progress(args, args.quiet, run)
    if args.quiet:
        return EXIT_OK
    if report.hooks_not_run:
        sys.stderr.write(render.hooks_not_run_note(report) + "\n")
    if args.out:
        out(render.build_text(report))
    return EXIT_OK


def reset(args: argparse.Namespace) -> int:
    spec = specs.load(args.spec, os.environ)
    engine = open_engine(spec_url(spec, args))
    report = pipeline.reset(spec, engine, selection=selection(args), force=args.force, protect=protect())
    if args.format == "json":
        out(render.report_json(report))
    elif not args.quiet:
        out(
            render.report_text(report) if report.reset else f"reset {report.database}: nothing to empty",
            styled=True,
        )
    return EXIT_OK


def schema(args: argparse.Namespace) -> int:
    if args.for_spec is None:
        out(json.dumps(specs.spec_schema(), indent=2))
        return EXIT_OK
    spec = specs.load(args.for_spec, os.environ)
    database = open_engine(args.database_url) if args.database_url else None
    out(json.dumps(specs.project_schema(spec, database), indent=2))
    return EXIT_OK


def new_factory(args: argparse.Namespace) -> int:
    database = open_engine(args.database_url) if args.database_url else None
    done = scaffolding.new_factory(
        args.spec, args.table, args.name, database=database, env=os.environ, write=not args.dry_run
    )
    draft = done.draft
    verb = "added" if done.written else "would add (--dry-run)"
    out(f"{verb} factory '{draft.name}' to {done.path} (table {draft.table}):\n{done.block.rstrip()}")
    for factory, table in draft.missing:
        out(
            f"note: it refers to factory '{factory}', which the spec does not have yet: "
            f"seedspec new factory {factory} --table {table} --spec {done.path}"
        )
    step = (
        f'[[seed]] factory = "{draft.name}", count = 10'
        if done.path.suffix == ".toml"
        else f"- {{factory: {draft.name}, count: 10}}"
    )
    out(f"next: review the guesses, then add a seed step such as '{step}'")
    return EXIT_OK


def new_spec(args: argparse.Namespace) -> int:
    written = scaffolding.new_spec(args.file, force=args.force)
    out(f"wrote {' and '.join(map(str, written))}")
    out(f"next: seedspec apply {args.file} --create")
    return EXIT_OK


def init(args: argparse.Namespace) -> int:
    tables = tuple(t.strip() for item in args.tables for t in item.split(",") if t.strip())
    schemas = tuple(s.strip() for item in args.schemas for s in item.split(",") if s.strip())
    engine = open_engine(args.from_database)
    try:
        done = scaffolding.init_spec(
            engine, out=args.output, tables=tables, count=args.count, force=args.force, schemas=schemas
        )
    finally:
        engine.dispose()
    if done.path is None:
        sys.stdout.write(done.text)
        return EXIT_OK
    rows = sum(step.count for step in done.draft.steps)
    out(f"wrote {done.path}: {len(done.draft.factories)} factories, {rows} rows")
    for note in done.draft.notes:
        out(f"note: {note}")
    out(f"next: review the guesses, then seedspec apply {done.path}")
    return EXIT_OK
