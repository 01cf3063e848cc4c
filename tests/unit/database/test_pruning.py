"""Pending removals and the guardrails, on a small SQLite database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from seedspec.database import pruning
from seedspec.database.provenance import OwnedRow, StepKeys, key_text
from seedspec.errors import DatabaseError
from seedspec.ir import Plan, Step


def owned(table: str, *names: str, step: str = "s") -> list[OwnedRow]:
    return [
        OwnedRow(step=step, table=table, columns=("name",), key=(n,), key_json=key_text([n])) for n in names
    ]


def plan(*steps: Step) -> Plan:
    return Plan(spec="s.yaml", digest="", seed=1, locale="en_US", now="", batch_size=10, steps=steps)


def test_pending_removals_are_owned_keys_no_step_declared() -> None:
    rows = owned("roles", "a", "b", "Admin")
    declared = {"s": StepKeys(table="roles", columns=("name",), keys=[("a",), ("admin ",)])}
    assert [r.key for r in pruning.pending_removals(rows, declared, casefold=False)] == [("b",), ("Admin",)]
    # MySQL/MariaDB compare without case and trailing spaces: 'admin ' is the row 'Admin'
    assert [r.key for r in pruning.pending_removals(rows, declared, casefold=True)] == [("b",)]


@pytest.fixture
def conn() -> sa.Connection:
    engine = sa.create_engine("sqlite://")
    connection = engine.connect()
    connection.exec_driver_sql("CREATE TABLE roles (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
    connection.exec_driver_sql(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, role_id INTEGER REFERENCES roles (id))"
    )
    connection.exec_driver_sql("INSERT INTO roles (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    return connection


def test_more_than_half_of_a_table_is_refused_unless_forced(conn: sa.Connection) -> None:
    step = Step(id="s", factory="role", table="roles", key=("name",), seed=1, pointer="/seed/0")
    rows = owned("roles", "a", "b", "c")
    declared = {"s": StepKeys(table="roles", columns=("name",), keys=[("a",)])}
    pending = pruning.pending_removals(rows, declared, casefold=False)
    with pytest.raises(DatabaseError) as refused:
        pruning.refuse_unsafe(conn, plan(step), rows, pending, declared, force=False)
    assert refused.value.diagnostics[0].code == "E740"
    assert refused.value.diagnostics[0].pointer == "/seed/0"
    pruning.refuse_unsafe(conn, plan(step), rows, pending, declared, force=True)


def test_an_empty_step_and_rows_not_owned_referring_are_refused(conn: sa.Connection) -> None:
    step = Step(id="s", factory="role", table="roles", key=("name",), seed=1, pointer="/seed/0")
    rows = owned("roles", "a", "b", "c")
    empty = {"s": StepKeys(table="roles", columns=("name",))}
    with pytest.raises(DatabaseError) as refused:
        pruning.refuse_unsafe(conn, plan(step), rows, rows, empty, force=True)
    assert refused.value.diagnostics[0].code == "E741"

    conn.exec_driver_sql("INSERT INTO users (id, role_id) VALUES (1, 3)")
    declared = {"s": StepKeys(table="roles", columns=("name",), keys=[("a",), ("b",)])}
    pending = pruning.pending_removals(rows, declared, casefold=False)
    with pytest.raises(DatabaseError) as refused:
        pruning.refuse_unsafe(conn, plan(step), rows, pending, declared, force=False)
    assert refused.value.diagnostics[0].code == "E742"
    assert "1 row of table users" in refused.value.diagnostics[0].message
    conn.exec_driver_sql("DELETE FROM users")
    pruning.refuse_unsafe(conn, plan(step), rows, pending, declared, force=False)
    pruning.remove(conn, pending)
    assert [r[0] for r in conn.exec_driver_sql("SELECT name FROM roles ORDER BY name")] == ["a", "b"]
    assert pruning.as_removals(pending)[0].columns == ("name",)
