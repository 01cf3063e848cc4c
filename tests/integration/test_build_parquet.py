"""``build --format parquet``: every example spec's Parquet files, read back with pyarrow, hold
the rows of its JSON build, typed by the table definitions; sharded, the parts of a table hold
them too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES, example_specs, optional_module

import seedspec
from seedspec.api.building import build
from seedspec.output.formats import json_default

pq = optional_module("pyarrow.parquet", "parquet")

CYCLIC = {EXAMPLES / "cycles" / "cycles.yaml"}  # a deferred ref is set by an UPDATE: E716
SPECS = [p for p in example_specs() if p not in CYCLIC]


def _json_rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = json.loads(path.read_text("utf-8"))
    return rows


def _parquet_rows(directory: Path, table: str, json_columns: set[str]) -> list[dict[str, Any]]:
    rows = [
        row
        for part in sorted((directory / table).glob("*.parquet"))
        for row in pq.read_table(part).to_pylist()
    ]
    # what JSON writes: ISO dates, decimals as text; a JSON column's Parquet text parsed back
    rows = json.loads(json.dumps(rows, default=json_default))
    for row in rows:
        for column in json_columns & row.keys():
            if row[column] is not None:
                row[column] = json.loads(row[column])
    return rows


def _json_columns(spec: Path) -> dict[str, set[str]]:
    from seedspec.api.specs import table_definitions

    metadata = table_definitions(seedspec.load(spec), None)
    return {
        t.name: {c.name for c in t.columns if isinstance(c.type, sa.JSON)} for t in metadata.tables.values()
    }


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.relative_to(EXAMPLES).as_posix())
def test_parquet_reads_back_as_the_json_build(spec: Path, tmp_path: Path) -> None:
    loaded = seedspec.load(spec)
    document = tmp_path / "rows.json"
    with document.open("w", encoding="utf-8") as stream:
        build(loaded, "json", stream=stream, workers=0)
    expected = _json_rows(document)
    report = build(loaded, "parquet", out=tmp_path / "pq", workers=0)
    sharded = tmp_path / "sharded"
    build(loaded, "parquet", out=sharded, shards=3, workers=0)
    assert sorted(Path(f).parent.name for f in report.files) == sorted(expected)
    kinds = _json_columns(spec)
    for table, rows in expected.items():
        # a row leaves out the columns its step does not set: Parquet holds them as null
        read = [
            {c: v for c, v in row.items() if v is not None}
            for row in _parquet_rows(tmp_path / "pq", table, kinds.get(table, set()))
        ]
        assert read == [{c: v for c, v in row.items() if v is not None} for row in rows], table
        parts = _parquet_rows(sharded, table, kinds.get(table, set()))
        assert sorted(map(json.dumps, parts)) == sorted(
            map(json.dumps, _parquet_rows(tmp_path / "pq", table, kinds.get(table, set())))
        )


def test_parquet_columns_are_typed(tmp_path: Path) -> None:
    report = build(seedspec.load(EXAMPLES / "library" / "library.toml"), "parquet", out=tmp_path, workers=0)
    assert sorted(Path(f).relative_to(tmp_path).as_posix() for f in report.files) == [
        "authors/part-1-of-1.parquet",
        "books/part-1-of-1.parquet",
    ]
    schema = pq.read_schema(tmp_path / "books" / "part-1-of-1.parquet")
    assert {name: str(schema.field(name).type) for name in schema.names} == {
        "id": "int64",
        "author_id": "int64",
        "isbn": "string",
        "title": "string",
        "pages": "int64",
        "price": "decimal128(8, 2)",
    }
    assert (
        str(pq.read_schema(tmp_path / "authors" / "part-1-of-1.parquet").field("born").type) == "date32[day]"
    )


def test_parquet_needs_a_directory() -> None:
    with pytest.raises(seedspec.SeedspecError) as raised:
        build(seedspec.load(EXAMPLES / "library" / "library.toml"), "parquet", stream=None)
    assert raised.value.diagnostics[0].code == "E711"
