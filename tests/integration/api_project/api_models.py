"""Tables of the spec the Python API tests use (teams and users; ids and defaults from the database)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    role: Mapped[str] = mapped_column(sa.String(20))
    display: Mapped[str] = mapped_column(sa.String(120))
    active: Mapped[bool] = mapped_column(server_default=sa.true())
    score: Mapped[int] = mapped_column(server_default="0")
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("teams.id"))
