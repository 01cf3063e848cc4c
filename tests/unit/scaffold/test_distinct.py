"""Rows kept apart on their unique constraints: a defaulted column drafted, a ref walking its target."""

from __future__ import annotations

import sqlalchemy as sa

from seedspec.scaffold.table_draft import draft_factory


def _metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    for name in ("event", "editor", "tag", "link"):
        sa.Table(name, metadata, sa.Column("id", sa.Integer, primary_key=True))
    return metadata


def test_a_primary_key_of_random_refs_is_distinct_by_its_last_ref_per_its_first() -> None:
    """The lookup key is made distinct by construction (``distinct_per``), whatever the draws:
    the unique sets that are not the key walk their first ref instead (below)."""
    table = sa.Table(
        "event_tag_raw", _metadata(),
        sa.Column("event", sa.Integer, sa.ForeignKey("event.id"), primary_key=True),
        sa.Column("editor", sa.Integer, sa.ForeignKey("editor.id"), primary_key=True),
        sa.Column("tag", sa.Integer, sa.ForeignKey("tag.id"), primary_key=True),
    )  # fmt: skip
    names = {"event": "event", "editor": "editor", "tag": "tag"}
    draft, _ = draft_factory(table, "event_tag_raw", names, dialect="postgresql")
    fields = {f.name: f.generator for f in draft.fields}
    assert fields == {
        "event": {"ref": "event"},
        "editor": {"ref": "editor"},
        "tag": {"ref": "tag", "distinct_per": "event"},
    }


def test_a_defaulted_column_of_a_unique_constraint_is_drafted() -> None:
    table = sa.Table(
        "l_event_event", _metadata(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("link", sa.Integer, sa.ForeignKey("link.id"), nullable=False),
        sa.Column("entity0", sa.Integer, sa.ForeignKey("event.id"), nullable=False),
        sa.Column("link_order", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("entity0", "link", "link_order"),
    )  # fmt: skip
    names = {"event": "event", "link": "link", "l_event_event": "l_event_event"}
    draft, _ = draft_factory(table, "l_event_event", names, dialect="postgresql")
    fields = {f.name: f.generator for f in draft.fields}
    assert "link_order" in fields
    assert fields["entity0"] == {"ref": "event", "pick": "round_robin"}


def test_a_key_with_a_sequence_is_left_alone() -> None:
    table = sa.Table(
        "pair", _metadata(),
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("event", sa.Integer, sa.ForeignKey("event.id"), primary_key=True),
        sa.Column("tag", sa.Integer, sa.ForeignKey("tag.id"), primary_key=True),
    )  # fmt: skip
    draft, _ = draft_factory(table, "pair", {"event": "event", "tag": "tag"}, dialect="postgresql")
    assert all("pick" not in f.generator for f in draft.fields if isinstance(f.generator, dict))
