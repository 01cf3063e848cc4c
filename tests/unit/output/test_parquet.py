"""Parquet output: column types from the table definitions, values Arrow cannot take refused."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import optional_module

from seedspec.output.builder import UnwritableValue

pa = optional_module("pyarrow", "parquet")
pq = optional_module("pyarrow.parquet", "parquet")
parquet = optional_module("seedspec.output.parquet", "parquet")

METADATA = sa.MetaData()
THINGS = sa.Table(
    "things",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("small", sa.SmallInteger),
    sa.Column("flag", sa.Boolean),
    sa.Column("ratio", sa.Float),
    sa.Column("price", sa.Numeric(10, 2)),
    sa.Column("amount", sa.Numeric),
    sa.Column("at", sa.DateTime),
    sa.Column("at_utc", sa.DateTime(timezone=True)),
    sa.Column("day", sa.Date),
    sa.Column("time", sa.Time),
    sa.Column("blob", sa.LargeBinary),
    sa.Column("doc", sa.JSON),
    sa.Column("name", sa.String(20)),
)
COLUMNS = {"things": tuple(THINGS.c.keys())}


def test_arrow_types_follow_the_sql_types() -> None:
    assert {c.name: str(parquet.arrow_type(c)) for c in THINGS.columns} == {
        "id": "int64",
        "small": "int16",
        "flag": "bool",
        "ratio": "double",
        "price": "decimal128(10, 2)",
        "amount": "string",
        "at": "timestamp[us]",
        "at_utc": "timestamp[us, tz=UTC]",
        "day": "date32[day]",
        "time": "time64[us]",
        "blob": "binary",
        "doc": "string",
        "name": "string",
    }


def test_rows_are_written_typed_and_read_back(tmp_path: Path) -> None:
    output = parquet.ParquetOutput(COLUMNS, {"things": THINGS}, tmp_path, "part-2-of-3")
    row = {
        "id": 1,
        "small": 2,
        "flag": True,
        "ratio": 0.5,
        "price": decimal.Decimal("3.5"),
        "amount": decimal.Decimal("1.25"),
        "at": dt.datetime(2024, 1, 2, 3, 4, 5),
        "day": dt.date(2024, 1, 2),
        "time": dt.time(1, 2),
        "blob": b"\x00\x01",
        "doc": {"a": [1]},
        "name": "x",
    }
    output.write(THINGS, [row, {"id": 2}])
    (written,) = output.close()
    assert written == tmp_path / "things" / "part-2-of-3.parquet"
    read = pq.read_table(written).to_pylist()
    assert read[0] == {
        **row,
        "price": decimal.Decimal("3.50"),
        "amount": "1.25",
        "at_utc": None,
        "doc": '{"a": [1]}',
    }
    assert read[1]["id"] == 2
    assert read[1]["name"] is None


def test_a_table_without_rows_still_gets_its_typed_file(tmp_path: Path) -> None:
    output = parquet.ParquetOutput(COLUMNS, {"things": THINGS}, tmp_path, "part-1-of-1")
    (written,) = output.close()
    table = pq.read_table(written)
    assert table.num_rows == 0
    assert str(table.schema.field("day").type) == "date32[day]"


def test_a_value_arrow_cannot_take_names_its_column(tmp_path: Path) -> None:
    output = parquet.ParquetOutput(COLUMNS, {"things": THINGS}, tmp_path, "part-1-of-1")
    with pytest.raises(UnwritableValue) as raised:
        output.write(THINGS, [{"id": "not a number"}])
    assert raised.value.column == "id"
    output.abort()
    assert not list(tmp_path.rglob("*.parquet*"))
