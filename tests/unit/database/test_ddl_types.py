"""Column types the stand-in (SQLite) cannot hold, given back as PostgreSQL reflects them."""

from __future__ import annotations

import sqlalchemy as sa
import sqlglot
from sqlalchemy.dialects import postgresql
from sqlglot import exp

from seedspec.database.ddl_types import reflected, untyped


def _column(kind: str) -> exp.ColumnDef:
    tree = sqlglot.parse_one(f"CREATE TABLE t (c {kind} NOT NULL)", read="postgres")
    found = tree.find(exp.ColumnDef)
    assert found is not None
    return found


def test_types_sqlite_reads_by_affinity_are_left_untyped_and_named() -> None:
    for kind, name in [
        ("point", "point"),
        ("xml", "xml"),
        ('"cube"', "cube"),
        ("public.cube", "cube"),
        ("inet", "inet"),
        ("tsvector", "tsvector"),
        ("interval", "interval"),
    ]:
        column = _column(kind)
        assert untyped(column) == name, kind
        assert column.args.get("kind") is None
        assert column.sql("sqlite") == "c NOT NULL"


def test_types_sqlite_holds_are_kept() -> None:
    for kind in ["integer", "varchar(3)", "text", "numeric(5, 2)", "timestamptz", "boolean", "jsonb"]:
        column = _column(kind)
        assert untyped(column) is None
        assert column.args.get("kind") is not None


def test_reflected_as_postgresql_reflects_them() -> None:
    unknown, named = reflected("point")
    assert isinstance(unknown, sa.types.NullType)
    assert named == "point"
    inet, named = reflected("inet")
    assert isinstance(inet, postgresql.INET)
    assert named is None
