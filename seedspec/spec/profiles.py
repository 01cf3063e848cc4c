"""Profiles: a spec's ``params:`` with ``--set`` overrides, counts written as templates, ``--scale``.

Pure: overrides produce a new document (so the plan's digest follows them); counts render in the
sandbox with ``params`` as their only name.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from seedspec import suggest
from seedspec.errors import Diagnostic, SpecInvalid
from seedspec.language import templates
from seedspec.limits import MAX_COUNT
from seedspec.spec.loader import LoadedSpec
from seedspec.spec.scalars import typed_scalar

Scalar = str | int | float | bool | dt.date | None
MAX_SCALE = 1000


def spec_params(document: Mapping[str, Any]) -> dict[str, Scalar]:
    """The spec's parameters with their (possibly overridden) values."""
    params = document.get("params")
    return dict(params) if isinstance(params, dict) else {}


def with_profile(spec: LoadedSpec, values: Mapping[str, str], scale: float | None = None) -> LoadedSpec:
    """``spec`` with ``--set name=value`` overrides and ``--scale`` applied to its document.

    Values are read by ``typed_scalar`` (``10`` is a number, ``true`` a boolean, ``010`` text) and
    must have the type of the parameter's default (an integer default takes integers only).

    Raises:
        SpecInvalid: E700 for a parameter the spec does not declare, E701 for a value of the
            wrong type, E702 for a scale that is not a positive number.
    """
    if not values and scale is None:
        return spec
    document = copy.deepcopy(spec.document)
    declared = spec_params(document)
    problems = [d for name, text in values.items() if (d := _override(declared, name, text)) is not None]
    if scale is not None and not (0 < scale <= MAX_SCALE):  # NaN fails both comparisons
        problems.append(
            Diagnostic(
                code="E702",
                message=f"--scale {scale:g} is not a number above 0 and at most {MAX_SCALE}",
                hint="--scale 0.1 makes every top-level count a tenth; --scale 2 doubles them",
            )
        )
    if problems:
        raise SpecInvalid(tuple(problems))
    if declared:
        document["params"] = declared
    settings = document.setdefault("settings", {})
    if scale is not None and isinstance(settings, dict):  # else the schema reports settings
        settings["scale"] = scale
    return dataclasses.replace(spec, document=document)


def _override(declared: dict[str, Scalar], name: str, text: str) -> Diagnostic | None:
    if name not in declared:
        listing = ", ".join(sorted(declared)) or "none"
        return Diagnostic(
            code="E700",
            message=f"--set {name}={text}: the spec has no parameter '{name}' (it has: {listing})",
            hint=_did_you_mean(name, declared) + "(parameters are declared under params: with a default)",
        )
    value = typed_scalar(text)
    default = declared[name]
    if isinstance(default, dt.date) and isinstance(value, str):
        value = _date(value, type(default))
    if not _same_kind(value, default):
        return Diagnostic(
            code="E701",
            message=f"--set {name}={text}: '{name}' takes {_kind(default)} (its default is {default!r})",
            hint=f"for example --set {name}={default}",
        )
    if isinstance(default, str) or default is None:
        declared[name] = text if isinstance(default, str) else value  # '--set code=007' is "007"
    else:
        declared[name] = float(value) if isinstance(default, float) else value
    return None


def _did_you_mean(name: str, known: Mapping[str, Any]) -> str:
    suggestion = suggest.did_you_mean(name, known)
    return f"{suggestion} " if suggestion else ""


def _date(text: str, kind: type[dt.date]) -> Any:
    try:
        return kind.fromisoformat(text.strip())
    except ValueError:
        return text


def _kind(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, dt.datetime):
        return "a datetime (ISO 8601)"
    if isinstance(value, dt.date):
        return "a date (YYYY-MM-DD)"
    return "any value" if value is None else "a string"


def _same_kind(value: Any, default: Scalar) -> bool:
    if default is None:
        return isinstance(value, str | int | float | bool) or value is None
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int):
        return isinstance(value, int)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if isinstance(default, dt.date):
        return isinstance(value, type(default))
    return True  # a string parameter takes any text: '--set domain=10' means "10"


class CountError(ValueError):
    """A count template that does not give a non-negative integer."""


def render_count(value: Any, params: Mapping[str, Scalar]) -> int:
    """A count as written (an integer or a template over ``params``) as an integer.

    Raises:
        CountError: the template fails or does not give a non-negative integer.
    """
    if not isinstance(value, str):
        return _at_most_max(int(value), f"count {value}")
    try:
        text = templates.render(value, params=dict(params)).strip()
    except templates.TemplateError as exc:
        raise CountError(f"count template {value!r} fails: {exc}") from exc
    try:
        number = float(text)
    except ValueError:
        raise CountError(f"count template {value!r} gives {text[:80]!r}, not a number") from None
    if number < 0 or not number.is_integer():
        raise CountError(f"count template {value!r} gives {text[:80]}, not a whole number of rows")
    return _at_most_max(int(number), f"count template {value!r} gives {text[:80]}, which")


def _at_most_max(count: int, what: str) -> int:
    if count > MAX_COUNT:
        raise CountError(f"{what} is more than {MAX_COUNT:,} rows (the most one step may create)")
    return count


def step_count(step: Mapping[str, Any], params: Mapping[str, Scalar], scale: float) -> tuple[int, int | None]:
    """(count, max or None) of a seed step: templates rendered, then multiplied by ``scale``
    unless the step runs ``for_each`` (its count is per parent: children follow their parents).

    Raises:
        CountError: a count template fails.
    """
    factor = 1.0 if step.get("for_each") else scale
    count = step.get("count", 1)
    if isinstance(count, dict):
        low, high = render_count(count["min"], params), render_count(count["max"], params)
        return scaled(low, factor), scaled(high, factor)
    return scaled(render_count(count, params), factor), None


def with_counts(document: Mapping[str, Any]) -> list[Any]:
    """The seed steps with every count as the number it stands for (0 where a template fails:
    that is reported where the count is checked), for the checks that add counts up."""
    params, scale = spec_params(document), float(document.get("settings", {}).get("scale", 1))
    steps = []
    for step in document.get("seed", []):
        if isinstance(step, dict) and "count" in step:
            try:
                low, high = step_count(step, params, scale)
            except CountError:
                low, high = 0, None
            step = {**step, "count": low if high is None else {"min": low, "max": high}}
        steps.append(step)
    return steps


def scaled(count: int, scale: float) -> int:
    """``count`` times ``scale``, rounded half up; a non-zero count never scales below 1."""
    if count == 0 or scale == 1:
        return count
    exact = Decimal(count) * Decimal(str(scale))  # 45 x 0.7 is 31.5, not 31.499999999999996
    return max(1, int(exact.to_integral_value(rounding=ROUND_HALF_UP)))


def params_read(source: str) -> set[str]:
    """The parameter names a template reads as ``params.name`` or ``params['name']``."""
    try:
        return templates.attributes_read(source, "params")
    except templates.TemplateSyntaxError:
        return set()  # reported as a syntax error where the template is checked
