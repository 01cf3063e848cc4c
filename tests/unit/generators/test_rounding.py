"""The rounding shared by range and distribution."""

from __future__ import annotations

import decimal

from seedspec.generators.rounding import rounded


def test_rounded() -> None:
    assert rounded(2.345, None) == 2.345
    assert rounded(2.6, 0) == 3
    assert isinstance(rounded(2.6, 0), int)
    assert rounded(2.345678, 2) == decimal.Decimal("2.35")
