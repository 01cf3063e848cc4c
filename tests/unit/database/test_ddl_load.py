"""A DDL file with a dialect, read offline into table definitions, and run on SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from seedspec.database import ddl_load, tables
from seedspec.errors import DatabaseError

PG = """\
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    feeling mood NOT NULL,
    stamp TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE plain (id INTEGER PRIMARY KEY);
"""


def test_offline_the_catalog_is_that_of_the_ddls_own_dialect(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(PG)
    catalog = tables.catalog_from_metadata(
        ddl_load.offline_metadata(tmp_path / "schema.sql", "postgresql", None)
    )
    users = catalog.tables["users"]
    assert [c.name for c in users.columns if c.has_default] == ["id", "seq"]
    assert [(c.name, c.labels) for c in users.columns if c.labels] == [("feeling", ("happy", "sad"))]
    assert users.column("stamp") is not None
    assert users.column("stamp").kind == "datetime"  # type: ignore[union-attr]
    # PostgreSQL does not number an INTEGER PRIMARY KEY, though SQLite, which holds the shape, would
    assert not catalog.tables["plain"].columns[0].has_default


def test_a_sqlite_ddl_offline_is_sqlites_own(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("CREATE TABLE t (id INTEGER PRIMARY KEY, n INT NOT NULL);")
    catalog = tables.catalog_from_metadata(ddl_load.offline_metadata(tmp_path / "schema.sql", "sqlite", None))
    assert [c.has_default for c in catalog.tables["t"].columns] == [True, False]


def test_a_statement_the_database_refuses_is_e402_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE t (id SERIAL PRIMARY KEY);\n\nCREATE INDEX i ON nowhere (x);\n"
    )
    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection, pytest.raises(DatabaseError) as caught:
        ddl_load.run(connection, tmp_path / "schema.sql", "postgresql", None)
    engine.dispose()
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "E402"
    assert str(diagnostic.location).endswith("schema.sql:3:1")
    assert "CREATE INDEX" in (diagnostic.hint or "")


def test_postgresql_types_sqlite_would_misread_keep_their_kind_offline(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text(
        "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
        "CREATE TABLE a (\n"
        "    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),\n"
        "    tags TEXT[] NOT NULL DEFAULT '{}',\n"
        "    price NUMERIC(10, 2) NOT NULL,\n"
        "    n SERIAL\n"
        ");\n"
        "CREATE INDEX a_n ON a (n);\n"
        "COMMENT ON TABLE a IS 'things';\n"
    )
    catalog = tables.catalog_from_metadata(
        ddl_load.offline_metadata(tmp_path / "schema.sql", "postgresql", None)
    )
    columns = [(c.name, c.kind, c.has_default) for c in catalog.tables["a"].columns]
    assert columns == [
        ("id", "uuid", True),
        ("tags", "json", True),
        ("price", "decimal", False),
        ("n", "int", True),
    ]


def test_an_offline_uuid_column_writes_the_text_sqlite_holds(tmp_path: Path) -> None:
    import uuid

    import sqlalchemy as sa
    from sqlalchemy.dialects import sqlite

    (tmp_path / "schema.sql").write_text("CREATE TABLE a (id UUID PRIMARY KEY);\n")
    table = ddl_load.offline_metadata(tmp_path / "schema.sql", "postgresql", None).tables["a"]
    value = uuid.UUID("8b2f6289-5675-5b2d-9fea-92b2b8076b5a")
    insert = (
        sa.insert(table)
        .values(id=value)
        .compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
    )
    assert "'8b2f6289-5675-5b2d-9fea-92b2b8076b5a'" in str(insert)
    assert table.c.id.type.process_result_value(str(value), sqlite.dialect()) == value
