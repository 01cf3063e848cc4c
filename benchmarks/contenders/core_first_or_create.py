"""Contender: hand-written batched first-or-create with SQLAlchemy Core, Faker included.

What a careful engineer writes by hand: values stream from Faker in chunks of 500; each chunk's
lookup keys are looked up in one ``SELECT ... WHERE key IN (...)``, and the missing rows are
inserted in one executemany that returns (id, key), mapped back by key. A composite key is
looked up by its first column, which is indexed here (``ix_posts_user_id``, the primary key of
post_tags), and matched in Python: a 500-row ``(a, b) IN (...)`` is 4-10x slower on PostgreSQL.
On PostgreSQL a table being loaded is ANALYZEd each time its new rows double, and at the end, so
that lookups never plan on an empty table's statistics. One transaction.
Run it again on the same database (``core_first_or_create_rerun``): every row is found.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import sqlalchemy as sa
from _common import TABLES, Workload, ddl_statements, dialect_of, parse_args

BATCH = 500
ANALYZE_AFTER = 1000  # rows created in one table


def batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def first_or_create(
    connection: sa.Connection, table: sa.Table, key: tuple[str, ...], rows: Iterable[dict[str, Any]]
) -> tuple[list[Any], int]:
    """The id of every row, in order (none for a table without ``id``), and how many were created."""
    key_columns = [table.c[name] for name in key]
    with_id = "id" in table.c
    returned = [table.c.id, *key_columns] if with_id else key_columns
    ids: list[Any] = []
    created = analyzed = 0
    for batch in batches(rows, BATCH):
        keys = [tuple(row[name] for name in key) for row in batch]
        wanted = sorted({k[0] for k in keys})  # the first key column; extra rows found are harmless
        found: dict[tuple[Any, ...], Any] = {}
        for record in connection.execute(sa.select(*returned).where(key_columns[0].in_(wanted))):
            found[tuple(record[1:]) if with_id else tuple(record)] = record[0] if with_id else None
        missing: dict[tuple[Any, ...], dict[str, Any]] = {}
        for k, row in zip(keys, batch, strict=True):
            if k not in found:
                missing.setdefault(k, row)
        if missing:
            created += len(missing)
            if with_id:
                for record in connection.execute(table.insert().returning(*returned), list(missing.values())):
                    found[tuple(record[1:])] = record[0]
            else:
                connection.execute(table.insert(), list(missing.values()))
            if created >= max(ANALYZE_AFTER, 2 * analyzed):
                analyze(connection, table)
                analyzed = created
        if with_id:
            ids.extend(found[k] for k in keys)
    return ids, created


def analyze(connection: sa.Connection, table: sa.Table) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {table.name}")


def after_load(connection: sa.Connection, table: sa.Table, created: int) -> None:
    if created >= ANALYZE_AFTER:
        analyze(connection, table)


def main() -> None:
    args = parse_args(__doc__ or "")
    dialect = dialect_of(args.database_url)
    engine = sa.create_engine(args.database_url)
    workload = Workload()
    with engine.begin() as connection:
        if not sa.inspect(connection).has_table("users"):
            for statement in ddl_statements(dialect):
                connection.exec_driver_sql(statement)
        metadata = sa.MetaData()
        metadata.reflect(connection, only=TABLES)
        users, tags, posts, post_tags = (metadata.tables[name] for name in TABLES)

        user_ids, created = first_or_create(
            connection,
            users,
            ("email",),
            (
                {"email": email, "first_name": first, "last_name": last, "created_at": created_at}
                for email, first, last, created_at in workload.users(args.n)
            ),
        )
        after_load(connection, users, created)
        tag_ids, created = first_or_create(
            connection, tags, ("name",), ({"name": n} for n in workload.tags())
        )
        after_load(connection, tags, created)
        post_ids, created = first_or_create(
            connection,
            posts,
            ("user_id", "title"),
            (
                {"user_id": user_ids[user], "title": title, "body": body, "published": published}
                for user, title, body, published in workload.posts(args.n)
            ),
        )
        after_load(connection, posts, created)
        _, created = first_or_create(
            connection,
            post_tags,
            ("post_id", "tag_id"),
            ({"post_id": post_ids[p], "tag_id": tag_ids[t]} for p, t in workload.post_tags(args.n)),
        )
        after_load(connection, post_tags, created)
    engine.dispose()


if __name__ == "__main__":
    main()
