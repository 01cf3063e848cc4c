"""``build --format parquet``: a directory per table of typed Parquet files, one per shard.

``out/<table>/part-K-of-N.parquet`` is the layout Spark, DuckDB, Polars and warehouse loaders
read as one table (``read_parquet('out/users/*.parquet')``). Column types come from the table
definitions, so a date is a date and a NUMERIC(10, 2) a decimal, not text. pyarrow is an
optional extra (``seedspec[parquet]``); the API checks for it before a build starts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlalchemy as sa

from seedspec.generation.rows import Row
from seedspec.output.builder import UnwritableValue
from seedspec.output.formats import Columns, Output, _presented, _scales, json_default

ROW_GROUP = 65_536  # rows buffered per table before a row group is written
MAX_DECIMAL_PRECISION = 38


def arrow_type(column: sa.Column[Any]) -> pa.DataType:
    """The Parquet (Arrow) type of a column: its SQL type's, text where Arrow has none."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return pa.bool_()
    if isinstance(kind, sa.SmallInteger):
        return pa.int16()
    if isinstance(kind, sa.Integer):  # BigInteger too: int64 holds every SQL integer
        return pa.int64()
    if isinstance(kind, sa.Float):
        return pa.float64()
    if isinstance(kind, sa.Numeric):
        precision, scale = kind.precision, kind.scale
        if precision is not None and scale is not None and precision <= MAX_DECIMAL_PRECISION:
            return pa.decimal128(precision, scale)
        return pa.string()  # no declared digits: text keeps every digit
    if isinstance(kind, sa.DateTime):
        return pa.timestamp("us", tz="UTC" if kind.timezone else None)
    if isinstance(kind, sa.Date):
        return pa.date32()
    if isinstance(kind, sa.Time):
        return pa.time64("us")
    if isinstance(kind, sa.LargeBinary):
        return pa.binary()
    return pa.string()  # strings, enums, JSON (as its text), UUIDs, the rest


def _cell(value: Any, kind: pa.DataType) -> Any:
    """A value as Arrow takes it for ``kind``: text columns get JSON or ISO text where needed."""
    if value is None or not pa.types.is_string(kind) or isinstance(value, str):
        return value
    if isinstance(value, (dict, list, bool, int, float)):
        return json.dumps(value, default=json_default)
    return str(json_default(value))


class ParquetOutput(Output):
    """A ``<table>/<part>.parquet`` per table, written under a temporary name, renamed at the end."""

    def __init__(self, columns: Columns, tables: Mapping[str, sa.Table], directory: Path, part: str) -> None:
        super().__init__(columns, None, None)
        self.directory, self.part = directory, part
        self.buffers: dict[str, list[pa.RecordBatch]] = {t: [] for t in columns}
        self.writers: dict[str, pq.ParquetWriter] = {}
        # every column nullable: a column one step sets may be absent from another's rows
        self.schemas = {
            name: pa.schema([pa.field(c, arrow_type(tables[name].c[c])) for c in names])
            for name, names in columns.items()
        }
        self.done: list[Path] = []

    def write(self, table: sa.Table, rows: list[Row]) -> None:
        """Convert the batch at once (a value Arrow cannot take fails here, in its step), buffer it
        until a row group is full."""
        name = table.name if table.name in self.columns else table.fullname
        columns, scales, schema = self.columns[name], _scales(table), self.schemas[name]
        presented = [_presented(row, columns, scales) for row in rows]
        arrays = []
        for field in schema:
            try:
                values = [_cell(r.get(field.name), field.type) for r in presented]
                arrays.append(pa.array(values, type=field.type))
            except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
                reason = f"not a Parquet {field.type}: {exc}"
                hint = "the value does not fit the column's type in the table definitions: fix the field"
                raise UnwritableValue(field.name, reason, hint) from exc
        self.buffers[name].append(pa.RecordBatch.from_arrays(arrays, schema=schema))
        if sum(b.num_rows for b in self.buffers[name]) >= ROW_GROUP:
            self._flush(name)

    def _flush(self, name: str) -> None:
        batches, self.buffers[name] = self.buffers[name], []
        schema = self.schemas[name]
        table = pa.Table.from_batches(batches, schema=schema)
        self._writer(name, schema).write_table(table, row_group_size=ROW_GROUP)

    def _writer(self, name: str, schema: pa.Schema) -> pq.ParquetWriter:
        writer = self.writers.get(name)
        if writer is None:
            final = self._final(name)
            final.parent.mkdir(parents=True, exist_ok=True)
            writer = self.writers[name] = pq.ParquetWriter(self._partial(final), schema)
        return writer

    def _final(self, name: str) -> Path:
        return self.directory / name / f"{self.part}.parquet"

    @staticmethod
    def _partial(final: Path) -> Path:
        return final.with_name(f".{final.name}.partial")

    def close(self) -> tuple[Path, ...]:
        """Every table gets its file, an empty one (its schema) when this shard has no rows."""
        for name in self.columns:
            self._flush(name)
        for name, writer in self.writers.items():
            writer.close()
            final = self._final(name)
            self._partial(final).replace(final)
            self.done.append(final)
        return tuple(self.done)

    def abort(self) -> None:
        for name, writer in self.writers.items():
            writer.close()
            self._partial(self._final(name)).unlink(missing_ok=True)
