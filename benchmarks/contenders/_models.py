"""ORM models of the workload's four tables, for the factory_boy and polyfactory contenders.

The tables themselves are created from the same DDL files as every other contender's.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from _common import ddl_statements
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255), unique=True)
    first_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str | None] = mapped_column(sa.String(100))
    created_at: Mapped[dt.datetime | None]


class Tag(Base):
    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(sa.String(100), unique=True)


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    title: Mapped[str | None] = mapped_column(sa.String(300))
    body: Mapped[str | None] = mapped_column(sa.Text)
    published: Mapped[bool | None]
    user: Mapped[User] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary="post_tags")


class PostTag(Base):
    __tablename__ = "post_tags"
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(sa.ForeignKey("tags.id"), primary_key=True)


def open_session(database_url: str, dialect: str) -> Session:
    """A session on the database, its tables created from the workload's DDL when missing."""
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        if not sa.inspect(connection).has_table("users"):
            for statement in ddl_statements(dialect):
                connection.exec_driver_sql(statement)
    return Session(engine)
