"""Faker dates follow ``settings.now``, never the wall clock (issue #14).

The wall clock is moved with time-machine (it patches the C clock, as a machine whose date differs
would): the rows must not move with it, from serial draws, templates and worker processes alike,
and no "past" provider may give a date after ``now``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine

import seedspec
from seedspec.api.building import build

NOW = dt.datetime(2000, 6, 15, 12, 0, 0)
SCHEMA = """
CREATE TABLE patients (
  code VARCHAR(20) PRIMARY KEY, born DATE, seen DATE, this_year DATE, this_month DATE,
  decade TIMESTAMP, past_dt TIMESTAMP, between_d DATE, next_visit DATE, dob_text VARCHAR(20),
  ssn VARCHAR(20), passport VARCHAR(80)
);
"""
SPEC = """
version: 1
tables: {ddl: schema.sql}
settings: {seed: 14, now: "2000-06-15T12:00:00"}
factories:
  patient:
    table: patients
    key: [code]
    fields:
      code: {sequence: "P{n:05d}"}
      born: {faker: date_of_birth}
      seen: {faker: past_date}
      this_year: {faker: date_this_year}
      this_month: {faker: date_this_month}
      decade: {faker: date_time_this_decade}
      past_dt: {faker: past_datetime}
      between_d: {faker: date_between, args: {start_date: "-30y"}}
      next_visit: {faker: future_date}
      dob_text: "{{ fake.date_of_birth(minimum_age=1) }}"
      ssn: {faker: ssn, locale: fi_FI}
      passport: "{{ fake.passport_dates() | join(' / ') }}"
seed:
  - factory: patient
    count: COUNT
"""
PAST = ("born", "seen", "this_year", "this_month", "decade", "past_dt", "between_d")


def _spec(tmp_path: Path, count: int) -> Path:
    (tmp_path / "schema.sql").write_text(SCHEMA, encoding="utf-8")
    path = tmp_path / "clock.yaml"
    path.write_text(textwrap.dedent(SPEC).replace("COUNT", str(count)), encoding="utf-8")
    return path


def _built(path: Path, wall_clock: dt.datetime, workers: int) -> str:
    stream = io.StringIO()
    with time_machine.travel(wall_clock, tick=False):
        assert dt.date.today() == wall_clock.date()  # the clock did move
        build(seedspec.load(path), "json", stream=stream, workers=workers)
    return stream.getvalue()


@pytest.mark.parametrize("workers", [0, 2], ids=["serial", "worker-processes"])
def test_the_rows_do_not_follow_the_wall_clock(tmp_path: Path, workers: int) -> None:
    path = _spec(tmp_path, 600)  # 600 rows x 10 Faker fields: enough for the worker prefetch
    earlier = _built(path, dt.datetime(1999, 2, 3, 4, 5, 6), workers)
    later = _built(path, dt.datetime(2031, 11, 30, 23, 59, 59), workers)
    assert earlier == later
    assert _built(path, dt.datetime(2031, 11, 30), 0) == later  # workers draw what this process draws


def _dates(value: Any) -> dt.date:
    """A DATE or TIMESTAMP column's value as a date (SQLite gives text)."""
    return dt.date.fromisoformat(str(value)[:10])


def test_no_past_date_is_after_now_and_the_ranges_are_settings_now_s(db_url: str, tmp_path: Path) -> None:
    path = _spec(tmp_path, 150)
    engine = sa.create_engine(db_url)
    try:
        with time_machine.travel(dt.datetime(2031, 11, 30, 23, 0), tick=False):
            seedspec.apply(seedspec.load(path), engine, create=True)
        with engine.connect() as conn:
            rows = [r._mapping for r in conn.execute(sa.text("SELECT * FROM patients"))]
    finally:
        engine.dispose()
    assert len(rows) == 150
    for row in rows:
        assert all(_dates(row[c]) <= NOW.date() for c in PAST), row
        assert NOW.date() < _dates(row["next_visit"]) <= NOW.date() + dt.timedelta(days=30)
        assert _dates(row["this_year"]).year == _dates(row["this_month"]).year == 2000
        assert _dates(row["this_month"]).month == 6
        assert dt.date(2000, 1, 1) <= _dates(row["decade"])
        assert _dates(row["dob_text"]) <= dt.date(1999, 6, 15)
        born = dt.datetime.strptime(row["ssn"][:6], "%d%m%y").date()  # fi_FI: DDMMYY, then century
        assert (born.replace(year=born.year - 100) if born.year > 2000 else born) <= NOW.date()
        birth, issued, expires = (
            dt.datetime.strptime(p, "%d %b %Y").date() for p in row["passport"].split(" / ")
        )
        assert birth == NOW.date()
        assert issued <= NOW.date() < expires


def test_a_built_document_is_json(tmp_path: Path) -> None:
    rows = json.loads(_built(_spec(tmp_path, 3), dt.datetime(2031, 1, 1), 0))
    assert {r["code"] for r in rows["patients"]} == {"P00000", "P00001", "P00002"}
