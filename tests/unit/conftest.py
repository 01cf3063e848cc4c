"""Fixtures shared by the unit tests: spec files written into the test's own directory."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

WriteSpec = Callable[[str, str], Path]


@pytest.fixture
def write(tmp_path: Path) -> WriteSpec:
    """``write(name, text)``: write dedented ``text`` to ``tmp_path / name``; returns the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
