"""The formats of ``seedspec build``: built rows as JSON, JSON lines, CSV or SQL INSERTs.

Rows arrive batch by batch, in insertion order, and are written at once: nothing holds a whole
table. With a directory, every table gets its own file (SQL: one ``seed.sql``), written under a
temporary name and renamed when the build succeeds; without one, a single stream gets it all.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal
import json
import operator
import re
import shutil
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TextIO

import sqlalchemy as sa

from seedspec.generation.rows import Row
from seedspec.language.convert import to_scale
from seedspec.outcome import BUILD_FORMATS

Columns = Mapping[str, tuple[str, ...]]  # table -> the columns its rows may set, in table order


def json_default(value: Any) -> Any:
    """JSON for what ``json`` cannot write: ISO 8601 dates and times, decimals as strings (no
    precision lost), bytes as base64, UUIDs as text."""
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# what ``json.dumps(row, default=json_default, ensure_ascii=False)`` builds for each call, made once
_ROW_JSON = json.JSONEncoder(default=json_default, ensure_ascii=False)


def csv_text(value: Any) -> str:
    """One CSV field: NULL is empty, booleans ``true``/``false``, datetimes ``YYYY-MM-DD HH:MM:SS``
    (what database loaders read), JSON values as JSON text, everything else as in JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=json_default)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return repr(value)
    return str(json_default(value))


def _presented(row: Row, columns: tuple[str, ...], scales: Mapping[str, int]) -> Row:
    """The row in table column order, decimals with their column's digits (as stored)."""
    return {
        c: row[c] if (scale := scales.get(c)) is None else to_scale(row[c], scale)
        for c in columns
        if c in row
    }


def _scales(table: sa.Table) -> dict[str, int]:
    return {
        c.name: c.type.scale
        for c in table.columns
        if isinstance(c.type, sa.Numeric) and not isinstance(c.type, sa.Float) and c.type.scale is not None
    }


class _Files:
    """The files of one build in ``directory``: written under temporary names, renamed at the end."""

    def __init__(self, directory: Path, part: str | None = None) -> None:
        self.directory, self.part = directory, part
        self.open: dict[Path, IO[str]] = {}

    def create(self, name: str) -> IO[str]:
        final = self.directory / part_name(name, self.part)
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f".{final.name}.partial")
        handle = partial.open("w", encoding="utf-8", newline="")
        self.open[final] = handle
        return handle

    def commit(self) -> tuple[Path, ...]:
        for final, handle in self.open.items():
            handle.close()
            Path(handle.name).replace(final)
        return tuple(self.open)

    def discard(self) -> None:
        for handle in self.open.values():
            handle.close()
            Path(handle.name).unlink(missing_ok=True)


class Output:
    """Where built rows go. ``write`` each batch; ``close`` on success (returns the files
    written), ``abort`` on failure (removes them)."""

    def __init__(
        self, columns: Columns, directory: Path | None, stream: TextIO | None, part: str | None = None
    ) -> None:
        self.columns = columns
        self.files = _Files(directory, part) if directory is not None else None
        self.stream = stream

    def write(self, table: sa.Table, rows: list[Row]) -> None:
        name = _name(table, self.columns)
        scales = _scales(table)
        self._write(name, [_presented(row, self.columns[name], scales) for row in rows])

    def _write(self, name: str, rows: list[Row]) -> None:
        raise NotImplementedError

    def close(self) -> tuple[Path, ...]:
        return self.files.commit() if self.files else ()

    def abort(self) -> None:
        if self.files:
            self.files.discard()


