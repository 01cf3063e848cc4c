"""Contender: PostgreSQL ``COPY ... FROM STDIN`` of pre-generated rows (psycopg ``cursor.copy``).

Generates every row first (untimed), creates the tables, then times only the COPYs and the
commit, and prints that time as ``timed_s``. PostgreSQL only.
"""

from __future__ import annotations

import sys
import time

from _common import COLUMNS, TABLES, dialect_of, emit, parse_args, pregenerate
from dbapi_executemany import connect, create_tables


def main() -> None:
    args = parse_args(__doc__ or "")
    if dialect_of(args.database_url) != "postgresql":
        sys.exit("pg_copy runs on PostgreSQL only")
    rows = pregenerate(args.n)
    connection = connect(args.database_url)
    create_tables(connection, "postgresql")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in TABLES:
            with cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row(row)
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    emit(timed_s=elapsed)


if __name__ == "__main__":
    main()
