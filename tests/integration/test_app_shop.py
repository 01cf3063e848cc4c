"""The shop application (``specs_examples/apps/shop/``), checked in SQL on SQLite, PostgreSQL and
MariaDB: applied twice (the second apply creates nothing), ``plan --detailed-exitcode`` finds no
work, and every rule of the shop holds in every row (zero violations, over non-empty sets).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES, applied_app, scalar

SPEC = EXAMPLES / "apps" / "shop" / "shop.yaml"

# each query counts the rows that break one rule of the shop
VIOLATIONS = {
    "order placed before its customer signed up": (
        "SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE o.placed_at < c.signed_up_at"
    ),
    "item priced otherwise than the product it picked": (
        "SELECT COUNT(*) FROM order_items i JOIN products p ON p.id = i.product_id "
        "WHERE i.unit_price <> p.price"
    ),
    "order total other than the sum of its items": (
        "SELECT COUNT(*) FROM orders o WHERE ABS(o.total - (SELECT "
        "COALESCE(SUM(i.quantity * i.unit_price), 0) FROM order_items i WHERE i.order_id = o.id)) >= 0.005"
    ),
    "item count other than the order's items": (
        "SELECT COUNT(*) FROM orders o WHERE o.item_count <> "
        "(SELECT COUNT(*) FROM order_items i WHERE i.order_id = o.id)"
    ),
    "payment other than its order's total": (
        "SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.amount <> o.total"
    ),
    "payment before its order": (
        "SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.paid_at <= o.placed_at"
    ),
    # children only under matching parents: a payment for every paid order, for no other order
    "paid order without a payment": (
        "SELECT COUNT(*) FROM orders o WHERE o.status = 'paid' "
        "AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id)"
    ),
    "payment for an order that is not paid": (
        "SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.status <> 'paid'"
    ),
    "paid order with more than one payment": (
        "SELECT COUNT(*) FROM (SELECT p.order_id FROM payments p GROUP BY p.order_id HAVING COUNT(*) > 1) d"
    ),
}


@pytest.fixture
def applied(db_url: str, tmp_path: Path) -> Iterator[sa.Connection]:
    """Applied twice, planned clean (``helpers.applied_app``)."""
    yield from applied_app(SPEC, db_url, tmp_path, at_least=301)


@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_no_row_breaks_a_rule_of_the_shop(applied: sa.Connection, rule: str) -> None:
    assert scalar(applied, VIOLATIONS[rule]) == 0, rule


def test_the_checked_sets_are_not_empty(applied: sa.Connection) -> None:
    assert scalar(applied, "SELECT COUNT(*) FROM orders") == 80
    paid = scalar(applied, "SELECT COUNT(*) FROM orders WHERE status = 'paid'")
    assert 20 < paid < 80  # both kinds of order exist, so the payment checks can fail
    assert scalar(applied, "SELECT COUNT(*) FROM payments") == paid
    assert scalar(applied, "SELECT COUNT(*) FROM order_items") > 80
    assert scalar(applied, "SELECT COUNT(DISTINCT total) FROM orders") > 60  # summed, not a constant
    assert scalar(applied, "SELECT MIN(total) FROM orders") > 0
    assert scalar(applied, "SELECT COUNT(DISTINCT item_count) FROM orders") == 5
