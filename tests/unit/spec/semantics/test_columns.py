"""Checks against the catalog: unknown tables and columns, relationships, NOT NULL coverage."""

from __future__ import annotations

from typing import Any

from seedspec.catalog import Catalog, ColumnInfo, ForeignKeyInfo, TableInfo
from seedspec.errors import Diagnostic
from seedspec.spec.semantics.columns import check_columns, relationship_columns

USERS = TableInfo(
    name="users",
    columns=(
        ColumnInfo(name="id", kind="int", nullable=False, primary_key=True, has_default=True),
        ColumnInfo(name="email", kind="str", nullable=False),
        ColumnInfo(name="age", kind="int"),
    ),
    primary_key=("id",),
)
POSTS = TableInfo(
    name="posts",
    columns=(
        ColumnInfo(name="id", kind="int", nullable=False, primary_key=True, has_default=True),
        ColumnInfo(name="author_id", kind="int", nullable=False),
        ColumnInfo(name="title", kind="str", nullable=False),
    ),
    primary_key=("id",),
    foreign_keys=(ForeignKeyInfo(columns=("author_id",), target_table="users", target_columns=("id",)),),
)
CATALOG = Catalog(tables={"users": USERS, "posts": POSTS})
FACTORIES: dict[str, Any] = {
    "user": {"table": "users", "fields": {"email": "a@b"}},
    "post": {"table": "posts", "fields": {"author": {"ref": "user"}, "title": "t"}},
}


def _check(fname: str, factory: dict[str, Any], steps: list[Any] | None = None) -> list[Diagnostic]:
    return list(check_columns(fname, factory, steps or [{"factory": fname}], CATALOG, FACTORIES))


def test_a_relationship_fills_its_foreign_key_columns() -> None:
    assert relationship_columns(FACTORIES["post"], POSTS, CATALOG, FACTORIES) == {"author": ("author_id",)}
    assert relationship_columns(FACTORIES["user"], USERS, CATALOG, FACTORIES) == {}


def test_a_covered_factory_passes() -> None:
    assert _check("post", FACTORIES["post"]) == []
    assert _check("user", FACTORIES["user"]) == []


def test_an_unknown_table_is_e310_with_the_closest_name() -> None:
    (d,) = _check("user", {"table": "usres", "fields": {}})
    assert (d.code, d.pointer) == ("E310", "/factories/user/table")
    assert d.hint == "did you mean 'users'?"


def test_unknown_columns_in_fields_states_and_key_are_e311() -> None:
    factory = {
        "table": "users",
        "key": ["emial"],
        "fields": {"email": "a", "agee": 3},
        "states": {"s": {"nme": 1}},
    }
    found = {(d.code, d.pointer) for d in _check("user", factory)}
    assert found == {
        ("E311", "/factories/user/fields/agee"),
        ("E311", "/factories/user/states/s/nme"),
        ("E311", "/factories/user/key/0"),
    }


def test_a_not_null_column_without_a_field_is_e314() -> None:
    (d,) = _check("post", {"table": "posts", "fields": {"author": {"ref": "user"}}})
    assert d.code == "E314"
    assert "posts.title" in d.message


def _unnumbered(dialect: str | None) -> Diagnostic:
    table = TableInfo(
        name="tags",
        columns=(ColumnInfo(name="id", kind="int", nullable=False, primary_key=True),),
        primary_key=("id",),
    )
    catalog = Catalog(tables={"tags": table}, dialect=dialect)
    (diagnostic,) = check_columns("tag", {"table": "tags", "fields": {}}, [{"factory": "tag"}], catalog, {})
    return diagnostic


def test_an_integer_key_the_database_does_not_number_is_fixed_in_the_table_not_the_factory() -> None:
    on_postgresql = _unnumbered("postgresql")
    assert on_postgresql.code == "E314"
    assert "'id SERIAL PRIMARY KEY'" in (on_postgresql.hint or "")
    assert "add a field" not in (on_postgresql.hint or "")
    assert "'id INTEGER AUTO_INCREMENT PRIMARY KEY'" in (_unnumbered("mariadb").hint or "")
    offline = _unnumbered(None).hint or ""
    assert all(form in offline for form in ("SERIAL", "AUTO_INCREMENT", "'id INTEGER PRIMARY KEY'"))


UNIQUE_USERS = TableInfo(name="users", columns=USERS.columns, primary_key=("id",), unique=(("email",),))
UNIQUE_EMAIL = Catalog(tables={"users": UNIQUE_USERS})


def _keys_warned(factory: dict[str, Any], steps: list[Any]) -> list[tuple[str, str, str]]:
    found = check_columns("user", factory, steps, UNIQUE_EMAIL, {"user": factory})
    return [(d.code, d.pointer, d.message) for d in found]


def test_a_key_inferred_from_a_unique_constraint_and_built_from_faker_is_w401() -> None:
    factory = {"table": "users", "fields": {"email": {"faker": "email"}, "age": 3}}
    assert _keys_warned(factory, [{"factory": "user", "count": 5}]) == [
        (
            "W401",
            "/factories/user/fields/email",
            "the lookup key of factory 'user' (inferred from the unique constraint on (email)) "
            "is built only from Faker output",
        )
    ]


def test_an_inferred_key_is_not_w401_when_a_step_gives_it_or_only_records_use_it() -> None:
    factory = {"table": "users", "fields": {"email": {"faker": "email"}}}
    assert _keys_warned(factory, [{"factory": "user", "records": {"a": {"email": "a@b"}}}]) == []
    assert _keys_warned(factory, [{"factory": "user", "count": 2, "values": {"email": "x"}}]) == []
    sequenced = {"table": "users", "fields": {"email": {"sequence": "u{n}@b"}}}
    assert _keys_warned(sequenced, [{"factory": "user", "count": 2}]) == []
    explicit = {**factory, "key": ["email"]}  # checked without the tables (test_semantics)
    assert _keys_warned(explicit, [{"factory": "user", "count": 2}]) == []


def test_a_key_of_all_the_filled_columns_is_not_w401() -> None:
    factory = {"table": "users", "fields": {"age": {"faker": "pyint"}}}  # no constraint covers (age)
    warned = _keys_warned(factory, [{"factory": "user", "count": 2}])
    assert [code for code, _, _ in warned] == ["E314"]  # email: NOT NULL, no field


EVENTS = TableInfo(
    name="events",
    columns=(
        ColumnInfo(name="id", kind="int", nullable=False, primary_key=True, has_default=True),
        ColumnInfo(name="code", kind="str", nullable=False),
        ColumnInfo(name="payload", kind="json", nullable=False),
    ),
    primary_key=("id",),
)


def test_a_json_column_in_a_key_is_e378_listed_or_inferred() -> None:
    catalog = Catalog(tables={"events": EVENTS})
    fields = {"code": "c", "payload": {"template": '{"n": {{ n }}}'}}

    def found(factory: dict[str, Any]) -> list[tuple[str, str]]:
        checked = check_columns("event", factory, [{"factory": "event"}], catalog, {"event": factory})
        return [(d.code, d.pointer) for d in checked]

    # no unique constraint: the key is every column the step fills, the JSON one among them
    assert found({"table": "events", "fields": fields}) == [("E378", "/factories/event/fields/payload")]
    assert found({"table": "events", "key": ["code", "payload"], "fields": fields}) == [
        ("E378", "/factories/event/key/1")
    ]
    assert found({"table": "events", "key": ["code"], "fields": fields}) == []
