"""The table catalog: plain frozen data the pure stages check a spec against."""

from __future__ import annotations

from seedspec.catalog import Catalog, ColumnInfo, ForeignKeyInfo, TableInfo, relationship_key

AUTHOR = ForeignKeyInfo(columns=("author_id",), target_table="users", target_columns=("id",))
EDITOR = ForeignKeyInfo(columns=("editor_id",), target_table="users", target_columns=("id",), deferrable=True)
POSTS = TableInfo(
    name="posts",
    columns=(
        ColumnInfo(name="id", kind="int", nullable=False, primary_key=True),
        ColumnInfo(name="author_id", kind="int"),
        ColumnInfo(name="editor_id", kind="int"),
    ),
    primary_key=("id",),
    foreign_keys=(AUTHOR, EDITOR),
)


def test_columns_and_foreign_keys_are_found_by_name() -> None:
    assert POSTS.column_names == ("id", "author_id", "editor_id")
    assert POSTS.column("author_id") == ColumnInfo(name="author_id", kind="int")
    assert POSTS.column("nope") is None
    assert POSTS.foreign_key_of("editor_id") is EDITOR
    assert POSTS.foreign_key_of("id") is None


def test_a_relationship_name_picks_one_of_several_keys_to_the_same_table() -> None:
    assert relationship_key("author", "users", POSTS) is AUTHOR
    assert relationship_key("editor", "users", POSTS) is EDITOR
    assert relationship_key("reviewer", "users", POSTS) is None


def test_only_postgresql_needs_a_deferrable_key_to_wait_until_commit() -> None:
    assert not Catalog(tables={"posts": POSTS}, dialect="postgresql").can_defer(AUTHOR)
    assert Catalog(tables={"posts": POSTS}, dialect="postgresql").can_defer(EDITOR)
    assert Catalog(dialect="sqlite").can_defer(AUTHOR)
    assert Catalog().can_defer(AUTHOR)  # no connection: the benefit of the doubt
    assert Catalog(tables={"posts": POSTS}).get("posts") is POSTS


def test_a_column_is_unique_alone_by_a_constraint_or_as_the_primary_key() -> None:
    table = TableInfo(
        name="t",
        columns=(
            ColumnInfo(name="id", kind="uuid"),
            ColumnInfo(name="a", kind="str"),
            ColumnInfo(name="b", kind="str"),
        ),
        primary_key=("id",),
        unique=(("a",), ("a", "b")),
    )
    assert [table.is_unique(c) for c in ("id", "a", "b")] == [True, True, False]


def test_a_bare_name_finds_the_one_table_of_that_name_in_a_schema() -> None:
    def table(name: str) -> TableInfo:
        return TableInfo(name=name, columns=(), primary_key=())

    catalog = Catalog(tables={n: table(n) for n in ("sales.customer", "person.customer", "sales.territory")})
    found = catalog.get("territory")
    assert found is not None
    assert found.name == "sales.territory"
    assert catalog.get("customer") is None  # two schemas have one: the name must say which
    assert catalog.get("x.territory") is None
