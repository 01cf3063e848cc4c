"""Scaffolding: guess a factory for a table from its columns (``seedspec new factory``).

Pure: a SQLAlchemy ``Table`` in, a ``FactoryDraft`` out. Nothing here reads files or connects, so
``seedspec init --from-database`` can reuse the guesses; ``scaffold_text`` writes drafts as text.
Guesses for single columns are in ``column_guess``, names in ``names``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from seedspec.database.tables import column_kind, foreign_key_target, unique_sets
from seedspec.scaffold.column_guess import guess_generator, unique_guess

# names re-exported for the API's new_factory
from seedspec.scaffold.names import check_name as check_name
from seedspec.scaffold.names import factory_name as factory_name
from seedspec.scaffold.names import snake_case as snake_case
from seedspec.scaffold.names import unknown_table as unknown_table


@dataclass(frozen=True, slots=True, kw_only=True)
class DraftField:
    """One field of a drafted factory; ``commented_out`` ones are written as comments."""

    name: str
    generator: Any
    comment: str = ""
    commented_out: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class FactoryDraft:
    """A guessed factory: what ``seedspec new factory`` appends to a spec.

    ``missing`` lists ``(factory, table)`` for refs to factories the spec does not have yet;
    ``left_out`` the columns the database fills (autoincrement keys, defaults, computed);
    ``notes`` are written as comments under the factory's name.
    """

    name: str
    table: str
    key: tuple[str, ...] = ()
    fields: tuple[DraftField, ...] = ()
    left_out: tuple[str, ...] = ()
    missing: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    blocked: str = ""  # why ``init`` drafts no rows for it (its step has count 0)

    def mapping(self) -> dict[str, Any]:
        """The factory as spec data (commented-out fields left out)."""
        result: dict[str, Any] = {"table": self.table}
        if self.key:
            result["key"] = list(self.key)
        result["fields"] = {f.name: f.generator for f in self.fields if not f.commented_out}
        return result


@dataclass(frozen=True, slots=True, kw_only=True)
class Scaffolded:
    """What ``new_factory`` did: the draft, the text block added, and whether it was written."""

    path: Path
    draft: FactoryDraft
    block: str
    written: bool


# --- guesses for a table ----------------------------------------------------------------------


def filled_by_database(column: sa.Column[Any]) -> bool:
    """Whether the database fills the column when an insert leaves it out."""
    table = column.table
    one_key = column.primary_key and len(table.primary_key.columns) == 1
    if (one_key or column.foreign_keys) and constant_default(column.server_default):
        # DEFAULT '/' on the primary key: the second row would repeat it; on a foreign key:
        # it names a parent row the spec does not write (AdventureWorks' documentnode)
        return False
    return (
        (column.server_default is not None and not _null_default(column.server_default))
        or column.default is not None
        or column.computed is not None
        or column.identity is not None
        or column is table.autoincrement_column
    )


_CONSTANT = re.compile(r"('(?:[^']|'')*'|-?\d+(?:\.\d+)?)(?:\s*::\s*[\w ]+)?")


def constant_default(default: sa.schema.FetchedValue | None) -> tuple[str | int | float] | None:
    """A literal default (``'/'::character varying``, ``0``, ``(0.00)``), the same value in every
    row, as ``(value,)``; None for no default or one computed (``now()``, ``nextval(...)``)."""
    text = str(getattr(default, "arg", "")).strip().strip("()").strip() if default is not None else ""
    match = _CONSTANT.fullmatch(text)
    if match is None:
        return None
    literal = match.group(1)
    if literal.startswith("'"):
        return (literal[1:-1].replace("''", "'"),)
    return (float(literal) if "." in literal else int(literal),)


def _null_default(default: sa.schema.FetchedValue) -> bool:
    """``DEFAULT NULL``: a nullable column's default, which fills nothing."""
    text = str(getattr(default, "arg", "")).strip().strip("()").strip()
    return text.upper() == "NULL"


# a valid literal of each PostgreSQL type seedspec has no generator for, for a NOT NULL column
PLACEHOLDERS = {
    "point": "(0,0)",
    "line": "{1,-1,0}",
    "lseg": "[(0,0),(1,1)]",
    "box": "(1,1),(0,0)",
    "path": "[(0,0),(1,1)]",
    "polygon": "((0,0),(1,1),(1,0))",
    "circle": "<(0,0),1>",
    "xml": "<placeholder/>",
    "cube": "(0)",
    "tsvector": "",
    "tsquery": "placeholder",
    "ltree": "placeholder",
}


