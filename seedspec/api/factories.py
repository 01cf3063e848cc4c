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
import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.api.pipeline import require_tables
from seedspec.api.protection import refuse_protected
from seedspec.api.specs import known_tables, raise_for_errors, spec_errors, table_definitions, validate
from seedspec.catalog import Catalog, ColumnInfo, TableInfo
from seedspec.compiler.steps import compile_spec
from seedspec.database import tables
from seedspec.database.session import linked, transaction
from seedspec.database.statements import table_named
from seedspec.database.writer import apply_plan
from seedspec.errors import DatabaseError, Diagnostic, SpecInvalid
from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.slots import RunState, row_slots
from seedspec.ir import Field, Literal, Plan, Ref, Step
from seedspec.source import pointer
from seedspec.spec.loader import LoadedSpec
from seedspec.spec.semantics import relationship_columns
from seedspec.spec.semantics.common import did_you_mean

if TYPE_CHECKING:
    from seedspec.api.aio import AsyncBind
    from seedspec.database.session import Bind

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
        their columns' Python types when the spec's ``tables:`` describes the table. An override
        is a column value; one named by a relationship (``user=...`` for ``user: {ref: user}``)
        sets its foreign key column (``user_id``).

        Raises:
            SpecInvalid: the spec is invalid, or E722, an override names no column or field.
            SeedspecError: a value cannot be generated (E5xx, located in the spec).
            TypeError: an override is not a column value (a mapping or list outside a JSON
                column, or an object of another type).
        """
        return self.make_batch(1, **overrides)[0]

    def make_batch(self, count: int, **overrides: Any) -> list[Row]:
        """The next ``count`` rows, as ``make`` builds them.

        Raises:
            ValueError: ``count`` is negative.
        """
        _check_count(count)
        catalog = self._offline_catalog()
        plan, step = self._compiled(catalog, overrides, count)
        step = dataclasses.replace(step, fields=tuple(_unreferenced(f) for f in step.fields))
        state = self._run.state
        with spec_errors(self.spec):
            maker = RowMaker(plan, step, state)
            rows = [maker.make(slot) for slot in row_slots(step, state)]
        self._run.next_row += count
        return rows

    def create(self, bind: Bind, **overrides: Any) -> Row:
        """First-or-create the next row in the database of ``bind``; returns it as stored, every
        column of the table included (ids, database defaults and deferred refs filled in).

        A row whose key is already stored is returned as it is, not duplicated. Refs pick among
        the rows already in the parent's table (as ``apply`` picks among a pool); a ref never
        creates a parent. A ref that breaks a foreign-key cycle is set after the insert, as
        ``apply`` sets it; when its parent table is empty it stays NULL (a NOT NULL one is
        E723). Transactions as ``apply``: an ``Engine`` commits; a caller's ``Connection`` or
        ``Session`` gets the row in a SAVEPOINT of its transaction and commits (or rolls back)
        itself. Overrides as in ``make``.

        Raises:
            SpecInvalid: the spec is invalid against the database's tables, E722 an override
                names no column, E724 a ref names a record.
            DatabaseError: E404 the table is missing, E723 a ref's parent table is empty,
                E403/E500 the database failed or refused a row (the create is rolled back).
            TypeError: an override is not a column value.
        """
        return self.create_batch(bind, 1, **overrides)[0]

    def create_batch(self, bind: Bind, count: int, **overrides: Any) -> list[Row]:
        """First-or-create the next ``count`` rows, as ``create`` does one, in one transaction
        (or SAVEPOINT); returns them in order.

        Raises:
            ValueError: ``count`` is negative; else as ``create``.
        """
        _check_count(count)
        refuse_protected(self.spec, bind, (), "create rows in", force=False)
        with (
            linked(bind) as link,
            spec_errors(self.spec, writing="apply"),
            transaction(link),
        ):
            return self._create(link.connection, count, overrides)

    async def create_async(self, bind: AsyncBind, **overrides: Any) -> Row:
        """``create`` on an ``AsyncEngine``, ``AsyncConnection`` or ``AsyncSession``."""
        from seedspec.api.aio import run_sync

        return await run_sync(bind, lambda sync_bind: self.create(sync_bind, **overrides))

    async def create_batch_async(self, bind: AsyncBind, count: int, **overrides: Any) -> list[Row]:
        """``create_batch`` on an ``AsyncEngine``, ``AsyncConnection`` or ``AsyncSession``."""
        from seedspec.api.aio import run_sync

        return await run_sync(bind, lambda sync_bind: self.create_batch(sync_bind, count, **overrides))

    def _create(self, connection: Connection, count: int, overrides: Mapping[str, Any]) -> list[Row]:
        metadata = table_definitions(self.spec, connection)
        catalog = tables.catalog_from_metadata(metadata, connection.dialect.name)
        plan, step = self._compiled(catalog, overrides, count)
        require_tables(plan, connection)
        table = table_named(metadata, step.table)
        state = self._run.state
        state.pools[self.name] = Pool()
        pool_columns = dict(plan.pool_columns)
        stored: dict[str, bool] = {}  # parent factory -> whether its table has rows
        for f in step.fields:
            gen = f.generator
            if not isinstance(gen, Ref):
                continue
            if gen.factory not in stored:
                stored[gen.factory] = self._fill_pool(connection, metadata, gen, f, pool_columns[gen.factory])
            if not stored[gen.factory] and not _stays_null(f):
                raise self._no_parents(gen, f, table_named(metadata, self._table_of(gen.factory)))
        empty = {name for name, has_rows in stored.items() if not has_rows}
        fields = tuple(_unreferenced(f) if _refers_to(f, empty) else f for f in step.fields)
        step = dataclasses.replace(step, fields=fields)
        pool_columns[self.name] = tuple(table.columns.keys())
        plan = dataclasses.replace(plan, steps=(step,), pool_columns=tuple(sorted(pool_columns.items())))
        apply_plan(plan, connection, metadata, workers=0, state=state)
        self._run.next_row += count
        rows = [dict(row.values) for row in state.pools[self.name].rows(-count)] if count else []
        return _reread(connection, table, step, rows) if step.deferred_fields else rows

    def _fill_pool(
        self, connection: Connection, metadata: sa.MetaData, ref: Ref, f: Field, columns: tuple[str, ...]
    ) -> bool:
        """The rows of a ref's parent table, as the pool a ref picks from (in primary key order);
        whether there are any."""
        if ref.record is not None:
            raise SpecInvalid(
                self._diagnostic(
                    "E724",
                    f"factory '{self.name}' refers to the named record '{ref.factory}.{ref.record}', "
                    "which a factory cannot find",
                    f.pointer,
                    "pass the column as an override, e.g. create(conn, <column>=row['id']) with a row "
                    "you created or looked up",
                )
            )
        parent = table_named(metadata, self._table_of(ref.factory))
        pk = list(parent.primary_key.columns) or [parent.c[c] for c in columns]
        query = sa.select(*(parent.c[c] for c in columns)).order_by(*pk)
        rows = connection.execute(query).all()
        self._run.state.pools[ref.factory] = Pool(
            PoolRow(f"{ref.factory}@{i}", dict(zip(columns, row, strict=True))) for i, row in enumerate(rows)
        )
        return bool(rows)

    def _no_parents(self, ref: Ref, f: Field, parent: sa.Table) -> DatabaseError:
        held = " (it breaks a foreign-key cycle, but the column is NOT NULL)" if f.deferred else ""
        return DatabaseError(
            self._diagnostic(
                "E723",
                f"factory '{self.name}' refers to '{ref.factory}', but table '{parent.name}' "
                f"has no rows to point at{held}",
                f.pointer,
                f"create the parent first (factory(spec, '{ref.factory}').create(...)) or apply "
                f"the spec, or pass {f.column}=<{parent.name}.{ref.column} of a stored row> as an override; "
                "a ref never creates parents",
            )
        )

    def _compiled(self, catalog: Catalog, overrides: Mapping[str, Any], count: int) -> tuple[Plan, Step]:
        """The plan of this factory's own step, ``count`` rows with ``overrides`` as values."""
        if catalog not in self._run.checked:  # tables a spec is valid against stay so
            raise_for_errors(validate(self.spec, catalog))
            self._run.checked.append(catalog)
        raw: dict[str, Any] = {
            "id": f"factory:{self.name}" + (f"[{','.join(self.states)}]" if self.states else ""),
            "factory": self.name,
            "count": 1,
            "values": {column: {"value": value} for column, value in self._overrides(catalog, overrides)},
        }
        if self.states:
            raw["states"] = list(self.states)
        document = {**self.spec.document, "seed": [raw]}
        plan = compile_spec(document, catalog, str(self.spec.path), self.spec.source_map)
        step = dataclasses.replace(plan.steps[0], count=count, count_max=None)
        self._run.state.start[step.id] = self._run.next_row
        return dataclasses.replace(plan, steps=(step,)), step

    def _overrides(self, catalog: Catalog, overrides: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """``overrides`` by column: checked (E722, TypeError), a relationship name (``user``)
        turned into its foreign key column (``user_id``)."""
        definition = self._definition()
        table = catalog.get(self._table_of(self.name))
        known = set(definition.get("fields", {}))
        known.update(c for state in (definition.get("states") or {}).values() for c in state or {})
        known.update(table.column_names if table is not None else ())
        relations = (
            relationship_columns(definition, table, catalog, self.spec.document["factories"])
            if table is not None
            else {}
        )
        resolved: list[tuple[str, Any]] = []
        for name, value in overrides.items():
            if name not in known:
                raise self._unknown_override(name, known, did_you_mean(name, known))
            columns = relations.get(name, (name,))
            if len(columns) > 1:
                hint = f"a relationship of several columns: pass {', '.join(f'{c}=...' for c in columns)}"
                raise self._unknown_override(name, known, hint)
            column = columns[0]
            if column != name and column in overrides:
                raise self._unknown_override(name, known, f"pass {column} alone: both name one column")
            info = table.column(column) if table is not None else None
            _check_value(self.name, column, value, info.kind if info is not None else None)
            resolved.append((column, value))
        return resolved

    def _unknown_override(self, name: str, known: set[str], hint: str) -> SpecInvalid:
        return SpecInvalid(
            self._diagnostic(
                "E722",
                f"factory '{self.name}' (table {self._table_of(self.name)}) has no column or field '{name}'",
                pointer("factories", self.name, "fields"),
                hint,
            )
        )

    def _offline_catalog(self) -> Catalog:
        """The tables ``make`` converts values for: ``tables:``, else the factories' own fields."""
        if self._run.offline is None:
            known = known_tables(self.spec)
            if known is None:
                raise_for_errors(validate(self.spec))
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


def _unreferenced(f: Field) -> Field:
    """A ref field as ``make`` fills it: None (there is no parent row to point at), also where it
    breaks a cycle (not its placeholder)."""
    if not isinstance(f.generator, Ref):
        return f
    return dataclasses.replace(f, generator=Literal(value=None), deferred=False, placeholder=None)


def _refers_to(f: Field, factories: set[str]) -> bool:
    return isinstance(f.generator, Ref) and f.generator.factory in factories


def _stays_null(f: Field) -> bool:
    """Whether a ref with no parent rows may be left NULL: it breaks a cycle on a nullable column."""
    return f.deferred and f.placeholder is None


def _reread(connection: Connection, table: sa.Table, step: Step, rows: list[Row]) -> list[Row]:
    """``rows`` as stored now, looked up by key: their deferred columns were set after the insert."""
    key = [table.c[c] for c in step.key]
    return [
        dict(connection.execute(sa.select(table).where(*(c == row[c.key] for c in key))).one()._mapping)
        for row in rows
    ]


def _check_count(count: int) -> None:
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")


_SCALARS = (str, int, float, decimal.Decimal, dt.date, dt.time, dt.timedelta, bytes, uuid.UUID, enum.Enum)


def _check_value(factory: str, column: str, value: Any, kind: str | None) -> None:
    """An override is a column value: a scalar, or a mapping or list for a JSON column."""
    if value is None or isinstance(value, _SCALARS):
        return
    if isinstance(value, dict | list) and kind in ("json", None, "other"):
        return
    raise TypeError(
        f"override {column}= of factory '{factory}' must be a column value (str, int, float, Decimal, "
        f"date, datetime, time, bytes, None; a dict or list for a JSON column), not "
        f"{type(value).__name__}: a generator belongs in the spec (a field or a state)"
    )


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
