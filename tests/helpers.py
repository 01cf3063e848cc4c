"""Shared test helpers: apply a spec through the public API, check idempotency, run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from dbdump import dump

import seedspec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "specs_examples"


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


def _created(report: seedspec.Report) -> dict[str, int]:
    return {t.table: t.created for t in report.tables if t.created}


def table_counts(report: seedspec.Report) -> dict[str, int]:
    """Rows created or found per table."""
    return {t.table: t.created + t.existing for t in report.tables}


def run_cli(
    *args: str | Path, cwd: Path, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m seedspec ARGS`` in ``cwd``; DATABASE_URL only when ``env`` sets it."""
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
