"""Every construct of the spec language, checked in the database after an apply.

``specs_examples/constructs/constructs.yaml`` is applied to SQLite, PostgreSQL and MariaDB, then
SQL queries check what each construct promises: foreign-key integrity, counts per parent,
distinct pairs, ref filters, templates over FK columns, tree shape, null rate and distribution
shape (within tolerances: the seed is fixed, but the tolerances are the promise), uniqueness,
Faker providers and custom generators.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES, apply_spec

SPEC = EXAMPLES / "constructs" / "constructs.yaml"
MAKES = {"Citroen", "Fiat", "Peugeot", "Renault", "Skoda", "Volvo"}


@pytest.fixture
def applied(db_url: str) -> Any:
    """A connection to a database the constructs example was applied to."""
    report = apply_spec(SPEC, db_url)
    assert report.created > 3000
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def rows(conn: sa.Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(sa.text(sql))]


def scalar(conn: sa.Connection, sql: str) -> Any:
    return conn.execute(sa.text(sql)).scalar_one()


def test_every_construct_holds_in_the_database(applied: sa.Connection) -> None:
    conn = applied
    # foreign keys: every reference points at an existing row
    for child, column, parent in (
        ("posts", "user_id", "users"),
        ("posts", "reviewer_id", "users"),
        ("post_tags", "post_id", "posts"),
        ("post_tags", "tag_id", "tags"),
        ("employees", "reports_to", "employees"),
    ):
        dangling = scalar(
            conn,
            f"SELECT count(*) FROM {child} c LEFT JOIN {parent} p ON p.id = c.{column} "
            f"WHERE c.{column} IS NOT NULL AND p.id IS NULL",
        )
        assert dangling == 0, f"{child}.{column}"

    # for_each with count {min: 1, max: 3}: every user (the record too) has 1 to 3 posts
    per_user = [
        n
        for (n,) in rows(
            conn, "SELECT count(p.id) FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.id"
        )
    ]
    assert len(per_user) == 151
    assert min(per_user) == 1
    assert max(per_user) == 3
    assert set(per_user) == {1, 2, 3}

    # distinct_per: 3 tags per post, never the same pair twice
    per_post = {n for (n,) in rows(conn, "SELECT count(*) FROM post_tags GROUP BY post_id")}
    assert per_post == {3}
    pairs = rows(conn, "SELECT post_id, tag_id FROM post_tags")
    assert len(pairs) == len(set(pairs)) == 3 * scalar(conn, "SELECT count(*) FROM posts")

    # ref with where: only admins review, and the picks spread over them
    reviewers = rows(conn, "SELECT u.role, u.id FROM posts p JOIN users u ON u.id = p.reviewer_id")
    assert {role for role, _ in reviewers} == {"admin"}
    admins = scalar(conn, "SELECT count(*) FROM users WHERE role = 'admin'")
    assert len({i for _, i in reviewers}) >= admins * 0.8

    # a template reading the FK column the ref filled
    for user_id, slug in rows(conn, "SELECT user_id, slug FROM posts"):
        assert re.fullmatch(rf"u{user_id}-p[0-2]", slug), slug

    # tree: 2 roots, every branch 4 levels deep, 1 to 3 children, children after their parent
    parent_of = dict(rows(conn, "SELECT id, reports_to FROM employees"))
    roots = [i for i, p in parent_of.items() if p is None]
    assert len(roots) == 2

    def depth(node: int) -> int:
        return 1 if parent_of[node] is None else 1 + depth(parent_of[node])

    fan_out = Counter(p for p in parent_of.values() if p is not None)
    leaves = [i for i in parent_of if i not in fan_out]
    assert {depth(leaf) for leaf in leaves} == {4}
    assert max(map(depth, parent_of)) == 4
    assert min(fan_out.values()) >= 1
    assert max(fan_out.values()) <= 3
    assert all(child > parent for child, parent in parent_of.items() if parent is not None)

    # null_rate 0.3 and a normal(50, 10) clamped to [0, 100], over 2,000 rows
    nulls = scalar(conn, "SELECT count(*) FROM readings WHERE note IS NULL")
    assert 0.26 <= nulls / 2000 <= 0.34
    values = [v for (v,) in rows(conn, "SELECT value FROM readings")]
    assert len(values) == 2000
    assert min(values) >= 0
    assert max(values) <= 100
    assert 48.5 <= statistics.fmean(values) <= 51.5
    assert 9.0 <= statistics.pstdev(values) <= 11.0
    within_one_sd = sum(40 <= v <= 60 for v in values) / len(values)
    assert 0.63 <= within_one_sd <= 0.74

    # uniqueness
    for table, column in (
        ("users", "email"),
        ("readings", "serial"),
        ("posts", "slug"),
        ("employees", "badge"),
    ):
        assert scalar(conn, f"SELECT count(*) - count(DISTINCT {column}) FROM {table}") == 0

    # a Faker provider registered in settings, and a custom python generator
    cars = {car for (car,) in rows(conn, "SELECT car FROM users")}
    assert cars <= MAKES
    assert len(cars) >= 4
    for (code,) in rows(conn, "SELECT code FROM users"):
        assert re.fullmatch(r"U-\d{5}-\d", code), code
