"""Fixtures for the integration tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from helpers import EXAMPLES


@pytest.fixture(autouse=True)
def _forget_spec_modules(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Forget the table-model modules a test imported from a spec's directory.

    Specs name their models by a module path (``myapp.models:Base``) that is imported next to the
    spec; two examples may both have a ``myapp``. Each test must import its own.
    """
    before = set(sys.modules)
    yield
    roots = (str(EXAMPLES), str(tmp_path_factory.getbasetemp()))
    for name in set(sys.modules) - before:
        if (getattr(sys.modules[name], "__file__", None) or "").startswith(roots):
            del sys.modules[name]
