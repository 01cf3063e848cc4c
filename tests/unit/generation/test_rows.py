"""What the walk shares with where rows go: E505, statement groups, unique columns."""

from __future__ import annotations

from seedspec.generation.rows import TableShape, column_groups, differs_error, unique_columns
from seedspec.generation.slots import RowSlot
from seedspec.ir import Field, Literal, Record, Sequence, Step

STEP = Step(
    id="u",
    factory="u",
    table="users",
    key=("email",),
    seed=1,
    pointer="/seed/0",
    fields=(
        Field(column="email", generator=Sequence(format="{n}"), pointer="/a", unique=True),
        Field(column="handle", generator=Sequence(format="h{n}"), pointer="/b", unique=True),
        Field(column="gone", generator=Literal(value=1), pointer="/c", unique=True),
    ),
    records=(
        Record(
            name=None,
            index=0,
            pointer="/r",
            fields=(Field(column="nick", generator=Literal(value="x"), pointer="/d", unique=True),),
        ),
    ),
)


def test_differs_error_names_the_key_and_the_changed_columns() -> None:
    error = differs_error(STEP, 3, {"email": "a@x", "name": "A"}, (("name", "B", "A"),))
    [diagnostic] = error.diagnostics
    assert diagnostic.code == "E505"
    assert diagnostic.pointer == "/seed/0"
    assert "row 3" in diagnostic.message
    assert "{'email': 'a@x'}" in diagnostic.message
    assert "(name)" in diagnostic.message


def test_rows_are_grouped_by_the_columns_they_set_in_first_seen_order() -> None:
    slot = RowSlot("0", 0, 0, {}, ())
    rows = [(slot, {"a": 1}), (slot, {"a": 2, "b": 1}), (slot, {"a": 3})]
    groups = column_groups(rows)
    assert [[row for _, row in group] for group in groups] == [[{"a": 1}, {"a": 3}], [{"a": 2, "b": 1}]]


def test_unique_columns_skip_the_key_and_columns_the_table_lacks() -> None:
    shape = TableShape(columns=("email", "handle", "nick"), primary_key=("id",))
    assert unique_columns(STEP, shape.columns) == ("handle", "nick")
