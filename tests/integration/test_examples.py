"""Every spec under specs_examples/ applies to SQLite and is idempotent.

A spec that another spec includes (a shared ``base.yaml``) is a fragment, not an example.
New examples are picked up by the glob.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import EXAMPLES, assert_idempotent


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


def test_the_examples_are_found() -> None:
    specs = example_specs()
    assert EXAMPLES / "design" / "dev.yaml" in specs
    assert EXAMPLES / "design" / "base.yaml" not in specs


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_example_applies_and_is_idempotent(spec: Path, sqlite_url: str) -> None:
    report = assert_idempotent(spec, sqlite_url)
    assert report.created > 0
