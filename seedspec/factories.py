"""Factories from a spec, for tests: build rows in memory (``make``) or first-or-create them
in a database (``create``), with the spec's own generators, states and keys.

``factory(spec, "user").state("admin").make(email=...)`` is factory_boy's ``UserFactory.build``
without a factory class: the same YAML drives dev seeds and test data. A factory compiles one
step of its own (id ``factory:NAME[STATES]``) and draws its rows exactly as ``apply`` draws a
step's: per-value seeds, so rows are reproducible; successive rows are numbered on, so each
``make`` or ``create`` gives the next row, as factory_boy's sequences do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec import api, tables
from seedspec.apply import apply_plan
from seedspec.catalog import Catalog, ColumnInfo, TableInfo
from seedspec.compile import compile_spec
from seedspec.errors import DatabaseError, Diagnostic, SpecInvalid
from seedspec.generate import Pool, PoolRow, RowMaker, RunState, row_slots
from seedspec.ir import Literal, Plan, Ref, Step
from seedspec.load import LoadedSpec
from seedspec.semantics.common import did_you_mean
from seedspec.source import pointer

if TYPE_CHECKING:
    from seedspec.aio import AsyncBind

Row = dict[str, Any]


@dataclass(eq=False)
class _Run:
    """What a factory and the factories derived from it by ``state`` share: the generation
    state (row numbers, sequences, unique values) and what was already checked."""

    state: RunState = field(default_factory=RunState)
    next_row: int = 0  # the number of the next row made or created, whatever its states
    offline: Catalog | None = None
    checked: list[Catalog] = field(default_factory=list)


@dataclass(frozen=True)
class Factory:
    """How to make rows of one factory of a spec, with ``states`` applied in order. Immutable:
    ``state`` returns a new factory, sharing this one's row numbering."""

    spec: LoadedSpec = field(repr=False)
    name: str
    states: tuple[str, ...] = ()
    _run: _Run = field(default_factory=_Run, repr=False, compare=False)

    def state(self, *names: str) -> Factory:
        """This factory with the states ``names`` stacked on its own, applied in order.

        Raises:
            SpecInvalid: E721, the factory has no such state.
        """
        known = self._definition().get("states", {}) or {}
        for name in names:
            if name not in known:
                at = pointer("factories", self.name, "states") if known else pointer("factories", self.name)
                raise SpecInvalid(
                    self._diagnostic(
                        "E721",
                        f"factory '{self.name}' has no state '{name}'",
                        at,
                        did_you_mean(name, known) if known else "the factory declares no states:",
                    )
                )
        return dataclasses.replace(self, states=(*self.states, *names))

    def make(self, **overrides: Any) -> Row:
        """The next row, built without a database: the column values the factory's fields (and
        states) generate, ``overrides`` taking the place of fields (templates see them).

        Refs are ``None`` unless overridden (there are no parent rows to point at). Values have
        their columns' Python types when the spec's ``tables:`` describes the table.

        Raises:
            SpecInvalid: the spec is invalid, or E722, an override names no column or field.
            SeedspecError: a value cannot be generated (E5xx, located in the spec).
        """
        return self.make_batch(1, **overrides)[0]

    def make_batch(self, count: int, **overrides: Any) -> list[Row]:
        """The next ``count`` rows, as ``make`` builds them."""
        catalog = self._offline_catalog()
        plan, step = self._compiled(catalog, overrides, count)
        step = dataclasses.replace(step, fields=tuple(_unreferenced(f) for f in step.fields))
        state = self._run.state
        with api._spec_errors(self.spec):
            maker = RowMaker(plan, step, state)
            rows = [maker.make(slot) for slot in row_slots(step, state)]
        self._run.next_row += count
        return rows

    def create(self, bind: api.Bind, count: int = 1, **overrides: Any) -> list[Row]:
        """First-or-create the next ``count`` rows in the database of ``bind``; returns them as
        stored, every column of the table included (ids and database defaults filled in).

        A row whose key is already stored is returned as it is, not duplicated. Refs pick among
        the rows already in the parent's table (as ``apply`` picks among a pool); a ref never
        creates a parent. Transactions as ``apply``: an ``Engine`` commits; a caller's
        ``Connection`` or ``Session`` gets the rows in a SAVEPOINT of its transaction and
        commits (or rolls back) itself.

        Raises:
            SpecInvalid: the spec is invalid against the database's tables, E722 an override
                names no column, E724 a ref names a record.
            DatabaseError: E404 the table is missing, E723 a ref's parent table is empty,
                E403/E500 the database failed or refused a row (the create is rolled back).
        """
        api._guard(self.spec, bind, (), "create rows in", force=False)
        with (
            api._linked(bind) as link,
            api._spec_errors(self.spec, writing="apply"),
            api._transaction(link),
        ):
            return self._create(link.connection, count, overrides)

    async def create_async(self, bind: AsyncBind, count: int = 1, **overrides: Any) -> list[Row]:
        """``create`` on an ``AsyncEngine``, ``AsyncConnection`` or ``AsyncSession``."""
        from seedspec.aio import run_sync

        return await run_sync(bind, lambda sync_bind: self.create(sync_bind, count, **overrides))

    def _create(self, connection: Connection, count: int, overrides: Mapping[str, Any]) -> list[Row]:
        metadata = api.table_definitions(self.spec, connection)
        catalog = tables.catalog_from_metadata(metadata, connection.dialect.name)
        plan, step = self._compiled(catalog, overrides, count)
        api._require_tables(plan, connection)
        table = _table(metadata, step.table)
        state = self._run.state
        state.pools[self.name] = Pool()
        pool_columns = dict(plan.pool_columns)
        filled: set[str] = set()
        for f in step.fields:
            gen = f.generator
            if isinstance(gen, Ref) and gen.factory not in filled:
                self._fill_pool(connection, metadata, gen, f.pointer, pool_columns[gen.factory])
                filled.add(gen.factory)
        pool_columns[self.name] = tuple(table.columns.keys())
        plan = dataclasses.replace(plan, pool_columns=tuple(sorted(pool_columns.items())))
        apply_plan(plan, connection, metadata, workers=0, state=state)
        self._run.next_row += count
        return [dict(row.values) for row in state.pools[self.name].rows(-count)] if count else []

    def _fill_pool(
        self, connection: Connection, metadata: sa.MetaData, ref: Ref, at: str, columns: tuple[str, ...]
    ) -> None:
        """The rows of a ref's parent table, as the pool a ref picks from (in primary key order)."""
        if ref.record is not None:
            raise SpecInvalid(
                self._diagnostic(
                    "E724",
                    f"factory '{self.name}' refers to the named record '{ref.factory}.{ref.record}', "
                    "which a factory cannot find",
                    at,
                    "pass the column as an override, e.g. create(conn, <column>=row['id']) with a row "
                    "you created or looked up",
                )
            )
        parent = _table(metadata, self._table_of(ref.factory))
        pk = list(parent.primary_key.columns) or [parent.c[c] for c in columns]
        query = sa.select(*(parent.c[c] for c in columns)).order_by(*pk)
        rows = connection.execute(query).all()
        if not rows:
            raise DatabaseError(
                self._diagnostic(
                    "E723",
                    f"factory '{self.name}' refers to '{ref.factory}', but table '{parent.name}' "
                    "has no rows to point at",
                    at,
                    f"create the parent first (factory(spec, '{ref.factory}').create(...)) or apply "
                    "the spec, or pass the column as an override; a ref never creates parents",
                )
            )
        self._run.state.pools[ref.factory] = Pool(
            PoolRow(f"{ref.factory}@{i}", dict(zip(columns, row, strict=True))) for i, row in enumerate(rows)
        )

    def _compiled(self, catalog: Catalog, overrides: Mapping[str, Any], count: int) -> tuple[Plan, Step]:
        """The plan of this factory's own step, ``count`` rows with ``overrides`` as values."""
        if catalog not in self._run.checked:  # tables a spec is valid against stay so
            api.raise_for_errors(api.validate(self.spec, catalog))
            self._run.checked.append(catalog)
        self._check_overrides(catalog, overrides)
        raw: dict[str, Any] = {
            "id": f"factory:{self.name}" + (f"[{','.join(self.states)}]" if self.states else ""),
            "factory": self.name,
            "count": 1,
            "values": {column: {"value": value} for column, value in overrides.items()},
        }
        if self.states:
            raw["states"] = list(self.states)
        document = {**self.spec.document, "seed": [raw]}
        plan = compile_spec(document, catalog, str(self.spec.path), self.spec.source_map)
        step = dataclasses.replace(plan.steps[0], count=count, count_max=None)
        self._run.state.start[step.id] = self._run.next_row
        return dataclasses.replace(plan, steps=(step,)), step

    def _check_overrides(self, catalog: Catalog, overrides: Mapping[str, Any]) -> None:
        definition = self._definition()
        table = catalog.get(self._table_of(self.name))
        known = set(definition.get("fields", {}))
        known.update(c for state in (definition.get("states") or {}).values() for c in state or {})
        known.update(table.column_names if table is not None else ())
        for column in overrides:
            if column not in known:
                raise SpecInvalid(
                    self._diagnostic(
                        "E722",
                        f"factory '{self.name}' (table {self._table_of(self.name)}) has no column or "
                        f"field '{column}'",
                        pointer("factories", self.name, "fields"),
                        did_you_mean(column, known),
                    )
                )

    def _offline_catalog(self) -> Catalog:
        """The tables ``make`` converts values for: ``tables:``, else the factories' own fields."""
        if self._run.offline is None:
            known = api.known_tables(self.spec)
            if known is None:
                api.raise_for_errors(api.validate(self.spec))
                known = _catalog_of_fields(self.spec.document)
                self._run.checked.append(known)
            self._run.offline = known
        return self._run.offline

    def _definition(self) -> Mapping[str, Any]:
        definition: Mapping[str, Any] = self.spec.document["factories"][self.name]
        return definition

    def _table_of(self, factory: str) -> str:
        return str(self.spec.document["factories"][factory]["table"])

    def _diagnostic(self, code: str, message: str, at: str, hint: str) -> Diagnostic:
        return Diagnostic(
            code=code,
            message=message,
            location=self.spec.source_map.locate(at),
            pointer=at,
            hint=hint,
        )


