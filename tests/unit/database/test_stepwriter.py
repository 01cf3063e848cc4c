"""DatabaseStep: one step written through the database's own path (COPY on PostgreSQL, ids read
ahead on SQLite, RETURNING elsewhere), with the ids later steps refer to; a refused row is E500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.statements import table_of
from seedspec.database.stepwriter import DatabaseStep
from seedspec.database.writer import apply_plan
from seedspec.errors import DatabaseError
from seedspec.generation.prefetch import Prefetcher
from seedspec.generation.slots import RunState


def test_the_paths_chosen_follow_the_database(prepare: Callable[..., Any], db_url: str) -> None:
    compiled = prepare(db_url)
    step = compiled.plan.steps[0]
    table = table_of(compiled.metadata, step)
    prefetcher = Prefetcher(0)
    with compiled.engine.begin() as connection:
        run = DatabaseStep(compiled.plan, step, table, connection, RunState(), False, prefetcher)
        dry = DatabaseStep(compiled.plan, step, table, connection, RunState(), True, prefetcher)
    prefetcher.close()
    kind = connection.dialect.name
    assert (run.copier is not None) == (kind == "postgresql")
    assert (run.rowids is not None) == (kind == "sqlite")
    assert dry.copier is None
    assert dry.rowids is None
    assert run.background == (kind == "postgresql")  # no hooks, no deferred columns: COPY runs behind


def test_children_refer_to_the_ids_their_parents_got(prepare: Callable[..., Any], db_url: str) -> None:
    compiled = prepare(db_url)
    with compiled.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO users (email, age) VALUES ('other@example.com', 1)")
        apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
        pairs = connection.execute(
            sa.text("SELECT u.email, count(*) FROM posts p JOIN users u ON u.id = p.user_id GROUP BY u.email")
        ).all()
    assert sorted(pairs) == [(f"u{n}@example.com", 2) for n in range(3)]


def test_a_refused_row_is_located(prepare: Callable[..., Any], sqlite_url: str) -> None:
    compiled = prepare(sqlite_url)
    with compiled.engine.begin() as connection:
        connection.exec_driver_sql("CREATE UNIQUE INDEX one_title ON posts (title)")
        connection.exec_driver_sql("INSERT INTO users (id, email) VALUES (99, 'x@example.com')")
        connection.exec_driver_sql("INSERT INTO posts (user_id, title) VALUES (99, 'post 3')")
    with compiled.engine.begin() as connection, pytest.raises(DatabaseError) as caught:
        apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E500"
    assert "column 'title'" in diagnostic.message
    assert "row 3 of step" in diagnostic.message
    assert "title='post 3'" in diagnostic.hint