class JsonOutput(Output):
    """One document ``{"table": [row, ...], ...}`` (tables in step order), or a ``TABLE.json``
    array per table. One row per line."""

    def __init__(
        self, columns: Columns, directory: Path | None, stream: TextIO | None, part: str | None = None
    ) -> None:
        super().__init__(columns, directory, stream, part)
        self.count = dict.fromkeys(columns, 0)
        if self.files:
            self.targets = {t: self.files.create(f"{t}.json") for t in columns}
            for handle in self.targets.values():
                handle.write("[")
        else:  # a table's rows may come in several runs: each table spools until the end
            self.targets = {
                t: tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by close/abort)
                for t in columns
            }

    def _write(self, name: str, rows: list[Row]) -> None:
        target = self.targets[name]
        indent = "\n  " if self.files else "\n    "
        encode = _ROW_JSON.encode
        for row in rows:
            target.write(("," if self.count[name] else "") + indent)
            target.write(encode(row))
            self.count[name] += 1

    def close(self) -> tuple[Path, ...]:
        if self.files:
            for name, handle in self.targets.items():
                handle.write("\n]\n" if self.count[name] else "]\n")
            return super().close()
        assert self.stream is not None
        self.stream.write("{")
        for i, (name, spool) in enumerate(self.targets.items()):
            self.stream.write(("," if i else "") + f"\n  {json.dumps(name)}: [")
            spool.seek(0)
            shutil.copyfileobj(spool, self.stream)
            spool.close()
            self.stream.write("\n  ]" if self.count[name] else "]")
        self.stream.write("\n}\n" if self.targets else "}\n")
        return ()

    def abort(self) -> None:
        if not self.files:
            for spool in self.targets.values():
                spool.close()
        super().abort()


class JsonLinesOutput(Output):
    """One JSON object per line: ``{"table": ..., "row": {...}}`` on one stream, or a row per
    line in a ``TABLE.jsonl`` file per table."""

    def __init__(
        self, columns: Columns, directory: Path | None, stream: TextIO | None, part: str | None = None
    ) -> None:
        super().__init__(columns, directory, stream, part)
        self.targets = {t: self.files.create(f"{t}.jsonl") for t in columns} if self.files else {}

    def _write(self, name: str, rows: list[Row]) -> None:
        if self.files:
            self.targets[name].write("".join([_ROW_JSON.encode(row) + "\n" for row in rows]))
            return
        assert self.stream is not None
        for row in rows:
            self.stream.write(_ROW_JSON.encode({"table": name, "row": row}) + "\n")


class CsvOutput(Output):
    """A ``TABLE.csv`` per table: a header of the columns the build sets, then a row per line."""

    def __init__(
        self, columns: Columns, directory: Path | None, stream: TextIO | None, part: str | None = None
    ) -> None:
        super().__init__(columns, directory, stream, part)
        assert self.files is not None, "CSV needs a directory"
        self.handles = {t: self.files.create(f"{t}.csv") for t in columns}
        for name, handle in self.handles.items():
            csv.writer(handle).writerow(columns[name])

    def write(self, table: sa.Table, rows: list[Row]) -> None:
        """The rows' lines, formatted a column at a time (``csv_lines``): no row dict in table
        order first, as the other formats make."""
        name = _name(table, self.columns)
        self.handles[name].write(csv_lines(rows, self.columns[name], _scales(table)))


def csv_lines(rows: Sequence[Row], columns: Sequence[str], scales: Mapping[str, int]) -> str:
    """The CSV lines of ``rows`` (``columns`` of each, decimals to their column's ``scales``),
    each as ``csv_line`` writes it: a column whose values are all one plain type is formatted in
    one pass over it (integers, plain text that needs no quotes, datetimes), the others field by
    field."""
    if not rows:
        return ""
    if not columns:
        return "\r\n" * len(rows)
    fields = []
    for column in columns:
        values = _column(rows, column)
        if (scale := scales.get(column)) is not None:
            values = [to_scale(v, scale) for v in values]
        fields.append(_csv_column(values))
    return "\r\n".join(map(",".join, zip(*fields, strict=True))) + "\r\n"


