"""Which related row a factory name means in a row: the rule validation and the compiler share.

A row reads the columns of its ``for_each`` parent by the parent's factory name, and those of the
row a ref field picked by the ref's factory name (``{{ customer.created_at }}``). The ref that
picks is a *leader*: a ``ref`` to the factory's pool that names no ``column`` (it picks the key).
A ``ref`` with a ``column`` to a factory the row already picks reads the same row (a follower).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PARENT = ""
"""The ``via`` of the ``for_each`` parent."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Links:
    """Per factory name, the field whose pick a row reads (``PARENT`` for the parent), and the
    factories two or more fields pick (which of them is meant cannot be told)."""

    via: Mapping[str, str] = field(default_factory=dict)
    ambiguous: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def row_links(fields: Mapping[str, Any], for_each: str | None) -> Links:
    """The related rows of a row with ``fields`` (column -> generator as written)."""
    leaders: dict[str, list[str]] = {}
    for column, gen in fields.items():
        if is_leader(gen):
            leaders.setdefault(gen["ref"], []).append(column)
    via = {name: columns[0] for name, columns in leaders.items() if len(columns) == 1}
    ambiguous = {name: tuple(columns) for name, columns in leaders.items() if len(columns) > 1}
    if for_each is not None:
        via[for_each] = PARENT
        ambiguous.pop(for_each, None)
    return Links(via=via, ambiguous=ambiguous)


def is_leader(gen: Any) -> bool:
    """Whether a generator picks a row of a factory's pool that others of the row may read."""
    return (
        isinstance(gen, dict)
        and isinstance(gen.get("ref"), str)
        and "." not in gen["ref"]
        and "column" not in gen
    )


def is_follower(gen: Any, links: Links) -> bool:
    """Whether a ``ref`` with a ``column`` reads the row another field of the row picked."""
    return (
        isinstance(gen, dict)
        and isinstance(gen.get("ref"), str)
        and "column" in gen
        and gen["ref"] in links.via
        and not gen.get("where")
        and "distinct_per" not in gen
        and "max_picks" not in gen
        and gen.get("pick", "random") == "random"
    )
