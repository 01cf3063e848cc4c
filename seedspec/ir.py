"""The typed intermediate forms: compiled generators, steps and the plan (frozen data)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PLAN_FORMAT = 1
GENERATOR_VERSION = 3  # the newest; settings.generator_version pins an older one (docs/reference.md)
GENERATOR_VERSIONS = (1, 2, 3)  # 2: slugify transliterates (Привет -> privet) rather than dropping letters;
# 3: values are computed a column at a time from counter-hash keys (generation.columns)


@dataclass(frozen=True, slots=True, kw_only=True)
class Literal:
    """A fixed value."""

    value: Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Template:
    """A sandboxed Jinja2 template; ``names`` are the row fields it reads.

    ``related`` are the related rows it reads by factory name: (name, via, column, attributes),
    the row the field ``via`` picked (by its ``column`` value; ``via`` is "" for the for_each
    parent) and the attributes read of it (which that factory's pool keeps).
    """

    source: str
    names: tuple[str, ...] = ()
    related: tuple[tuple[str, str, str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FakerCall:
    """A Faker method call with positional and keyword arguments."""

    method: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()
    locale: str = "en_US"
    providers: tuple[tuple[str, str], ...] = ()  # (module:Class, folder) of settings.faker_providers


@dataclass(frozen=True, slots=True, kw_only=True)
class Sequence:
    """``format.format(n=n)`` when ``format`` is set, else ``start + n * step``."""

    format: str | None = None
    start: int = 0
    step: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """A pick from ``values``, weighted when ``weights`` is set."""

    values: tuple[Any, ...]
    weights: tuple[float, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Range:
    """A uniform pick between inclusive bounds; ``kind`` is int, float, decimal, date or datetime.

    A bound written as a template (``"{{ customer.created_at }}"``, optionally followed by an
    offset such as ``+30d``) is rendered per row: ``low_template`` / ``high_template`` replace
    ``low`` / ``high`` (None there).
    """

    kind: str
    low: Any
    high: Any
    step: float | None = None
    decimals: int | None = None
    low_template: Template | None = None
    high_template: Template | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Distribution:
    """A draw from normal, lognormal or zipf, clamped to [low, high] and rounded to ``decimals``."""

    name: str
    params: tuple[tuple[str, float], ...]
    low: float | None = None
    high: float | None = None
    decimals: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonCall:
    """A custom generator ``module:function`` (user code), called with keyword ``args``."""

    target: str
    base_dir: str
    kwargs: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Ref:
    """Belongs-to: the ``column`` value of a row of ``factory``'s pool, or of one named record.

    ``parent`` is true when the step runs ``for_each`` this factory: the row's own parent.
    ``where`` keeps only the pool rows whose column holds one of the values: (column, values).
    ``via`` is set when another field of the row picks a row of ``factory``: (that field, the
    column it picked by); this ref then reads ``column`` of that same row.
    """

    factory: str
    column: str
    record: str | None = None
    pick: str = "random"
    distinct_per: str | None = None
    parent: bool = False
    where: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    via: tuple[str, str] | None = None
    where_row: tuple[tuple[str, Template], ...] = ()  # (column, template): values rendered per row
    skew: float | None = None  # pick zipf: the exponent; the pool's first rows are picked most
    max_picks: int | None = None  # no pool row picked more often by this field in the step


@dataclass(frozen=True, slots=True, kw_only=True)
class Aggregate:
    """A column computed from the row's children, once they exist: ``function`` (sum, count, min,
    max) over the rows of ``child`` whose column ``link`` holds this row's ``target`` value, of
    each child's ``value`` (a template over its columns) or ``value_column``. The row is inserted
    with the value of no children (``empty``) and updated after the children's steps."""

    function: str
    child: str
    link: str
    target: str
    value: Template | None = None
    value_column: str | None = None

    @property
    def empty(self) -> Any:
        """The value over no children: 0 for sum and count, NULL for min and max."""
        return 0 if self.function in ("sum", "count") else None


@dataclass(frozen=True, slots=True, kw_only=True)
class When:
    """A conditional field: ``then`` for the rows where ``expression`` holds, else ``otherwise``.

    ``condition`` renders ``1`` exactly when the expression holds; it reads the row's earlier
    fields and related rows like any template. ``null_if`` / ``null_unless`` compile to a When
    with a NULL branch.
    """

    expression: str
    condition: Template
    then: Generator
    otherwise: Generator


