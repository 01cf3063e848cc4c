"""Tables of the case: an order's status is an enum (a PostgreSQL enum, a MySQL ENUM)."""

import enum

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Status(enum.Enum):
    pending = "pending"
    paid = "paid"
    shipped = "shipped"


class Base(DeclarativeBase):
    pass


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[Status]
