"""SQLite: ids read before the INSERT (rowid tables only, AUTOINCREMENT's counter too), resets
clearing sqlite_sequence, foreign key checks deferred to the commit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from seedspec.database.dialects import dialect_for
from seedspec.database.dialects.sqlite import SqliteIds


def _engine(sqlite_url: str) -> tuple[sa.Engine, sa.MetaData]:
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE counted (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)")
        connection.exec_driver_sql("CREATE TABLE plain (id INTEGER PRIMARY KEY, v TEXT)")
        connection.exec_driver_sql("CREATE TABLE loose (id INT PRIMARY KEY, v TEXT)")
    metadata = sa.MetaData()
    metadata.reflect(engine)
    return engine, metadata


def test_ids_ahead_follow_the_largest_id_ever(sqlite_url: str) -> None:
    engine, metadata = _engine(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO counted (v) VALUES ('a'), ('b'), ('c')")
        connection.exec_driver_sql("DELETE FROM counted WHERE id = 3")
        connection.exec_driver_sql("INSERT INTO plain (id, v) VALUES (7, 'a')")
        sqlite = dialect_for(connection)
        counted = sqlite.ids_ahead(connection, metadata.tables["counted"])
        plain = sqlite.ids_ahead(connection, metadata.tables["plain"])
        assert sqlite.ids_ahead(connection, metadata.tables["loose"]) is None  # INT: not the rowid
        assert isinstance(counted, SqliteIds)
        assert counted.autoincrement
        assert counted.reserve(2) == [4, 5]  # AUTOINCREMENT never gives 3 again
        assert plain is not None
        assert not plain.autoincrement
        assert plain.column == "id"
        assert plain.reserve(1) == [8]
    engine.dispose()


def test_a_reset_restarts_the_autoincrement_counter(sqlite_url: str) -> None:
    engine, metadata = _engine(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO counted (v) VALUES ('a'), ('b')")
        dialect_for(connection).empty(connection, [metadata.tables["counted"]], referenced=False)
        connection.exec_driver_sql("INSERT INTO counted (v) VALUES ('c')")
        assert connection.exec_driver_sql("SELECT id FROM counted").scalars().all() == [1]
    engine.dispose()


def test_checks_wait_for_the_commit(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        with dialect_for(connection).checks_at_commit(connection, [], lambda: None):
            deferred = connection.exec_driver_sql("PRAGMA defer_foreign_keys").scalar()
    engine.dispose()
    assert deferred == 1


def test_the_write_lock_is_taken_as_the_transaction_begins_and_restores_the_busy_timeout(
    sqlite_url: str,
) -> None:
    from seedspec.database.session import create_engine

    engine = create_engine(sqlite_url)
    other = sa.create_engine(sqlite_url, connect_args={"timeout": 0.05})
    try:
        with engine.connect() as connection, connection.begin():
            timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
            dialect_for(connection).take_write_lock(connection)
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == timeout
            with other.connect() as rival, pytest.raises(sa.exc.OperationalError, match="locked"):
                rival.exec_driver_sql("BEGIN IMMEDIATE")  # before this transaction wrote anything
            connection.exec_driver_sql("CREATE TABLE t (a)")
            connection.exec_driver_sql("SAVEPOINT s")  # still the one transaction SAVEPOINT needs
            connection.exec_driver_sql("RELEASE s")
        with other.connect() as rival:
            assert rival.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0  # committed
    finally:
        engine.dispose()
        other.dispose()


def test_a_refused_named_check_is_named_by_its_text() -> None:
    sqlite = dialect_for("sqlite")
    assert sqlite.refused_constraint(Exception(), "CHECK constraint failed: no_negative") == "no_negative"
    assert sqlite.refused_constraint(Exception(), "NOT NULL constraint failed: t.a") is None
