"""Contender: the driver's own ``executemany`` of pre-generated rows (sqlite3 / psycopg): the floor.

Generates every row first (untimed), creates the tables, then times only the inserts and the
commit, and prints that time as ``timed_s``. Ids are explicit, so nothing is read back.
"""

from __future__ import annotations

import time
from typing import Any

from _common import COLUMNS, TABLES, ddl_statements, dialect_of, emit, parse_args, pregenerate


def connect(database_url: str) -> Any:
    """A DBAPI connection (sqlite3 or psycopg) to the database of a SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        import sqlite3

        return sqlite3.connect(url.database or ":memory:")
    import psycopg

    return psycopg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, dbname=url.database
    )


def create_tables(connection: Any, dialect: str) -> None:
    """The workload's tables, unless they exist already."""
    cursor = connection.cursor()
    if dialect == "sqlite":
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'")
    else:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'users'"
        )
    if not cursor.fetchone()[0]:
        for statement in ddl_statements(dialect):
            cursor.execute(statement)
    connection.commit()


def insert_sql(table: str, dialect: str) -> str:
    marker = "?" if dialect == "sqlite" else "%s"
    columns = COLUMNS[table]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"


def main() -> None:
    args = parse_args(__doc__ or "")
    dialect = dialect_of(args.database_url)
    rows = pregenerate(args.n)
    if dialect == "sqlite":  # sqlite3's datetime adapter is deprecated: hand it the text it would store
        rows["users"] = [(*user[:4], user[4].isoformat(" ")) for user in rows["users"]]
    connection = connect(args.database_url)
    create_tables(connection, dialect)
    statements = {table: insert_sql(table, dialect) for table in TABLES}
    started = time.perf_counter()
    cursor = connection.cursor()
    for table in TABLES:
        cursor.executemany(statements[table], rows[table])
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    emit(timed_s=elapsed)


if __name__ == "__main__":
    main()
