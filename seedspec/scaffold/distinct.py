"""Rows of a drafted table kept apart on their unique constraints (pure): ``init`` draws refs
at random, and a primary key or unique constraint made of them repeats a combination now
and then, which the database refuses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import sqlalchemy as sa

from seedspec.database.tables import unique_sets
from seedspec.scaffold.column_guess import guess_generator
from seedspec.scaffold.guess import DraftField


class Draft(Protocol):
    """What ``table_draft``'s table offers this module."""

    table: sa.Table
    name: str
    fields: dict[str, DraftField]
    left_out: list[str]

    def active(self, name: str) -> bool: ...

    def put(self, name: str, gen: Any, comment: str = "") -> None: ...


def vary_unique(draft: Draft) -> None:
    """A column the database fills with a constant default (``link_order DEFAULT 0``) in a
    unique constraint with drafted columns gets a generator: the same default in every row
    would leave only the other columns to tell rows apart."""
    for columns in unique_sets(draft.table):
        if not any(draft.active(n) for n in columns):
            continue
        for name in columns:
            column = draft.table.c.get(name)
            if name in draft.left_out and column is not None and not column.primary_key:
                gen = guess_generator(column, frozenset(draft.name.split("_")))
                if gen is not None:
                    draft.put(name, gen, "in a unique constraint: drafted, not left to its default")


def _ref(gen: Any) -> bool:
    return isinstance(gen, dict) and "ref" in gen


def distinct_keys(draft: Draft, more: Sequence[tuple[str, ...]] = ()) -> None:
    """A primary key or unique constraint of two refs or more picked at random (a link table's
    ``(event, editor, tag)``), and no sequence: its first ref walks its target
    (``round_robin``), distinct while the count stays within the target's. ``more``: unique
    sets of the table's partitions (PostgreSQL keeps a partition's unique index to itself)."""
    pk = tuple(c.name for c in draft.table.primary_key.columns)
    for columns in (*unique_sets(draft.table), pk, *more):
        if not all(n in draft.table.c for n in columns):
            continue
        gens = {n: draft.fields[n].generator for n in columns if draft.active(n)}
        refs = [n for n, g in gens.items() if _ref(g)]
        counted = any(isinstance(g, dict) and "sequence" in g for g in gens.values())
        picked = any("pick" in gens[n] or "distinct_per" in gens[n] for n in refs)
        if len(refs) >= 2 and not counted and not picked:
            name = refs[0]
            draft.put(name, {**gens[name], "pick": "round_robin"}, "distinct key: walks its target")
