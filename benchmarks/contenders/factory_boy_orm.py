"""Contender: factory_boy ``SQLAlchemyModelFactory`` (flush per object), Faker included.

The factories declare the workload's fields with ``factory.Faker`` (unique fields through the
same Faker's ``unique`` proxy); every object is added and flushed on its own, as
``sqlalchemy_session_persistence = "flush"`` does; one commit at the end. Slow: the harness runs
it at N/10 and compares rows per second.
"""

from __future__ import annotations

import factory
import factory.random
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
from _models import Post, PostTag, Tag, User, open_session
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy.orm import Session


def factories(session: Session) -> tuple[type[SQLAlchemyModelFactory], ...]:
    fake = factory.Faker._get_faker()  # the instance factory.Faker draws from, for its unique proxy

    class SessionMeta:
        sqlalchemy_session = session
        sqlalchemy_session_persistence = "flush"

    class UserFactory(SQLAlchemyModelFactory):
        class Meta(SessionMeta):
            model = User

        email = factory.LazyFunction(lambda: fake.unique.email())
        first_name = factory.Faker("first_name")
        last_name = factory.Faker("last_name")
        created_at = factory.Faker("date_time_between", start_date=CREATED_FROM, end_date=CREATED_TO)

    class TagFactory(SQLAlchemyModelFactory):
        class Meta(SessionMeta):
            model = Tag

        name = factory.LazyFunction(lambda: fake.unique.word())

    class PostFactory(SQLAlchemyModelFactory):
        class Meta(SessionMeta):
            model = Post

        user = factory.SubFactory(UserFactory)
        title = factory.Faker("sentence", nb_words=6)
        body = factory.Faker("paragraph", nb_sentences=3)
        published = factory.Faker("boolean", chance_of_getting_true=70)

    class PostTagFactory(SQLAlchemyModelFactory):
        class Meta(SessionMeta):
            model = PostTag

    return UserFactory, TagFactory, PostFactory, PostTagFactory


def main() -> None:
    args = parse_args(__doc__ or "")
    session = open_session(args.database_url, dialect_of(args.database_url))
    factory.random.reseed_random(SEED)
    user_factory, tag_factory, post_factory, post_tag_factory = factories(session)
    users = user_factory.create_batch(args.n)
    tags = tag_factory.create_batch(TAG_COUNT)
    sample = factory.random.randgen.sample
    for user in users:
        for post in post_factory.create_batch(POSTS_PER_USER, user=user):
            for tag in sample(tags, TAGS_PER_POST):
                post_tag_factory.create(post_id=post.id, tag_id=tag.id)
    session.commit()
    session.close()


if __name__ == "__main__":
    main()
