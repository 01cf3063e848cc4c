"""What a generator kind is, and what the rooms above give it to check, compile and draw.

A kind knows its own document key, IR form and the four things done with it; the rooms that
run a phase (validation, the compiler, generation, the plan's text) provide the context as the
small protocols below, so this room imports nothing above ``language``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from seedspec.catalog import TableInfo
from seedspec.errors import Diagnostic
from seedspec.ir import Field, Generator, Plan, Step
from seedspec.language.counterhash import Keys

G = TypeVar("G", bound=Generator)
Providers = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldSite:
    """Where a generator is compiled: its column, the table of its factory, the step's for_each."""

    column: str
    table: TableInfo
    for_each: str | None = None


class CompileContext(Protocol):
    """What compiling a generator may look up (the compiler's per-spec context)."""

    @property
    def locale(self) -> str: ...
    @property
    def now(self) -> dt.datetime: ...
    @property
    def base_dir(self) -> str: ...
    @property
    def providers(self) -> Providers: ...
    def table(self, factory: str) -> TableInfo: ...
    def faker_signature(self, locale: str, method: str) -> inspect.Signature | None: ...


class CheckScope(Protocol):
    """What checking a generator may look up (validation's names for the field's place)."""

    @property
    def fields(self) -> set[str]:
        """The other fields of the row: what a template or ``distinct_per`` may read."""
        ...

    @property
    def factories(self) -> Mapping[str, Any]: ...
    @property
    def records(self) -> Mapping[str, frozenset[str]]: ...
    @property
    def default_locale(self) -> str: ...
    @property
    def locale_ok(self) -> bool: ...
    @property
    def providers_ok(self) -> bool: ...
    def suggest(self, name: str, options: Any) -> str: ...
    def faker_methods(self, locale: str) -> Mapping[str, inspect.Signature | None]: ...


class Slot(Protocol):
    """The row a value is drawn for (generation's RowSlot)."""

    @property
    def local_id(self) -> str: ...
    @property
    def n(self) -> int: ...
    @property
    def seqs(self) -> Mapping[str, int]: ...
    @property
    def ordinal(self) -> int:
        """The row's position in its step (records first)."""
        ...

    @property
    def parent(self) -> object | None:
        """The ``for_each`` parent's row, or None."""
        ...


class Cell(NamedTuple):
    """One value to draw: the field, the row's slot and the row so far."""

    field: Field
    slot: Slot
    row: dict[str, Any]


class Maker(Protocol):
    """What a draw may use of the run (generation's RowMaker)."""

    @property
    def rng(self) -> random.Random: ...
    @property
    def plan(self) -> Plan: ...
    @property
    def step(self) -> Step:
        """The step the row belongs to: part of the row's identity."""
        ...

    @property
    def named(self) -> Mapping[str, Any]: ...
    def faker(self, locale: str, providers: Providers) -> Any: ...
    def worker_draw(self, cell: Cell) -> tuple[Any, ...]: ...
    def pick(self, cell: Cell, seed: int, wanted: tuple[tuple[str, str], ...] = ()) -> Any:
        """What the cell's ref picks; ``wanted``: (column, rendered text) the row's filter adds."""
        ...

    def related(self, cell: Cell, name: str, via: tuple[str, str]) -> Mapping[str, Any]:
        """The kept columns of the row's parent (``via`` empty) or of the ``name`` row whose
        ``via[1]`` column holds the value of the row's field ``via[0]``."""
        ...

    def error(self, code: str, message: str, cell: Cell, hint: str) -> Exception: ...


class Batch(Protocol):
    """The rows a column is drawn for at once (generator version 3; generation's batch)."""

    @property
    def keys(self) -> Keys:
        """One 64-bit key per row, a pure function of (spec seed, step, row identity, column)."""
        ...

    @property
    def size(self) -> int: ...
    def numbers(self) -> list[int]:
        """``n`` of each row (what templates see)."""
        ...

    def sequence(self) -> list[int]:
        """Each row's number in the sequence the column draws from."""
        ...

    def column(self, name: str) -> list[Any] | None:
        """The values an earlier field of the rows took, or None when some row has none."""
        ...


ColumnForm = Callable[[Batch], Sequence[Any] | None]
"""The values of a column for a whole batch (None: draw this batch per row instead)."""


def no_check(_raw: Mapping[str, Any], _ptr: str, _scope: CheckScope) -> Iterator[Diagnostic]:
    """The check of a kind whose every rule the JSON Schema states."""
    return iter(())


@dataclass(frozen=True, slots=True, kw_only=True)
class Kind(Generic[G]):
    """A generator kind: the key that names it in a document and what each phase does with it.

    ``check`` reports what the JSON Schema cannot say (validation); ``compile`` makes the IR
    generator from the document's mapping; ``draw`` gives a value of a row from its seed (and
    ``attempt``, the how-many-th draw of a unique field); ``describe`` is the plan's phrase;
    ``column`` (generator version 3) makes the function that draws a whole batch of a column from
    its rows' keys.
    """

    name: str
    ir: type[G]
    compile: Callable[[Mapping[str, Any], FieldSite, CompileContext], G]
    draw: Callable[[G, Maker, Cell, int, int], Any]
    describe: Callable[[G], str]
    check: Callable[[Mapping[str, Any], str, CheckScope], Iterator[Diagnostic]] = no_check
    column: Callable[[G, str], ColumnForm | None] | None = None
    """Generator version 3's column form of a generator under ``settings.now`` (the text), or
    None where it has none (its values are then drawn one by one, as version 2 draws them)."""
