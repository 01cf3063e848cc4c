"""apply_plan: every missing row created once, found on the next run, per-step reports timed;
a dry run writes nothing; a database failure names its step (E403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.writer import apply_plan
from seedspec.errors import DatabaseError


def test_rows_are_created_then_found(prepare: Callable[..., Any], db_url: str) -> None:
    compiled = prepare(db_url)
    with compiled.engine.begin() as connection:
        first = apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
    with compiled.engine.begin() as connection:
        second = apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
        ages = connection.execute(sa.text("SELECT age FROM users ORDER BY id")).scalars().all()
        posts = connection.execute(sa.text("SELECT count(*) FROM posts")).scalar()
    assert [(s.created, s.existing) for s in first.steps] == [(3, 0), (6, 0)]
    assert [(s.created, s.existing) for s in second.steps] == [(0, 3), (0, 6)]
    assert ages == [20, 21, 22]
    assert posts == 6
    assert all(s.seconds > 0 for s in first.steps)


def test_a_dry_run_writes_nothing(prepare: Callable[..., Any], sqlite_url: str) -> None:
    compiled = prepare(sqlite_url)
    with compiled.engine.begin() as connection:
        report = apply_plan(compiled.plan, connection, compiled.metadata, workers=0, dry_run=True)
        users = connection.execute(sa.text("SELECT count(*) FROM users")).scalar()
    assert report.dry_run
    assert [s.created for s in report.steps] == [3, 6]
    assert users == 0


def test_a_database_failure_names_the_step(prepare: Callable[..., Any], sqlite_url: str) -> None:
    compiled = prepare(sqlite_url)
    with compiled.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE posts")
    with compiled.engine.begin() as connection, pytest.raises(DatabaseError) as caught:
        apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E403"
    assert "table posts" in diagnostic.message
