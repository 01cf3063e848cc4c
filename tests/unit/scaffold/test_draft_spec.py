"""Drafting a whole spec from table metadata (pure): keys that read back, CHECKs, trees,
cycles, triggers, partitions, and the text written for it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import tomli
import yaml

from seedspec.database.reflect import SchemaFacts, Trigger
from seedspec.ir import GENERATOR_VERSION
from seedspec.scaffold.draft_spec import draft_spec
from seedspec.scaffold.text import render_spec


def _league() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "teams",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(60), nullable=False, unique=True),
    )
    sa.Table(
        "players",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("mentor_id", sa.ForeignKey("players.id")),
        sa.Column("email", sa.String(120), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("position", sa.String(2), nullable=False),
        sa.Column("nickname", sa.String(20)),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5"),
        sa.CheckConstraint("position IN ('GK', 'DF', 'FW')"),
        sa.CheckConstraint("nickname IS NULL OR nickname LIKE 'x%'"),
    )
    return metadata


GOLDEN = Path(__file__).with_name("init_league.golden.yaml")


def test_a_small_schema_gives_this_spec(update_goldens: bool) -> None:
    draft = draft_spec(SchemaFacts(metadata=_league(), dialect="postgresql"), count=5)
    url = "${DATABASE_URL:-sqlite:///league.db}"
    text = render_spec(draft, header=["made by a test"], database_url=url, toml=False)
    if update_goldens:
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    assert {k: document[k] for k in ("factories", "seed")} == draft.mapping()


def test_toml_says_the_same_with_a_ref_that_is_always_null() -> None:
    draft = draft_spec(SchemaFacts(metadata=_league(), dialect="sqlite"), count=5)
    document = tomli.loads(render_spec(draft, header=[], database_url=None, toml=True))
    expected = draft.mapping()
    expected["seed"][1]["values"]["mentor_id"] = {"ref": "player", "null_rate": 1}
    assert document == {"version": 1, "settings": {"generator_version": GENERATOR_VERSION}, **expected}


def test_only_some_tables_brings_the_parents_they_need() -> None:
    draft = draft_spec(SchemaFacts(metadata=_league(), dialect="sqlite"), only=["players"])
    assert [f.table for f in draft.factories] == ["teams", "players"]
    assert draft.notes == ("table teams is included because players needs its rows",)


def _cycle() -> sa.MetaData:
    """staff and store refer to each other, NOT NULL both ways; address stands apart."""
    metadata = sa.MetaData()
    staff = sa.ForeignKey("staff.id", use_alter=True)
    sa.Table("staff", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("store_id", sa.Integer, sa.ForeignKey("store.id"), nullable=False))  # fmt: skip
    sa.Table("store", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("manager_id", sa.Integer, staff, nullable=False))  # fmt: skip
    sa.Table("address", metadata, sa.Column("id", sa.Integer, primary_key=True))
    return metadata


def test_a_cycle_comes_together_with_refs_on_both_sides() -> None:
    draft = draft_spec(SchemaFacts(metadata=_cycle(), dialect="mysql"))  # placeholders can break it
    assert [f.table for f in draft.factories] == ["address", "staff", "store"]
    assert draft.notes == ("foreign-key cycle: staff <-> store",)
    fields = {f.table: {d.name: d.generator for d in f.fields} for f in draft.factories}
    assert fields["staff"]["store_id"] == {"ref": "store"}
    assert fields["store"]["manager_id"] == {"ref": "staff"}


def test_a_column_set_by_a_trigger_is_filled_but_not_keyed() -> None:
    metadata = sa.MetaData()
    sa.Table("film", metadata, sa.Column("title", sa.String(50), nullable=False),
             sa.Column("updated", sa.DateTime, nullable=False))  # fmt: skip
    facts = SchemaFacts(
        metadata=metadata,
        dialect="sqlite",
        triggers=(
            Trigger(table="film", text="AFTER INSERT ON film BEGIN UPDATE film SET updated = 1 WHERE 1; END"),
        ),
    )
    (film,) = draft_spec(facts).factories
    assert film.key == ("title",)
    assert [f.name for f in film.fields] == ["title", "updated"]


def test_a_cycle_seedspec_cannot_break_is_said_in_the_notes() -> None:
    draft = draft_spec(SchemaFacts(metadata=_cycle(), dialect="postgresql"))  # NOT NULL, not DEFERRABLE
    assert draft.notes[0] == "foreign-key cycle: staff <-> store"
    assert draft.notes[1].startswith(
        "apply will refuse this spec (E332): factories reference each other in a cycle that cannot be broken"
    )
    assert "is NOT NULL and its foreign key is not DEFERRABLE" in draft.notes[1]
    assert "declare its foreign key DEFERRABLE" in draft.notes[1]


def test_init_spec_defaults_to_the_drafts_count() -> None:
    import inspect

    from seedspec.api import scaffolding as api
    from seedspec.scaffold import draft_spec as introspect

    assert inspect.signature(api.init_spec).parameters["count"].default == introspect.DEFAULT_COUNT


def test_tables_in_schemas_are_named_without_the_schema_unless_two_share_a_name() -> None:
    metadata = sa.MetaData()
    sa.Table("customer", metadata, sa.Column("id", sa.Integer, primary_key=True), schema="person")
    sa.Table(
        "customer",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.ForeignKey("person.customer.id"), nullable=False),
        schema="sales",
    )
    sa.Table(
        "flights",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("buyer_id", sa.ForeignKey("sales.customer.id"), nullable=False),
        schema="bookings",
    )
    draft = draft_spec(SchemaFacts(metadata=metadata, dialect="postgresql"), count=2)
    factories = draft.mapping()["factories"]
    assert {n: f["table"] for n, f in factories.items()} == {
        "person_customer": "person.customer",
        "sales_customer": "sales.customer",
        "flight": "bookings.flights",
    }
    assert factories["sales_customer"]["fields"]["person_id"] == {"ref": "person_customer"}
    assert factories["flight"]["fields"]["buyer_id"] == {"ref": "sales_customer"}


def test_a_table_that_gets_no_rows_takes_its_children_along() -> None:
    metadata = sa.MetaData()
    sa.Table("artist", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("link", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("entity0", sa.Integer, sa.ForeignKey("artist.id"), nullable=False),
             sa.Column("entity1", sa.Integer, sa.ForeignKey("artist.id"), nullable=False),
             sa.CheckConstraint("entity0 <> entity1"))  # fmt: skip
    sa.Table("credit", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("link_id", sa.Integer, sa.ForeignKey("link.id"), nullable=False))  # fmt: skip
    sa.Table("note", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("link_id", sa.Integer, sa.ForeignKey("link.id")))  # fmt: skip
    draft = draft_spec(SchemaFacts(metadata=metadata, dialect="postgresql"), count=3)
    counts = {s.factory: s.count for s in draft.steps}
    assert counts == {"artist": 3, "link": 0, "credit": 0, "note": 3}
    credit = next(f for f in draft.factories if f.name == "credit")
    assert credit.notes == ("no rows: link_id refers to link, which gets no rows",)
    note = next(f for f in draft.factories if f.name == "note")
    assert [(f.name, f.commented_out, f.comment) for f in note.fields if f.name == "link_id"] == [
        ("link_id", True, "left NULL: link gets no rows")
    ]
