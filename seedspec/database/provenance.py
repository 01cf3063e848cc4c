"""Which rows a spec owns in a database: the state table ``seedspec_rows``.

A row is owned by a spec when one of its steps created it or found it by key during an apply
that recorded provenance. Ownership is written down, never inferred from what a table holds:
a row a user added by hand in the same table is not the spec's and is never pruned. The table
lives in the target database, so it survives across runs and machines and is written in the
apply's own transaction (a rolled-back apply records nothing).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.generation.rows import Key

STATE_TABLE = "seedspec_rows"
_PROJECT_MARKERS = (".git", "pyproject.toml", "seedspec.toml")

_meta = sa.MetaData()
rows_table = sa.Table(
    STATE_TABLE,
    _meta,
    sa.Column("spec_id", sa.String(255), nullable=False),
    sa.Column("table_name", sa.String(128), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("step_id", sa.String(255), nullable=False),
    sa.Column("key_columns", sa.Text, nullable=False),
    sa.Column("key_json", sa.Text, nullable=False),
    sa.UniqueConstraint("spec_id", "table_name", "key_hash", name="seedspec_rows_owned"),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class OwnedRow:
    """A row a spec owns: the step that last recorded it, its table and its lookup key."""

    step: str
    table: str
    columns: tuple[str, ...]
    key: tuple[Any, ...]
    key_json: str


@dataclass(slots=True, kw_only=True)
class StepKeys:
    """The keys of every row one step created or found in this run (filled as it runs)."""

    table: str
    columns: tuple[str, ...]
    keys: list[Key] = field(default_factory=list)


def spec_identity(path: Path, settings: Mapping[str, Any]) -> str:
    """The spec's name in the state table: ``settings.id`` when set, else its path relative to
    the project (the nearest folder above it holding ``.git``, ``pyproject.toml`` or
    ``seedspec.toml``), else its file name. Not the path as typed (it changes with the working
    folder) nor an absolute one (it changes with the machine)."""
    declared = settings.get("id")
    if isinstance(declared, str) and declared:
        return declared
    resolved = path.resolve()
    for folder in resolved.parents:
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return resolved.relative_to(folder).as_posix()
    return resolved.name


def key_text(key: Sequence[Any]) -> str:
    """A key as stored: JSON, values JSON cannot hold (dates, decimals) as text."""
    return json.dumps(list(key), default=str, ensure_ascii=False, separators=(",", ":"))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def exists(connection: Connection) -> bool:
    """Whether the state table is in the database (provenance is in use there)."""
    return sa.inspect(connection).has_table(STATE_TABLE)


def ensure(connection: Connection) -> None:
    """Create the state table where it is missing (on MySQL/MariaDB DDL commits by itself)."""
    if not exists(connection):
        _meta.create_all(connection, tables=[rows_table])


def owned(connection: Connection, spec_id: str) -> list[OwnedRow]:
    """Every row the spec owns, by table and key."""
    t = rows_table
    query = sa.select(t.c.step_id, t.c.table_name, t.c.key_columns, t.c.key_json).where(
        t.c.spec_id == spec_id
    )
    return [
        OwnedRow(
            step=step,
            table=table,
            columns=tuple(json.loads(cols)),
            key=tuple(json.loads(text)),
            key_json=text,
        )
        for step, table, cols, text in connection.execute(query.order_by(t.c.table_name, t.c.key_json))
    ]


def record(connection: Connection, spec_id: str, declared: Mapping[str, StepKeys]) -> None:
    """Record the keys each step declared (by step id) as owned by the spec; keys already
    recorded keep their row (their step is brought up to date)."""
    t = rows_table
    stored = {
        (table, h): step
        for step, table, h in connection.execute(
            sa.select(t.c.step_id, t.c.table_name, t.c.key_hash).where(t.c.spec_id == spec_id)
        )
    }
    new: dict[tuple[str, str], dict[str, str]] = {}
    moved: list[dict[str, str]] = []
    for step, table, columns, key in _every_key(declared):
        text = key_text(key)
        h = _hash(text)
        if (table, h) not in stored:
            new[(table, h)] = {
                "spec_id": spec_id,
                "table_name": table,
                "key_hash": h,
                "step_id": step,
                "key_columns": json.dumps(list(columns)),
                "key_json": text,
            }
        elif stored[(table, h)] != step:
            moved.append({"s": spec_id, "t": table, "h": h, "step": step})
    if new:
        connection.execute(t.insert(), list(new.values()))
    if moved:
        connection.execute(
            t.update()
            .where(
                t.c.spec_id == sa.bindparam("s"),
                t.c.table_name == sa.bindparam("t"),
                t.c.key_hash == sa.bindparam("h"),
            )
            .values(step_id=sa.bindparam("step")),
            moved,
        )


def _every_key(declared: Mapping[str, StepKeys]) -> Iterable[tuple[str, str, tuple[str, ...], Key]]:
    for step, keys in declared.items():
        for key in keys.keys:
            yield step, keys.table, keys.columns, key


def forget(connection: Connection, spec_id: str, rows: Sequence[OwnedRow]) -> None:
    """Drop rows removed by a prune from the state table."""
    if not rows:
        return
    t = rows_table
    connection.execute(
        t.delete().where(
            t.c.spec_id == spec_id,
            t.c.table_name == sa.bindparam("t"),
            t.c.key_hash == sa.bindparam("h"),
        ),
        [{"t": r.table, "h": _hash(r.key_json)} for r in rows],
    )
