"""database.indexes: only the secondary indexes of an empty table are dropped, each recorded in
the transaction that drops it; rebuilding builds them again and leaves no state table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

import seedspec
from seedspec.database import indexes

SCHEMA = """
CREATE TABLE items (id SERIAL PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE, kind INTEGER, size INTEGER);
CREATE INDEX items_kind ON items (kind);
CREATE UNIQUE INDEX items_size ON items (size);
"""


def _setup(url: str) -> tuple[sa.Engine, sa.Table]:
    engine = seedspec.create_engine(url)
    with engine.begin() as c:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                c.exec_driver_sql(statement)
    table = sa.Table("items", sa.MetaData(), autoload_with=engine)
    return engine, table


def _names(c: sa.Connection) -> list[str]:
    query = "SELECT indexname FROM pg_indexes WHERE tablename = 'items' AND schemaname = current_schema()"
    return sorted(c.exec_driver_sql(query).scalars())


@pytest.mark.postgres
def test_an_empty_tables_secondary_indexes_are_dropped_and_rebuilt(new_db_url: Callable[[str], str]) -> None:
    engine, table = _setup(new_db_url("postgresql"))
    try:
        with engine.begin() as c:
            [(name, definition)] = indexes.secondary(c, table)
            assert name == "items_kind"
            assert definition.startswith("CREATE INDEX items_kind ON ")
            assert definition.endswith("(kind)")
            assert indexes.drop(c, table) == 1
        with engine.begin() as c:  # committed with its record: a later apply can restore it
            assert _names(c) == ["items_code_key", "items_pkey", "items_size"]
            assert c.exec_driver_sql(f"SELECT count(*) FROM {indexes.STATE_TABLE}").scalar() == 1
            assert indexes.restore(c) == 1
        with engine.begin() as c:
            assert _names(c) == ["items_code_key", "items_kind", "items_pkey", "items_size"]
            assert c.execute(sa.select(sa.func.to_regclass(indexes.STATE_TABLE))).scalar() is None
            assert indexes.restore(c) == 0
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_table_holding_rows_keeps_its_indexes(new_db_url: Callable[[str], str]) -> None:
    engine, table = _setup(new_db_url("postgresql"))
    try:
        with engine.begin() as c:
            c.exec_driver_sql("INSERT INTO items (code, kind, size) VALUES ('a', 1, 1)")
            assert indexes.drop(c, table) == 0
            assert "items_kind" in _names(c)
    finally:
        engine.dispose()


def test_other_databases_drop_nothing(sqlite_url: str) -> None:
    engine = seedspec.create_engine(sqlite_url)
    try:
        with engine.begin() as c:
            c.exec_driver_sql("CREATE TABLE items (id INTEGER PRIMARY KEY, kind INTEGER)")
            c.exec_driver_sql("CREATE INDEX items_kind ON items (kind)")
            table = sa.Table("items", sa.MetaData(), autoload_with=c)
            assert indexes.drop(c, table) == 0
            assert indexes.restore(c) == 0
    finally:
        engine.dispose()
