"""CHECKs between two columns, read as an order between their generators."""

from __future__ import annotations

import sqlalchemy as sa

from seedspec.scaffold.cross_checks import Order, comparison, ordered
from seedspec.scaffold.table_draft import draft_factory

COLUMNS = ("scheduled_departure", "scheduled_arrival", "low", "high", "title")


def test_comparisons_between_two_columns_are_read_either_way_round() -> None:
    later = Order(greater="scheduled_arrival", lesser="scheduled_departure", strict=True)
    assert comparison("(scheduled_arrival > scheduled_departure)", COLUMNS) == later
    assert comparison("scheduled_departure < scheduled_arrival", COLUMNS) == later
    at_least = Order(greater="high", lesser="low", strict=False)
    assert comparison('"high"::numeric >= ("low")', COLUMNS) == at_least


def test_other_checks_are_not_comparisons_between_columns() -> None:
    assert comparison("high > 3", COLUMNS) is None
    assert comparison("high > nowhere", COLUMNS) is None
    assert comparison("high > low AND low > 0", COLUMNS) is None
    assert comparison("high > high", COLUMNS) is None


def test_dates_and_ranges_are_put_apart() -> None:
    recent = {"faker": "date_time_between", "args": {"start_date": "-1y"}}
    after, before = ordered(recent, recent) or ({}, {})
    assert before["args"] == {"start_date": "-1y", "end_date": "-31d"}
    assert after["args"] == {"start_date": "-30d"}
    assert ordered({"range": [0, 100]}, {"range": [0, 100]}) == ({"range": [51, 100]}, {"range": [0, 50]})
    money = {"range": [1.0, 10.0], "decimals": 2}
    high, low = ordered(money, money) or ({}, {})
    assert low["range"][1] < high["range"][0]


def test_generators_it_cannot_order_are_none() -> None:
    assert ordered({"faker": "word"}, {"range": [0, 1]}) is None
    assert ordered({"range": [1, 1]}, {"range": [1, 1]}) is None


def test_a_drafted_factory_keeps_a_cross_column_check() -> None:
    table = sa.Table(
        "flights",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("scheduled_departure", sa.DateTime, nullable=False),
        sa.Column("scheduled_arrival", sa.DateTime, nullable=False),
        sa.Column("title", sa.String(20), nullable=False),
        sa.CheckConstraint("scheduled_arrival > scheduled_departure"),
        sa.CheckConstraint("length(title) > scheduled_arrival"),
    )
    draft, _ = draft_factory(table, "flight", {}, dialect="postgresql")
    fields = {f.name: f for f in draft.fields}
    assert fields["scheduled_arrival"].generator["args"] == {"start_date": "-30d"}
    assert fields["scheduled_departure"].generator["args"]["end_date"] == "-31d"
    assert "not understood" in fields["title"].comment  # left as a commented placeholder
