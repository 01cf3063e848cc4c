"""Skewed per-parent counts: ``count: {min, max, distribution, ...}`` draws each parent's count
from a distribution within [min, max]; it needs ``for_each`` (a step without one draws once)
and exactly its distribution's parameters."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.source import pointer
from seedspec.spec.semantics.common import error

COUNT_PARAMETERS: Mapping[str, tuple[str, ...]] = {
    "normal": ("mean", "stddev"),
    "lognormal": ("mu", "sigma"),
    "zipf": ("a",),
}
"""The parameters a skewed count takes per distribution (zipf's ranks are min..max)."""
_ALL = frozenset(p for names in COUNT_PARAMETERS.values() for p in names)


def check_parent_picks(i: int, step: Mapping[str, Any], factories: Mapping[str, Any]) -> Iterator[Diagnostic]:
    """A ref to the step's ``for_each`` factory (no record, no ``where``) is the row's own parent:
    ``max_picks`` or ``pick: zipf`` on it would change nothing, so they are refused (E395)."""
    parent, factory = step.get("for_each"), factories.get(str(step.get("factory")))
    if not isinstance(parent, str) or not isinstance(factory, dict):
        return
    fields = factory.get("fields")
    written = [(c, pointer("factories", step["factory"], "fields", c), g) for c, g in _items(fields)]
    written += [(c, pointer("seed", i, "values", c), g) for c, g in _items(step.get("values"))]
    for column, ptr, gen in written:
        if not (isinstance(gen, dict) and gen.get("ref") == parent and not gen.get("where")):
            continue
        for option in ("max_picks", "pick"):
            if option in gen and (option == "max_picks" or gen[option] == "zipf"):
                yield error(
                    "E395",
                    f"'{column}' is the row's own '{parent}' (the step runs for_each {parent}), so "
                    f"{option} has nothing to pick",
                    ptr + "/" + option,
                    f"drop {option}; to skew or cap how many rows each '{parent}' gets, use a skewed "
                    "count (count: {min, max, distribution: ...})",
                )


def _items(value: Any) -> list[tuple[str, Any]]:
    return list(value.items()) if isinstance(value, dict) else []


def check_count_skew(i: int, step: Mapping[str, Any]) -> Iterator[Diagnostic]:
    count = step.get("count")
    if not isinstance(count, dict):
        return
    ptr = pointer("seed", i, "count")
    name = count.get("distribution")
    given = sorted(_ALL & set(count))
    if name is None:
        if given:
            yield error(
                "E392",
                f"count has {', '.join(given)} but no distribution",
                ptr + "/" + given[0],
                "add distribution: normal (mean, stddev), lognormal (mu, sigma) or zipf (a), or drop "
                + ", ".join(given),
            )
        return
    if not step.get("for_each"):
        yield error(
            "E392",
            "a skewed count draws each parent's count, but this step has no for_each: it draws once",
            ptr + "/distribution",
            "add for_each: <parent factory>, or write the count as a number",
        )
    wanted = COUNT_PARAMETERS[name]
    missing = [p for p in wanted if p not in count]
    if missing:
        yield error(
            "E392",
            f"a {name} count needs {' and '.join(missing)} (it takes {' and '.join(wanted)})",
            ptr,
            f"add {', '.join(f'{p}: ...' for p in missing)}",
        )
    for extra in (p for p in given if p not in wanted):
        yield error(
            "E392",
            f"a {name} count takes {' and '.join(wanted)}, not {extra}",
            ptr + "/" + extra,
            f"drop {extra}, or use the distribution it belongs to",
        )
