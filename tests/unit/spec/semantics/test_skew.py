"""Skewed counts: for_each, and exactly the distribution's parameters (E392)."""

from __future__ import annotations

from typing import Any

import pytest

from seedspec.spec.semantics.skew import check_count_skew


def _found(count: Any, for_each: str | None = "organization") -> list[tuple[str, str]]:
    step = {"factory": "project", "count": count, **({"for_each": for_each} if for_each else {})}
    return [(d.code, d.pointer) for d in check_count_skew(3, step)]


@pytest.mark.parametrize(
    "count",
    [
        5,
        {"min": 1, "max": 4},
        {"min": 0, "max": 40, "distribution": "zipf", "a": 1.3},
        {"min": 1, "max": 9, "distribution": "normal", "mean": 4, "stddev": 2},
        {"min": 1, "max": 9, "distribution": "lognormal", "mu": 1, "sigma": 0.5},
    ],
)
def test_counts_that_pass(count: Any) -> None:
    assert _found(count) == []


def test_a_skewed_count_needs_for_each() -> None:
    count = {"min": 0, "max": 40, "distribution": "zipf", "a": 1.3}
    assert _found(count, for_each=None) == [("E392", "/seed/3/count/distribution")]


def test_missing_extra_and_orphan_parameters() -> None:
    assert _found({"min": 0, "max": 4, "distribution": "normal", "mean": 2}) == [("E392", "/seed/3/count")]
    assert _found({"min": 0, "max": 4, "distribution": "zipf", "a": 1, "mu": 2}) == [
        ("E392", "/seed/3/count/mu")
    ]
    assert _found({"min": 0, "max": 4, "a": 1.2}) == [("E392", "/seed/3/count/a")]


def test_a_pick_option_on_the_rows_own_parent_is_e375() -> None:
    from seedspec.spec.semantics.skew import check_parent_picks

    factories = {
        "order": {
            "table": "orders",
            "fields": {"customer_id": {"ref": "customer", "max_picks": 2}, "seller_id": {"ref": "seller"}},
        }
    }
    step = {
        "factory": "order",
        "for_each": "customer",
        "values": {"customer_id": {"ref": "customer", "pick": "zipf"}},
    }
    found = [(d.code, d.pointer) for d in check_parent_picks(1, step, factories)]
    assert found == [
        ("E395", "/factories/order/fields/customer_id/max_picks"),
        ("E395", "/seed/1/values/customer_id/pick"),
    ]
    filtered = {"ref": "customer", "max_picks": 2, "where": {"vip": True}}  # its own pick
    factories["order"]["fields"]["customer_id"] = filtered
    assert list(check_parent_picks(1, {"factory": "order", "for_each": "customer"}, factories)) == []
    assert list(check_parent_picks(1, {"factory": "order"}, factories)) == []
