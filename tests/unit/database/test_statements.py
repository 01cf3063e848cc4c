"""The SQL the walk's database side shares: keyed updates, table lookup, table shapes."""

from __future__ import annotations

import sqlalchemy as sa

from seedspec.database.statements import table_named, table_of, table_shape, update_by_key, update_params
from seedspec.ir import Step


def _metadata() -> tuple[sa.MetaData, sa.Table]:
    metadata = sa.MetaData()
    table = sa.Table(
        "users",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String),
        sa.Column("name", sa.String),
        schema="app",
    )
    return metadata, table


def test_table_shape_lists_columns_and_primary_key() -> None:
    _, table = _metadata()
    shape = table_shape(table)
    assert shape.columns == ("id", "email", "name")
    assert shape.primary_key == ("id",)


def test_a_table_is_found_by_key_or_by_bare_name() -> None:
    metadata, table = _metadata()
    assert table_named(metadata, "app.users") is table
    assert table_named(metadata, "users") is table
    step = Step(id="users", factory="user", table="users", key=("email",), seed=1, pointer="/seed/0")
    assert table_of(metadata, step) is table


def test_update_by_key_binds_keys_and_values_apart_from_columns() -> None:
    _, table = _metadata()
    engine = sa.create_engine("sqlite://")
    plain = sa.MetaData()
    users = sa.Table("users", plain, *(sa.Column(c.name, c.type, primary_key=c.primary_key) for c in table.c))
    plain.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            users.insert(), [{"id": 1, "email": "a@x", "name": "A"}, {"id": 2, "email": "b@x", "name": "B"}]
        )
        statement = update_by_key(users, ("email",), ["name"])
        conn.execute(statement, [update_params(("email",), {"email": "b@x"}, {"name": "Bee"})])
        assert conn.execute(sa.select(users.c.name).order_by(users.c.id)).scalars().all() == ["A", "Bee"]


def test_update_params_names_the_binds() -> None:
    assert update_params(("k",), {"k": 3, "x": 1}, {"x": 2}) == {"key_k": 3, "new_x": 2}


def test_table_shape_names_the_blank_padded_char_columns() -> None:
    table = sa.Table(
        "products",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("line", sa.CHAR(2)),
        sa.Column("code", sa.NCHAR(3)),
        sa.Column("name", sa.VARCHAR(10)),
    )
    assert table_shape(table).padded == ("line", "code")
