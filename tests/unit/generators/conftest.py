"""Stand-ins for what the rooms above give a kind: a compile context and a row maker."""

from __future__ import annotations

import datetime as dt
import inspect
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pytest

from seedspec.catalog import ColumnInfo, ForeignKeyInfo, TableInfo
from seedspec.generators.base import Cell, FieldSite, Providers
from seedspec.ir import Field, Generator, Plan, Step
from seedspec.language.fakers import pinned_faker

USERS = TableInfo(
    name="users",
    columns=(ColumnInfo(name="id", kind="int", primary_key=True), ColumnInfo(name="role", kind="str")),
    primary_key=("id",),
)
POSTS = TableInfo(
    name="posts",
    columns=(ColumnInfo(name="id", kind="int", primary_key=True), ColumnInfo(name="author", kind="int")),
    primary_key=("id",),
    foreign_keys=(ForeignKeyInfo(columns=("author",), target_table="users", target_columns=("id",)),),
)


@dataclass
class Context:
    """A compile context over two tables, the reference time fixed."""

    locale: str = "en_US"
    now: dt.datetime = dt.datetime(2024, 6, 1, 12, 0)
    base_dir: str = "/specs"
    providers: Providers = ()
    signatures: dict[str, inspect.Signature | None] = field(default_factory=dict)

    def table(self, factory: str) -> TableInfo:
        return {"user": USERS, "post": POSTS}[factory]

    def faker_signature(self, locale: str, method: str) -> inspect.Signature | None:
        return self.signatures.get(method)


class Slot(NamedTuple):
    local_id: str
    n: int
    seqs: Mapping[str, int]
    ordinal: int = 0
    parent: Any = None


@dataclass
class Maker:
    """A row maker with no pools: refs pick what ``picks`` says, errors are returned as raised."""

    plan: Plan = field(
        default_factory=lambda: Plan(
            spec="s", digest="d", seed=0, locale="en_US", now="2025-01-01T00:00:00", batch_size=1, steps=()
        )
    )
    step: Step = field(
        default_factory=lambda: Step(
            id="event", factory="event", table="events", key=(), seed=1, pointer="/seed/0"
        )
    )
    named: dict[str, Any] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)
    drawn: tuple[Any, ...] = ()
    picked: Any = None
    related_rows: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    def faker(self, locale: str, providers: Providers) -> Any:
        return pinned_faker(locale, providers, self.plan.now)

    def worker_draw(self, cell: Cell) -> tuple[Any, ...]:
        return self.drawn

    def pick(self, cell: Cell, seed: int, wanted: tuple[tuple[str, str], ...] = ()) -> Any:
        return (self.picked, seed, wanted) if wanted else (self.picked, seed)

    def related(self, cell: Cell, name: str, via: tuple[str, str]) -> Mapping[str, Any]:
        return self.related_rows[name]

    def error(self, code: str, message: str, cell: Cell, hint: str) -> Exception:
        return LookupError(code, message, hint)


def _cell(
    gen: Generator,
    *,
    column: str = "c",
    n: int = 0,
    seqs: Mapping[str, int] | None = None,
    row: dict[str, Any] | None = None,
    local_id: str | None = None,
    ordinal: int = 0,
    parent: Any = None,
) -> Cell:
    """The cell of column ``column`` of row ``n`` (identity ``local_id``, default ``n``)."""
    slot = Slot(str(n) if local_id is None else local_id, n, seqs or {}, ordinal, parent)
    return Cell(Field(column=column, generator=gen, pointer="/p"), slot, row or {})


@pytest.fixture
def ctx() -> Context:
    return Context()


@pytest.fixture
def maker() -> Maker:
    return Maker()


def _site(column: str = "c", table: str = "users", for_each: str | None = None) -> FieldSite:
    return FieldSite(column=column, table={"users": USERS, "posts": POSTS}[table], for_each=for_each)


@pytest.fixture
def cell() -> Any:
    """``cell(gen, column=, n=, seqs=, row=, local_id=, ordinal=, parent=)``: the cell to draw."""
    return _cell


@pytest.fixture
def site() -> Any:
    """``site(column, table, for_each)``: where a generator is compiled."""
    return _site


@dataclass
class Scope:
    """Validation's names for one field: two factories, one named record, the row's other fields."""

    fields: set[str] = field(default_factory=lambda: {"title", "author"})
    factories: dict[str, Any] = field(default_factory=lambda: {"user": {}, "post": {}})
    records: dict[str, frozenset[str]] = field(default_factory=lambda: {"user": frozenset({"admin"})})
    default_locale: str = "en_US"
    locale_ok: bool = True
    providers_ok: bool = True

    def suggest(self, name: str, options: Any) -> str:
        return f"not {name}; one of {sorted(options)}"

    def faker_methods(self, locale: str) -> Mapping[str, inspect.Signature | None]:
        if locale != "en_US":
            raise AttributeError(locale)

        def pyint(min_value: int = 0, max_value: int = 9) -> None: ...

        return {"pyint": inspect.signature(pyint), "email": None, "free_email": None}


@pytest.fixture
def scope() -> Scope:
    return Scope()
