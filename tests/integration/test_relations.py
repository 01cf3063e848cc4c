"""Rows that read their related rows, checked in SQL on SQLite, PostgreSQL and MariaDB.

``specs_examples/relations/relations.yaml`` is applied twice (the second apply creates nothing),
then every copied value is compared with the row it was copied from: zero violations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES, assert_idempotent

SPEC = EXAMPLES / "relations" / "relations.yaml"


@pytest.fixture
def applied(db_url: str) -> Any:
    report = assert_idempotent(SPEC, db_url)
    assert report.created > 200
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def scalar(conn: sa.Connection, sql: str) -> Any:
    return conn.execute(sa.text(sql)).scalar_one()


def test_an_item_is_priced_from_the_product_it_picked(applied: sa.Connection) -> None:
    wrong = scalar(
        applied,
        "SELECT COUNT(*) FROM order_items i JOIN products p ON p.id = i.product_id "
        "WHERE i.unit_price <> p.price",
    )
    assert wrong == 0
    assert scalar(applied, "SELECT COUNT(DISTINCT unit_price) FROM order_items") > 20


def test_templates_read_the_picked_row_and_the_parent(applied: sa.Connection) -> None:
    items = applied.execute(
        sa.text(
            "SELECT i.label, p.sku, o.number FROM order_items i "
            "JOIN products p ON p.id = i.product_id JOIN orders o ON o.id = i.order_id"
        )
    ).all()
    assert items
    assert all(label == f"{sku} x1 ({number})" for label, sku, number in items)
    orders = applied.execute(
        sa.text(
            "SELECT o.ship_to, o.reference, o.number, c.country, c.email FROM orders o "
            "JOIN customers c ON c.id = o.customer_id"
        )
    ).all()
    assert len(orders) == 60
    assert all(ship == country for ship, _, _, country, _ in orders)
    assert all(ref == f"{number}/{email}" for _, ref, number, _, email in orders)
    assert len({country for *_, country, _ in orders}) > 1


def test_dates_are_bounded_by_the_related_rows(applied: sa.Connection) -> None:
    orders = applied.execute(
        sa.text(
            "SELECT o.placed_at, o.shipped_on, c.created_at FROM orders o "
            "JOIN customers c ON c.id = o.customer_id"
        )
    ).all()
    orders = [(_moment(p), _moment(s).date(), _moment(c)) for p, s, c in orders]  # SQLite gives text
    assert len(orders) == 60
    now = dt.datetime(2025, 6, 30, 12, 0)
    assert all(created <= placed <= now for placed, _, created in orders)
    spans = [(shipped - placed.date()).days for placed, shipped, _ in orders]
    assert all(1 <= days <= 30 for days in spans)
    assert len(set(spans)) > 10  # drawn, not pinned to a bound


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def test_null_exactly_where_the_condition_says(applied: sa.Connection) -> None:
    wrong = scalar(
        applied,
        "SELECT COUNT(*) FROM orders WHERE (status = 'paid') <> (paid_at IS NOT NULL) "
        "OR (paid_at IS NOT NULL AND paid_at <> placed_at)",
    )
    assert wrong == 0
    assert scalar(applied, "SELECT COUNT(*) FROM orders WHERE paid_at IS NULL") > 5
    assert scalar(applied, "SELECT COUNT(*) FROM orders WHERE paid_at IS NOT NULL") > 30


def test_a_filter_from_the_row_keeps_every_task_in_its_tenant(db_url: str) -> None:
    report = assert_idempotent(EXAMPLES / "tenants" / "tenants.yaml", db_url)
    assert report.created > 60
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        other_tenant = scalar(
            conn,
            "SELECT COUNT(*) FROM tasks t JOIN members m ON m.id = t.assignee_id "
            "JOIN projects p ON p.id = t.project_id WHERE m.organization_id <> p.organization_id",
        )
        assignees = scalar(conn, "SELECT COUNT(DISTINCT assignee_id) FROM tasks")
        wrong_domain = (
            scalar(
                conn,
                "SELECT COUNT(*) FROM members m JOIN organizations o ON o.id = m.organization_id "
                "WHERE m.email NOT LIKE CONCAT('%@', o.domain)",
            )
            if not db_url.startswith("sqlite")
            else scalar(
                conn,
                "SELECT COUNT(*) FROM members m JOIN organizations o ON o.id = m.organization_id "
                "WHERE m.email NOT LIKE '%@' || o.domain",
            )
        )
    engine.dispose()
    assert other_tenant == 0
    assert wrong_domain == 0
    assert assignees > 10
