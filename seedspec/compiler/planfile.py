"""The plan as a versioned artefact: JSON in and out, no timestamps. Pure."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import math
from collections.abc import Mapping
from typing import Any

from seedspec.generators import registry
from seedspec.ir import Plan


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        kind = type(value).__name__
        return {"generator": kind.lower(), **out} if kind in _GENERATOR_KINDS else out
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


_GENERATOR_KINDS = registry.IR_NAMES


def row_changes(
    generated: dict[str, Any],
    stored: dict[str, Any],
    *,
    exclude: tuple[str, ...] = (),
    padded: tuple[str, ...] = (),
) -> tuple[tuple[str, Any, Any], ...]:
    """(column, stored, generated) for every generated column whose stored value differs.
    ``padded`` columns are ``CHAR(n)``: trailing blanks are padding there, not a difference."""
    changes = []
    for column, value in generated.items():
        if column in exclude or column not in stored:
            continue
        before = stored[column]
        if column in padded and isinstance(before, str) and isinstance(value, str):
            if before.rstrip(" ") == value.rstrip(" "):
                continue
        elif _same(before, value):
            continue
        changes.append((column, before, value))
    return tuple(changes)


def _same(stored: Any, value: Any) -> bool:
    if isinstance(stored, float) or isinstance(value, float):
        try:
            return math.isclose(float(stored), float(value), rel_tol=1e-6)
        except (TypeError, ValueError):
            return False
    if isinstance(stored, dt.datetime) and isinstance(value, dt.datetime):
        return stored.replace(tzinfo=None, microsecond=0) == value.replace(tzinfo=None, microsecond=0)
    return bool(stored == value)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The JSON-ready form of a plan (``seedspec plan --format json``)."""
    data: dict[str, Any] = _jsonable(plan)
    data["pool_columns"] = {k: list(v) for k, v in plan.pool_columns}
    for step in data["steps"]:
        step["seed"] = f"{step['seed']:016x}"  # 64-bit: past what JSON readers hold exactly
    data["versions"] = dict(plan.versions)
    data["params"] = _jsonable(dict(plan.params))
    return data


def plan_to_json(plan: Plan) -> str:
    """A stable, diffable JSON text of the plan."""
    return json.dumps(plan_to_dict(plan), indent=2, sort_keys=False) + "\n"


def _counts(report_data: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("step", "table", "created", "existing", "updated", "differing")
    return [tuple(step.get(k) for k in keys) for step in report_data.get("steps", [])]


def version_drift(
    saved: Mapping[str, Any], now: tuple[tuple[str, str], ...]
) -> list[tuple[str, str | None, str]]:
    """(library, version then, version now) for each library that changed since ``saved``."""
    then = saved.get("versions")
    then = then if isinstance(then, dict) else {}
    return [(lib, then.get(lib), version) for lib, version in now if then.get(lib) != version]


def staleness(saved: Mapping[str, Any], plan: Plan, report_data: Mapping[str, Any] | None) -> str | None:
    """Why a saved plan no longer describes what applying would do, or None when it still does.

    ``report_data`` is the JSON form of a dry run against the database now.
    """
    if saved.get("format") != plan.format:
        return f"it is in plan format {saved.get('format')}, this seedspec writes format {plan.format}"
    if saved.get("digest") != plan.digest:
        return "the spec, or its --set / --scale profile, changed since the plan was made"
    saved_steps = [s.get("id") for s in saved.get("steps", []) if isinstance(s, dict)]
    if saved_steps != [s.id for s in plan.steps]:
        return "it covers other steps (made with other --only / --exclude, or the steps changed)"
    if saved.get("generator_version") != plan.generator_version:
        return (
            f"it was drawn with generator version {saved.get('generator_version')}, the spec draws "
            f"with version {plan.generator_version} (settings.generator_version)"
        )
    if saved.get("versions") != dict(plan.versions):
        return f"library versions changed ({saved.get('versions')} then, {dict(plan.versions)} now)"
    against = saved.get("against")
    if against is None:
        return "it was made without a database (plan --offline), so it cannot vouch for one"
    if report_data is None or _counts(against) != _counts(report_data):
        return "the database changed since the plan was made"
    return None
