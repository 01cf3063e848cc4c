"""COPY on PostgreSQL: which tables can be copied, ids reserved from the sequence in order, a
refused COPY leaves nothing and says so, a stream writes batches in the background."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from seedspec.database.pgcopy import CopyRefused, CopyWriter, quick_handoffs


@pytest.fixture
def tables(postgres_url: str) -> Iterator[tuple[sa.Engine, sa.MetaData]]:
    engine = sa.create_engine(postgres_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE serial_t (id SERIAL PRIMARY KEY, v TEXT NOT NULL)")
        connection.exec_driver_sql(
            "CREATE TABLE always_t (id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v TEXT)"
        )
    metadata = sa.MetaData()
    metadata.reflect(engine)
    yield engine, metadata
    engine.dispose()


def test_only_postgresql_through_psycopg_copies(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True))
    with engine.connect() as connection:
        assert CopyWriter.of(connection, table) is None
    engine.dispose()


def test_ids_come_from_the_sequence_in_row_order(tables: tuple[sa.Engine, sa.MetaData]) -> None:
    engine, metadata = tables
    table = metadata.tables["serial_t"]
    with engine.begin() as connection:
        writer = CopyWriter.of(connection, table)
        assert writer is not None
        assert writer.can_copy(("v",), ("id",))
        assert not writer.can_copy(("v",), ("v",))  # not an id drawn from a sequence
        reserved = writer.copy([{"v": "a"}, {"v": "b"}], ("id",))
        rows = connection.execute(sa.text("SELECT id, v FROM serial_t ORDER BY id")).all()
    assert reserved == [{"id": 1}, {"id": 2}]
    assert rows == [(1, "a"), (2, "b")]


def test_generated_always_ids_cannot_be_copied(tables: tuple[sa.Engine, sa.MetaData]) -> None:
    engine, metadata = tables
    with engine.begin() as connection:
        writer = CopyWriter.of(connection, metadata.tables["always_t"])
        assert writer is not None
        assert not writer.can_copy(("v",), ("id",))
        assert writer.can_copy(("v",), ())


def test_a_refused_copy_raises_copy_refused(tables: tuple[sa.Engine, sa.MetaData]) -> None:
    engine, metadata = tables
    with engine.begin() as connection:
        writer = CopyWriter.of(connection, metadata.tables["serial_t"])
        assert writer is not None
        savepoint = connection.begin_nested()
        with pytest.raises(CopyRefused):
            writer.copy([{"v": None}], ())  # NOT NULL
        savepoint.rollback()
        assert connection.execute(sa.text("SELECT count(*) FROM serial_t")).scalar() == 0


def test_a_stream_writes_every_batch_and_reports_the_first_refused(
    tables: tuple[sa.Engine, sa.MetaData],
) -> None:
    engine, metadata = tables
    with engine.begin() as connection:
        writer = CopyWriter.of(connection, metadata.tables["serial_t"])
        assert writer is not None
        _, statement, values = writer.prepared([{"v": "a"}], ())
        with quick_handoffs():
            stream = writer.stream(statement, values)
            writer.more(stream, [{"v": "b"}, {"v": "c"}])
            assert stream.wait() is None
        assert stream.written == 2
        _, statement, values = writer.prepared([{"v": "d"}], ())
        stream = writer.stream(statement, values)
        writer.more(stream, [{"v": None}])
        stored = stream.wait()
        # batches waiting together go in one COPY: "d" is stored only when it went alone
        assert stored in (0, 1)
        kept = connection.execute(sa.text("SELECT v FROM serial_t ORDER BY v")).scalars().all()
    assert kept == ["a", "b", "c", *(["d"] if stored == 1 else [])]