def factory(spec: LoadedSpec, name: str) -> Factory:
    """The factory ``name`` of a loaded spec, for ``make`` and ``create`` in tests.

    Each call starts its own row numbering (a test gets the same rows whatever ran before);
    factories derived with ``state`` share their parent's.

    Raises:
        SpecInvalid: E720, the spec has no factory ``name`` (with the closest name).
    """
    factories = spec.document.get("factories") or {}
    if name not in factories:
        at = "/factories" if factories else ""
        hint = did_you_mean(name, factories) if factories else "the spec declares no factories:"
        raise SpecInvalid(
            Diagnostic(
                code="E720",
                message=f"the spec has no factory '{name}'",
                location=spec.source_map.locate(at) if at else None,
                pointer=at,
                hint=hint,
            )
        )
    return Factory(spec, name)


def _unreferenced(f: Any) -> Any:
    """A ref field as ``make`` fills it: None (there is no parent row to point at)."""
    return dataclasses.replace(f, generator=Literal(value=None)) if isinstance(f.generator, Ref) else f


def _table(metadata: sa.MetaData, name: str) -> sa.Table:
    table = metadata.tables.get(name)
    return table if table is not None else next(t for t in metadata.tables.values() if t.name == name)


def _catalog_of_fields(document: Mapping[str, Any]) -> Catalog:
    """Tables as the factories describe them, for ``make`` when the spec has no ``tables:``:
    one column per field or state column, values left as generated."""
    columns: dict[str, dict[str, None]] = {}
    for definition in (document.get("factories") or {}).values():
        names = columns.setdefault(str(definition["table"]), {})
        names.update(dict.fromkeys(definition.get("fields") or {}))
        for state in (definition.get("states") or {}).values():
            names.update(dict.fromkeys(state or {}))
    return Catalog(
        tables={
            table: TableInfo(name=table, columns=tuple(ColumnInfo(name=c, kind="other") for c in names))
            for table, names in columns.items()
        }
    )
