"""MySQL/MariaDB: foreign key checks off during the apply and verified at the end (restored
whatever happens), resets with checks off, AUTO_INCREMENT restarted after the commit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from seedspec.database.dialects import dialect_for


@pytest.fixture
def my_tables(mariadb_url: str) -> Iterator[tuple[sa.Engine, sa.MetaData]]:
    engine = sa.create_engine(mariadb_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE a (id INTEGER AUTO_INCREMENT PRIMARY KEY, v TEXT)")
        connection.exec_driver_sql("CREATE TABLE d (a_id INTEGER, FOREIGN KEY (a_id) REFERENCES a (id))")
    metadata = sa.MetaData()
    metadata.reflect(engine)
    yield engine, metadata
    engine.dispose()


def _checks(connection: sa.Connection) -> int:
    return int(connection.exec_driver_sql("SELECT @@foreign_key_checks").scalar() or 0)


def test_checks_are_off_then_verified_and_restored(my_tables: tuple[sa.Engine, sa.MetaData]) -> None:
    engine, _ = my_tables
    verified: list[bool] = []
    with engine.begin() as connection:
        mysql = dialect_for(connection)
        with mysql.checks_at_commit(connection, [], lambda: verified.append(True)):
            assert _checks(connection) == 0
            connection.exec_driver_sql("INSERT INTO d (a_id) VALUES (5)")
            connection.exec_driver_sql("INSERT INTO a (id) VALUES (5)")
        assert _checks(connection) == 1
        with pytest.raises(RuntimeError), mysql.checks_at_commit(connection, [], lambda: None):
            raise RuntimeError("the apply failed")
        assert _checks(connection) == 1
    assert verified == [True]


def test_a_reset_then_restarted_counters(my_tables: tuple[sa.Engine, sa.MetaData]) -> None:
    engine, metadata = my_tables
    mysql = dialect_for(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO a (v) VALUES ('x'), ('y')")
        connection.exec_driver_sql("INSERT INTO d (a_id) VALUES (1)")
        mysql.empty(connection, [metadata.tables["a"]], referenced=True)  # d still points at a
        assert _checks(connection) == 1
        assert connection.exec_driver_sql("SELECT count(*) FROM a").scalar() == 0
        connection.exec_driver_sql("DELETE FROM d")
    with engine.begin() as connection:
        mysql.restart_counters(connection, ["a"])
        connection.exec_driver_sql("INSERT INTO a (v) VALUES ('z')")
        assert connection.exec_driver_sql("SELECT id FROM a").scalars().all() == [1]


def test_the_lock_is_named_per_database() -> None:
    lock = dialect_for("mariadb").apply_lock(own_transaction=True)
    assert lock.checked
    assert lock.release is not None
    assert "GET_LOCK" in str(lock.acquire)
    assert "DATABASE()" in str(lock.acquire)


def _mode(connection: sa.Connection) -> str:
    return str(connection.exec_driver_sql("SELECT @@SESSION.sql_mode").scalar() or "")


@pytest.mark.parametrize("mode", ["", "NO_ENGINE_SUBSTITUTION", "STRICT_ALL_TABLES"])
def test_writes_are_strict_and_the_sessions_mode_comes_back(
    my_tables: tuple[sa.Engine, sa.MetaData], mode: str
) -> None:
    engine, _ = my_tables
    with engine.connect() as connection:
        connection.execute(sa.text("SET SESSION sql_mode = :mode"), {"mode": mode})
        with dialect_for(connection).strict(connection):
            assert "STRICT_ALL_TABLES" in _mode(connection).split(",")
            connection.exec_driver_sql("CREATE TEMPORARY TABLE t (v VARCHAR(2))")
            with pytest.raises(sa.exc.DBAPIError, match="Data too long"):
                connection.exec_driver_sql("INSERT INTO t (v) VALUES ('abc')")
        assert _mode(connection) == mode


def test_a_refused_check_is_named_by_its_text() -> None:
    mariadb = dialect_for("mariadb")
    text = "(4025, 'CONSTRAINT `no_negative` failed for `db`.`scores`')"
    assert mariadb.refused_constraint(Exception(text), text) == "no_negative"
    assert mariadb.refused_constraint(Exception("Duplicate entry"), "Duplicate entry") is None
