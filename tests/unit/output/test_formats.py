"""The build formats: value encodings, document shapes, files (SQL text: test_sql)."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import random
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.language.convert import to_scale
from seedspec.output.formats import csv_line, csv_lines, csv_text, json_default, open_output


def tables() -> tuple[sa.Table, sa.Table]:
    md = sa.MetaData()
    users = sa.Table(
        "users",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50)),
        sa.Column("active", sa.Boolean),
        sa.Column("born", sa.Date),
        sa.Column("seen", sa.DateTime),
        sa.Column("balance", sa.Numeric(10, 2)),
        sa.Column("prefs", sa.JSON),
        sa.Column("avatar", sa.LargeBinary),
    )
    tags = sa.Table(
        "tags", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(9))
    )
    return users, tags


COLUMNS = {
    "users": ("id", "name", "active", "born", "seen", "balance", "prefs", "avatar"),
    "tags": ("id", "name"),
}
ROW = {
    "name": "it's 50% \\ off",
    "id": 1,
    "active": True,
    "born": dt.date(2020, 1, 2),
    "seen": dt.datetime(2020, 1, 2, 3, 4, 5),
    "balance": decimal.Decimal("3.5"),
    "prefs": {"a": [1, "x'y"]},
    "avatar": b"\x00\xff",
}


def test_json_writes_dates_iso_decimals_as_text_and_bytes_as_base64() -> None:
    values = [dt.date(2020, 1, 2), dt.datetime(2020, 1, 2, 3, 4), decimal.Decimal("1.10"), b"\x00\xff"]
    assert json.dumps(values, default=json_default) == (
        '["2020-01-02", "2020-01-02T03:04:00", "1.10", "AP8="]'
    )
    assert json_default(uuid.UUID(int=1)) == "00000000-0000-0000-0000-000000000001"
    with pytest.raises(TypeError):
        json_default(object())


def test_csv_fields() -> None:
    assert [csv_text(v) for v in (None, True, False, 3, 1.5, "a,b")] == [
        "",
        "true",
        "false",
        "3",
        "1.5",
        "a,b",
    ]
    assert csv_text(dt.datetime(2020, 1, 2, 3, 4, 5)) == "2020-01-02 03:04:05"
    assert csv_text(dt.date(2020, 1, 2)) == "2020-01-02"
    assert csv_text(decimal.Decimal("2.50")) == "2.50"
    assert csv_text({"a": [1]}) == '{"a": [1]}'


def test_one_json_document_gathers_each_table_s_rows_in_order() -> None:
    users, tags = tables()
    stream = io.StringIO()
    output = open_output("json", COLUMNS, directory=None, stream=stream, dialect="sqlite")
    output.write(users, [{"name": "a", "id": 1}])
    output.write(tags, [{"id": 1, "name": "t"}])
    output.write(users, [{"id": 2, "balance": decimal.Decimal("1.5")}])
    output.close()
    text = stream.getvalue()
    assert json.loads(text) == {
        "users": [{"id": 1, "name": "a"}, {"id": 2, "balance": "1.50"}],
        "tags": [{"id": 1, "name": "t"}],
    }
    assert text.startswith('{\n  "users": [\n    {"id": 1, "name": "a"},\n')  # one row per line


def test_an_empty_json_document_is_valid() -> None:
    stream = io.StringIO()
    open_output("json", {"tags": ("id",)}, directory=None, stream=stream, dialect="sqlite").close()
    assert json.loads(stream.getvalue()) == {"tags": []}


def test_json_lines_name_the_table_on_one_stream() -> None:
    _, tags = tables()
    stream = io.StringIO()
    output = open_output("jsonl", COLUMNS, directory=None, stream=stream, dialect="sqlite")
    output.write(tags, [{"id": 1, "name": "ä"}])
    output.close()
    assert stream.getvalue() == '{"table": "tags", "row": {"id": 1, "name": "ä"}}\n'


@pytest.mark.parametrize(
    ("fmt", "files"),
    [
        ("json", ["tags.json", "users.json"]),
        ("jsonl", ["tags.jsonl", "users.jsonl"]),
        ("csv", ["tags.csv", "users.csv"]),
        ("sql", ["seed.sql"]),
    ],
)
def test_a_directory_gets_its_files_only_when_the_build_succeeds(
    fmt: str, files: list[str], tmp_path: Path
) -> None:
    users, tags = tables()
    output = open_output(fmt, COLUMNS, directory=tmp_path / "out", stream=None, dialect="sqlite")
    output.write(tags, [{"id": 1, "name": "t"}])
    assert not any(p.name in files for p in (tmp_path / "out").iterdir())  # still partial
    written = output.close()
    assert sorted(p.name for p in written) == files
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == files

    failed = open_output(fmt, COLUMNS, directory=tmp_path / "failed", stream=None, dialect="sqlite")
    failed.write(users, [{"id": 1}])
    failed.abort()
    assert list((tmp_path / "failed").iterdir()) == []


def test_csv_files_have_a_header_of_every_column_the_build_sets(tmp_path: Path) -> None:
    users, _ = tables()
    output = open_output("csv", COLUMNS, directory=tmp_path, stream=None, dialect="sqlite")
    output.write(users, [{"id": 1, "name": "a, b"}, {"id": 2, "active": False}])
    output.close()
    with (tmp_path / "users.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        list(COLUMNS["users"]),
        ["1", "a, b", "", "", "", "", "", ""],
        ["2", "", "false", "", "", "", "", ""],
    ]
    assert (tmp_path / "tags.csv").read_bytes() == b"id,name\r\n"  # RFC 4180 line ends


def test_json_files_hold_an_array_each(tmp_path: Path) -> None:
    users, _ = tables()
    output = open_output("json", COLUMNS, directory=tmp_path, stream=None, dialect="sqlite")
    output.write(users, [{"id": 1}, {"id": 2}])
    output.close()
    assert json.loads((tmp_path / "users.json").read_text(encoding="utf-8")) == [{"id": 1}, {"id": 2}]
    assert json.loads((tmp_path / "tags.json").read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "values",
    [
        [None, "", "a", 'say "hi"', "a,b", "two\nlines", 3, True],
        ["", None],
        [" x ", "é", dt.date(2020, 1, 2)],
    ],
)
def test_csv_lines_read_back_as_csv_writes_them_and_null_is_not_an_empty_string(values: list[Any]) -> None:
    line = csv_line(values)
    written = io.StringIO(newline="")
    csv.writer(written).writerow([csv_text(v) for v in values])
    assert next(csv.reader(io.StringIO(line, newline=""))) == next(
        csv.reader(io.StringIO(written.getvalue()))
    )
    fields = line.rstrip("\r\n").split(",")
    for value, field in zip(values, fields, strict=False):
        if value is None:
            assert field == ""
        elif value == "":
            assert field == '""'  # PostgreSQL's COPY reads it as an empty string, not NULL


def test_a_shard_writes_a_directory_per_table_named_by_its_part(tmp_path: Path) -> None:
    from seedspec.output.formats import file_names, part_name

    assert part_name("users.jsonl", None) == "users.jsonl"
    assert part_name("users.jsonl", "part-2-of-4") == "users/part-2-of-4.jsonl"
    assert file_names("sql", COLUMNS, "part-1-of-2") == ("seed/part-1-of-2.sql",)
    assert file_names("parquet", {"users": ("id",)}) == ("users/part-1-of-1.parquet",)
    output = open_output(
        "csv", COLUMNS, directory=tmp_path, stream=None, dialect="sqlite", part="part-1-of-2"
    )
    written = output.close()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(
        f"{table}/part-1-of-2.csv" for table in COLUMNS
    )


# every kind of value a column holds, quoted or not, and what field by field would not see alike
_CSV_VALUES: list[Any] = [
    None,
    "",
    "a",
    "a,b",
    'q"',
    "x\ny",
    "r\r",
    1,
    -5,
    2**70,
    True,
    False,
    1.5,
    float("inf"),
    dt.datetime(2020, 1, 2, 3, 4, 5),
    dt.datetime(2020, 1, 2, tzinfo=dt.UTC),
    dt.date(2020, 1, 2),
    decimal.Decimal("2.5"),
    uuid.UUID(int=5),
    {"a": [1]},
    dt.time(1, 2),
]


@pytest.mark.parametrize("seed", range(40))
def test_csv_lines_a_column_at_a_time_are_the_lines_field_by_field(seed: int) -> None:
    rng = random.Random(seed)
    columns = [f"c{i}" for i in range(rng.randint(1, 4))]
    for _ in range(50):
        kinds = [rng.sample(_CSV_VALUES, rng.randint(1, 3)) for _ in columns]
        rows = [
            {c: rng.choice(k) for c, k in zip(columns, kinds, strict=True) if rng.random() < 0.9}
            for _ in range(rng.randint(1, 6))
        ]
        scales = {columns[0]: 1} if rng.random() < 0.3 else {}
        expected = "".join(
            csv_line([to_scale(row.get(c), scales[c]) if c in scales else row.get(c) for c in columns])
            for row in rows
        )
        assert csv_lines(rows, columns, scales) == expected


def test_csv_lines_of_a_plain_batch() -> None:
    rows = [
        {
            "id": 1,
            "name": "ann",
            "on": True,
            "at": dt.datetime(2020, 1, 2, 3, 4, 5),
            "n": decimal.Decimal("1.25"),
        },
        {"id": 2, "name": "bob", "on": False, "at": dt.datetime(2021, 1, 2), "n": None},
    ]
    assert csv_lines(rows, ["id", "name", "on", "at", "n", "absent"], {"n": 1}) == (
        "1,ann,true,2020-01-02 03:04:05,1.3,\r\n2,bob,false,2021-01-02 00:00:00,,\r\n"
    )
    assert csv_lines(rows, [], {}) == "\r\n\r\n"
    assert csv_lines([], ["id"], {}) == ""
    assert csv_lines([{"s": "a,b"}, {"s": ""}, {"s": None}], ["s"], {}) == '"a,b"\r\n""\r\n\r\n'
