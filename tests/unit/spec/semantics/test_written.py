"""Values written in the spec against their column: enum labels (E350), JSON text (E352)."""

from __future__ import annotations

from typing import Any

import pytest

from seedspec.catalog import Catalog, ColumnInfo, TableInfo
from seedspec.spec.semantics.written import check_written_values

ORDERS = TableInfo(
    name="orders",
    columns=(
        ColumnInfo(name="status", kind="str", labels=("pending", "paid")),
        ColumnInfo(name="note", kind="str"),
    ),
)
CATALOG = Catalog(tables={"orders": ORDERS})


def _found(factory: dict[str, Any], steps: list[Any]) -> list[tuple[str, str]]:
    return [(d.code, d.pointer) for d in check_written_values({"order": factory}, steps, CATALOG)]


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


EVENTS = Catalog(tables={"events": TableInfo(name="events", columns=(ColumnInfo(name="data", kind="json"),))})


@pytest.mark.parametrize(
    ("template", "ok"),
    [
        ('{"n": {{ n }}, "tags": ["{{ tag }}"]}', True),
        ("{{ payload | tojson }}", True),
        ('{"a": 1, {{ more }} }', True),  # members
        ("[{{ a }}{{ b }}]", True),
        ("{% if x %}{}{% endif %}", True),  # blocks: not checked
        ("n{{ n }}", False),
        ('{"n": {{ n }}', False),  # unclosed
        ("{{ name }} is here", False),
    ],
)
def test_a_template_for_a_json_column_must_be_able_to_render_json(template: str, ok: bool) -> None:
    factory = {"table": "events", "fields": {"data": template}}
    found = [(d.code, d.pointer) for d in check_written_values({"event": factory}, [], EVENTS)]
    assert found == ([] if ok else [("E352", "/factories/event/fields/data")])


def test_a_json_template_mapping_is_checked_at_its_template() -> None:
    factory = {"table": "events", "fields": {"data": "{}"}}
    steps = [{"factory": "event", "values": {"data": {"template": "x{{ n }}"}}}]
    found = [(d.code, d.pointer) for d in check_written_values({"event": factory}, steps, EVENTS)]
    assert found == [("E352", "/seed/0/values/data/template")]


def test_a_condition_mixing_a_template_with_a_literal_into_a_json_column_is_e376() -> None:
    from seedspec.catalog import Catalog, ColumnInfo, TableInfo
    from seedspec.spec.semantics.written import check_written_values

    table = TableInfo(
        name="events",
        columns=(
            ColumnInfo(name="id", kind="int", primary_key=True),
            ColumnInfo(name="payload", kind="json"),
        ),
        primary_key=("id",),
    )

    def found(payload: object) -> list[str]:
        factories = {"event": {"table": "events", "fields": {"payload": payload}}}
        return [d.code for d in check_written_values(factories, [], Catalog(tables={"events": table}))]

    mixed = {"when": "n > 1", "then": '{"a": {{ n }}}', "else": "none"}
    assert found(mixed) == ["E376"]
    assert found({**mixed, "else": {"template": '"none"'}}) == []
    assert found({"template": '{"a": {{ n }}}', "null_unless": "n > 1"}) == []