def _column(rows: Sequence[Row], column: str) -> list[Any]:
    """``column``'s value in each row (None where a row does not set it)."""
    if column not in rows[0]:
        return [row.get(column) for row in rows]
    try:  # the rows of a batch set the same columns: no Python step per row
        return list(map(operator.itemgetter(column), rows))
    except KeyError:
        return [row.get(column) for row in rows]


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
_PLAIN: dict[type, Any] = {  # a type whose text never needs quotes, and that text
    int: int.__repr__,
    float: float.__repr__,
    bool: {True: "true", False: "false"}.__getitem__,
    dt.datetime: operator.methodcaller("isoformat", sep=" "),
    dt.date: dt.date.isoformat,
    decimal.Decimal: str,
    uuid.UUID: str,
}


def _csv_column(values: list[Any]) -> list[str]:
    """One column's fields, as ``_csv_field`` writes each: NULL empty, the rest by their type."""
    kinds = set(map(type, values))
    nulls = type(None) in kinds
    kinds.discard(type(None))
    if not kinds:
        return [""] * len(values)
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind is str:
            texts = [v for v in values if v is not None] if nulls else values
            # no field empty and no quote, comma or line break in any: every field as it is
            if all(texts) and _NEEDS_QUOTES.search("\x00".join(texts)) is None:
                return [("" if v is None else v) for v in values] if nulls else values
        elif (plain := _PLAIN.get(kind)) is not None:
            return ["" if v is None else plain(v) for v in values] if nulls else list(map(plain, values))
    return [_csv_field(v) for v in values]


def csv_line(values: list[Any]) -> str:
    """One CSV line, as ``csv.writer`` writes it except that an empty string is quoted (``""``):
    NULL is an empty field, and loaders such as PostgreSQL's COPY tell the two apart."""
    return ",".join([_csv_field(v) for v in values]) + "\r\n"


def _csv_field(value: Any) -> str:
    kind = type(value)
    if kind is int:  # digits and a sign: never quoted (the common cases first, no call each)
        return repr(value)
    text: str
    if kind is str:
        text = value
    elif value is None:
        return ""
    else:
        text = csv_text(value)
    if not text or "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _name(table: sa.Table, columns: Columns) -> str:
    return table.name if table.name in columns else table.fullname


def file_names(fmt: str, columns: Columns, part: str | None = None) -> tuple[str, ...]:
    """The files a build in format ``fmt`` writes into its directory (a shard's: ``part``)."""
    if fmt == "parquet":
        return tuple(f"{table}/{part or 'part-1-of-1'}.parquet" for table in columns)
    names = ("seed.sql",) if fmt == "sql" else tuple(f"{table}.{fmt}" for table in columns)
    return tuple(part_name(name, part) for name in names)


def part_name(name: str, part: str | None) -> str:
    """A shard's file: ``users.jsonl`` becomes ``users/part-2-of-4.jsonl`` (a directory per table,
    as Spark, DuckDB and Polars read a partitioned table); unsharded, ``name`` itself."""
    if part is None:
        return name
    stem, _, ext = name.rpartition(".")
    return f"{stem}/{part}.{ext}"


def open_output(
    fmt: str,
    columns: Columns,
    *,
    directory: Path | None,
    stream: TextIO | None,
    dialect: str,
    notes: Sequence[str] = (),
    part: str | None = None,
    tables: Mapping[str, sa.Table] | None = None,
) -> Output:
    """The output for format ``fmt`` (one of ``BUILD_FORMATS``); ``part`` names a shard's files."""
    if fmt == "json":
        return JsonOutput(columns, directory, stream, part)
    if fmt == "jsonl":
        return JsonLinesOutput(columns, directory, stream, part)
    if fmt == "csv":
        return CsvOutput(columns, directory, stream, part)
    if fmt == "sql":
        from seedspec.output.sql import SqlOutput

        return SqlOutput(columns, directory, stream, part, dialect=dialect, notes=notes)
    if fmt == "parquet":
        from seedspec.output.parquet import ParquetOutput

        assert directory is not None, "parquet needs a directory"
        assert tables is not None, "parquet needs the table definitions"
        return ParquetOutput(columns, tables, directory, part or "part-1-of-1")
    raise ValueError(f"unknown build format {fmt!r}; one of {', '.join(BUILD_FORMATS)}")
