"""Validation of aggregates: E300 an unknown child, E380/E381 the link, E382/E383 ``each``, E384 read
too early, E385 min into NOT NULL; a well-formed aggregate passes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from seedspec.database.tables import catalog_from_metadata
from seedspec.source import SourceMap
from seedspec.spec.validation import validate_document


def _catalog() -> Any:
    md = sa.MetaData()
    sa.Table(
        "orders",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.Text, nullable=False),
        sa.Column("total", sa.Numeric(10, 2), nullable=False),
        sa.Column("first", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last", sa.Integer),
    )
    sa.Table(
        "items",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.ForeignKey("orders.id")),
        sa.Column("other_id", sa.ForeignKey("orders.id")),
        sa.Column("qty", sa.Integer),
        sa.Column("price", sa.Numeric(10, 2)),
        sa.Column("note", sa.Text),
    )
    return catalog_from_metadata(md)


def doc(total: Any, item_fields: dict[str, Any] | None = None, **order: Any) -> dict[str, Any]:
    items = {"order_id": {"ref": "order"}, "qty": 1, "price": 2} if item_fields is None else item_fields
    return {
        "version": 1,
        "factories": {
            "order": {"table": "orders", "fields": {"number": {"sequence": "o{n}"}, "total": total}, **order},
            "item": {"table": "items", "fields": items},
        },
        "seed": [{"factory": "order", "count": 2}, {"factory": "item", "for_each": "order", "count": 2}],
    }


def codes(document: dict[str, Any]) -> list[tuple[str, str]]:
    found = validate_document(document, SourceMap({}), _catalog())
    return [(d.code, d.pointer) for d in found if d.code.startswith("E")]


TOTAL = "/factories/order/fields/total"


def test_a_sum_over_the_children_passes() -> None:
    assert codes(doc({"aggregate": "sum", "of": "item", "each": "{{ qty * price }}"})) == []
    assert codes(doc({"aggregate": "count", "of": "item"})) == []
    assert codes(doc({"aggregate": "sum", "of": "item", "each": "qty"})) == []


def test_an_unknown_child_is_e300() -> None:
    assert codes(doc({"aggregate": "sum", "of": "itme", "each": "qty"})) == [("E300", TOTAL + "/of")]


def test_the_link_to_the_children() -> None:
    unlinked = doc({"aggregate": "count", "of": "item"}, {"qty": 1})
    assert ("E380", TOTAL + "/of") in codes(unlinked)
    both = {"order_id": {"ref": "order"}, "other_id": {"ref": "order"}, "qty": 1}
    assert codes(doc({"aggregate": "count", "of": "item"}, both)) == [("E381", TOTAL + "/of")]
    assert codes(doc({"aggregate": "count", "of": "item", "by": "other_id"}, both)) == []
    assert codes(doc({"aggregate": "count", "of": "item", "by": "qty"}, both)) == [("E380", TOTAL + "/by")]


def test_each_is_needed_by_sum_and_refused_by_count() -> None:
    assert codes(doc({"aggregate": "sum", "of": "item"})) == [("E382", TOTAL + "/aggregate")]
    assert codes(doc({"aggregate": "count", "of": "item", "each": "qty"})) == [("E382", TOTAL + "/each")]


def test_each_reads_columns_of_the_child() -> None:
    assert codes(doc({"aggregate": "sum", "of": "item", "each": "{{ qty * prise }}"})) == [
        ("E383", TOTAL + "/each")
    ]
    assert (
        codes(doc({"aggregate": "max", "of": "item", "each": "note"}, {"order_id": {"ref": "order"}}))
        == [
            (
                "E385",
                TOTAL + "/aggregate",
            )
        ]  # note: a column of the table, not a field
    )
    assert codes(doc({"aggregate": "sum", "of": "item", "each": "{{ qty * }}"})) == [
        ("E304", TOTAL + "/each")
    ]


def test_an_aggregate_read_before_its_children_exist_is_e384() -> None:
    keyed = doc({"aggregate": "count", "of": "item"}, key=["total"])
    assert ("E384", TOTAL) in codes(keyed)
    reading = {"order_id": {"ref": "order"}, "qty": 1, "note": "{{ order.total }}"}
    assert codes(doc({"aggregate": "count", "of": "item"}, reading)) == [
        ("E384", "/factories/item/fields/note")
    ]
    copying = {"order_id": {"ref": "order"}, "qty": {"ref": "order", "column": "total"}}
    assert codes(doc({"aggregate": "count", "of": "item"}, copying)) == [
        ("E384", "/factories/item/fields/qty")
    ]


def test_min_into_a_not_null_column_is_e385() -> None:
    document = doc({"aggregate": "count", "of": "item"})
    document["factories"]["order"]["fields"]["first"] = {"aggregate": "min", "of": "item", "each": "qty"}
    document["factories"]["order"]["fields"]["last"] = {"aggregate": "max", "of": "item", "each": "qty"}
    assert codes(document) == [("E385", "/factories/order/fields/first/aggregate")]