@dataclass(slots=True)
class _Builder:
    """Collects a draft's fields, column by column."""

    table: sa.Table
    name: str
    factories: Mapping[str, str]
    fields: list[DraftField] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)

    def ref(self, field_name: str, fk: sa.ForeignKeyConstraint, nullable: bool) -> None:
        """A field holding a ref to the factory of the FK's target table."""
        target = foreign_key_target(fk)[0]
        if target == self.table.key:
            gen = {"ref": self.name}
            hint = "a self-reference: rows of earlier steps; start the tree with a record setting it to null"
            self.fields.append(DraftField(name=field_name, generator=gen, comment=hint, commented_out=True))
            return
        known = self.factories.get(target)
        if known is not None:
            self.fields.append(DraftField(name=field_name, generator={"ref": known}))
            return
        guess = factory_name(target)
        hint = f"no factory fills table {target} yet: seedspec new factory {guess} --table {target}"
        if not nullable:
            self.missing[guess] = target
        self.fields.append(
            DraftField(name=field_name, generator={"ref": guess}, comment=hint, commented_out=nullable)
        )

    def column(self, column: sa.Column[Any], unique: bool, words: frozenset[str]) -> None:
        """A field for a plain column, or a comment when there is no guess."""
        gen = unique_guess(column) if unique or column.primary_key else None
        gen = gen if gen is not None else guess_generator(column, words)
        if gen is None:
            type_name = str(column.info.get("type_name") or column.type)
            literal = None if column.nullable else PLACEHOLDERS.get(type_name.rpartition(".")[2])
            if literal is not None:
                hint = f"placeholder: seedspec has no generator for type {type_name}; write one"
                self.fields.append(DraftField(name=column.name, generator=literal, comment=hint))
                return
            hint = f"no guess for type {type_name}: write a generator"
            self.fields.append(DraftField(name=column.name, generator=None, comment=hint, commented_out=True))
            return
        if unique and isinstance(gen, dict) and "faker" in gen:
            gen = {**gen, "unique": True}
        self.fields.append(DraftField(name=column.name, generator=gen))


def guess_factory(table: sa.Table, name: str, factories: Mapping[str, str]) -> FactoryDraft:
    """A factory for ``table``: a field per column the database does not fill, refs for foreign
    keys (to the spec's factories, by table: ``factories`` maps table name -> factory name), and
    the first unique constraint (else the primary key) that the fields cover as its key."""
    builder = _Builder(table=table, name=name, factories=factories)
    words = frozenset(factory_name(table.name).split("_"))
    single_unique = {cols[0] for cols in unique_sets(table) if len(cols) == 1}
    composite = [fk for fk in table.foreign_key_constraints if len(fk.columns) > 1]
    in_composite = {c.name for fk in composite for c in fk.columns}
    singles = {fk.columns[0].name: fk for fk in table.foreign_key_constraints if len(fk.columns) == 1}
    for column in table.columns:
        if column.name in in_composite:
            continue
        if filled_by_database(column):
            builder.left_out.append(column.name)
        elif column.name in singles:
            builder.ref(column.name, singles[column.name], bool(column.nullable))
        else:
            builder.column(column, column.name in single_unique, words)
    for fk in composite:
        relation = factories.get(foreign_key_target(fk)[0], factory_name(foreign_key_target(fk)[0]))
        builder.ref(relation, fk, any(c.nullable for c in fk.columns))
    return _with_key(table, builder)


def _with_key(table: sa.Table, builder: _Builder) -> FactoryDraft:
    """The draft, keyed, with ``distinct_per`` on a key of refs (a join table): its last ref
    distinct per its first, so no two rows draw the same key, whatever the draws."""
    active = {f.name for f in builder.fields if not f.commented_out}
    pk = tuple(c.name for c in table.primary_key.columns)
    candidates = (*unique_sets(table), pk) if pk else unique_sets(table)
    key = next((cols for cols in candidates if cols and set(cols) <= active), ())
    if not key and any(column_kind(table.c[name].type) == "json" for name in active if name in table.c):
        # no constraint to key by: the rest of the columns, as a JSON (or array) value cannot be
        # looked up (E378); the drafted one is a constant, so the rows are told apart as before
        key = tuple(
            f.name
            for f in builder.fields
            if f.name in active and f.name in table.c and column_kind(table.c[f.name].type) != "json"
        )
    fields = builder.fields
    refs = {
        f.name: f
        for f in fields
        if not f.commented_out and isinstance(f.generator, dict) and "ref" in f.generator
    }
    if len(key) >= 2 and set(key) <= set(refs):  # the last ref distinct per the first: no key twice
        second = refs[key[-1]]
        distinct = DraftField(name=second.name, generator={**second.generator, "distinct_per": key[0]})
        fields = [distinct if f is second else f for f in fields]
    return FactoryDraft(
        name=builder.name,
        table=table.key,
        key=key,
        fields=tuple(fields),
        left_out=tuple(builder.left_out),
        missing=tuple(builder.missing.items()),
    )
