"""Validation of filtered parents: a for_each step's where, and filtered refs standing in for the parent."""

from __future__ import annotations

from typing import Any

from seedspec.source import SourceMap
from seedspec.spec.validation import validate_document


def doc(step: dict[str, Any], order_id: Any = None) -> dict[str, Any]:
    return {
        "version": 1,
        "factories": {
            "order": {
                "table": "orders",
                "fields": {"number": {"sequence": "O{n}"}, "status": {"choice": ["paid", "new"]}},
            },
            "payment": {"table": "payments", "fields": {"order_id": order_id or {"ref": "order"}}},
        },
        "seed": [{"factory": "order", "count": 3}, {"factory": "payment", **step}],
    }


def codes(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d.code, d.pointer) for d in validate_document(document, SourceMap({}), None)]


def test_a_where_on_the_parents_that_can_match_is_valid() -> None:
    assert codes(doc({"for_each": "order", "where": {"status": "paid"}})) == []
    assert codes(doc({"for_each": "order", "where": {"status": ["paid", "gone"]}})) == []


def test_where_needs_for_each_a_known_column_and_literal_values() -> None:
    assert codes(doc({"where": {"status": "paid"}})) == [("E372", "/seed/1/where")]
    assert codes(doc({"for_each": "order", "where": {"statu": "paid"}})) == [("E373", "/seed/1/where/statu")]
    templated = {"for_each": "order", "where": {"status": "{{ 'paid' }}"}}
    assert codes(doc(templated)) == [("E373", "/seed/1/where/status")]


def test_a_where_no_parent_can_match_is_e336() -> None:
    assert codes(doc({"for_each": "order", "where": {"status": "refunded"}})) == [
        ("E336", "/seed/1/where/status")
    ]


def test_a_filtered_ref_instead_of_the_parent_is_e374() -> None:
    filtered = {"ref": "order", "where": {"status": "paid"}}
    assert codes(doc({"for_each": "order"}, filtered)) == [
        ("E374", "/factories/payment/fields/order_id/where")
    ]
    assert codes(doc({"count": 2}, filtered)) == []  # no for_each: a filtered pick, as documented
    document = doc({"for_each": "order"}, filtered)
    document["factories"]["payment"]["fields"]["parent_id"] = {"ref": "order"}  # the row keeps its parent
    assert codes(document) == []
