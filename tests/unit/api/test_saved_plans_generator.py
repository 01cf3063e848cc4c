"""Saved plans and generator versions: W405 when the spec draws with another version."""

from __future__ import annotations

import json
from pathlib import Path

from samples import compiled

from seedspec.api import saved_plans, specs
from seedspec.compiler.planfile import plan_to_dict, staleness
from seedspec.ir import GENERATOR_VERSION
from seedspec.spec.loader import LoadedSpec

SPEC = """\
version: 1
{settings}factories:
  tag:
    table: tags
    fields:
      name: {{sequence: "tag{{n}}"}}
seed:
  - factory: tag
    count: 3
"""


def _spec(tmp_path: Path, settings: str = "") -> LoadedSpec:
    (tmp_path / "spec.yaml").write_text(SPEC.format(settings=settings), encoding="utf-8")
    return specs.load(tmp_path / "spec.yaml")


def _plan(tmp_path: Path, version: int) -> Path:
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps({"steps": [], "generator_version": version}, indent=2), encoding="utf-8")
    return saved


def test_a_plan_drawn_under_an_older_version_is_w405_with_the_pin_to_write(tmp_path: Path) -> None:
    (drift,) = saved_plans.generator_drift(_plan(tmp_path, 2), _spec(tmp_path))
    assert drift.code == "W405"
    assert f"draws with version {GENERATOR_VERSION}" in drift.message
    assert "generator_version: 2" in drift.hint
    assert drift.location is not None
    assert drift.location.line == 3


def test_a_spec_pinned_to_the_plans_version_is_quiet(tmp_path: Path) -> None:
    pinned = _spec(tmp_path, "settings: {generator_version: 2}\n")
    assert saved_plans.generator_drift(_plan(tmp_path, 2), pinned) == ()
    assert saved_plans.generator_drift(_plan(tmp_path, GENERATOR_VERSION), _spec(tmp_path)) == ()


def test_a_plan_without_a_recorded_version_is_w405(tmp_path: Path) -> None:
    saved = tmp_path / "plan.json"
    saved.write_text("{}", encoding="utf-8")
    (drift,) = saved_plans.generator_drift(saved, _spec(tmp_path))
    assert "(not recorded)" in drift.message


def test_a_saved_plan_of_another_version_is_stale() -> None:
    plan = compiled()
    saved = {**plan_to_dict(plan), "against": {"steps": []}}
    assert staleness(saved, plan, {"steps": []}) is None
    reason = staleness({**saved, "generator_version": 2}, plan, {"steps": []})
    assert reason is not None
    assert "generator version 2" in reason