@dataclass(frozen=True, slots=True, kw_only=True)
class Uuid:
    """A UUID derived from the row's identity (spec seed, factory, step id, row id): ``v5``, or
    ``v7`` whose 48-bit time part is the row's ``time`` column and whose other bits are derived
    from the same identity. Stable across machines and runs, distinct for every row of a spec."""

    version: str
    time: str | None = None


Generator = (
    Literal
    | Template
    | FakerCall
    | Sequence
    | Choice
    | Range
    | Distribution
    | PythonCall
    | Ref
    | Uuid
    | Aggregate
    | When
)


def templates_in(gen: Generator) -> tuple[Template, ...]:
    """The templates a generator renders per row (itself, or a range's bounds): what it reads."""
    if isinstance(gen, Template):
        return (gen,)
    if isinstance(gen, Range):
        return tuple(t for t in (gen.low_template, gen.high_template) if t is not None)
    if isinstance(gen, Ref):
        return tuple(t for _, t in gen.where_row)
    if isinstance(gen, When):
        return (gen.condition, *templates_in(gen.then), *templates_in(gen.otherwise))
    return ()


def drawn_by(gen: Generator) -> tuple[Generator, ...]:
    """The generators that may draw a value of ``gen``: itself, or a condition's branches (a
    sequence or a custom generator inside ``when`` counts and reads as it does outside)."""
    if isinstance(gen, When):
        return (*drawn_by(gen.then), *drawn_by(gen.otherwise))
    return (gen,)


