"""Every spec under specs_examples/ applies to SQLite and is idempotent.

A spec that another spec includes (a shared ``base.yaml``) is a fragment, not an example.
New examples are picked up by the glob.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import EXAMPLES, assert_idempotent, example_specs


def test_the_examples_are_found() -> None:
    specs = example_specs()
    assert EXAMPLES / "design" / "dev.yaml" in specs
    assert EXAMPLES / "design" / "base.yaml" not in specs


@pytest.mark.parametrize("spec", example_specs(), ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_example_applies_and_is_idempotent(spec: Path, sqlite_url: str) -> None:
    report = assert_idempotent(spec, sqlite_url)
    assert report.created > 0
