"""Values for enum columns must be labels of the type."""

from __future__ import annotations

from typing import Any

from seedspec.catalog import Catalog, ColumnInfo, TableInfo
from seedspec.spec.semantics.enums import check_enum_values

ORDERS = TableInfo(
    name="orders",
    columns=(
        ColumnInfo(name="status", kind="str", labels=("pending", "paid")),
        ColumnInfo(name="note", kind="str"),
    ),
)
CATALOG = Catalog(tables={"orders": ORDERS})


def _found(factory: dict[str, Any], steps: list[Any]) -> list[tuple[str, str]]:
    return [(d.code, d.pointer) for d in check_enum_values({"order": factory}, steps, CATALOG)]


def test_labels_pass_and_every_written_value_is_checked() -> None:
    factory = {
        "table": "orders",
        "fields": {"status": {"choice": {"paid": 3, "lost": 1}}, "note": "anything"},
        "states": {"fresh": {"status": "pending"}, "odd": {"status": {"value": "odd"}}},
    }
    steps = [
        {"factory": "order", "count": 2, "values": {"status": "Paid"}},
        {"factory": "order", "records": {"first": {"status": "paid"}, "second": {"status": "gone"}}},
        {"factory": "other", "values": {"status": "ignored"}},
    ]
    assert _found(factory, steps) == [
        ("E350", "/factories/order/fields/status/choice/lost"),
        ("E350", "/factories/order/states/odd/status/value"),
        ("E350", "/seed/0/values/status"),
        ("E350", "/seed/1/records/second/status"),
    ]


def test_templates_nulls_and_other_generators_are_not_checked() -> None:
    factory = {"table": "orders", "fields": {"status": "{{ 'x' }}", "note": None}}
    steps = [
        {"factory": "order", "values": {"status": None}},
        {"factory": "order", "values": {"status": {"faker": "word"}}},
    ]
    assert _found(factory, steps) == []
