"""What the walk and the places rows go share: keys, rows, table shapes, E505, statement groups.

The database room (``apply``) and the output room (``build``) read these; they hold no SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from seedspec.errors import DatabaseError, Diagnostic
from seedspec.generation.slots import RowSlot
from seedspec.ir import Step

Progress = Callable[[Step, int, int], None]  # (step, rows done, rows in step)
Key = tuple[Any, ...]
Row = dict[str, Any]
MAX_DIFFS_SHOWN = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class TableShape:
    """What the walk knows of the table a step writes: the database room reads it, generation
    never touches the database."""

    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    padded: tuple[str, ...] = ()  # CHAR(n): 'M' reads back 'M ' on PostgreSQL, the same value


def differs_error(
    step: Step, ordinal: int, row: dict[str, Any], changes: tuple[tuple[str, Any, Any], ...]
) -> DatabaseError:
    """E505: row ``ordinal`` of ``step`` has the key of a stored row that differs (``changes``),
    and the factory's ``on_existing`` is 'error'."""
    key = {k: row.get(k) for k in step.key}
    return DatabaseError(
        Diagnostic(
            code="E505",
            pointer=step.pointer,
            message=f"step '{step.id}', row {ordinal}: a row with key {key} exists and differs "
            f"({', '.join(c for c, _, _ in changes)})",
            hint="factory on_existing is 'error'; use 'update' to overwrite or 'skip' to keep it",
        )
    )


def column_groups(rows: Iterable[tuple[RowSlot, Row]]) -> list[list[tuple[RowSlot, Row]]]:
    """Rows grouped by the columns they set, groups in first-seen order: one statement each.

    This is also the order a database gives ids in, so ``build`` counts them in it.
    """
    groups: dict[tuple[str, ...], list[tuple[RowSlot, Row]]] = {}
    for slot, row in rows:
        groups.setdefault(tuple(row), []).append((slot, row))
    return list(groups.values())


def unique_columns(step: Step, columns: Collection[str]) -> tuple[str, ...]:
    """The columns of ``step`` whose values must be unique in the table, besides its key."""
    return tuple(
        dict.fromkeys(
            f.column
            for f in (*step.fields, *(f for r in step.records for f in r.fields))
            if f.unique and f.column not in step.key and f.column in columns
        )
    )
