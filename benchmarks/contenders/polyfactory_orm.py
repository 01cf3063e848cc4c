"""Contender: polyfactory ``SQLAlchemyFactory`` with ``create_batch_sync``, Faker included.

The factories declare the workload's fields with ``Use`` over one seeded Faker; each batch is
added and flushed (``__persistence_method__ = FLUSH``): all users, all tags, then each user's 5
posts, whose 2 tags go through the ``Post.tags`` relationship (rows of post_tags). One commit
at the end. Slow: the harness runs it at N/10 and compares rows per second.
"""

from __future__ import annotations

from typing import Any

from _common import (
    CREATED_FROM,
    CREATED_TO,
    POSTS_PER_USER,
    SEED,
    TAG_COUNT,
    TAGS_PER_POST,
    dialect_of,
    parse_args,
)
from _models import Post, Tag, User, open_session
from faker import Faker
from polyfactory import Use
from polyfactory.factories.sqlalchemy_factory import SQLAlchemyFactory, SQLAlchemyPersistenceMethod
from sqlalchemy.orm import Session


def factories(session: Session, fake: Faker, tags: list[Tag]) -> tuple[Any, Any, Any]:
    class UserFactory(SQLAlchemyFactory[User]):
        __session__ = session
        __persistence_method__ = SQLAlchemyPersistenceMethod.FLUSH
        __set_primary_key__ = False
        __faker__ = fake
        email = Use(lambda: fake.unique.email())
        first_name = Use(fake.first_name)
        last_name = Use(fake.last_name)
        created_at = Use(fake.date_time_between, start_date=CREATED_FROM, end_date=CREATED_TO)

    class TagFactory(SQLAlchemyFactory[Tag]):
        __session__ = session
        __persistence_method__ = SQLAlchemyPersistenceMethod.FLUSH
        __set_primary_key__ = False
        __faker__ = fake
        name = Use(lambda: fake.unique.word())

    class PostFactory(SQLAlchemyFactory[Post]):
        __session__ = session
        __persistence_method__ = SQLAlchemyPersistenceMethod.FLUSH
        __set_primary_key__ = False
        __set_relationships__ = True
        __faker__ = fake
        title = Use(fake.sentence, nb_words=6)
        body = Use(fake.paragraph, nb_sentences=3)
        published = Use(fake.boolean, chance_of_getting_true=70)
        tags = Use(lambda: fake.random.sample(tags, TAGS_PER_POST))

    return UserFactory, TagFactory, PostFactory


def main() -> None:
    args = parse_args(__doc__ or "")
    session = open_session(args.database_url, dialect_of(args.database_url))
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    tags: list[Tag] = []
    user_factory, tag_factory, post_factory = factories(session, fake, tags)
    users = user_factory.create_batch_sync(args.n)
    tags.extend(tag_factory.create_batch_sync(TAG_COUNT))
    for user in users:
        post_factory.create_batch_sync(POSTS_PER_USER, user=user, user_id=user.id)
    session.commit()
    session.close()


if __name__ == "__main__":
    main()
