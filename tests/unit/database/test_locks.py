"""The apply lock: a second apply of the same database waits for the first; inside a caller's
transaction PostgreSQL holds it until that transaction ends; SQLite takes none."""

from __future__ import annotations

import sqlalchemy as sa

from seedspec.database.locks import LOCK_NAME, one_apply_at_a_time

HELD = {
    # this schema's lock only: tests in other schemas apply at the same time
    "postgresql": (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 24301"
        " AND objid = (hashtext(current_schema())::bigint & 4294967295)::oid"
    ),
    "mysql": f"SELECT IS_USED_LOCK(CONCAT('{LOCK_NAME}', '.', DATABASE())) IS NOT NULL",
}


def _held(engine: sa.Engine) -> int:
    with engine.connect() as other:
        return int(other.exec_driver_sql(HELD[engine.dialect.name]).scalar() or 0)


def test_the_lock_is_held_during_the_apply_and_released_after(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        with one_apply_at_a_time(connection):
            held = _held(engine) if engine.dialect.name in HELD else None
            assert not connection.in_transaction()  # the lock's own transaction was committed
        after = _held(engine) if engine.dialect.name in HELD else None
    engine.dispose()
    if engine.dialect.name in HELD:
        assert held
        assert not after
    else:
        assert held is None is after  # SQLite serializes writers by itself


def test_a_transaction_lock_ends_with_the_callers_transaction(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.connect() as connection:
        with connection.begin():
            with one_apply_at_a_time(connection, own_transaction=False):
                pass
            assert _held(engine) == 1  # still the caller's until it commits
        assert _held(engine) == 0
    engine.dispose()
