"""Bulk inserts through the driver, and SQLite ids read before the INSERT: the rows and ids are
those SQLAlchemy's own INSERT ... RETURNING gives, whatever the table held before."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump

import seedspec
from seedspec.database import bulkinsert

SCHEMA = """
CREATE TABLE plain (id INTEGER PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE, seen DATETIME, doc JSON);
CREATE TABLE counted (id INTEGER PRIMARY KEY AUTOINCREMENT, code VARCHAR(10) NOT NULL UNIQUE);
CREATE TABLE not_rowid (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL UNIQUE);
CREATE TABLE children (
  id INTEGER PRIMARY KEY,
  plain_id INTEGER NOT NULL REFERENCES plain (id),
  counted_id INTEGER NOT NULL REFERENCES counted (id)
);
"""

SPEC = """
version: 1
tables: {ddl: schema.sql}
settings: {seed: 5}
factories:
  plain:
    table: plain
    key: [code]
    fields:
      code: {sequence: "p{n}"}
      seen: {range: ["2024-01-01T00:00:00", "2024-12-31T00:00:00"]}
      doc: {value: {a: [1, 2], b: null}}
  counted:
    table: counted
    key: [code]
    fields: {code: {sequence: "c{n}"}}
  child:
    table: children
    key: [plain_id, counted_id]
    fields:
      plain_id: {ref: plain}
      counted_id: {ref: counted, distinct_per: plain_id}
seed:
  - {factory: plain, count: 2500}
  - {factory: counted, count: 2500}
  - {factory: child, for_each: plain, count: 2}
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    (tmp_path / "schema.sql").write_text(SCHEMA, encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(textwrap.dedent(SPEC), encoding="utf-8")
    return path


def prepare(url: str) -> None:
    """Tables holding rows already, with gaps: ids a count of rows would get wrong."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
        conn.exec_driver_sql("INSERT INTO plain (id, code) VALUES (7, 'old-1'), (40, 'old-2')")
        conn.exec_driver_sql("INSERT INTO counted (code) VALUES ('old-1'), ('old-2'), ('old-3')")
        conn.exec_driver_sql("DELETE FROM counted WHERE code = 'old-3'")  # AUTOINCREMENT remembers id 3
    engine.dispose()


def apply(spec: Path, url: str) -> seedspec.Report:
    engine = seedspec.create_engine(url)
    try:
        return seedspec.apply(seedspec.load(spec), engine, workers=0)
    finally:
        engine.dispose()


def test_ids_read_before_the_insert_are_those_returning_gives(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read, returned = f"sqlite:///{tmp_path / 'read.db'}", f"sqlite:///{tmp_path / 'returned.db'}"
    prepare(read)
    prepare(returned)
    tables: list[str] = []
    original = bulkinsert.SqliteIds.of

    def of(connection: sa.Connection, table: sa.Table) -> bulkinsert.SqliteIds | None:
        ids = original(connection, table)
        if ids is not None:
            tables.append(table.name)
        return ids

    monkeypatch.setattr(bulkinsert.SqliteIds, "of", of)
    report = apply(spec, read)
    assert sorted(set(tables)) == ["children", "counted", "plain"]  # not the INT PRIMARY KEY table
    monkeypatch.setattr(bulkinsert.SqliteIds, "of", classmethod(lambda cls, connection, table: None))
    apply(spec, returned)
    assert report.created == 2500 + 2500 + 5000
    assert dump(read) == dump(returned)
    engine = sa.create_engine(read)
    with engine.connect() as conn:
        assert (
            conn.exec_driver_sql(
                "SELECT min(id) FROM counted WHERE code != 'old-1' AND code != 'old-2'"
            ).scalar()
            == 4
        )
        assert conn.exec_driver_sql("SELECT min(id) FROM plain WHERE code = 'p0'").scalar() == 41
    engine.dispose()


def test_tables_without_a_rowid_alias_get_no_ids_read_ahead(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE a (id INT PRIMARY KEY, v TEXT)")
        conn.exec_driver_sql("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT) WITHOUT ROWID")
        conn.exec_driver_sql("CREATE TABLE c (x INTEGER, y INTEGER, PRIMARY KEY (x, y))")
        conn.exec_driver_sql("CREATE TABLE d (id integer primary key autoincrement, v TEXT)")
        metadata = sa.MetaData()
        metadata.reflect(conn)
        found = {name: bulkinsert.SqliteIds.of(conn, table) for name, table in metadata.tables.items()}
    engine.dispose()
    assert [name for name, ids in found.items() if ids is not None] == ["d"]
    assert found["d"] is not None
    assert found["d"].autoincrement


def test_a_column_named_like_the_keyword_is_not_autoincrement(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:  # no AUTOINCREMENT table: there is no sqlite_sequence to read
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, autoincrement_note TEXT)")
        metadata = sa.MetaData()
        metadata.reflect(conn)
        ids = bulkinsert.SqliteIds.of(conn, metadata.tables["t"])
        assert ids is not None
        assert not ids.autoincrement
        assert ids.reserve(2) == [1, 2]
    engine.dispose()
