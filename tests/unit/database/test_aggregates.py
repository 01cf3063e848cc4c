"""Aggregate columns set after their children, in the apply's transaction: sums, counts, min and
max, read by later steps; a found parent whose stored value is not its children's is rewritten
(counted updated) and reported by a dry run; a value a sum cannot add is E530."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.database.writer import apply_plan
from seedspec.generation.aggregates import AggregateError

SCHEMA = """
CREATE TABLE orders (
  id ID_COLUMN, number VARCHAR(20) NOT NULL UNIQUE, total NUMERIC(12, 2) NOT NULL,
  items INTEGER NOT NULL, first_line INTEGER, last_note VARCHAR(20)
);
CREATE TABLE order_items (
  id ID_COLUMN, order_id INTEGER NOT NULL REFERENCES orders (id), line INTEGER NOT NULL,
  quantity INTEGER NOT NULL, unit_price NUMERIC(10, 2) NOT NULL, note VARCHAR(20) NOT NULL,
  UNIQUE (order_id, line)
);
CREATE TABLE payments (
  id ID_COLUMN, order_id INTEGER NOT NULL UNIQUE REFERENCES orders (id), amount NUMERIC(12, 2) NOT NULL
);
"""

SPEC = """
version: 1
tables: {ddl: schema.sql}
factories:
  order:
    table: orders
    key: [number]
    fields:
      number: {sequence: "ORD-{n:03d}"}
      total: {aggregate: sum, of: item, each: "{{ quantity * unit_price }}"}
      items: {aggregate: count, of: item}
      first_line: {aggregate: min, of: item, each: line}
      last_note: {aggregate: max, of: item, each: note}
  item:
    table: order_items
    key: [order_id, line]
    fields:
      order_id: {ref: order, where: {number: [ORD-000, ORD-001, ORD-002]}, pick: round_robin}
      line: "{{ n // 3 + 1 }}"
      quantity: "{{ n // 3 + 2 }}"
      unit_price: "1.25"
      note: "note {{ n // 3 }}"
  payment:
    table: payments
    key: [order_id]
    fields:
      order_id: {ref: order}
      amount: {ref: order, column: total}
seed:
  - {factory: order, count: 3}
  - {factory: order, id: empty, values: {number: "EMPTY"}}
  - {factory: item, count: ITEMS}
  - {factory: payment, for_each: order}
"""


def _orders(connection: sa.Connection) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in connection.execute(
            sa.text("SELECT number, total, items, first_line, last_note FROM orders ORDER BY number")
        )
    ]


def test_aggregates_are_set_after_the_children_and_read_by_later_steps(
    prepare: Callable[..., Any], db_url: str
) -> None:
    compiled = prepare(db_url, SCHEMA, SPEC.replace("ITEMS", "6"))
    with compiled.engine.begin() as connection:
        report = apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
        orders = _orders(connection)
        amounts = connection.execute(
            sa.text("SELECT o.number, p.amount FROM payments p JOIN orders o ON o.id = p.order_id")
        ).all()
    # items: quantity 2 and 3 at 1.25 each: 6.25 per order, lines 1..2, notes 'note 0', 'note 1'
    assert orders == [
        ("EMPTY", Decimal("0.00"), 0, None, None),
        *((f"ORD-00{i}", Decimal("6.25"), 2, 1, "note 1") for i in range(3)),
    ]
    assert sorted((n, Decimal(a)) for n, a in amounts) == [(n, t) for n, t, *_ in orders]
    assert [s.updated for s in report.steps] == [0, 0, 0, 0]  # created rows: not updates


def test_more_children_on_a_second_apply_rewrite_the_aggregates(
    prepare: Callable[..., Any], db_url: str
) -> None:
    compiled = prepare(db_url, SCHEMA, SPEC.replace("ITEMS", "6"))
    with compiled.engine.begin() as connection:
        apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
    again = prepare(
        db_url, SCHEMA.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"), SPEC.replace("ITEMS", "9")
    )
    with compiled.engine.begin() as connection:
        dry = apply_plan(again.plan, connection, again.metadata, workers=0, dry_run=True)
        assert (dry.steps[0].differing, dry.steps[0].updated) == (3, 3)
        assert dry.steps[0].diffs[0].changes[0][0] == "total"
        report = apply_plan(again.plan, connection, again.metadata, workers=0)
        orders = _orders(connection)
    assert (report.steps[0].existing, report.steps[0].updated) == (3, 3)
    assert report.steps[2].created == 3
    # quantity 2, 3, 4 at 1.25: 11.25
    assert orders[1:] == [(f"ORD-00{i}", Decimal("11.25"), 3, 1, "note 2") for i in range(3)]
    with compiled.engine.begin() as connection:
        settled = apply_plan(again.plan, connection, again.metadata, workers=0, dry_run=True)
    differing = {s.step: s.differing for s in settled.steps}
    # the aggregates follow their children; the amounts payments copied earlier stay as stored
    assert differing == {"order": 0, "empty": 0, "item": 0, "payment<order": 3}


def test_a_stored_aggregate_set_by_hand_is_put_right(prepare: Callable[..., Any], db_url: str) -> None:
    compiled = prepare(db_url, SCHEMA, SPEC.replace("ITEMS", "6"))
    with compiled.engine.begin() as connection:
        apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
        connection.execute(sa.text("UPDATE orders SET total = 99 WHERE number = 'ORD-001'"))
        report = apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
        total = connection.execute(sa.text("SELECT total FROM orders WHERE number = 'ORD-001'")).scalar()
    assert (report.steps[0].differing, report.steps[0].updated) == (1, 1)
    assert Decimal(total) == Decimal("6.25")


def test_a_sum_of_text_is_e530_and_writes_nothing(prepare: Callable[..., Any], db_url: str) -> None:
    compiled = prepare(
        db_url, SCHEMA, SPEC.replace("ITEMS", "6").replace('"{{ quantity * unit_price }}"', "note")
    )
    with pytest.raises(AggregateError) as caught, compiled.engine.begin() as connection:
        apply_plan(compiled.plan, connection, compiled.metadata, workers=0)
    assert caught.value.diagnostics[0].code == "E530"
    assert caught.value.diagnostics[0].pointer == "/factories/order/fields/total"
    with compiled.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM orders")).scalar() == 0


def test_plan_steps_wait_for_the_children_of_what_they_read(
    prepare: Callable[..., Any], sqlite_url: str
) -> None:
    plan = prepare(sqlite_url, SCHEMA, SPEC.replace("ITEMS", "3")).plan
    payment = next(s for s in plan.steps if s.factory == "payment")
    assert payment.depends_on == ("item", "order")
    assert plan.aggregate_updates() == {"item": ("order",)}
