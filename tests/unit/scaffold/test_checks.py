"""CHECK constraint texts of every dialect, read as per-column restrictions."""

from __future__ import annotations

import datetime as dt

import pytest

from seedspec.scaffold.checks import Restriction, mentioned, restrictions

COLUMNS = ("Quantity", "Discount", "rating", "action_flag", "special_features", "x", "y")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[Quantity]>(0)", {"Quantity": Restriction(low=0, low_open=True)}),
        ("[Discount]>=(0) AND [Discount]<=(1)", {"Discount": Restriction(low=0, high=1)}),
        ('"action_flag" >= 0', {"action_flag": Restriction(low=0)}),
        ("(action_flag >= 0)", {"action_flag": Restriction(low=0)}),
        ("`x` < 10.5", {"x": Restriction(high=10.5, high_open=True)}),
        ("0 < x", {"x": Restriction(low=0, low_open=True)}),
        ("x BETWEEN -1 AND 5", {"x": Restriction(low=-1, high=5)}),
        ("rating in ('G','PG','PG-13')", {"rating": Restriction(allowed=("G", "PG", "PG-13"))}),
        (
            "((rating)::text = ANY ((ARRAY['G'::character varying, 'R'::character varying])::text[]))",
            {"rating": Restriction(allowed=("G", "R"))},
        ),
        ("(discount >= (0)::double precision)", {"Discount": Restriction(low=0)}),
        ("x IS NULL OR x >= 2", {"x": Restriction(low=2, null_ok=True)}),
        ("json_valid(`y`)", {}),
    ],
)
def test_understood_checks(text: str, expected: dict[str, Restriction]) -> None:
    assert restrictions(text, COLUMNS) == expected


def test_a_domain_check_reads_value_as_the_column() -> None:
    found = restrictions("CHECK (((VALUE >= 1901) AND (VALUE <= 2155)))", COLUMNS, value_column="y")
    assert found == {"y": Restriction(low=1901, high=2155)}


@pytest.mark.parametrize(
    "text",
    [
        "special_features is null or special_features like '%Trailers%'",
        "x > y",
        "x >= 1 OR y >= 1",
        "length(x) > 3",
        "x NOT IN (1, 2)",
    ],
)
def test_other_checks_are_not_understood(text: str) -> None:
    assert restrictions(text, COLUMNS) is None


def test_mentioned_names_the_columns_of_a_check_not_understood() -> None:
    assert mentioned("special_features is null or special_features like '%T%'", COLUMNS) == (
        "special_features",
    )


def test_upper_and_lower_of_a_column_read_as_the_column() -> None:
    found = restrictions("PersonType IS NULL OR UPPER(PersonType) IN ('SC', 'VC')", ["persontype"])
    assert found is not None
    assert found["persontype"].allowed == ("SC", "VC")
    assert restrictions("lower(upper(2)) IN ('a')", ["x"]) is None


def test_a_restriction_admits_a_constant_or_not() -> None:
    positive = Restriction(low=0, low_open=True)
    assert not positive.admits(0.0)  # AdventureWorks: ShipBase DEFAULT 0.00 CHECK (ShipBase > 0.00)
    assert positive.admits(0.01)
    assert Restriction(low=1, high=3).admits(3)
    assert not Restriction(low=1, high=3).admits(4)
    assert Restriction(high=5, high_open=True).admits(4)
    assert not Restriction(high=5, high_open=True).admits(5)
    assert Restriction(allowed=("S", "M")).admits("m")  # UPPER(col) IN (...): any case passes
    assert not Restriction(allowed=("S", "M")).admits("x")
    assert Restriction().admits("text")
    assert not positive.admits("text")


def test_values_refused_patterns_and_truth_values() -> None:
    assert restrictions("(y)::text <> ''::text", COLUMNS) == {"y": Restriction(excluded=("",))}
    assert restrictions("x <> ALL (ARRAY[2, 5, 6])", COLUMNS) == {"x": Restriction(excluded=(2, 5, 6))}
    assert restrictions("x ~ '^[0-9]{11}$'::text", COLUMNS) == {"x": Restriction(pattern="^[0-9]{11}$")}
    assert restrictions("x = true", COLUMNS) == {"x": Restriction(allowed=(True,))}


def test_is_not_null_is_left_to_check_logic() -> None:
    """NULL fails it: reading it as 'no restriction' would leave the column NULL."""
    assert restrictions("x IS NOT NULL", COLUMNS) is None
    assert restrictions("x IS NOT NULL AND x > 0", COLUMNS) is None


def test_cast_literals_and_the_clock_are_read_as_bounds() -> None:
    # PostgreSQL writes -40 back as '-40'::integer, BETWEEN with NOW() as now() ± an interval
    found = restrictions("vacationhours >= '-40'::integer AND vacationhours <= 240", ["vacationhours"])
    assert found == {"vacationhours": Restriction(low=-40, high=240)}
    text = "hiredate >= '1996-07-01'::date AND hiredate <= (now() + '1 day'::interval)"
    assert restrictions(text, ["hiredate"]) == {
        "hiredate": Restriction(
            low=dt.datetime(1996, 7, 1), high=dt.datetime(2025, 1, 2)
        )  # settings.now + 1 day
    }
    older = restrictions("birthdate < CURRENT_DATE - INTERVAL '18 years'", ["birthdate"])
    assert older == {"birthdate": Restriction(high=dt.datetime(2007, 1, 1), high_open=True)}
    assert restrictions("x >= (0)::double precision AND x < 5", ["x"]) == {
        "x": Restriction(low=0, high=5, high_open=True)
    }


@pytest.mark.parametrize(
    "text",
    [
        "d >= now() - '1 year'::interval",  # the database's clock moves past every drafted value
        "d = now()",
        "d <> '2020-01-01'::date",
        "d <= now() + '1 day 02:00'::interval",
        "x >= 'abc'::integer",
    ],
)
def test_bounds_from_the_clock_below_or_unreadable_are_not_understood(text: str) -> None:
    assert restrictions(text, ["d", "x"]) is None
