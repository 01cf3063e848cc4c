"""The plan artefact: generators tagged by kind, stable JSON, row diffs, staleness."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json

from samples import compiled

from seedspec.compiler.planfile import plan_to_dict, plan_to_json, row_changes, staleness, version_drift
from seedspec.generators import registry


def test_every_generator_is_tagged_with_its_kind() -> None:
    data = plan_to_dict(compiled())
    tags = {f["generator"]["generator"] for s in data["steps"] for f in s["fields"]}
    assert tags <= {name.lower() for name in registry.IR_NAMES}
    assert "sequence" in tags


def test_the_json_is_stable_and_seeds_are_hex() -> None:
    plan = compiled()
    text = plan_to_json(plan)
    assert text == plan_to_json(compiled())
    assert all(len(s["seed"]) == 16 for s in json.loads(text)["steps"])


def test_row_changes_compare_floats_loosely_and_skip_excluded_columns() -> None:
    stored = {"a": 1.0000001, "b": "x", "c": 1}
    generated = {"a": 1.0, "b": "y", "c": 2, "d": 5}
    assert row_changes(generated, stored, exclude=("c",)) == (("b", "x", "y"),)


def test_datetimes_compare_without_zone_or_microseconds() -> None:
    stored = {"t": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC), "m": decimal.Decimal("1.5")}
    generated = {"t": dt.datetime(2024, 1, 2, 3, 4, 5, 999), "m": decimal.Decimal("1.50")}
    assert row_changes(generated, stored) == ()


def test_version_drift_lists_the_changed_libraries() -> None:
    assert version_drift({"versions": {"faker": "1"}}, (("faker", "2"),)) == [("faker", "1", "2")]
    assert version_drift({}, (("faker", "2"),)) == [("faker", None, "2")]


def test_staleness_says_why_a_saved_plan_no_longer_holds() -> None:
    plan = compiled()
    saved = {**plan_to_dict(plan), "against": {"steps": []}}
    assert staleness(saved, plan, {"steps": []}) is None
    assert "digest" not in (staleness({**saved, "digest": "x"}, plan, None) or "")
    assert staleness({**saved, "digest": "x"}, plan, None) is not None
    assert "offline" in (staleness({**saved, "against": None}, plan, None) or "")
    assert staleness(saved, dataclasses.replace(plan, steps=plan.steps[:1]), {"steps": []}) is not None


def test_a_char_column_compares_without_its_padding() -> None:
    generated = {"line": "M", "title": "Up-sized high-level ", "name": "a"}
    stored = {"line": "M ", "title": "Up-sized high-level ", "name": "a "}  # PostgreSQL pads CHAR(n)
    assert row_changes(generated, stored, padded=("line", "title")) == (("name", "a ", "a"),)
    assert row_changes({"line": "S"}, {"line": "M "}, padded=("line",)) == (("line", "M ", "S"),)
