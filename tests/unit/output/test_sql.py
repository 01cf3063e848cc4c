"""SQL output: literals per column type and dialect, multi-row INSERTs, PostgreSQL sequences."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from seedspec.output.builder import UnwritableValue
from seedspec.output.formats import open_output
from seedspec.output.sql import SqlRenderer

from .test_formats import COLUMNS, ROW, tables


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        (
            "postgresql",
            "INSERT INTO users (id, name, active, born, seen, balance, prefs, avatar) VALUES "
            "(1, 'it''s 50% \\ off', true, '2020-01-02', '2020-01-02 03:04:05', 3.5, "
            "'{\"a\": [1, \"x''y\"]}', '\\x00ff'), (2, NULL, NULL, NULL, NULL, NULL, 'null', NULL);\n",
        ),
        (
            "mysql",
            "INSERT INTO users (id, name, active, born, seen, balance, prefs, avatar) VALUES "
            "(1, 'it''s 50% \\\\ off', true, '2020-01-02', '2020-01-02 03:04:05', 3.5, "
            "'{\"a\": [1, \"x''y\"]}', X'00ff'), (2, NULL, NULL, NULL, NULL, NULL, 'null', NULL);\n",
        ),
        (
            "sqlite",
            "INSERT INTO users (id, name, active, born, seen, balance, prefs, avatar) VALUES "
            "(1, 'it''s 50% \\ off', 1, '2020-01-02', '2020-01-02 03:04:05.000000', 3.5, "
            "'{\"a\": [1, \"x''y\"]}', X'00ff'), (2, NULL, NULL, NULL, NULL, NULL, 'null', NULL);\n",
        ),
    ],
)
def test_sql_literals_follow_each_column_type_and_dialect(dialect: str, expected: str) -> None:
    users, _ = tables()
    empty = dict.fromkeys(ROW) | {"id": 2}
    assert SqlRenderer(dialect).insert(users, [ROW, empty]) == expected


def test_sql_reports_the_column_without_a_literal() -> None:
    md = sa.MetaData()
    table = sa.Table("t", md, sa.Column("id", sa.Integer), sa.Column("blob", sa.PickleType))
    with pytest.raises(UnwritableValue) as raised:
        SqlRenderer("postgresql").insert(table, [{"id": 1, "blob": object()}])
    assert raised.value.column == "blob"


def test_sql_moves_postgresql_sequences_past_the_written_ids_and_nothing_else() -> None:
    users, tags = tables()
    for dialect, realigns in (("postgresql", True), ("mysql", False), ("sqlite", False)):
        stream = io.StringIO()
        output = open_output("sql", COLUMNS, directory=None, stream=stream, dialect=dialect, notes=["hello"])
        output.write(users, [{"id": 1, "name": "a"}])
        output.write(tags, [{"id": 1, "name": "b"}, {"id": 2, "name": "c"}])
        assert output.close() == ()
        text = stream.getvalue()
        assert text.startswith("-- hello\nBEGIN;\nINSERT INTO users (id, name) VALUES (1, 'a');\n")
        assert text.endswith("COMMIT;\n")
        assert ("pg_get_serial_sequence('users', 'id')" in text) is realigns
        assert ("pg_get_serial_sequence('tags', 'id')" in text) is realigns


def test_sql_splits_large_batches_into_several_inserts() -> None:
    _, tags = tables()
    stream = io.StringIO()
    output = open_output("sql", COLUMNS, directory=None, stream=stream, dialect="sqlite")
    output.write(tags, [{"id": i, "name": str(i)} for i in range(1, 1202)])
    output.close()
    assert stream.getvalue().count("INSERT INTO tags") == 3
