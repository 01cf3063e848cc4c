"""Factories from a spec, for tests: build rows in memory (``make``) or create new ones in a
database (``create``, numbered past the stored keys), with the spec's own generators, states and keys.

``factory(spec, "user").state("admin").make(email=...)`` is factory_boy's ``UserFactory.build``
without a factory class: the same YAML drives dev seeds and test data. A factory compiles one
step of its own (id ``factory:NAME[STATES]``) and draws its rows exactly as ``apply`` draws a
step's: per-value seeds, so rows are reproducible; successive rows are numbered on, so each
``make`` or ``create`` gives the next row, as factory_boy's sequences do.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seedspec.api.factory_checks import check_count, check_factory, check_states, override_columns
from seedspec.api.factory_create import Row, create_rows, keys_taken, stored_rows, unreferenced
from seedspec.api.protection import refuse_protected
from seedspec.api.specs import known_tables, raise_for_errors, spec_errors, table_definitions, validate
from seedspec.catalog import Catalog, ColumnInfo, TableInfo
from seedspec.compiler.steps import compile_spec
from seedspec.database import tables
from seedspec.database.session import linked, transaction
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.slots import RunState, row_slots
from seedspec.ir import Plan, Sequence, Step
from seedspec.spec.loader import LoadedSpec

MAX_NUMBERINGS = 24  # numberings a create tries, each further ahead: past 2**23 rows beyond a seed

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from seedspec.api.aio import AsyncBind
    from seedspec.database.session import Bind


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
        check_states(self.spec, self.name, names)
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
        check_count(count)
        catalog = self._offline_catalog()
        plan, step = self._compiled(catalog, overrides, count)
        step = dataclasses.replace(step, fields=tuple(unreferenced(f) for f in step.fields))
        state = self._run.state
        with spec_errors(self.spec):
            maker = RowMaker(plan, step, state)
            rows = [maker.make(slot) for slot in row_slots(step, state)]
        self._run.next_row += count
        return rows

    def create(self, bind: Bind, **overrides: Any) -> Row:
        """First-or-create the next row in the database of ``bind``; returns it as stored, every
        column of the table included (ids, database defaults and deferred refs filled in).

        Always a new row, with the overrides given: when the next row's key is already stored (a
        seeded database: the factory's numbering starts at row 0, as the seed's did), the rows
        are numbered on past the table's rows, then further ahead, until their keys are free;
        E726 when no numbering gives free keys (a key override naming a stored row, a key with
        few values). A stored row is never returned as if created. Refs pick among
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
                E726 every numbering tried drew stored keys, E403/E500 the database failed or
                refused a row (the create is rolled back).
            GenerationError: E520, two of the rows drew one key (``create_batch``).
            TypeError: an override is not a column value.
        """
        return self.create_batch(bind, 1, **overrides)[0]

    def create_batch(self, bind: Bind, count: int, **overrides: Any) -> list[Row]:
        """First-or-create the next ``count`` rows, as ``create`` does one, in one transaction
        (or SAVEPOINT); returns them in order.

        Raises:
            ValueError: ``count`` is negative; else as ``create``.
        """
        check_count(count)
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
        """Create ``count`` new rows: a numbering whose rows find stored keys is rolled back and the
        next one tried further ahead (past the table's rows first), so a factory on a seeded
        database creates rows and never hands back someone else's."""
        metadata = table_definitions(self.spec, connection)
        catalog = tables.catalog_from_metadata(metadata, connection.dialect.name)
        state, stored = self._run.state, None
        fixed = {column for column, _ in override_columns(self.spec, self.name, catalog, overrides)}
        for attempt in range(MAX_NUMBERINGS):
            plan, step = self._compiled(catalog, overrides, count)
            drawn = copy.deepcopy(
                (state.unique_seen, state.distinct_used, state.pick_counts, state.sequences)
            )
            with connection.begin_nested() as savepoint:
                rows, report = create_rows(
                    self.spec, self.name, plan, connection=connection, metadata=metadata, state=state
                )
                if not report.existing:
                    self._run.next_row += count
                    return rows
                savepoint.rollback()
            state.unique_seen, state.distinct_used, state.pick_counts, state.sequences = (
                drawn  # rolled back too
            )
            if fixed.issuperset(step.key):  # the caller named a stored row's key: no numbering helps
                raise keys_taken(self.spec, self.name, step, attempt + 1)
            if stored is None:
                stored = stored_rows(connection, metadata, step.table)
            self._run.next_row = max(self._run.next_row + max(count, 2**attempt), stored)
            for f in step.fields:  # a sequence moves on with the numbering
                if isinstance(f.generator, Sequence):
                    state.sequences[f.pointer] = max(state.sequences.get(f.pointer, 0), self._run.next_row)
        raise keys_taken(self.spec, self.name, step, MAX_NUMBERINGS)

    def _compiled(self, catalog: Catalog, overrides: Mapping[str, Any], count: int) -> tuple[Plan, Step]:
        """The plan of this factory's own step, ``count`` rows with ``overrides`` as values."""
        if catalog not in self._run.checked:  # tables a spec is valid against stay so
            raise_for_errors(validate(self.spec, catalog))
            self._run.checked.append(catalog)
        values = override_columns(self.spec, self.name, catalog, overrides)
        raw: dict[str, Any] = {
            "id": f"factory:{self.name}" + (f"[{','.join(self.states)}]" if self.states else ""),
            "factory": self.name,
            "count": 1,
            "values": {column: {"value": value} for column, value in values},
        }
        if self.states:
            raw["states"] = list(self.states)
        document = {**self.spec.document, "seed": [raw]}
        plan = compile_spec(document, catalog, str(self.spec.path), self.spec.source_map)
        step = dataclasses.replace(plan.steps[0], count=count, count_max=None)
        self._run.state.start[step.id] = self._run.next_row
        return dataclasses.replace(plan, steps=(step,)), step

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


def factory(spec: LoadedSpec, name: str) -> Factory:
    """The factory ``name`` of a loaded spec, for ``make`` and ``create`` in tests.

    Each call starts its own row numbering (a test gets the same rows whatever ran before);
    factories derived with ``state`` share their parent's.

    Raises:
        SpecInvalid: E720, the spec has no factory ``name`` (with the closest name).
    """
    check_factory(spec, name)
    return Factory(spec, name)


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
