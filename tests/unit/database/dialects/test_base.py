"""The dialect seam: one class per database, found from a connection, an engine or a name; the
generic answers for a database seedspec knows nothing particular about."""

from __future__ import annotations

import sqlalchemy as sa

from seedspec.database.dialects import Dialect, dialect_for
from seedspec.database.dialects.base import delete_all
from seedspec.database.dialects.mysql import MySQL
from seedspec.database.dialects.postgresql import PostgreSQL
from seedspec.database.dialects.sqlite import SQLite


def test_each_name_has_its_class(sqlite_url: str) -> None:
    assert isinstance(dialect_for("postgresql"), PostgreSQL)
    assert isinstance(dialect_for("sqlite"), SQLite)
    assert isinstance(dialect_for("mysql"), MySQL)
    assert isinstance(dialect_for("mariadb"), MySQL)
    assert dialect_for("mariadb").name == "mariadb"
    assert dialect_for("mysql") is dialect_for("mysql")
    other = dialect_for("oracle")
    assert type(other) is Dialect
    assert other.name == "oracle"
    engine = sa.create_engine(sqlite_url)
    with engine.connect() as connection:
        assert dialect_for(connection) is dialect_for(engine) is dialect_for("sqlite")
    engine.dispose()


def test_what_only_some_databases_do() -> None:
    assert [d.copies for d in map(dialect_for, ("postgresql", "sqlite", "mysql"))] == [True, False, False]
    assert [d.database_is_file for d in map(dialect_for, ("postgresql", "sqlite", "mariadb"))] == [
        False,
        True,
        False,
    ]
    assert dialect_for("oracle").apply_lock(own_transaction=True) is None
    assert dialect_for("sqlite").apply_lock(own_transaction=True) is None


def test_the_refused_column_is_the_longest_name_in_the_text() -> None:
    generic = dialect_for("oracle")
    text = 'insert or update on table "posts" violates foreign key\nDETAIL: Key (user_id)=(9) is not present'
    assert generic.refused_column(text, ["id", "user_id", "title"]) == "user_id"
    assert generic.refused_column("UNIQUE constraint failed: posts.title", ["id", "title"]) == "title"
    assert generic.refused_column("FOREIGN KEY constraint failed", ["id", "user_id"]) is None


def test_the_generic_reset_deletes_in_order(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    metadata = sa.MetaData()
    table = sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True))
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(table.insert(), [{"id": 1}, {"id": 2}])
        Dialect("oracle").empty(connection, [table], referenced=False)
        assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
        connection.execute(table.insert(), [{"id": 3}])
        delete_all(connection, [table])
        assert connection.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
    engine.dispose()
