"""Drafting one table's factory for ``init``: the guesses adjusted for CHECKs, trees, triggers,
partitions and one-to-one links, and a key whose values read back exactly."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from seedspec.database.reflect import Partition
from seedspec.scaffold.guess import FactoryDraft
from seedspec.scaffold.table_draft import draft_factory


def _fields(draft: FactoryDraft) -> dict[str, Any]:
    return {f.name: f.generator for f in draft.fields if not f.commented_out}


def _comments(draft: FactoryDraft) -> dict[str, str]:
    return {f.name: f.comment for f in draft.fields}


def test_a_nullable_self_reference_makes_a_tree() -> None:
    table = sa.Table(
        "nodes",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("parent_id", sa.ForeignKey("nodes.id")),
    )
    draft, tree = draft_factory(table, "node", {"nodes": "node"}, dialect="sqlite")
    assert tree == "parent_id"
    assert _fields(draft)["parent_id"] == {"ref": "node"}
    assert draft.key == ("code",)


def test_a_not_null_self_reference_refers_to_its_own_row() -> None:
    table = sa.Table(
        "nodes",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("root_id", sa.ForeignKey("nodes.id"), nullable=False),
    )
    draft, tree = draft_factory(table, "node", {"nodes": "node"}, dialect="sqlite")
    assert tree is None
    assert _fields(draft) == {"id": {"sequence": 1}, "root_id": "{{ id }}"}
    assert "refers to its own row" in _comments(draft)["root_id"]
    assert not draft.notes


def test_a_not_null_self_reference_is_left_to_write_by_hand() -> None:
    table = sa.Table(
        "nodes",
        sa.MetaData(),
        sa.Column("id", sa.Integer, sa.Identity(always=True), primary_key=True),  # the spec cannot write it
        sa.Column("parent_id", sa.ForeignKey("nodes.id"), nullable=False),
    )
    draft, tree = draft_factory(table, "node", {"nodes": "node"}, dialect="sqlite")
    assert tree is None
    assert "parent_id" not in _fields(draft)
    assert "parent_id refers to this table and is NOT NULL: write its first rows by hand" in draft.notes


def test_checks_narrow_the_guesses_or_say_they_were_not_understood() -> None:
    table = sa.Table(
        "players",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("nickname", sa.String(20)),
        sa.Column("shirt", sa.String(20), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5"),
        sa.CheckConstraint("nickname LIKE 'x%'"),
        sa.CheckConstraint("shirt LIKE 'y%'"),
    )
    draft, _ = draft_factory(table, "player", {}, dialect="sqlite")
    assert _fields(draft)["rating"] == {"range": [1, 5]}
    assert "nickname" not in _fields(draft)
    assert _comments(draft)["nickname"] == "left NULL: CHECK (nickname LIKE 'x%') not understood"
    assert _comments(draft)["shirt"] == "CHECK (shirt LIKE 'y%') not understood: review"


def test_an_autoincrement_key_is_written_as_a_sequence_when_nothing_else_keys() -> None:
    table = sa.Table(
        "readings",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("value", sa.Float, nullable=False),
    )
    draft, _ = draft_factory(table, "reading", {}, dialect="sqlite")
    assert draft.key == ("id",)
    assert draft.fields[0].name == "id"
    assert _fields(draft)["id"] == {"sequence": 1}
    assert "id" not in draft.left_out


def test_a_column_a_trigger_sets_is_left_out_when_nullable_and_not_keyed() -> None:
    table = sa.Table(
        "films",
        sa.MetaData(),
        sa.Column("title", sa.String(50), nullable=False, unique=True),
        sa.Column("search", sa.String(50)),
        sa.Column("stamp", sa.String(50), nullable=False),
    )
    draft, _ = draft_factory(
        table, "film", {}, dialect="sqlite", trigger_columns=frozenset({"search", "stamp"})
    )
    assert "search" in draft.left_out
    assert _comments(draft)["stamp"] == "set by an insert trigger; given to pass NOT NULL"
    assert draft.key == ("title",)


def test_a_partition_key_stays_within_the_bounds() -> None:
    table = sa.Table(
        "events",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("day", sa.Date, nullable=False),
    )
    parts = [
        Partition(
            name="events_2022", parent="events", key="RANGE (day)",
            bound="FOR VALUES FROM ('2022-01-01') TO ('2023-01-01')",
        )
    ]  # fmt: skip
    draft, _ = draft_factory(table, "event", {}, dialect="postgresql", partitions=parts)
    assert _fields(draft)["day"] == {"range": ["2022-01-01", "2022-12-31"]}
    assert _comments(draft)["day"] == "within the partitions' bounds"


def test_a_unique_ref_is_one_to_one() -> None:
    metadata = sa.MetaData()
    sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True))
    profiles = sa.Table(
        "profiles",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.ForeignKey("users.id"), nullable=False, unique=True),
    )
    draft, _ = draft_factory(profiles, "profile", {"users": "user"}, dialect="sqlite")
    assert _fields(draft)["user_id"] == {"ref": "user", "pick": "round_robin"}


def test_a_primary_key_that_is_a_foreign_key_is_one_to_one_and_the_key() -> None:
    metadata = sa.MetaData()
    sa.Table("people", metadata, sa.Column("id", sa.Integer, primary_key=True))
    employees = sa.Table(
        "employees",
        metadata,
        sa.Column("person_id", sa.ForeignKey("people.id"), primary_key=True),
        sa.Column("title", sa.String(40), nullable=False),
    )
    draft, _ = draft_factory(employees, "employee", {"people": "person"}, dialect="postgresql")
    assert _fields(draft)["person_id"] == {"ref": "person", "pick": "round_robin"}
    assert draft.key == ("person_id",)


def test_a_composite_primary_key_that_is_a_foreign_key_is_picked_round_robin() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "ticket_flights",
        metadata,
        sa.Column("ticket_no", sa.CHAR(13), primary_key=True),
        sa.Column("flight_id", sa.Integer, primary_key=True),
    )
    passes = sa.Table(
        "boarding_passes",
        metadata,
        sa.Column("ticket_no", sa.CHAR(13), primary_key=True),
        sa.Column("flight_id", sa.Integer, primary_key=True),
        sa.Column("boarding_no", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_no", "flight_id"], ["ticket_flights.ticket_no", "ticket_flights.flight_id"]
        ),
    )
    draft, _ = draft_factory(
        passes, "boarding_pass", {"ticket_flights": "ticket_flight"}, dialect="postgresql"
    )
    assert _fields(draft)["ticket_flight"] == {"ref": "ticket_flight", "pick": "round_robin"}


def test_a_char_key_filled_to_its_width_reads_back_and_keys() -> None:
    metadata = sa.MetaData()
    bookings = sa.Table(
        "bookings",
        metadata,
        sa.Column("book_ref", sa.CHAR(6), primary_key=True),
        sa.Column("total_amount", sa.Numeric(10, 2), nullable=False),
    )
    tickets = sa.Table(
        "tickets",
        metadata,
        sa.Column("ticket_no", sa.CHAR(13), primary_key=True),
        sa.Column("book_ref", sa.ForeignKey("bookings.book_ref"), nullable=False),
    )
    booking, _ = draft_factory(bookings, "booking", {}, dialect="postgresql")
    assert _fields(booking)["book_ref"] == {"sequence": "{n:06d}"}
    assert booking.key == ("book_ref",)  # not the random total_amount
    ticket, _ = draft_factory(tickets, "ticket", {"bookings": "booking"}, dialect="postgresql")
    assert _fields(ticket)["ticket_no"] == {"sequence": "{n:013d}"}
    assert ticket.key == ("ticket_no",)


def test_a_default_its_own_check_refuses_gets_a_generator() -> None:
    table = sa.Table(
        "ship_method",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("base", sa.Numeric(10, 2), nullable=False, server_default=sa.text("0.00")),
        sa.Column("rate", sa.Numeric(10, 2), nullable=False, server_default=sa.text("1.00")),
        sa.CheckConstraint("base > 0.00", name="ck_base"),
        sa.CheckConstraint("rate > 0.00", name="ck_rate"),
    )
    draft, _ = draft_factory(table, "ship_method", {}, dialect="postgresql")
    assert _fields(draft)["base"] == {"range": [0.01, 1000.0], "decimals": 2}
    assert _comments(draft)["base"] == "its default 0.0 fails CHECK (base > 0.00)"
    assert "rate" in draft.left_out  # 1.00 passes: the database fills it


def test_a_check_tying_a_drafted_column_to_a_filled_one_drafts_both_in_order() -> None:
    table = sa.Table(
        "orders",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ordered", sa.DateTime, nullable=False, server_default=sa.text("now()")),
        sa.Column("due", sa.DateTime, nullable=False),
        sa.CheckConstraint("due >= ordered"),
    )
    draft, _ = draft_factory(table, "order", {}, dialect="postgresql")
    fields = _fields(draft)
    assert "ordered" not in draft.left_out
    assert fields["ordered"]["args"]["end_date"] == "-31d"
    assert fields["due"]["args"] == {"start_date": "-30d"}


def test_checks_are_read_in_name_order_so_the_draft_never_changes() -> None:
    def drafted(names: tuple[str, str]) -> str:
        table = sa.Table(
            "parts",
            sa.MetaData(),
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("a", sa.Integer),
            sa.CheckConstraint("a <> 1 + 1", name=names[0]),
            sa.CheckConstraint("a <> 2 + 2", name=names[1]),
        )
        return _comments(draft_factory(table, "part", {}, dialect="sqlite")[0])["a"]

    assert drafted(("ck_1", "ck_2")) == "left NULL: CHECK (a <> 1 + 1) not understood"  # ck_1's
    assert drafted(("ck_2", "ck_1")) == "left NULL: CHECK (a <> 2 + 2) not understood"
