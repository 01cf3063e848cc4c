"""Shared test helpers: apply a spec through the public API, check idempotency, run the CLI."""

from __future__ import annotations

import gc
import io
import os
import shutil
import subprocess
import sys
import tomllib
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from dbdump import dump

import seedspec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "specs_examples"


def copy_example(source: Path, destination: Path) -> Path:
    """Copy an example folder as a fresh clone has it: without the databases, journals and bytecode
    that running the README's commands leaves in the checkout."""
    ignored = shutil.ignore_patterns("*.db", "*.db-journal", "__pycache__")
    return Path(shutil.copytree(source, destination, ignore=ignored))


def apply_spec(spec_path: Path | str, url: str, *, create: bool = True) -> seedspec.Report:
    """Load ``spec_path`` and apply it to ``url`` through the public API."""
    spec = seedspec.load(spec_path)
    engine = seedspec.create_engine(url)
    try:
        return seedspec.apply(spec, engine, create=create)
    finally:
        engine.dispose()


def assert_idempotent(spec_path: Path | str, url: str) -> seedspec.Report:
    """Apply twice: the second apply must create nothing and leave the database unchanged.

    Returns the report of the first apply.
    """
    first = apply_spec(spec_path, url)
    after_first = dump(url)
    second = apply_spec(spec_path, url)
    assert second.created == 0, f"second apply created rows: {_created(second)}"
    assert dump(url) == after_first, "second apply changed the database"
    for before, again in zip(first.steps, second.steps, strict=True):
        assert again.existing == before.created + before.existing, f"step {again.step} lost rows"
    return first


def applied_app(spec: Path, url: str, tmp_path: Path, *, at_least: int) -> Iterator[sa.Connection]:
    """The done-when cycle of an example application: applied twice (``assert_idempotent``), at
    least ``at_least`` rows created, ``plan --detailed-exitcode`` 0 with nothing *differing*; then
    a connection to count rule violations in SQL (a fixture's body: ``yield from``)."""
    report = assert_idempotent(spec, url)
    assert report.created >= at_least, report.created
    planned = run_cli("plan", spec, "--database-url", url, "--detailed-exitcode", cwd=tmp_path)
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert "differing" not in planned.stdout
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def scalar(conn: sa.Connection, sql: str) -> Any:
    """The one value ``sql`` selects (a count of violations, a count of checked rows)."""
    return conn.execute(sa.text(sql)).scalar_one()


def run_sql(url: str, statement: str) -> None:
    """One statement in its own transaction, on an engine opened and disposed for it."""
    engine = seedspec.create_engine(url)
    try:
        with engine.begin() as c:
            c.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _created(report: seedspec.Report) -> dict[str, int]:
    return {t.table: t.created for t in report.tables if t.created}


def table_counts(report: seedspec.Report) -> dict[str, int]:
    """Rows created or found per table."""
    return {t.table: t.created + t.existing for t in report.tables}


def run_cli(
    *args: str | Path, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in this process, as ``seedspec ARGS`` run in ``cwd``; DATABASE_URL only when ``env``
    sets it.

    ``cli.main`` is what ``python -m seedspec`` calls: the same parser, handlers and exit codes, without
    a second of interpreter start-up per call. Tests of the process itself (signals, import cost, hash
    seeds, the console script) use ``run_cli_process``.
    """
    from seedspec.cli import main as cli

    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with _environment(env), _working_directory(cwd), redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:  # argparse: --help, usage errors
            code = _exit_code(exit_.code, err)
    _collect_engines()
    return subprocess.CompletedProcess(["seedspec", *argv], code, out.getvalue(), err.getvalue())


def run_cli_process(
    *args: str | Path, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m seedspec ARGS`` in a subprocess in ``cwd``; DATABASE_URL only when ``env`` sets it."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "seedspec", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@contextmanager
def _environment(env: Mapping[str, str] | None) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    saved = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)


def _exit_code(code: object, err: io.StringIO) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    err.write(f"{code}\n")  # what the interpreter does with SystemExit("message")
    return 1


def _collect_engines() -> None:
    """Close the pooled connections of the engines the command left behind, as its process exit would.

    The CLI does not dispose of its engines (the process ends right after); in this process their
    connections would stay open, holding locks that a test's DROP SCHEMA then waits for.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def _raw(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)


def _included(path: Path) -> set[Path]:
    document = _raw(path)
    names = document.get("include", []) if isinstance(document, dict) else []
    names = [names] if isinstance(names, str) else names
    return {(path.parent / name).resolve() for name in names}


def example_specs() -> list[Path]:
    files = sorted(p for pattern in ("**/*.yaml", "**/*.toml") for p in EXAMPLES.glob(pattern))
    fragments = set().union(*(_included(p) for p in files))
    return [p for p in files if p.resolve() not in fragments]


def optional_module(name: str, extra: str) -> Any:
    """``import name`` for a test of an optional extra: skipped locally when it is not installed,
    but a failure under ``CI=true`` (the test extra installs it: CI must run the test, not skip it;
    the same rule as the database fixtures in conftest.py)."""
    import importlib

    import pytest

    if os.environ.get("CI") == "true":
        return importlib.import_module(name)
    return pytest.importorskip(name, reason=f"{name} is not installed: pip install 'seedspec[{extra}]'")


def offline_spec(spec: Path, ddl: Path, dialect: str = "postgresql") -> Path:
    """A copy of the YAML ``spec`` (as ``init`` drafts it) that reads its tables from the DDL file
    ``ddl`` written for ``dialect`` rather than from a database: what offline validation reads."""
    text = spec.read_text(encoding="utf-8")
    assert "\ntables:" not in text
    assert "\nversion: 1\n" in text
    tables = f"\nversion: 1\ntables: {{ddl: {str(ddl)!r}, dialect: {dialect}}}\n"
    offline = spec.with_name(f"{spec.stem}.offline{spec.suffix}")
    offline.write_text(text.replace("\nversion: 1\n", tables, 1), encoding="utf-8")
    return offline
