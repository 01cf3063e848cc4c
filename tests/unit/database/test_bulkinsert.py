"""DriverInsert: rows straight to the driver's executemany, values converted as SQLAlchemy
converts them; SQLAlchemy's own path where the statement computes defaults."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from seedspec.database import bulkinsert
from seedspec.database.bulkinsert import DriverInsert, bind_processor, processed
from seedspec.database.dialects.sqlite import SqliteIds


def _tables(tmp_path: Path) -> tuple[sa.Engine, sa.Table, sa.Table]:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    metadata = sa.MetaData()
    plain = sa.Table(
        "plain",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date),
        sa.Column("data", sa.JSON),
    )
    defaulted = sa.Table(
        "defaulted",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("v", sa.String(5), default=lambda: "dflt"),
    )
    metadata.create_all(engine)
    return engine, plain, defaulted


def test_rows_go_through_the_bind_processors(tmp_path: Path) -> None:
    engine, plain, _ = _tables(tmp_path)
    with engine.begin() as connection:
        inserter = DriverInsert(connection, plain)
        inserter.insert([{"day": dt.date(2024, 2, 29), "data": {"a": [1]}}, {"day": None, "data": None}])
        stored = connection.exec_driver_sql("SELECT day, data FROM plain ORDER BY id").all()
        assert inserter._compiled[("day", "data")] is not None  # compiled once, for the driver
    engine.dispose()
    assert stored == [("2024-02-29", '{"a": [1]}'), (None, "null")]


def test_python_side_defaults_take_sqlalchemys_path(tmp_path: Path) -> None:
    engine, _, defaulted = _tables(tmp_path)
    with engine.begin() as connection:
        inserter = DriverInsert(connection, defaulted)
        inserter.insert([{"id": 1}, {"id": 2}])
        values = connection.exec_driver_sql("SELECT v FROM defaulted").scalars().all()
        assert inserter._compiled[("id",)] is None
    engine.dispose()
    assert values == ["dflt", "dflt"]


def test_processors_apply_in_place() -> None:
    dialect = sa.create_engine("sqlite://").dialect
    table = sa.Table("t", sa.MetaData(), sa.Column("day", sa.Date), sa.Column("n", sa.Integer))
    process = bind_processor(table, "day", dialect)
    assert process is not None
    assert processed([dt.date(2020, 1, 2), 3], [(0, process)]) == ["2020-01-02", 3]
    assert bind_processor(table, "n", dialect) is None


def test_processors_over_columns_give_what_they_give_row_by_row() -> None:
    dialect = sa.create_engine("sqlite://").dialect
    table = sa.Table(
        "t", sa.MetaData(), sa.Column("day", sa.Date), sa.Column("n", sa.Integer), sa.Column("j", sa.JSON)
    )
    processors = [(0, bind_processor(table, "day", dialect)), (2, bind_processor(table, "j", dialect))]
    assert all(p is not None for _, p in processors)
    rows = [(dt.date(2020, 1, 2), 3, {"a": 1}), (None, None, None), (dt.date(1999, 12, 31), -1, [1])]
    by_row = [tuple(processed(list(r), processors)) for r in rows]  # type: ignore[arg-type]
    assert bulkinsert._processed_columns(rows, processors) == by_row  # type: ignore[arg-type]
    assert by_row[1] == (None, None, "null")


def test_sqlite_ids_keep_their_old_home() -> None:
    assert bulkinsert.SqliteIds is SqliteIds
