"""The DESIGN.md example, applied to SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import sqlalchemy as sa
from dbdump import dump
from helpers import EXAMPLES, apply_spec, assert_idempotent, table_counts

SPEC = EXAMPLES / "design" / "dev.yaml"
EXPECTED_ROWS = {"users": 106, "tags": 3, "posts": 318, "post_tags": 636}


def _query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def test_every_table_gets_its_rows_and_a_second_apply_changes_nothing(db_url: str) -> None:
    report = assert_idempotent(SPEC, db_url)
    assert report.created == sum(EXPECTED_ROWS.values())
    assert table_counts(report) == EXPECTED_ROWS
    assert {table: len(rows) for table, rows in dump(db_url).items()} == EXPECTED_ROWS


def test_foreign_keys_point_at_existing_rows(db_url: str) -> None:
    apply_spec(SPEC, db_url)
    orphans = _query(db_url, "SELECT id FROM posts WHERE user_id NOT IN (SELECT id FROM users)")
    assert orphans == []
    orphan_tags = _query(
        db_url,
        "SELECT post_id, tag_id FROM post_tags "
        "WHERE post_id NOT IN (SELECT id FROM posts) OR tag_id NOT IN (SELECT id FROM tags)",
    )
    assert orphan_tags == []


def test_every_user_has_three_posts_and_every_post_two_distinct_tags(db_url: str) -> None:
    apply_spec(SPEC, db_url)
    posts_per_user = Counter(user for (user,) in _query(db_url, "SELECT user_id FROM posts"))
    assert len(posts_per_user) == EXPECTED_ROWS["users"]
    assert set(posts_per_user.values()) == {3}
    pairs = _query(db_url, "SELECT post_id, tag_id FROM post_tags")
    assert len(set(pairs)) == len(pairs) == EXPECTED_ROWS["post_tags"]
    tags_per_post = Counter(post for post, _ in pairs)
    assert set(tags_per_post.values()) == {2}
    assert len(tags_per_post) == EXPECTED_ROWS["posts"]


def test_the_same_seed_gives_the_same_rows_in_two_fresh_databases(
    db_kind: str, new_db_url: Callable[[str], str]
) -> None:
    first, second = new_db_url(db_kind), new_db_url(db_kind)
    apply_spec(SPEC, first)
    apply_spec(SPEC, second)
    assert dump(first) == dump(second)
