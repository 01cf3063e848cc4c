"""E500: the refused row's column, from the database's text or else from the foreign key no
parent row matches, and a preview of its values cut to a readable length."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.refusals import PREVIEW_CHARS, checked_column, dangling_reference, preview, refused
from seedspec.database.statements import table_of


def test_the_dangling_reference_is_named(prepare: Callable[..., Any], sqlite_url: str) -> None:
    compiled = prepare(sqlite_url)
    posts = table_of(compiled.metadata, compiled.plan.steps[1])
    with compiled.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO users (id, email) VALUES (1, 'a')")
        assert dangling_reference(connection, posts, {"user_id": 2, "title": "t"}) == "user_id"
        assert dangling_reference(connection, posts, {"user_id": 1, "title": "t"}) is None
        assert dangling_reference(connection, posts, {"title": "t"}) is None  # no value: nothing to check


def test_a_refusal_names_the_column_its_text_names(prepare: Callable[..., Any], sqlite_url: str) -> None:
    compiled = prepare(sqlite_url)
    step = compiled.plan.steps[0]
    users = table_of(compiled.metadata, step)
    with compiled.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO users (email) VALUES ('a')")
        with pytest.raises(sa.exc.IntegrityError) as caught:
            connection.exec_driver_sql("INSERT INTO users (email) VALUES ('a')")
        slot = _Slot(ordinal=7, fields=step.fields)
        error = refused(connection, users, step, slot, {"email": "a"}, caught.value)
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "E500"
    assert "row 7 of step 'user" in diagnostic.message
    assert "column 'email'" in diagnostic.message
    assert diagnostic.pointer == next(f.pointer for f in step.fields if f.column == "email")


@pytest.mark.parametrize("declared", [True, False], ids=["in-metadata", "reflected"])
def test_a_named_check_gives_the_column_its_definition_names(sqlite_url: str, declared: bool) -> None:
    engine = sa.create_engine(sqlite_url)
    checks = [sa.CheckConstraint("points >= 0", name="no_negative")] if declared else []
    scores = sa.Table("scores", sa.MetaData(), sa.Column("label", sa.Text), sa.Column("points", sa.Integer))
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE scores (label TEXT, points INTEGER, CONSTRAINT no_negative CHECK (points >= 0))"
        )
        if declared:
            scores.append_constraint(checks[0])
        with pytest.raises(sa.exc.IntegrityError) as caught:
            connection.exec_driver_sql("INSERT INTO scores VALUES ('a', -1)")
        assert checked_column(connection, scores, caught.value) == "points"
    engine.dispose()


def test_a_long_row_is_cut() -> None:
    assert preview({"a": 1, "b": "x"}) == "a=1, b='x'"
    long = preview({"a": "y" * 1000})
    assert len(long) == PREVIEW_CHARS
    assert long.endswith("...")


class _Slot:
    """What ``refused`` reads of a row's slot."""

    def __init__(self, *, ordinal: int, fields: Any) -> None:
        self.ordinal, self.fields = ordinal, fields
