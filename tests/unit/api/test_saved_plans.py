"""Saved plans: reading them and the library versions they recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seedspec.api import saved_plans
from seedspec.errors import SeedspecError


def test_an_unreadable_plan_is_e406(tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text("[1, 2]")
    with pytest.raises(SeedspecError) as caught:
        saved_plans.read_saved_plan(bad)
    assert caught.value.diagnostics[0].code == "E406"


def test_a_different_faker_is_w404_located_at_its_version(tmp_path: Path) -> None:
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps({"versions": {"faker": "0.0.1"}}, indent=2))
    (drift,) = saved_plans.library_drift(saved)
    assert drift.code == "W404"
    assert drift.location is not None
    assert drift.location.line == 3
