"""The lookup key of a drafted table (pure): the columns whose drafted values read back exactly
as written, so that re-applying finds the rows again. A unique constraint or the primary key
the fields cover with such values; else the primary key the database counts, written as a
sequence; else every such field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import sqlalchemy as sa

from seedspec.database.tables import fixed_width, unique_sets
from seedspec.scaffold.guess import DraftField
from seedspec.scaffold.narrowing import base_type, column_kind_of


class Draft(Protocol):
    """What ``table_draft``'s table offers this module."""

    table: sa.Table
    dialect: str
    fields: dict[str, DraftField]
    left_out: list[str]
    notes: list[str]

    def active(self, name: str) -> bool: ...


def stable_key_column(column: sa.Column[Any], dialect: str) -> bool:
    """Whether values of the column read back exactly as written, so a key of them finds the
    rows again: not floats, not time zone-aware datetimes (read back shifted), not
    PostgreSQL's blank-padded CHAR, not JSON, bytes or exotic types."""
    kind = column_kind_of(column)
    type_ = base_type(column.type)
    if kind in ("int", "decimal", "date", "bool"):
        return True
    if kind == "datetime":
        return not getattr(type_, "timezone", False)
    if kind == "str":
        return not (fixed_width(type_) and dialect == "postgresql")
    return isinstance(type_, sa.Uuid)  # read back as UUID, compared as one


def fills_width(gen: Any, column: sa.Column[Any]) -> bool:
    """Whether ``gen`` writes every character of a ``CHAR(n)`` (``{sequence: "{n:06d}"}``, a
    ``bothify`` of n characters), so its values read back unpadded."""
    length = getattr(base_type(column.type), "length", None)
    pattern = gen.get("sequence") if isinstance(gen, dict) else None
    if isinstance(gen, dict) and gen.get("faker") == "bothify":  # a CHECK's pattern: a character each
        text = gen.get("args", {}).get("text")
        return isinstance(text, str) and len(text) == length
    return isinstance(pattern, str) and length is not None and pattern == f"{{n:0{length}d}}"


def always_null(gen: Any) -> bool:
    return gen is None or (isinstance(gen, dict) and gen.get("null_rate") == 1)


def counted(column: sa.Column[Any]) -> bool:
    """An integer key the database counts (autoincrement, serial, identity by default),
    which accepts explicit values."""
    if column_kind_of(column) != "int" or (column.identity is not None and column.identity.always):
        return False
    default = str(getattr(column.server_default, "arg", ""))
    return column is column.table.autoincrement_column or "nextval(" in default or column.identity is not None


def _reads_back(draft: Draft, name: str) -> bool:
    """Whether the column's drafted values read back as written (a key of them finds the rows)."""
    column = draft.table.c[name]
    if stable_key_column(column, draft.dialect):
        return True
    if not fixed_width(base_type(column.type)):
        return False
    f = draft.fields.get(name)
    if f is None or (isinstance(f.generator, dict) and "ref" in f.generator):
        return True  # a ref (or relationship) to a CHAR(n) key: the parent's is drafted to fill all n
    return fills_width(f.generator, column)


def _faker(draft: Draft, name: str) -> bool:
    gen = draft.fields.get(name, DraftField(name=name, generator=None)).generator
    return isinstance(gen, dict) and "faker" in gen


def choose_key(draft: Draft, unstable: frozenset[str]) -> tuple[str, ...]:
    """A unique constraint or the primary key the fields cover with stable values; else the
    autoincrement primary key, written as a sequence (a field put first); else every stable
    field. ``unstable``: columns something else sets (an insert trigger)."""

    def stable(names: Iterable[str]) -> bool:
        return all(
            draft.active(n)
            and n not in unstable
            and not always_null(draft.fields[n].generator)
            and _reads_back(draft, n)
            for n in names
        )

    table = draft.table
    pk = tuple(c.name for c in table.primary_key.columns)
    candidates = [cols for cols in (*unique_sets(table), pk) if cols and stable(cols)]
    lasting = [cols for cols in candidates if not all(_faker(draft, n) for n in cols)]
    if lasting:
        return lasting[0]
    counters = [n for n in pk if n in draft.left_out and counted(table.c[n])]
    if len(counters) == 1:
        draft.left_out.remove(counters[0])
        draft.fields = {counters[0]: DraftField(name=counters[0], generator={"sequence": 1}), **draft.fields}
        return (counters[0],)
    if candidates:  # Faker output: a Faker upgrade may change it (W401)
        return candidates[0]
    keyed = tuple(n for n in draft.fields if n in table.c and stable((n,)))
    if not keyed:
        draft.notes.append("no field reads back exactly: re-applying may create rows again; set key:")
    return keyed
