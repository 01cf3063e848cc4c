"""Table metadata as plain catalog data, and importing the models a spec names."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from seedspec.catalog import ColumnInfo, ForeignKeyInfo, relationship_key
from seedspec.database.tables import (
    catalog_from_metadata,
    column_kind,
    enum_labels,
    fixed_width,
    foreign_key_target,
    import_metadata,
    missing_tables,
    schemas_named,
    unique_sets,
)
from seedspec.errors import SpecInvalid


@pytest.mark.parametrize(
    ("type_", "kind"),
    [
        (sa.Integer(), "int"),
        (sa.BigInteger(), "int"),
        (sa.Boolean(), "bool"),
        (sa.Float(), "float"),
        (sa.Numeric(10, 2), "decimal"),
        (sa.String(5), "str"),
        (sa.Text(), "str"),
        (sa.Date(), "date"),
        (sa.DateTime(), "datetime"),
        (sa.Time(), "time"),
        (sa.LargeBinary(), "bytes"),
        (sa.JSON(), "json"),
        (sa.Uuid(), "uuid"),
        (sa.types.NullType(), "other"),
    ],
    ids=lambda v: type(v).__name__ if isinstance(v, sa.types.TypeEngine) else str(v),
)
def test_column_kind(type_: sa.types.TypeEngine[object], kind: str) -> None:
    assert column_kind(type_) == kind


def test_an_enum_column_has_its_labels_in_the_catalog() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "people", metadata, sa.Column("mood", sa.Enum("happy", "sad", name="mood")), sa.Column("x", sa.Text)
    )
    info = catalog_from_metadata(metadata).tables["people"]
    assert info.column("mood") == ColumnInfo(name="mood", kind="str", length=5, labels=("happy", "sad"))
    assert enum_labels(sa.Text()) == ()


def test_catalog_describes_columns_keys_and_constraints() -> None:
    md = sa.MetaData()
    sa.Table("users", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "posts",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author_id", sa.ForeignKey("users.id"), nullable=False),
        sa.Column("slug", sa.String(40), nullable=False, unique=True),
        sa.Column("status", sa.String(10), nullable=False, server_default="draft"),
        sa.Column("title", sa.String(200)),
        sa.Column("price", sa.Numeric(8, 2)),
        sa.UniqueConstraint("author_id", "title", name="uq_author_title"),
    )
    posts = catalog_from_metadata(md).tables["posts"]
    assert posts.columns == (
        ColumnInfo(name="id", kind="int", nullable=False, primary_key=True, has_default=True),
        ColumnInfo(name="author_id", kind="int", nullable=False),
        ColumnInfo(name="slug", kind="str", nullable=False, length=40),
        ColumnInfo(name="status", kind="str", nullable=False, has_default=True, length=10),
        ColumnInfo(name="title", kind="str", length=200),
        ColumnInfo(name="price", kind="decimal", scale=2),
    )
    assert posts.primary_key == ("id",)
    assert set(posts.unique) == {("slug",), ("author_id", "title")}
    assert posts.foreign_keys == (
        ForeignKeyInfo(columns=("author_id",), target_table="users", target_columns=("id",)),
    )
    assert posts.foreign_key_of("author_id") == posts.foreign_keys[0]
    assert posts.foreign_key_of("title") is None
    assert posts.column("nope") is None


def test_relationship_key_picks_the_only_or_the_named_foreign_key() -> None:
    md = sa.MetaData()
    sa.Table("users", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "messages",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.ForeignKey("users.id")),
        sa.Column("recipient_id", sa.ForeignKey("users.id")),
    )
    sa.Table(
        "notes",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.ForeignKey("users.id")),
    )
    catalog = catalog_from_metadata(md)
    messages, notes = catalog.tables["messages"], catalog.tables["notes"]
    assert relationship_key("anything", "users", notes) == notes.foreign_keys[0]
    fk = relationship_key("recipient", "users", messages)
    assert fk is not None
    assert fk.columns == ("recipient_id",)
    assert relationship_key("author", "users", messages) is None
    assert relationship_key("owner", "posts", notes) is None


MODELS = """\
from sqlalchemy import Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "{table}"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
"""


@pytest.fixture
def two_projects(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """Two spec directories, each with its own models.py defining a different table."""
    dirs = []
    for name in ("shop", "blog"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "seedspec_case_models.py").write_text(MODELS.format(table=f"{name}_things"))
        dirs.append(folder)
    yield dirs[0], dirs[1]
    sys.modules.pop("seedspec_case_models", None)
    sys.path_importer_cache.pop(".", None)


def test_import_metadata_reads_the_models_next_to_the_spec(two_projects: tuple[Path, Path]) -> None:
    shop, _ = two_projects
    metadata = import_metadata("seedspec_case_models:Base", shop, None)
    assert set(metadata.tables) == {"shop_things"}
    assert str(shop) not in sys.path


def test_import_metadata_failures_are_e320(two_projects: tuple[Path, Path]) -> None:
    shop, _ = two_projects
    with pytest.raises(SpecInvalid) as missing:
        import_metadata("seedspec_case_models:Nope", shop, None)
    with pytest.raises(SpecInvalid) as wrong:
        import_metadata("seedspec_case_models:Integer", shop, None)
    assert [e.value.diagnostics[0].code for e in (missing, wrong)] == ["E320", "E320"]
    assert wrong.value.diagnostics[0].message == (
        "'seedspec_case_models:Integer' is neither a declarative base nor a MetaData"
    )


def test_two_specs_with_same_named_models_get_their_own_tables(two_projects: tuple[Path, Path]) -> None:
    shop, blog = two_projects
    assert set(import_metadata("seedspec_case_models:Base", shop, None).tables) == {"shop_things"}
    assert set(import_metadata("seedspec_case_models:Base", blog, None).tables) == {"blog_things"}


def test_relative_spec_folders_follow_the_working_directory(
    two_projects: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    shop, blog = two_projects
    monkeypatch.chdir(shop)
    assert set(import_metadata("seedspec_case_models:Base", Path("."), None).tables) == {"shop_things"}
    monkeypatch.chdir(blog)
    assert set(import_metadata("seedspec_case_models:Base", Path("."), None).tables) == {"blog_things"}


def test_a_foreign_key_target_is_read_by_name_even_when_unresolved() -> None:
    metadata = sa.MetaData()
    bins = sa.Table(
        "bins",
        metadata,
        sa.Column("region", sa.String(2)),
        sa.Column("code", sa.Integer),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("crm.people.id")),
        sa.ForeignKeyConstraint(["region", "code"], ["warehouses.region", "warehouses.code"]),
    )  # neither warehouses nor crm.people is defined here
    by_columns = {tuple(c.name for c in fk.columns): fk for fk in bins.foreign_key_constraints}
    assert foreign_key_target(by_columns[("region", "code")]) == ("warehouses", ("region", "code"))
    # a table in another schema keeps it, as MetaData keys it and a spec names it
    assert foreign_key_target(by_columns[("owner_id",)]) == ("crm.people", ("id",))
    (info,) = [
        fk
        for fk in catalog_from_metadata(metadata).tables["bins"].foreign_keys
        if fk.columns == ("owner_id",)
    ]
    assert (info.target_table, info.target_columns) == ("crm.people", ("id",))


def test_unique_sets_are_constraints_then_indexes_then_columns_without_repeats() -> None:
    table = sa.Table(
        "things",
        sa.MetaData(),
        sa.Column("a", sa.Integer, unique=True),
        sa.Column("b", sa.Integer),
        sa.Column("c", sa.Integer),
        sa.UniqueConstraint("b", "c", name="z_bc"),
        sa.UniqueConstraint("a", name="a_only"),
        sa.Index("ix_c", "c", unique=True),
        sa.Index("ix_b", "b"),  # not unique
    )
    assert unique_sets(table) == (("a",), ("b", "c"), ("c",))


def test_an_enum_columns_labels_are_in_the_catalog() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "t", metadata, sa.Column("mood", sa.Enum("happy", "sad", name="mood")), sa.Column("n", sa.Integer)
    )
    mood, n = catalog_from_metadata(metadata).tables["t"].columns
    assert (mood.labels, n.labels) == (("happy", "sad"), ())


def test_the_schemas_a_spec_names_are_read_from_its_qualified_tables() -> None:
    assert schemas_named(["note", "sales.customer", None, "person.customer", "sales.territory"]) == (
        "sales",
        "person",
    )


def test_a_table_in_a_schema_is_catalogued_as_schema_dot_table() -> None:
    metadata = sa.MetaData()
    sa.Table("customer", metadata, sa.Column("id", sa.Integer, primary_key=True), schema="sales")
    sa.Table("note", metadata, sa.Column("c", sa.ForeignKey("sales.customer.id")))
    catalog = catalog_from_metadata(metadata)
    assert set(catalog.tables) == {"sales.customer", "note"}
    assert catalog.tables["note"].foreign_keys[0].target_table == "sales.customer"


def test_missing_tables_are_looked_up_in_their_own_schema(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'main.db'}")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"ATTACH DATABASE '{tmp_path / 'sales.db'}' AS sales")
        connection.exec_driver_sql("CREATE TABLE sales.region (id INTEGER PRIMARY KEY)")
        connection.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY)")
        found = missing_tables(connection, ["sales.region", "note", "sales.note", "region", "note"])
    engine.dispose()
    assert found == ["region", "sales.note"]


def test_a_foreign_key_to_a_table_whose_name_holds_a_dot_is_read_whole() -> None:
    metadata = sa.MetaData()
    sa.Table("sales.region", metadata, sa.Column("id", sa.Integer, primary_key=True))
    shop = sa.Table("shop", metadata, sa.Column("region_id", sa.Integer))
    shop.append_constraint(sa.ForeignKeyConstraint(["region_id"], [metadata.tables["sales.region"].c.id]))
    fk = next(iter(shop.foreign_key_constraints))
    assert foreign_key_target(fk) == ("sales.region", ("id",))


def test_a_fixed_width_char_is_not_a_varchar() -> None:
    assert fixed_width(sa.CHAR(3))
    assert fixed_width(sa.NCHAR(2))
    assert not fixed_width(sa.VARCHAR(3))
    assert not fixed_width(sa.String(3))
