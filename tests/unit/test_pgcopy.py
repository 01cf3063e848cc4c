"""The COPY writer's thread handoffs (the COPY itself runs against PostgreSQL: tests/integration)."""

from __future__ import annotations

import sys

import pytest

from seedspec.pgcopy import HANDOFF_SECONDS, quick_handoffs


def test_quick_handoffs_shorten_the_switch_interval_and_restore_it() -> None:
    before = sys.getswitchinterval()
    with quick_handoffs():
        assert sys.getswitchinterval() == pytest.approx(min(before, HANDOFF_SECONDS))
    assert sys.getswitchinterval() == before
    with pytest.raises(RuntimeError), quick_handoffs():
        raise RuntimeError("an apply that fails")
    assert sys.getswitchinterval() == before
