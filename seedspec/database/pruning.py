"""Pruning: the rows a spec owns and no longer declares, their guardrails, and their removal.

Pending removals are owned rows (``provenance``) whose key no step of the spec declared in this
run. Removing them is refused, with nothing written, when it would take more than half of a
table's owned rows (unless forced), when a step declared no row at all while owning some (an
enumeration that came out empty is more likely a mistake than an intent), or when rows the spec
does not remove still refer to a row to remove. Children are removed before their parents.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.database.provenance import OwnedRow, StepKeys, key_text
from seedspec.errors import DatabaseError, Diagnostic
from seedspec.ir import Plan, Removal


def _folded(text: str, casefold: bool) -> str:
    """MySQL/MariaDB compare text without case and trailing spaces: so do keys here, else a key
    re-cased in the spec would remove the very row it finds."""
    if not casefold:
        return text
    values = json.loads(text)
    return key_text([v.rstrip(" ").casefold() if isinstance(v, str) else v for v in values])


def pending_removals(
    owned: Sequence[OwnedRow], declared: Mapping[str, StepKeys], *, casefold: bool
) -> list[OwnedRow]:
    """The owned rows whose key no step declared for their table (``declared``: by step id, the
    keys of every row it created or found)."""
    keys = {(s.table, _folded(key_text(key), casefold)) for s in declared.values() for key in s.keys}
    return [r for r in owned if (r.table, _folded(r.key_json, casefold)) not in keys]


def undeclared_in_exact_tables(
    connection: Connection, plan: Plan, declared: Mapping[str, StepKeys], *, casefold: bool
) -> list[OwnedRow]:
    """Every row of a table an ``exact`` factory writes whose key no step declared for that
    table, whoever created it (by the first exact step's key)."""
    found: list[OwnedRow] = []
    done: set[str] = set()
    for step in plan.steps:
        if not step.exact or step.table in done:
            continue
        done.add(step.table)
        keys = {
            _folded(key_text(k), casefold) for s in declared.values() if s.table == step.table for k in s.keys
        }
        t = sa.table(step.table, *(sa.column(c) for c in step.key))
        for values in connection.execute(sa.select(*t.c)):
            key = tuple(values)
            text = key_text(key)
            if _folded(text, casefold) not in keys:
                found.append(
                    OwnedRow(step=step.id, table=step.table, columns=step.key, key=key, key_json=text)
                )
    return found


def table_rows(connection: Connection, table: str) -> int:
    """How many rows ``table`` holds (an exact table owns them all)."""
    return int(connection.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one())


def as_removals(rows: Sequence[OwnedRow]) -> tuple[Removal, ...]:
    """The report's form of pending removals."""
    return tuple(Removal(step=r.step, table=r.table, columns=r.columns, key=r.key) for r in rows)


def refuse_unsafe(
    connection: Connection,
    plan: Plan,
    owned: Sequence[OwnedRow],
    pending: Sequence[OwnedRow],
    declared: Mapping[str, StepKeys],
    *,
    force: bool,
) -> None:
    """Raise E740, E741 or E742 when pruning ``pending`` would be unsafe (see the module)."""
    owning_steps = {r.step for r in owned}
    for step in plan.steps:
        keys = declared.get(step.id)
        if step.id in owning_steps and (keys is None or not keys.keys):
            raise _refused(
                "E741",
                f"cannot prune: step '{step.id}' (table {step.table}) declared no row in this run, "
                "but the spec owns rows it created or found",
                "nothing was written; an empty enumeration (a count of 0, a for_each over nothing) "
                "is more often a mistake than an intent: to remove its rows, delete the step",
                step.pointer,
            )
    by_table: dict[str, list[OwnedRow]] = defaultdict(list)
    for r in pending:
        by_table[r.table].append(r)
    total: dict[str, int] = defaultdict(int)
    for r in owned:
        total[r.table] += 1
    for table in {s.table for s in plan.steps if s.exact}:
        total[table] = max(total[table], table_rows(connection, table))
    for table, rows in by_table.items():
        if len(rows) * 2 > total[table] and not force:
            raise _refused(
                "E740",
                f"cannot prune table {table}: {len(rows)} of the {total[table]} rows the spec owns "
                "there would be removed (more than half)",
                "nothing was written; check the rows ('seedspec plan' lists them) and, if that is what "
                "you want, pass --force (force=True)",
                next((s.pointer for s in plan.steps if s.table == table), None),
            )
    _refuse_if_referenced(connection, by_table, {s.table: s.pointer for s in reversed(plan.steps)})


def _refuse_if_referenced(
    connection: Connection, by_table: Mapping[str, list[OwnedRow]], pointers: Mapping[str, str]
) -> None:
    """E742 when a row outside the prune refers to a row it removes."""
    inspector = sa.inspect(connection)
    for child in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(child):
            parent = fk["referred_table"]
            if parent not in by_table:
                continue
            referred = tuple(fk["referred_columns"])
            values = _values_of(connection, parent, by_table[parent], referred)
            if not values:
                continue
            pointing = _rows_pointing(connection, child, tuple(fk["constrained_columns"]), values)
            if child in by_table:  # rows the prune removes too do not count
                pointing = _minus_removed(by_table[child], pointing)
            if pointing:
                n = len(pointing)
                raise _refused(
                    "E742",
                    f"cannot prune table {parent}: {n} row{'s' * (n != 1)} of table {child} that the "
                    f"prune does not remove still refer{'s' * (n == 1)} to rows it would remove",
                    f"nothing was written; keep the rows: put their keys back in the spec; or remove or "
                    f"re-point those {child} rows first (seedspec removes only rows the spec owns, and "
                    "never leaves them to the foreign key's ON DELETE)",
                    pointers.get(parent),
                )


def _where_key(table: sa.TableClause, columns: tuple[str, ...], key: tuple[Any, ...]) -> Any:
    return sa.and_(
        *(table.c[c].is_(None) if v is None else table.c[c] == v for c, v in zip(columns, key, strict=True))
    )


def _values_of(
    connection: Connection, name: str, rows: Sequence[OwnedRow], wanted: tuple[str, ...]
) -> set[tuple[Any, ...]]:
    """The ``wanted`` columns of the rows to remove (what foreign keys into them hold)."""
    found: set[tuple[Any, ...]] = set()
    for r in rows:
        t = sa.table(name, *(sa.column(c) for c in dict.fromkeys((*r.columns, *wanted))))
        query = sa.select(*(t.c[c] for c in wanted)).where(_where_key(t, r.columns, r.key))
        found.update(tuple(v) for v in connection.execute(query))
    return found


def _rows_pointing(
    connection: Connection, name: str, columns: tuple[str, ...], values: set[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    t = sa.table(name, *(sa.column(c) for c in columns))
    rows: list[dict[str, Any]] = []
    for value in values:
        query = sa.select(sa.text("*")).select_from(t).where(_where_key(t, columns, value))
        rows.extend(dict(r._mapping) for r in connection.execute(query))
    return rows


def _minus_removed(removed: Sequence[OwnedRow], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The referring rows the prune does not remove itself."""
    gone = {(r.columns, key_text(r.key)) for r in removed}
    columns = {r.columns for r in removed}
    return [row for row in rows if not any((c, key_text([row.get(n) for n in c])) in gone for c in columns)]


def remove(connection: Connection, pending: Sequence[OwnedRow]) -> None:
    """DELETE the pending rows, children before parents (the tables' foreign keys decide)."""
    tables = {r.table for r in pending}
    meta = sa.MetaData()
    meta.reflect(connection, only=sorted(tables))
    for table in reversed(meta.sorted_tables):
        if table.name not in tables:
            continue
        for r in pending:
            if r.table == table.name:
                connection.execute(table.delete().where(_where_key(table, r.columns, r.key)))


def _refused(code: str, message: str, hint: str, pointer: str | None) -> DatabaseError:
    return DatabaseError(Diagnostic(code=code, message=message, hint=hint, pointer=pointer or ""))
