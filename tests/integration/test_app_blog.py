"""The blog of ``specs_examples/apps/blog/`` on SQLite, PostgreSQL and MariaDB: applied twice (the
second apply creates nothing, ``plan --detailed-exitcode`` is 0), then each rule the spec states
is counted in SQL: zero violations, over sets that are not empty (so the check can fail)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES, applied_app
from helpers import scalar as count

SPEC = EXAMPLES / "apps" / "blog" / "blog.yaml"


@pytest.fixture
def blog(db_url: str, tmp_path: Path) -> Iterator[sa.Connection]:
    yield from applied_app(SPEC, db_url, tmp_path, at_least=151)


def test_published_at_is_null_exactly_for_drafts_and_after_the_author_signed_up(blog: sa.Connection) -> None:
    assert (
        count(blog, "SELECT COUNT(*) FROM posts WHERE (status = 'published') <> (published_at IS NOT NULL)")
        == 0
    )
    early = count(
        blog,
        "SELECT COUNT(*) FROM posts p JOIN users u ON u.id = p.author_id "
        "WHERE p.published_at < u.signed_up_at OR p.created_at < u.signed_up_at "
        "OR p.published_at < p.created_at",
    )
    assert early == 0
    assert count(blog, "SELECT COUNT(*) FROM posts WHERE status = 'draft'") > 0
    assert count(blog, "SELECT COUNT(*) FROM posts WHERE status = 'published'") > 10


def test_comments_only_on_published_posts_and_after_publication(blog: sa.Connection) -> None:
    wrong = count(
        blog,
        "SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id "
        "WHERE p.status <> 'published' OR c.created_at < p.published_at",
    )
    assert wrong == 0
    assert count(blog, "SELECT COUNT(*) FROM comments") > 50
    # every published post was a parent: the filter kept parents, it did not re-pick them
    commented = count(blog, "SELECT COUNT(DISTINCT post_id) FROM comments WHERE reply_to_id IS NULL")
    assert commented > count(blog, "SELECT COUNT(*) FROM posts WHERE status = 'published'") // 2


def test_a_comment_notifies_the_posts_author_read_through_the_post(blog: sa.Connection) -> None:
    wrong = count(
        blog,
        "SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id "
        "JOIN users u ON u.id = p.author_id WHERE c.notify_email <> u.email",
    )
    assert wrong == 0
    assert count(blog, "SELECT COUNT(DISTINCT notify_email) FROM comments") > 5


def test_replies_stay_in_their_thread_and_come_after_the_comment_they_answer(blog: sa.Connection) -> None:
    wrong = count(
        blog,
        "SELECT COUNT(*) FROM comments r JOIN comments c ON c.id = r.reply_to_id "
        "WHERE r.post_id <> c.post_id OR r.created_at < c.created_at",
    )
    assert wrong == 0
    assert count(blog, "SELECT COUNT(*) FROM comments WHERE reply_to_id IS NOT NULL") > 20
    deep = count(
        blog,
        "SELECT COUNT(*) FROM comments r JOIN comments c ON c.id = r.reply_to_id "
        "WHERE c.reply_to_id IS NOT NULL",
    )
    assert deep > 0  # replies to replies: the third level exists