def map_templates(gen: Generator, change: Callable[[Template], Template]) -> Generator:
    """``gen`` with ``change`` applied to every template it renders per row (``templates_in``)."""
    if isinstance(gen, Template):
        return change(gen)
    if isinstance(gen, Ref):
        return dataclasses.replace(gen, where_row=tuple((c, change(t)) for c, t in gen.where_row))
    if isinstance(gen, Range):
        low, high = (None if t is None else change(t) for t in (gen.low_template, gen.high_template))
        return dataclasses.replace(gen, low_template=low, high_template=high)
    if isinstance(gen, When):
        return dataclasses.replace(
            gen,
            condition=change(gen.condition),
            then=map_templates(gen.then, change),
            otherwise=map_templates(gen.otherwise, change),
        )
    return gen


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One column of a row and how it is generated."""

    column: str
    generator: Generator
    pointer: str
    null_rate: float = 0.0
    unique: bool = False
    seed_name: str | None = None  # the relationship a composite FK column belongs to: one pick for all
    deferred: bool = False  # a ref breaking a cycle: inserted as ``placeholder``, set by a later UPDATE
    placeholder: Any = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """A fixed record of a step; ``name`` makes it referable as ``factory.name``."""

    name: str | None
    index: int
    fields: tuple[Field, ...]
    pointer: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Hook:
    """An ``after_create`` hook, run for the rows a step creates (never for rows it finds).

    ``kind`` is ``sql``: ``text`` is a statement run once per created row, its ``params`` bound
    from the row's columns; or ``python``: ``text`` is ``module:function``, imported from
    ``base_dir`` and called once per batch as ``function(rows, connection)``.
    """

    kind: str
    text: str
    pointer: str
    params: tuple[str, ...] = ()
    base_dir: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One step of the plan: the rows of one factory to first-or-create in one table."""

    id: str
    factory: str
    table: str
    key: tuple[str, ...]
    seed: int
    pointer: str
    count: int = 0
    count_max: int | None = None
    count_skew: Distribution | None = None  # children per parent drawn from it, within [count, count_max]
    for_each: str | None = None
    states: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    records: tuple[Record, ...] = ()
    depends_on: tuple[str, ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()
    scales: tuple[tuple[str, int], ...] = ()  # decimal columns' places: values are rounded to them
    on_existing: str = "skip"
    after_create: tuple[Hook, ...] = ()  # the factory's hooks, then the step's
    name: str | None = None  # the label --only / --exclude select by (several steps may share one)
    source: str = ""  # where the step is written, 'file:line' relative to the spec's folder
    parents: str | None = None  # a tree level: ``for_each`` the rows of this step only (the level above)
    parent_where: tuple[tuple[str, tuple[Any, ...]], ...] = ()  # for_each only the parents matching it
    # (factory, field, column): the rows each row is related to (its parent: field ""), whose
    # columns its pool carries for later rows (``user.email`` of a post, read as post.user.email)
    links: tuple[tuple[str, str, str], ...] = ()
    duplicates: str = "error"  # a key drawn twice in the step: E520 (error), or kept once and counted (skip)
    exact: bool = False  # the factory owns its whole table: apply --prune removes every row not declared

    @property
    def all_columns(self) -> tuple[str, ...]:
        """Every column some row of this step sets (generated rows and records)."""
        found = [f.column for f in self.fields] + [f.column for r in self.records for f in r.fields]
        return tuple(dict.fromkeys(found))

    @property
    def deferred_fields(self) -> tuple[Field, ...]:
        """The deferred fields of its rows (generated rows and records), one per column."""
        every = (*self.fields, *(f for r in self.records for f in r.fields))
        return tuple({f.column: f for f in every if f.deferred}.values())

    @property
    def aggregate_fields(self) -> tuple[Field, ...]:
        """The fields computed from the row's children (set after their steps), one per column."""
        every = (*self.fields, *(f for r in self.records for f in r.fields))
        return tuple({f.column: f for f in every if isinstance(f.generator, Aggregate)}.values())

    @property
    def deferred_refs(self) -> tuple[str, ...]:
        """The factories its deferred fields refer to: they are set once all their steps ran."""
        return tuple(
            sorted({f.generator.factory for f in self.deferred_fields if isinstance(f.generator, Ref)})
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """The execution plan: steps in dependency order plus everything that decides the rows.

    It holds no timestamps, so the same spec always gives the same plan.
    """

    spec: str
    digest: str
    seed: int | str
    locale: str
    now: str
    batch_size: int
    steps: tuple[Step, ...]
    pool_columns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    versions: tuple[tuple[str, str], ...] = ()
    params: tuple[tuple[str, Any], ...] = ()
    faker_providers: tuple[tuple[str, str], ...] = ()  # (module:Class, folder) added to every Faker
    generator_version: int = GENERATOR_VERSION
    format: int = PLAN_FORMAT

    def columns_kept_for(self, factory: str) -> tuple[str, ...]:
        """The columns of ``factory``'s rows that refs and later rows read (kept in its pool)."""
        return tuple(c for c in dict(self.pool_columns).get(factory, ()) if "." not in c)

    def columns_carried_for(self, factory: str) -> tuple[str, ...]:
        """The columns of related rows that ``factory``'s pool carries for later rows to read:
        ``user.email`` (the email of the user each post picked, read as ``post.user.email``)."""
        return tuple(c for c in dict(self.pool_columns).get(factory, ()) if "." in c)

    def deferred_updates(self) -> dict[str, tuple[Step, ...]]:
        """The steps with deferred fields, by the id of the step after which those are set: the
        last step of every factory they refer to (or the step itself, if it comes later)."""
        position = {s.id: i for i, s in enumerate(self.steps)}
        last = {s.factory: s.id for s in self.steps}
        after: dict[str, tuple[Step, ...]] = {}
        for step in self.steps:
            if step.deferred_refs:
                ids = [step.id, *(last[f] for f in step.deferred_refs if f in last)]
                at = max(ids, key=position.__getitem__)
                after[at] = (*after.get(at, ()), step)
        return after

    def aggregate_updates(self) -> dict[str, tuple[str, ...]]:
        """The factories with aggregate columns, by the id of the step after which those are set:
        the last step of the factory or of the children it aggregates, whichever comes later."""
        position = {s.id: i for i, s in enumerate(self.steps)}
        last = {s.factory: s.id for s in self.steps}
        after: dict[str, tuple[str, ...]] = {}
        for factory in dict.fromkeys(s.factory for s in self.steps if s.aggregate_fields):
            children = {
                f.generator.child
                for s in self.steps
                if s.factory == factory
                for f in s.aggregate_fields
                if isinstance(f.generator, Aggregate)
            }
            at = max([last[factory], *(last[c] for c in children if c in last)], key=position.__getitem__)
            after[at] = (*after.get(at, ()), factory)
        return after

    def aggregates_over(self, child: str) -> tuple[tuple[str, Field], ...]:
        """The aggregate fields (with their factory) computed over ``child``'s rows, one per column."""
        found: dict[tuple[str, str], Field] = {}
        for step in self.steps:
            for f in step.aggregate_fields:
                if isinstance(f.generator, Aggregate) and f.generator.child == child:
                    found.setdefault((step.factory, f.column), f)
        return tuple((factory, f) for (factory, _), f in found.items())

    def needs_pool(self, factory: str) -> bool:
        """Whether a ref or a ``for_each`` reads ``factory``'s rows (else none are kept)."""
        return factory in dict(self.pool_columns) or any(s.for_each == factory for s in self.steps)
