"""The lookup key of a factory's step: the columns apply finds an existing row by.

One rule for the compiler (which writes the key into the plan) and the cycle breaker (which must
never defer a column of that key: a deferred column is NULL when the row is looked up and
inserted, so the row would be written, and found again, without it). Both read columns, never
field names: ``author: {ref: author}`` fills the column ``author_id``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from seedspec.catalog import TableInfo, relationship_key

TableOf = Callable[[str], TableInfo | None]  # a factory's name -> its table, where known


def lookup_key(key: Sequence[str] | None, table: TableInfo, columns: Iterable[str]) -> tuple[str, ...]:
    """The factory's explicit ``key``, else a unique constraint the filled ``columns`` cover, else
    the primary key if they cover it, else all of them."""
    if key:
        return tuple(key)
    written = tuple(columns)
    given = set(written)
    for unique in table.unique:
        if unique and set(unique) <= given:
            return unique
    if table.primary_key and set(table.primary_key) <= given:
        return table.primary_key
    return written


def filled_columns(name: str, raw: Any, table: TableInfo, table_of: TableOf) -> tuple[str, ...]:
    """The columns the field ``name`` fills: its own, or its relationship's foreign key columns."""
    if table.column(name) is not None or not isinstance(raw, dict) or not isinstance(raw.get("ref"), str):
        return (name,)
    target = table_of(raw["ref"].partition(".")[0])
    fk = relationship_key(name, target.name, table) if target is not None else None
    return fk.columns if fk is not None else (name,)


def step_columns(
    factory: Mapping[str, Any], step: Mapping[str, Any], table: TableInfo, table_of: TableOf
) -> set[str]:
    """The columns a step of ``factory`` fills, as compile overlays them: the factory's fields with
    the step's states and values over them; a step of records alone fills what all its records do."""
    base = {
        **_mapping(factory.get("fields")),
        **_states(factory, step.get("states")),
        **_mapping(step.get("values")),
    }
    records = step.get("records")
    if "count" in step or not records or not isinstance(records, dict | list):
        return _columns(base, table, table_of)
    filled = []
    for record in records.values() if isinstance(records, dict) else records:
        own = {k: v for k, v in _mapping(record).items() if k != "states"}
        fields = {**base, **_states(factory, _mapping(record).get("states")), **own}
        filled.append(_columns(fields, table, table_of))
    return set.intersection(*filled)


def _columns(fields: Mapping[str, Any], table: TableInfo, table_of: TableOf) -> set[str]:
    return {c for name, raw in fields.items() for c in filled_columns(name, raw, table, table_of)}


def _states(factory: Mapping[str, Any], names: Any) -> dict[str, Any]:
    states = _mapping(factory.get("states"))
    fields: dict[str, Any] = {}
    for name in names if isinstance(names, list) else ():
        fields.update(_mapping(states.get(name)) if isinstance(name, str) else {})
    return fields


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}
