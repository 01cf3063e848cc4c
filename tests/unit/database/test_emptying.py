"""Resets: exactly the plan's tables emptied, children first, ids restarted; a table outside the
plan with rows pointing in makes it E707 (nothing emptied)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.emptying import reset_tables, restart_mysql_counters, tables_to_reset
from seedspec.database.writer import apply_plan
from seedspec.errors import DatabaseError


def test_children_are_emptied_first(prepare: Callable[..., Any], sqlite_url: str) -> None:
    compiled = prepare(sqlite_url)
    assert tables_to_reset(compiled.plan.steps) == ("posts", "users")


def test_a_reset_empties_and_restarts_ids(prepare: Callable[..., Any], db_url: str) -> None:
    compiled = prepare(db_url)
    with compiled.engine.begin() as connection:
        apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
    with compiled.engine.begin() as connection:
        emptied = reset_tables(connection, compiled.plan.steps)
    with compiled.engine.begin() as connection:
        restart_mysql_counters(connection, tuple(name for name, _ in emptied))
    with compiled.engine.begin() as connection:
        apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
        ids = connection.execute(sa.text("SELECT id FROM users ORDER BY id")).scalars().all()
    assert emptied == (("posts", 6), ("users", 3))
    assert ids == [1, 2, 3]


def test_rows_outside_the_plan_pointing_in_refuse_the_reset(prepare: Callable[..., Any], db_url: str) -> None:
    compiled = prepare(db_url)
    with compiled.engine.begin() as connection:
        apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
        connection.exec_driver_sql("CREATE TABLE notes (user_id INTEGER REFERENCES users (id))")
        connection.exec_driver_sql("INSERT INTO notes (user_id) VALUES (1)")
    with compiled.engine.begin() as connection, pytest.raises(DatabaseError) as caught:
        reset_tables(connection, compiled.plan.steps)
    assert caught.value.diagnostics[0].code == "E707"
    with compiled.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM notes")
    with compiled.engine.begin() as connection:  # an empty referrer: PostgreSQL cannot TRUNCATE
        assert reset_tables(connection, compiled.plan.steps) == (("posts", 6), ("users", 3))
        assert connection.execute(sa.text("SELECT count(*) FROM users")).scalar() == 0


def test_a_reset_empties_the_tables_of_every_schema_the_plan_names(
    prepare: Callable[..., Any], postgres_url: str
) -> None:
    other = f"other_{uuid.uuid4().hex[:8]}"
    schema = f"""
    CREATE SCHEMA {other};
    CREATE TABLE {other}.users (id SERIAL PRIMARY KEY, email VARCHAR(50) NOT NULL UNIQUE, age INTEGER);
    CREATE TABLE posts (
      id SERIAL PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES {other}.users (id),
      title VARCHAR(40) NOT NULL
    );
    CREATE TABLE {other}.notes (user_id INTEGER REFERENCES {other}.users (id));
    """
    spec = f"""
version: 1
tables: {{ddl: schema.sql}}
factories:
  user:
    table: {other}.users
    key: [email]
    fields: {{email: {{sequence: "u{{n}}@example.com"}}}}
  post:
    table: posts
    key: [user_id, title]
    fields: {{user_id: {{ref: user}}, title: {{sequence: "post {{n}}"}}}}
seed:
  - {{factory: user, count: 3}}
  - {{factory: post, for_each: user, count: 2}}
"""
    compiled = prepare(postgres_url, schema, spec)
    try:
        with compiled.engine.begin() as connection:
            apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
            connection.exec_driver_sql(f"INSERT INTO {other}.notes (user_id) VALUES (1)")
        with compiled.engine.begin() as connection, pytest.raises(DatabaseError) as caught:
            reset_tables(connection, compiled.plan.steps)  # a referrer in that schema is found too
        assert caught.value.diagnostics[0].code == "E707"
        with compiled.engine.begin() as connection:
            connection.exec_driver_sql(f"DELETE FROM {other}.notes")
        with compiled.engine.begin() as connection:
            assert reset_tables(connection, compiled.plan.steps) == (("posts", 6), (f"{other}.users", 3))
            assert connection.execute(sa.text(f"SELECT count(*) FROM {other}.users")).scalar() == 0
    finally:
        with compiled.engine.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {other} CASCADE")
