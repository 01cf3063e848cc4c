"""``seedspec init``: a whole spec drafted from a reflected schema (pure).

``seedspec.database.reflect`` reflects a database into ``SchemaFacts``; ``draft_spec`` turns them into a
``SpecDraft``: a factory per table (``scaffold.guess_factory``'s guesses, narrowed by CHECK
constraints, partition bounds and triggers), a lookup key whose values survive a round trip
through the database (so re-applying is a no-op), and seed steps in foreign-key order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from seedspec.database.tables import catalog_from_metadata, column_kind
from seedspec.errors import Diagnostic, SeedspecError
from seedspec.graph import dependency_order
from seedspec.scaffold import checks
from seedspec.scaffold.guess import (
    DraftField,
    FactoryDraft,
    factory_name,
    filled_by_database,
    guess_factory,
    guess_generator,
    unique_sets,
    unknown_table,
)
from seedspec.spec.semantics.cycles import break_cycles

DEFAULT_COUNT = 10
ROOTS_SHARE = 5  # one row in five starts a tree (a nullable self-reference left NULL)


@dataclass(frozen=True, slots=True, kw_only=True)
class Trigger:
    """A trigger that fires on INSERT into ``table``; ``text`` is its definition and body."""

    table: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Partition:
    """A PostgreSQL partition ``name`` of ``parent``: the parent's partition key as printed by
    ``pg_get_partkeydef`` (``RANGE (payment_date)``) and this partition's bound as printed by
    ``pg_get_expr`` (``FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')``)."""

    name: str
    parent: str
    key: str
    bound: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaFacts:
    """A reflected schema plus what reflection misses: partitions (whose foreign keys the
    reflecting code has copied onto their parent) and insert triggers."""

    metadata: sa.MetaData
    dialect: str
    partitions: tuple[Partition, ...] = ()
    triggers: tuple[Trigger, ...] = ()


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
        yield fk, fk.elements[0].target_fullname.split(".")[-2]


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


# --- triggers ---------------------------------------------------------------------------------

_QUOTED = r"[`\"\[]?(\w+)[`\"\]]?"
_NEW_ASSIGNED = re.compile(r"\bnew\s*\.\s*" + _QUOTED + r"\s*:?=(?!=)", re.IGNORECASE)
_UPDATE_SET = re.compile(r"\bupdate\s+" + _QUOTED + r"\s+set\s+(.*?)\bwhere\b", re.IGNORECASE | re.DOTALL)
_ASSIGNED = re.compile(_QUOTED + r"\s*=")
_CALLED_WITH = re.compile(
    r"\bexecute\s+(?:function|procedure)\s+[\w.\"]+\s*\((.*?)\)", re.IGNORECASE | re.DOTALL
)
_INSERT_INTO = re.compile(r"\binsert\s+into\s+" + _QUOTED, re.IGNORECASE)


def trigger_effects(trigger: Trigger, columns: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The columns of its own table an insert trigger sets (``NEW.col := ...``, SQLite's
    ``UPDATE t SET col = ...``, a column named as the first argument of the trigger function) and the
    tables it inserts into."""
    names = set(columns)
    text = trigger.text
    found = set(_NEW_ASSIGNED.findall(text))
    for table, assignments in _UPDATE_SET.findall(text):
        if table == trigger.table:
            found |= set(_ASSIGNED.findall(assignments))
    for arguments in _CALLED_WITH.findall(text):  # tsvector_update_trigger('fulltext', ...)
        found |= set(re.findall(r"^\s*'(\w+)'", arguments))
    return frozenset(found & names), frozenset(_INSERT_INTO.findall(text))


# --- one table ---------------------------------------------------------------------------------


def _base_type(type_: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """A domain's underlying type (PostgreSQL ``CREATE DOMAIN year AS integer``)."""
    data_type = getattr(type_, "data_type", None)
    return data_type if isinstance(data_type, sa.types.TypeEngine) else type_


def _kind(column: sa.Column[Any]) -> str:
    return column_kind(_base_type(column.type))


def _fallback(column: sa.Column[Any], words: frozenset[str]) -> Any | None:
    """A guess for a type ``guess_generator`` does not know: a domain's base type, a tsvector."""
    base = _base_type(column.type)
    if base is not column.type:
        return guess_generator(sa.Column(column.name, base), words)
    if column.type.__visit_name__.upper() == "TSVECTOR":
        return {"faker": "word"}
    return None


def stable_key_column(column: sa.Column[Any], dialect: str) -> bool:
    """Whether values of the column read back exactly as written, so a key of them finds the
    rows again: not floats, not time zone-aware datetimes (read back shifted), not
    PostgreSQL's blank-padded CHAR, not JSON, bytes or exotic types."""
    kind = _kind(column)
    type_ = _base_type(column.type)
    if kind in ("int", "decimal", "date", "bool"):
        return True
    if kind == "datetime":
        return not getattr(type_, "timezone", False)
    if kind == "str":
        padded = isinstance(type_, sa.CHAR | sa.NCHAR) and not isinstance(type_, sa.VARCHAR | sa.NVARCHAR)
        return not (padded and dialect == "postgresql")
    return False


def _int_bounds(r: checks.Restriction) -> tuple[float | None, float | None]:
    low = None if r.low is None else math.floor(r.low) + 1 if r.low_open else math.ceil(r.low)
    high = None if r.high is None else math.ceil(r.high) - 1 if r.high_open else math.floor(r.high)
    return low, high


def _within(current: Any, low: float | None, high: float | None, width: float) -> tuple[float, float]:
    """The current range cut to [low, high]; the constraint's own range when they do not meet."""
    a, b = current if isinstance(current, list) and len(current) == 2 else (0, 1000)
    a = a if low is None else max(a, low)
    b = b if high is None else min(b, high)
    if a <= b:
        return a, b
    if low is not None:
        return low, low + width if high is None else high
    assert high is not None  # a range that misses the current one has a bound
    return high - width, high


def narrow(gen: Any, restriction: checks.Restriction, column: sa.Column[Any]) -> Any | None:
    """``gen`` changed so that its values pass a CHECK; None when seedspec cannot do that."""
    kind = _kind(column)
    if restriction.allowed is not None:
        values = [v for v in restriction.allowed if v is not None]
        if kind == "int":
            values = [int(v) for v in values if not isinstance(v, str) and float(v).is_integer()]
        if not values:
            return None
        return values[0] if len(values) == 1 else {"choice": values}
    if restriction.low is None and restriction.high is None:
        return gen
    current = gen.get("range") if isinstance(gen, dict) else None
    if kind == "int":
        low, high = _int_bounds(restriction)
        if isinstance(gen, dict) and isinstance(gen.get("sequence"), int):
            return {**gen, "sequence": max(gen["sequence"], low if low is not None else gen["sequence"])}
        a, b = _within(current, low, high, 1000)
        return {"range": [int(a), int(b)]}
    if kind in ("float", "decimal"):
        decimals = gen.get("decimals", 2) if isinstance(gen, dict) else 2
        step = 10.0**-decimals
        low = None if restriction.low is None else restriction.low + (step if restriction.low_open else 0)
        high = None if restriction.high is None else restriction.high - (step if restriction.high_open else 0)
        a, b = _within(current, low, high, 1000.0)
        a, b = math.ceil(a / step) * step, math.floor(b / step) * step
        return {"range": [round(a, decimals), round(b, decimals)], "decimals": decimals}
    return None


_BOUND_VALUE = re.compile(r"'([^']*)'|(?<![\w'])(-?\d+(?:\.\d+)?)(?![\w'])")


def _bound_values(bound: str) -> list[str]:
    """The literals of a partition bound: quoted text or numbers."""
    return [quoted or number for quoted, number in _BOUND_VALUE.findall(bound)]


def partition_generator(parts: Sequence[Partition], column: sa.Column[Any]) -> Any | None:
    """A generator whose values fall into one of the partitions: within the lowest and highest
    range bounds (a day inside each end, away from time zone shifts), or one of the list values.
    None when a default partition takes everything or the bounds are not understood."""
    if any("DEFAULT" in p.bound.upper() for p in parts):
        return None
    if all(p.bound.upper().startswith("FOR VALUES IN") for p in parts):
        return {"choice": [v for p in parts for v in _bound_values(p.bound)]}
    lows, highs = [], []
    for p in parts:
        match = re.match(r"FOR VALUES FROM \((.*)\) TO \((.*)\)$", p.bound.strip(), re.IGNORECASE)
        if match is None or "MINVALUE" in p.bound.upper() or "MAXVALUE" in p.bound.upper():
            return None
        lows += _bound_values(match.group(1))[:1]
        highs += _bound_values(match.group(2))[:1]
    if not lows or not highs:
        return None
    kind = _kind(column)
    if kind == "int":
        return {"range": [min(int(v) for v in lows), max(int(v) for v in highs) - 1]}
    if kind not in ("date", "datetime"):
        return None
    day = dt.timedelta(days=1)
    low = min(dt.datetime.fromisoformat(v[:19]) for v in lows)
    high = max(dt.datetime.fromisoformat(v[:19]) for v in highs)
    if kind == "date":
        return {"range": [low.date().isoformat(), (high - day).date().isoformat()]}
    return {"range": [(low + day).isoformat(), (high - day).isoformat()]}


@dataclass(slots=True)
class _Table:
    """Drafts one table's factory: the guesses, then every adjustment, then the key."""

    table: sa.Table
    name: str
    dialect: str
    fields: dict[str, DraftField]
    left_out: list[str]
    notes: list[str] = field(default_factory=list)
    tree: str | None = None  # the column of a nullable self-reference

    def column(self, name: str) -> sa.Column[Any] | None:
        return self.table.c.get(name)

    def active(self, name: str) -> bool:
        f = self.fields.get(name)
        return f is not None and not f.commented_out

    def put(self, name: str, gen: Any, comment: str = "") -> None:
        self.fields[name] = DraftField(name=name, generator=gen, comment=comment)

    def comment_out(self, name: str, comment: str) -> None:
        f = self.fields[name]
        self.fields[name] = DraftField(name=name, generator=f.generator, comment=comment, commented_out=True)

    def fill_unknown_types(self) -> None:
        words = frozenset(self.name.split("_"))
        for name, f in list(self.fields.items()):
            column = self.column(name)
            if column is not None and f.commented_out and f.generator is None:
                gen = _fallback(column, words)
                if gen is not None:
                    self.put(name, gen)
                elif not column.nullable:
                    self.notes.append(f"{name} is NOT NULL and of type {column.type}: write its generator")

    def self_reference(self) -> None:
        for name, f in self.fields.items():
            column = self.column(name)
            if not (
                f.commented_out and isinstance(f.generator, dict) and f.generator.get("ref") == self.name
            ):
                continue
            if column is not None and column.nullable:
                self.put(name, f.generator, "a tree: the first step's rows are its roots (NULL)")
                self.tree = name
            else:
                self.notes.append(
                    f"{name} refers to this table and is NOT NULL: write its first rows by hand"
                )

    def triggers(self, columns: frozenset[str]) -> None:
        for name in sorted(columns):
            column = self.column(name)
            if column is None or not self.active(name):
                continue
            if column.nullable:
                del self.fields[name]
                self.left_out.append(name)
            else:
                self.put(
                    name, self.fields[name].generator, "set by an insert trigger; given to pass NOT NULL"
                )

    def checks(self) -> None:
        columns = [c.name for c in self.table.columns]
        texts: list[tuple[str, str | None]] = [
            (str(k.sqltext), None) for k in self.table.constraints if isinstance(k, sa.CheckConstraint)
        ]
        texts += [
            (str(getattr(c.type, "check", "")), c.name)
            for c in self.table.columns
            if getattr(c.type, "check", None) is not None and _base_type(c.type) is not c.type
        ]
        for text, value_column in texts:
            found = checks.restrictions(text, columns, value_column)
            if found is None:
                self._not_understood(text, checks.mentioned(text, columns) or (value_column or "",))
                continue
            for name, restriction in found.items():
                column = self.column(name)
                if column is None or not self.active(name):
                    continue
                gen = narrow(self.fields[name].generator, restriction, column)
                if gen is None:
                    self._not_understood(text, (name,))
                else:
                    self.put(name, gen, self.fields[name].comment)

    def _not_understood(self, text: str, names: Iterable[str]) -> None:
        short = " ".join(text.split())
        short = short if len(short) <= 40 else short[:37] + "..."
        for name in names:
            column = self.column(name)
            if column is None or not self.active(name):
                continue
            if column.nullable:
                self.comment_out(name, f"left NULL: CHECK ({short}) not understood")
            else:
                self.put(name, self.fields[name].generator, f"CHECK ({short}) not understood: review")

    def partitions(self, parts: Sequence[Partition]) -> None:
        if not parts:
            return
        match = re.search(r"\(\s*" + _QUOTED + r"\s*\)", parts[0].key)
        name = match.group(1) if match else ""
        column = self.column(name)
        if column is None or not self.active(name):
            return
        gen = partition_generator(parts, column)
        if gen is None:
            self.notes.append(f"rows must fall into a partition ({', '.join(p.name for p in parts)})")
            return
        self.put(name, gen, "within the partitions' bounds")

    def one_to_one(self) -> None:
        for (name,) in (cols for cols in unique_sets(self.table) if len(cols) == 1):
            f = self.fields.get(name)
            if self.active(name) and f is not None and isinstance(f.generator, dict) and "ref" in f.generator:
                gen = {**f.generator, "pick": "round_robin"}
                self.put(name, gen, "one-to-one: distinct while the count stays within the target's")

    @staticmethod
    def _counter(column: sa.Column[Any]) -> bool:
        """An integer key the database counts (autoincrement, serial, identity by default),
        which accepts explicit values."""
        if _kind(column) != "int" or (column.identity is not None and column.identity.always):
            return False
        default = str(getattr(column.server_default, "arg", ""))
        return (
            column is column.table.autoincrement_column
            or "nextval(" in default
            or column.identity is not None
        )

    def _faker(self, name: str) -> bool:
        gen = self.fields[name].generator
        return isinstance(gen, dict) and "faker" in gen

    def key(self, unstable: frozenset[str]) -> tuple[str, ...]:
        """A unique constraint or the primary key the fields cover with stable values; else the
        autoincrement primary key, written as a sequence; else every stable field."""

        def stable(names: Iterable[str]) -> bool:
            return all(
                self.active(n) and n not in unstable and stable_key_column(self.table.c[n], self.dialect)
                for n in names
            )

        pk = tuple(c.name for c in self.table.primary_key.columns)
        candidates = [cols for cols in (*unique_sets(self.table), pk) if cols and stable(cols)]
        lasting = [cols for cols in candidates if not all(self._faker(n) for n in cols)]
        if lasting:
            return lasting[0]
        counters = [n for n in pk if n in self.left_out and self._counter(self.table.c[n])]
        if len(counters) == 1:
            self.left_out.remove(counters[0])
            self.fields = {
                counters[0]: DraftField(name=counters[0], generator={"sequence": 1}),
                **self.fields,
            }
            return (counters[0],)
        if candidates:  # Faker output: a Faker upgrade may change it (W401)
            return candidates[0]
        keyed = tuple(n for n in self.fields if n in self.table.c and stable((n,)))
        if not keyed:
            self.notes.append("no field reads back exactly: re-applying may create rows again; set key:")
        return keyed


def draft_factory(
    table: sa.Table,
    name: str,
    factories: Mapping[str, str],
    *,
    dialect: str,
    trigger_columns: frozenset[str] = frozenset(),
    partitions: Sequence[Partition] = (),
) -> tuple[FactoryDraft, str | None]:
    """A factory for ``table`` that applies as written, and the column of its nullable
    self-reference (a tree), if any. ``factories`` maps table name -> factory name."""
    guessed = guess_factory(table, name, factories)
    left_out = list(guessed.left_out)
    for column in trigger_columns:  # a NOT NULL column without default must be given anyway
        if column in left_out and not filled_by_database(table.c[column]):
            left_out.remove(column)
    draft = _Table(table, name, dialect, {f.name: f for f in guessed.fields}, left_out)
    draft.fill_unknown_types()
    draft.self_reference()
    draft.triggers(trigger_columns)
    draft.checks()
    draft.partitions(partitions)
    draft.one_to_one()
    key = draft.key(trigger_columns)
    factory = FactoryDraft(
        name=name,
        table=table.name,
        key=key,
        fields=tuple(draft.fields.values()),
        left_out=tuple(draft.left_out),
        missing=guessed.missing,
        notes=tuple(draft.notes),
    )
    return factory, draft.tree


# --- the whole spec ----------------------------------------------------------------------------


def _factory_names(tables: Iterable[str]) -> dict[str, str]:
    """Table -> factory name, made distinct (``order_detail``, ``order_detail_2``)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for table in tables:
        base = name = factory_name(table)
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
        hint="check the URL: its database (or, on PostgreSQL, the first schema on the search_path) "
        "must hold the tables",
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
    factories, steps = [], []
    for table in order:
        parts = [p for p in facts.partitions if p.parent == table]
        factory, tree = draft_factory(
            tables[table],
            names[table],
            names,
            dialect=facts.dialect,
            trigger_columns=effects[table][0],
            partitions=parts,
        )
        extra = []
        if table in cycle_of:
            others = ", ".join(t for t in cycle_of[table] if t != table)
            extra.append(f"in a foreign-key cycle with {others}: refs on both sides")
        for writer in filled_by.get(table, ()):
            extra.append(f"an insert trigger of {writer} writes rows here too: its step comes first")
        factory = dataclasses.replace(factory, notes=(*factory.notes, *extra))
        factories.append(factory)
        steps += _steps(factory, tree, count)
    for cycle in cycles:
        notes.append(f"foreign-key cycle: {' <-> '.join(cycle)}")
    draft = SpecDraft(factories=tuple(factories), steps=tuple(steps), notes=tuple(notes))
    if cycles:
        draft = dataclasses.replace(draft, notes=(*notes, *_unbreakable_cycles(draft, facts)))
    return draft


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
