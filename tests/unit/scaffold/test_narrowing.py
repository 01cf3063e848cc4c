"""How the schema's facts narrow guesses: CHECK restrictions, partition bounds, insert
triggers."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from seedspec.database.reflect import Partition, Trigger
from seedspec.scaffold.checks import Restriction
from seedspec.scaffold.narrowing import (
    base_type,
    column_kind_of,
    dated,
    narrow,
    partition_generator,
    pattern_generator,
    trigger_effects,
)


def test_trigger_effects_in_each_dialect() -> None:
    columns = ("fulltext", "title", "last_update", "create_date")
    pg = Trigger(
        table="film",
        text="CREATE TRIGGER t BEFORE INSERT OR UPDATE ON public.film FOR EACH ROW EXECUTE FUNCTION "
        "tsvector_update_trigger('fulltext', 'pg_catalog.english', 'title')",
    )
    sqlite = Trigger(
        table="film",
        text="CREATE TRIGGER t AFTER INSERT ON film BEGIN UPDATE film SET last_update = DATETIME('NOW') "
        "WHERE rowid = new.rowid; END",
    )
    mysql = Trigger(
        table="film", text="BEGIN SET NEW.create_date = NOW(); INSERT INTO film_text (id) VALUES (1); END"
    )
    assert trigger_effects(pg, columns) == (frozenset({"fulltext"}), frozenset())
    assert trigger_effects(sqlite, columns) == (frozenset({"last_update"}), frozenset())
    assert trigger_effects(mysql, columns) == (frozenset({"create_date"}), frozenset({"film_text"}))


def test_rows_of_a_partitioned_table_fall_into_a_partition() -> None:
    column = sa.Column("paid_at", sa.DateTime(timezone=True))
    parts = [
        Partition(name="p1", parent="payment", key="RANGE (paid_at)",
                  bound="FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00')"),
        Partition(name="p2", parent="payment", key="RANGE (paid_at)",
                  bound="FOR VALUES FROM ('2022-02-01 00:00:00+00') TO ('2022-03-01 00:00:00+00')"),
    ]  # fmt: skip
    assert partition_generator(parts, column) == {"range": ["2022-01-02T00:00:00", "2022-02-28T00:00:00"]}
    listed = [Partition(name="p", parent="t", key="LIST (code)", bound="FOR VALUES IN ('a', 'b')")]
    assert partition_generator(listed, sa.Column("code", sa.String(1))) == {"choice": ["a", "b"]}


def test_a_check_list_becomes_a_choice_or_a_constant() -> None:
    position = sa.Column("position", sa.String(2))
    assert narrow({"faker": "pystr"}, Restriction(allowed=("GK", "DF")), position) == {"choice": ["GK", "DF"]}
    assert narrow({"faker": "pystr"}, Restriction(allowed=("GK", None)), position) == "GK"
    rating = sa.Column("rating", sa.Integer)
    assert narrow({"range": [0, 9]}, Restriction(allowed=(1, 2.5, "x")), rating) == 1
    assert narrow({"range": [0, 9]}, Restriction(allowed=("x",)), rating) is None


def test_a_check_range_cuts_the_guessed_range() -> None:
    rating = sa.Column("rating", sa.Integer)
    assert narrow({"range": [0, 1000]}, Restriction(low=1, high=5), rating) == {"range": [1, 5]}
    assert narrow({"range": [0, 1000]}, Restriction(low=0, low_open=True), rating) == {"range": [1, 1000]}
    assert narrow({"range": [0, 10]}, Restriction(low=50), rating) == {"range": [50, 1050]}
    assert narrow({"sequence": 1}, Restriction(low=100), rating) == {"sequence": 100}
    price = sa.Column("price", sa.Numeric(8, 2))
    cut = narrow({"range": [1.0, 1000.0], "decimals": 2}, Restriction(high=10, high_open=True), price)
    assert cut == {"range": [1.0, 9.99], "decimals": 2}
    assert narrow({"faker": "word"}, Restriction(low=1), sa.Column("code", sa.String(5))) is None


def test_a_domain_is_seen_through_to_its_base_type() -> None:
    from sqlalchemy.dialects.postgresql import DOMAIN

    year = sa.Column("year", DOMAIN("year", sa.Integer()))
    assert isinstance(base_type(year.type), sa.Integer)
    assert column_kind_of(year) == "int"
    assert column_kind_of(sa.Column("name", sa.String(5))) == "str"


def test_partitions_with_a_default_or_open_bounds_are_not_understood() -> None:
    column = sa.Column("n", sa.Integer)
    default = [Partition(name="d", parent="t", key="RANGE (n)", bound="DEFAULT")]
    assert partition_generator(default, column) is None
    open_ = [Partition(name="p", parent="t", key="RANGE (n)", bound="FOR VALUES FROM (MINVALUE) TO (10)")]
    assert partition_generator(open_, column) is None
    ints = [Partition(name="p", parent="t", key="RANGE (n)", bound="FOR VALUES FROM (0) TO (10)")]
    assert partition_generator(ints, column) == {"range": [0, 9]}


def test_a_boolean_list_partition_gives_true_and_false() -> None:
    def part(bound: str) -> Partition:
        return Partition(name="p", parent="t", key="LIST (is_track_artist)", bound=bound)

    column = sa.Column("is_track_artist", sa.Boolean)
    both = [part("FOR VALUES IN (false)"), part("FOR VALUES IN (true)")]
    assert partition_generator(both, column) == {"choice": [True, False]}
    assert partition_generator([part("FOR VALUES IN (NULL)")], column) is None  # never choice: []


def test_patterns_become_bothify_and_fill_a_char_column() -> None:
    assert pattern_generator(r"^\d{11}$") == {"faker": "bothify", "args": {"text": "#" * 11}}
    isrc = pattern_generator(r"^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$")
    assert isrc == {
        "faker": "bothify",
        "args": {"text": "??" + "#" * 10, "letters": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    }
    iswc = r"^T-?\d{3}.?\d{3}.?\d{3}[-.]?\d$"
    assert pattern_generator(iswc) == {"faker": "bothify", "args": {"text": "T" + "#" * 10}}
    assert pattern_generator(iswc, 15) == {"faker": "bothify", "args": {"text": "T-###.###.###-#"}}
    assert pattern_generator("^a+$") is None  # no count: not drafted
    assert pattern_generator("[0-9]") is None  # not anchored
    assert pattern_generator("^[A-Z][a-z]$") is None  # two letter sets


def test_excluded_values_are_stepped_over() -> None:
    column = sa.Column("n", sa.Integer, nullable=False)
    assert narrow({"sequence": 1}, Restriction(excluded=(1,)), column) == {"sequence": 2}
    assert narrow({"range": [0, 10]}, Restriction(excluded=(0,)), column) == {"range": [1, 10]}
    assert narrow({"choice": [1, 2, 3]}, Restriction(excluded=(1, 2)), column) == 3
    assert narrow({"ref": "x"}, Restriction(excluded=(1,)), column) is None  # a ref's values are not drafted
    text = sa.Column("t", sa.Text, nullable=False)
    assert narrow({"faker": "word"}, Restriction(excluded=("",)), text) == {"faker": "word"}
    assert narrow({"sequence": "a-{n}"}, Restriction(excluded=("",)), text) == {"sequence": "a-{n}"}
    flag = sa.Column("f", sa.Boolean, nullable=False)
    assert narrow({"faker": "boolean"}, Restriction(allowed=(True,)), flag) is True


def test_faker_dates_are_kept_between_a_checks_moments() -> None:
    hired = {"faker": "date_between", "args": {"start_date": "-1y"}}
    bounds = Restriction(low=dt.datetime(1996, 7, 1), high=dt.datetime(2025, 1, 2))  # now() + 1 day
    assert dated(hired, bounds) == hired  # already inside: kept as drafted
    column = sa.Column("hiredate", sa.Date)
    assert narrow(hired, bounds, column) == hired
    recent = Restriction(low=dt.datetime(2024, 12, 1), high=dt.datetime(2024, 12, 25), high_open=True)
    assert dated(hired, recent) == {
        "faker": "date_between",
        "args": {"start_date": "-31d", "end_date": "-8d"},
    }
    assert dated({"faker": "date_time_between"}, Restriction(low=dt.datetime(2000, 1, 1))) == {
        "faker": "date_time_between",
        "args": {"start_date": "-9132d", "end_date": "now"},
    }
    before = {"faker": "date_between", "args": {"start_date": "-12784d", "end_date": "-12419d"}}
    assert dated(hired, Restriction(high=dt.datetime(1991, 1, 1))) == before  # a year up to the CHECK's end
    assert dated(hired, Restriction(low=dt.datetime(2026, 1, 1), high=dt.datetime(2025, 1, 1))) is None
    assert dated({"range": [1, 5]}, bounds) is None
    assert narrow({"range": [1, 5]}, bounds, sa.Column("n", sa.Integer)) is None  # a moment on a number
