"""What the contenders share: their arguments, the workload's values, its tables, their result line.

The workload (see ``benchmarks/workload.yaml``): N users, 50 tags, 5 posts per user and 2 distinct
tags per post, 16N + 50 rows. Every contender draws the same Faker providers with the same
arguments, in the same order, from one Faker instance seeded once, so two runs of a contender
produce the same values (which is what lets the re-run contenders find every row).

A contender prints nothing but errors, except one JSON line on stdout (``emit``) when it times a
section of its own (the insert alone, the generation alone): ``{"timed_s": seconds, ...}``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent.parent
DDL = {"sqlite": BENCHMARKS / "workload.sql", "postgresql": BENCHMARKS / "workload.postgresql.sql"}
TABLES = ("users", "tags", "posts", "post_tags")

SEED = 1
POSTS_PER_USER = 5
TAG_COUNT = 50
TAGS_PER_POST = 2
CREATED_FROM, CREATED_TO = dt.date(2022, 1, 1), dt.date(2024, 12, 31)


def total_rows(n: int) -> int:
    """Rows of the workload for ``n`` users: n users, 5n posts, 10n post_tags, 50 tags."""
    return n + TAG_COUNT + POSTS_PER_USER * n + TAGS_PER_POST * POSTS_PER_USER * n


def parse_args(description: str, *, database: bool = True) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    if database:
        parser.add_argument("--database-url", required=True, help="SQLAlchemy URL (sqlite or postgresql)")
    parser.add_argument("--n", type=int, default=10_000, help="users (the workload has 16N + 50 rows)")
    return parser.parse_args()


def dialect_of(url: str) -> str:
    """``sqlite`` or ``postgresql``: the two databases the benchmark runs on."""
    name = url.split(":", 1)[0].split("+", 1)[0]
    if name not in DDL:
        sys.exit(f"unsupported database {name!r}: sqlite or postgresql")
    return name


def ddl_statements(dialect: str) -> list[str]:
    """The statements of the workload's DDL file for ``dialect`` (comments dropped)."""
    text = "\n".join(
        line for line in DDL[dialect].read_text().splitlines() if not line.lstrip().startswith("--")
    )
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def emit(**fields: Any) -> None:
    """The contender's one line of output: what it timed itself."""
    sys.stdout.write(json.dumps(fields) + "\n")


class Workload:
    """The workload's values, drawn in the order of the spec's steps: users, tags, posts, post_tags.

    Consume each generator fully, in that order, to get the same values as every other contender.
    Rows carry no surrogate ids: posts name their user, and post_tags their post and tag, by index.
    """

    def __init__(self, seed: int = SEED) -> None:
        from faker import Faker

        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)

    def users(self, n: int) -> Iterator[tuple[str, str, str, dt.datetime]]:
        """(email, first_name, last_name, created_at) for each of the n users."""
        fake = self.fake
        for _ in range(n):
            yield (
                fake.unique.email(),
                fake.first_name(),
                fake.last_name(),
                fake.date_time_between(start_date=CREATED_FROM, end_date=CREATED_TO),
            )

    def tags(self) -> Iterator[str]:
        """The 50 tag names (unique words)."""
        for _ in range(TAG_COUNT):
            yield self.fake.unique.word()

    def posts(self, n: int) -> Iterator[tuple[int, str, str, bool]]:
        """(user index, title, body, published), 5 posts per user, in user order."""
        fake = self.fake
        for user in range(n):
            for _ in range(POSTS_PER_USER):
                yield (
                    user,
                    fake.sentence(nb_words=6),
                    fake.paragraph(nb_sentences=3),
                    fake.boolean(chance_of_getting_true=70),
                )

    def post_tags(self, n: int) -> Iterator[tuple[int, int]]:
        """(post index, tag index): 2 distinct tags for each of the 5n posts."""
        sample = self.fake.random.sample
        tags = range(TAG_COUNT)
        for post in range(POSTS_PER_USER * n):
            for tag in sample(tags, TAGS_PER_POST):
                yield post, tag


def pregenerate(n: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the workload with explicit ids (1-based, in generation order), ready to insert.

    Values keep their Python types (``datetime``, ``bool``), as psycopg takes them.
    """
    workload = Workload()
    users = [(i, *user) for i, user in enumerate(workload.users(n), 1)]
    tags = [(i, name) for i, name in enumerate(workload.tags(), 1)]
    posts = [(i, u + 1, t, b, p) for i, (u, t, b, p) in enumerate(workload.posts(n), 1)]
    post_tags = [(post + 1, tag + 1) for post, tag in workload.post_tags(n)]
    return {"users": users, "tags": tags, "posts": posts, "post_tags": post_tags}


COLUMNS = {
    "users": ("id", "email", "first_name", "last_name", "created_at"),
    "tags": ("id", "name"),
    "posts": ("id", "user_id", "title", "body", "published"),
    "post_tags": ("post_id", "tag_id"),
}
