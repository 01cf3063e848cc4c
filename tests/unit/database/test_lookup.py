"""KeyLookup: stored rows by key, with a composite key looked up by the column an index leads
and matched here; keys holding NULL matched with IS NULL; case folded where the database does."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from seedspec.database.lookup import KeyLookup, indexed_key_column


def _table(tmp_path: Path) -> tuple[sa.Engine, sa.Table]:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    metadata = sa.MetaData()
    table = sa.Table(
        "t",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.String(10)),
        sa.Column("b", sa.String(10)),
        sa.Column("v", sa.Integer),
        sa.Index("by_b", "b", "a"),
    )
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(
            table.insert(),
            [{"a": "x", "b": "1", "v": 1}, {"a": "y", "b": "1", "v": 2}, {"a": None, "b": "2", "v": 3}],
        )
    return engine, table


def test_the_column_leading_an_index_is_the_one_looked_up(tmp_path: Path) -> None:
    engine, table = _table(tmp_path)
    engine.dispose()
    assert indexed_key_column(table, ("a", "b")) == 1
    assert indexed_key_column(table, ("a", "v")) is None
    assert indexed_key_column(table, ("v", "id")) == 1  # the primary key leads its own index


def test_rows_are_found_by_composite_and_null_keys(tmp_path: Path) -> None:
    engine, table = _table(tmp_path)
    with engine.connect() as connection:
        lookup = KeyLookup(connection, table, ("a", "b"), None)
        found = lookup.find({("x", "1"), (None, "2"), ("z", "1")}, ("v",))
        assert lookup.find(set(), ("v",)) == {}
    engine.dispose()
    assert found == {("x", "1"): {"a": "x", "b": "1", "v": 1}, (None, "2"): {"a": None, "b": "2", "v": 3}}


def test_found_keys_are_folded_where_the_database_ignores_case(tmp_path: Path) -> None:
    engine, table = _table(tmp_path)
    with engine.connect() as connection:
        lookup = KeyLookup(connection, table, ("b", "a"), lambda v: v.upper() if isinstance(v, str) else v)
        found = lookup.find({("1", "Y")}, ())
    engine.dispose()
    assert found == {("1", "Y"): {"b": "1", "a": "y"}}


def test_postgresql_keys_are_one_array_parameter_and_find_the_same_rows(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    metadata = sa.MetaData()
    table = sa.Table(
        "t",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.String(10)),
        sa.Column("b", sa.String(10)),
        sa.Column("c", sa.CHAR(3)),
        sa.Index("by_b", "b", "a"),
    )
    metadata.create_all(engine)
    try:
        with engine.begin() as connection:
            connection.execute(
                table.insert(),
                [
                    {"a": "x", "b": "1", "c": "p"},
                    {"a": "y", "b": "1", "c": "q"},
                    {"a": "Z", "b": "2", "c": "r"},
                ],
            )
            by_text = KeyLookup(connection, table, ("a",), None)
            assert by_text.find({("x",), ("z",), ("Z",), ("w",)}, ("id",)) == {
                ("x",): {"a": "x", "id": 1},
                ("Z",): {"a": "Z", "id": 3},  # compared with case, as IN does
            }
            by_id = KeyLookup(connection, table, ("id",), None)
            assert by_id.find({(1,), (3,), (99,)}, ("a",)) == {
                (1,): {"id": 1, "a": "x"},
                (3,): {"id": 3, "a": "Z"},
            }
            composite = KeyLookup(connection, table, ("a", "b"), None)
            assert composite.find({("x", "1"), ("y", "2")}, ()) == {("x", "1"): {"a": "x", "b": "1"}}
            padded = KeyLookup(connection, table, ("c",), None)
            padded_found = padded.find({("p  ",), ("r",)}, ())
            statements = [
                str(s.compile(dialect=connection.dialect))
                for lookup in (by_text, by_id, composite, padded)
                for s in lookup._by_keys.values()
            ]
    finally:
        metadata.drop_all(engine)
        engine.dispose()
    assert sum("= ANY (CAST(%(keys)s AS TEXT[]))" in s for s in statements) == 2  # a, and b leading by_b
    assert sum("= ANY (CAST(%(keys)s AS BIGINT[]))" in s for s in statements) == 1
    assert sum(" IN (" in s for s in statements) == 1  # CHAR keeps its IN list
    assert padded_found == {("p  ",): {"c": "p  "}}  # stored blank-padded, read back padded
