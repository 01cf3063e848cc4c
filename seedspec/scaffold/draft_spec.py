"""``seedspec init``: a whole spec drafted from a reflected schema (pure).

``seedspec.database.reflect`` reflects a database into ``SchemaFacts``; ``draft_spec`` turns them into a
``SpecDraft``: a factory per table (``table_draft``: ``guess_factory``'s guesses, narrowed by CHECK
constraints, partition bounds and triggers), a lookup key whose values survive a round trip
through the database (so re-applying is a no-op), and seed steps in foreign-key order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from seedspec.database.reflect import SchemaFacts
from seedspec.database.tables import catalog_from_metadata, foreign_key_target, unique_sets
from seedspec.errors import Diagnostic, SeedspecError
from seedspec.graph import dependency_order
from seedspec.scaffold.guess import FactoryDraft
from seedspec.scaffold.names import factory_name, unknown_table
from seedspec.scaffold.narrowing import trigger_effects
from seedspec.scaffold.table_draft import draft_factory
from seedspec.spec.semantics.cycles import break_cycles

DEFAULT_COUNT = 10
ROOTS_SHARE = 5  # one row in five starts a tree (a nullable self-reference left NULL)


@dataclass(frozen=True, slots=True, kw_only=True)
class StepDraft:
    """One seed step: ``count`` rows of ``factory``; ``values`` override fields."""

    factory: str
    count: int
    id: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    comment: str = ""

    def mapping(self) -> dict[str, Any]:
        """The step as spec data."""
        result: dict[str, Any] = {"factory": self.factory}
        if self.id is not None:
            result["id"] = self.id
        result["count"] = self.count
        if self.values:
            result["values"] = dict(self.values)
        return result


@dataclass(frozen=True, slots=True, kw_only=True)
class SpecDraft:
    """A drafted spec: factories in dependency order, their steps, and notes for the header."""

    factories: tuple[FactoryDraft, ...]
    steps: tuple[StepDraft, ...]
    notes: tuple[str, ...] = ()

    def mapping(self) -> dict[str, Any]:
        """The spec as data (without ``version`` and ``database``)."""
        return {
            "factories": {f.name: f.mapping() for f in self.factories},
            "seed": [s.mapping() for s in self.steps],
        }


# --- which tables, in which order ---------------------------------------------------------------


def _targets(table: sa.Table) -> Iterable[tuple[sa.ForeignKeyConstraint, str]]:
    for fk in table.foreign_key_constraints:
        yield fk, foreign_key_target(fk)[0]


def _chosen(tables: Mapping[str, sa.Table], only: Sequence[str]) -> tuple[list[str], list[str]]:
    """The tables to draft (``only`` and the parents their NOT NULL foreign keys need), and
    notes about the parents added.

    Raises:
        SeedspecError: E809, ``only`` names a table the database does not have.
    """
    if not only:
        return list(tables), []
    for name in only:
        if name not in tables:
            found = unknown_table(name, tables, "the database")
            raise SeedspecError(dataclasses.replace(found, code="E809"))
    chosen, notes, queue = dict.fromkeys(only), [], list(only)
    while queue:
        table = tables[queue.pop(0)]
        for fk, target in _targets(table):
            required = not any(c.nullable for c in fk.columns)
            if required and target in tables and target not in chosen:
                chosen[target] = None
                queue.append(target)
                notes.append(f"table {target} is included because {table.name} needs its rows")
    return list(chosen), notes


# --- the whole spec ----------------------------------------------------------------------------


def _factory_names(tables: Iterable[str]) -> dict[str, str]:
    """Table -> factory name, made distinct: a table in a schema is named without it
    (``bookings.flights`` -> ``flight``) unless two schemas have that name (``sales_customer``),
    then numbered (``order_detail``, ``order_detail_2``)."""
    tables = list(tables)
    bare = [factory_name(t.rpartition(".")[2]) for t in tables]
    names: dict[str, str] = {}
    taken: set[str] = set()
    for table, short in zip(tables, bare, strict=True):
        base = name = short if bare.count(short) == 1 else factory_name(table)
        n = 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        names[table] = name
        taken.add(name)
    return names


def no_tables(reason: str) -> Diagnostic:
    """E810: nothing to draft a spec from."""
    return Diagnostic(
        code="E810",
        message=f"no tables to draft a spec from: {reason}",
        hint="check the URL: its database must hold the tables (on PostgreSQL, in the schemas "
        "--schema names, or in any schema)",
    )


def draft_spec(facts: SchemaFacts, *, count: int = DEFAULT_COUNT, only: Sequence[str] = ()) -> SpecDraft:
    """A spec for the tables of ``facts`` (or ``only`` those, with the parents they need): a
    factory per table and a step of ``count`` rows each, parents first.

    Raises:
        SeedspecError: E809, ``only`` names an unknown table; E810, there is no table.
    """
    in_partitions = {p.name for p in facts.partitions}
    tables = {n: t for n, t in facts.metadata.tables.items() if n not in in_partitions}
    if not tables:
        raise SeedspecError(no_tables("the database has none"))
    chosen, notes = _chosen(tables, only)
    names = _factory_names(chosen)
    effects = {name: (frozenset[str](), frozenset[str]()) for name in chosen}
    for trigger in facts.triggers:
        if trigger.table in effects:
            cols, inserted = trigger_effects(trigger, tables[trigger.table].c.keys())
            before = effects[trigger.table]
            effects[trigger.table] = (before[0] | cols, before[1] | inserted)
    deps = {
        t: {target for _, target in _targets(tables[t]) if target in names and target != t} for t in chosen
    }
    filled_by: dict[str, list[str]] = {}
    for table, (_, inserted) in effects.items():
        for target in sorted(inserted & set(chosen)):
            deps[target].add(table)  # its insert trigger writes rows of target: target comes after
            filled_by.setdefault(target, []).append(table)
    order, cycles = dependency_order(deps)
    cycle_of = {t: c for c in cycles for t in c}
    factories, steps, empty = [], [], set[str]()
    for table in order:
        parts = [p for p in facts.partitions if p.parent == table]
        factory, tree = draft_factory(
            tables[table],
            names[table],
            names,
            dialect=facts.dialect,
            trigger_columns=effects[table][0],
            partitions=parts,
            partition_uniques=[
                cols for p in parts if p.name in facts.metadata.tables
                for cols in unique_sets(facts.metadata.tables[p.name])
            ],
        )  # fmt: skip
        extra = []
        if table in cycle_of:
            others = ", ".join(t for t in cycle_of[table] if t != table)
            extra.append(f"in a foreign-key cycle with {others}: refs on both sides")
        for writer in filled_by.get(table, ()):
            extra.append(f"an insert trigger of {writer} writes rows here too: its step comes first")
        factory = dataclasses.replace(factory, notes=(*factory.notes, *extra))
        factory = _without_empty_parents(factory, tables[table], empty)
        if factory.blocked:
            empty.add(factory.name)
        factories.append(factory)
        steps += _steps(factory, tree, count)
    for cycle in cycles:
        notes.append(f"foreign-key cycle: {' <-> '.join(cycle)}")
    draft = SpecDraft(factories=tuple(factories), steps=tuple(steps), notes=tuple(notes))
    if cycles:
        draft = dataclasses.replace(draft, notes=(*notes, *_unbreakable_cycles(draft, facts)))
    return draft


def _without_empty_parents(factory: FactoryDraft, table: sa.Table, empty: set[str]) -> FactoryDraft:
    """A ref to a factory that gets no rows (a CHECK no drafted values meet): a nullable column
    left NULL, else no rows here either, with a note."""
    fields, blocked = [], factory.blocked
    for f in factory.fields:
        target = f.generator.get("ref") if isinstance(f.generator, dict) and not f.commented_out else None
        column = table.c.get(f.name)
        if isinstance(target, str) and target.partition(".")[0] in empty:
            if column is not None and column.nullable and f.name not in factory.key:
                f = dataclasses.replace(f, commented_out=True, comment=f"left NULL: {target} gets no rows")
            else:
                blocked = blocked or f"{f.name} refers to {target}, which gets no rows"
        fields.append(f)
    notes = factory.notes if blocked == factory.blocked else (*factory.notes, f"no rows: {blocked}")
    return dataclasses.replace(factory, fields=tuple(fields), blocked=blocked, notes=notes)


def _unbreakable_cycles(draft: SpecDraft, facts: SchemaFacts) -> list[str]:
    """Why apply will refuse the draft (E332), for each foreign-key cycle seedspec cannot break
    in this database (NOT NULL and, on PostgreSQL, not DEFERRABLE both ways)."""
    document = draft.mapping()
    catalog = catalog_from_metadata(facts.metadata, facts.dialect)
    problems = break_cycles(document["factories"], document["seed"], catalog).problems
    return [
        f"apply will refuse this spec ({p.code}): {p.message}; {p.hint}" for p in problems if p.code == "E332"
    ]


def _steps(factory: FactoryDraft, tree: str | None, count: int) -> list[StepDraft]:
    """One step of ``count`` rows; two for a tree: its roots (the self-reference NULL), then
    rows under them. Each of the two numbers its key with a sequence of its own, so raising
    one count does not renumber the other's rows."""
    name = factory.name
    if factory.blocked:
        return [StepDraft(factory=name, count=0, comment="no rows: see the factory's note")]
    if tree is None or count < 2:
        return [StepDraft(factory=name, count=count, values={tree: None} if tree else {})]
    roots = max(1, count // ROOTS_SHARE)
    fields = {f.name: f.generator for f in factory.fields}
    start = fields.get(factory.key[0]) if len(factory.key) == 1 else None
    own: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    if isinstance(start, dict) and set(start) == {"sequence"} and isinstance(start["sequence"], int):
        own = ({factory.key[0]: start}, {factory.key[0]: {"sequence": start["sequence"] + roots}})
    return [
        StepDraft(
            factory=name,
            id=f"{name}_roots",
            count=roots,
            values={**own[0], tree: None},
            comment=f"roots: {tree} NULL",
        ),
        StepDraft(
            factory=name, count=count - roots, values=own[1], comment=f"{tree}: a row of the steps above"
        ),
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class Initialized:
    """What ``init_spec`` did: the spec's text and draft, and the file written (None: none)."""

    text: str
    draft: SpecDraft
    path: Path | None = None
