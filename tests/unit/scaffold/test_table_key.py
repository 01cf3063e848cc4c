"""The lookup key of a drafted table: columns whose values read back as written."""

from __future__ import annotations

import sqlalchemy as sa

from seedspec.scaffold.table_draft import draft_factory
from seedspec.scaffold.table_key import always_null, counted, fills_width, stable_key_column


def test_values_that_read_back_exactly_make_a_key() -> None:
    assert stable_key_column(sa.Column("n", sa.Integer), "sqlite")
    assert stable_key_column(sa.Column("at", sa.DateTime()), "postgresql")
    assert not stable_key_column(sa.Column("at", sa.DateTime(timezone=True)), "postgresql")
    assert not stable_key_column(sa.Column("x", sa.Float()), "sqlite")
    assert stable_key_column(sa.Column("code", sa.CHAR(3)), "mysql")
    assert not stable_key_column(sa.Column("code", sa.CHAR(3)), "postgresql")
    assert stable_key_column(sa.Column("code", sa.VARCHAR(3)), "postgresql")
    assert not stable_key_column(sa.Column("doc", sa.JSON()), "sqlite")


def test_a_char_column_reads_back_when_every_character_is_written() -> None:
    code = sa.Column("code", sa.CHAR(6))
    assert fills_width({"sequence": "{n:06d}"}, code)
    assert fills_width({"faker": "bothify", "args": {"text": "??####"}}, code)
    assert not fills_width({"faker": "bothify", "args": {"text": "??##"}}, code)
    assert not fills_width({"faker": "word"}, code)


def test_null_drafts_and_counted_keys() -> None:
    assert always_null(None)
    assert always_null({"faker": "word", "null_rate": 1})
    assert not always_null({"faker": "word", "null_rate": 0.5})
    table = sa.Table(
        "t",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("n", sa.Integer, sa.Identity(always=True)),
    )
    assert counted(table.c.id)
    assert not counted(table.c.n)  # GENERATED ALWAYS: no explicit value accepted


def test_a_counted_key_is_written_as_a_sequence_when_nothing_else_reads_back() -> None:
    table = sa.Table(
        "readings",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.Float, nullable=False),
    )
    draft, _ = draft_factory(table, "reading", {"readings": "reading"}, dialect="postgresql")
    assert draft.key == ("id",)
    assert (draft.fields[0].name, draft.fields[0].generator) == ("id", {"sequence": 1})
