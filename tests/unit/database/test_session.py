"""The session layer: engines, connections, and whose transaction seedspec works in."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from seedspec.database import session
from seedspec.errors import DatabaseError


def _engine(tmp_path: Path) -> sa.Engine:
    engine = session.create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES t(id))")
    return engine


def test_the_autocommit_attribute_is_chosen_from_python_3_12() -> None:
    assert session.sqlite_autocommit_attribute((3, 12)) is True
    assert session.sqlite_autocommit_attribute((3, 13)) is True
    assert session.sqlite_autocommit_attribute((3, 11)) is False


def test_the_3_11_recipe_enforces_foreign_keys_and_savepoints(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        conn.rollback()
        with conn.begin():
            conn.exec_driver_sql("INSERT INTO t (id) VALUES (1)")
            nested = conn.begin_nested()
            conn.exec_driver_sql("INSERT INTO t (id) VALUES (2)")
            nested.rollback()
        assert conn.exec_driver_sql("SELECT id FROM t").scalars().all() == [1]
        conn.rollback()
        with pytest.raises(sa.exc.IntegrityError), conn.begin():
            conn.exec_driver_sql("INSERT INTO t (id, parent) VALUES (3, 99)")


def test_a_bad_url_is_e400_and_an_unreachable_database_e401(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as bad:
        session.create_engine("nosuchdb://x")
    assert bad.value.diagnostics[0].code == "E400"
    missing = session.create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    with pytest.raises(DatabaseError) as unreachable:
        session.connect(missing)
    assert unreachable.value.diagnostics[0].code == "E401"


def test_an_engine_is_owned_and_a_callers_connection_is_not(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with session.linked(engine) as link:
        assert link.owned
    with engine.connect() as conn:
        assert not session.owns(conn)
        with session.owning(conn):
            assert session.owns(conn)
        assert not session.owns(conn)
        assert session.bind_url(conn) == engine.url


def test_work_in_a_callers_transaction_is_a_savepoint_the_caller_commits(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with engine.connect() as conn:
        with session.linked(conn) as link, session.transaction(link):
            conn.exec_driver_sql("INSERT INTO t (id) VALUES (1)")
        assert conn.in_transaction()  # left open for the caller
        conn.rollback()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    with session.linked(engine) as link, session.transaction(link):
        link.connection.exec_driver_sql("INSERT INTO t (id) VALUES (1)")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1


@pytest.mark.parametrize(
    ("typed", "used"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("mysql://u@h/db", "mysql+pymysql://u@h/db"),
        ("mariadb://u@h/db", "mariadb+pymysql://u@h/db"),
        ("sqlite:///dev.db", "sqlite:///dev.db"),
    ],
)
def test_the_spellings_users_type_reach_the_installed_drivers(typed: str, used: str) -> None:
    assert session.engine_url(typed).render_as_string() == used
    assert session.create_engine(typed).url.render_as_string() == used


def test_a_missing_driver_is_e400_naming_the_working_spelling() -> None:
    with pytest.raises(DatabaseError) as missing:
        session.create_engine("postgresql+psycopg2://app:pw@db/shop")
    diagnostic = missing.value.diagnostics[0]
    assert diagnostic.code == "E400"
    assert "write postgresql+psycopg://app:***@db/shop " in diagnostic.hint
    with pytest.raises(DatabaseError) as unknown:
        session.create_engine("nosuchdb://x")
    assert "mysql+pymysql://user@host/db" in unknown.value.diagnostics[0].hint


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://app:s3cret@db/shop",
        "postgresql+psycopg://app@db/shop?password=s3cret&sslmode=off",
        "mysql+pymysql://app@db/shop?passwd=s3cret",
    ],
)
def test_a_url_written_to_a_file_carries_no_password_in_any_form(url: str) -> None:
    parsed = sa.engine.make_url(url)
    assert session.has_secret(parsed)
    written = session.without_secrets(parsed).render_as_string(hide_password=False)
    assert "s3cret" not in written
    assert written.startswith(url.split("://")[0] + "://app@db/shop")
    assert not session.has_secret(sa.engine.make_url("sqlite:///dev.db"))


def test_segments_commit_as_the_writer_goes_and_roll_back_the_open_one(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with engine.connect() as conn:

        def failing_second_segment() -> None:
            with session.segments(session.Link(conn, owned=True)):
                conn.exec_driver_sql("INSERT INTO t (id) VALUES (1)")
                conn.commit()  # what apply --shards does before a sharded step
                conn.exec_driver_sql("INSERT INTO t (id) VALUES (2)")
                raise RuntimeError("the second segment fails")

        with pytest.raises(RuntimeError):
            failing_second_segment()
        assert conn.exec_driver_sql("SELECT id FROM t").scalars().all() == [1]
        conn.rollback()
        with (
            pytest.raises(ValueError, match="needs an Engine"),
            session.segments(session.Link(conn, owned=False)),
        ):
            pass
