"""What a factory refuses: unknown factories, states and overrides (located, with the closest
name), overrides that are not column values, negative counts; relationship names as FK columns."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from seedspec.api import factory_checks as checks
from seedspec.api.specs import load
from seedspec.catalog import Catalog, ColumnInfo, ForeignKeyInfo, TableInfo
from seedspec.errors import SpecInvalid
from seedspec.spec.loader import LoadedSpec

WriteSpec = Callable[[str, str], Path]

SPEC = """\
    version: 1
    factories:
      team:
        table: teams
        fields: {name: {sequence: "team-{n}"}}
      user:
        table: users
        fields:
          email: {sequence: "u{n}@example.com"}
          team: {ref: team}
          owner: {ref: team}
        states:
          admin: {role: admin}
"""

CATALOG = Catalog(
    tables={
        "teams": TableInfo(name="teams", columns=(ColumnInfo(name="id", kind="integer"),)),
        "users": TableInfo(
            name="users",
            columns=(
                ColumnInfo(name="id", kind="integer"),
                ColumnInfo(name="email", kind="string"),
                ColumnInfo(name="team_id", kind="integer"),
                ColumnInfo(name="owner_a", kind="integer"),
                ColumnInfo(name="owner_b", kind="integer"),
                ColumnInfo(name="settings", kind="json"),
                ColumnInfo(name="role", kind="string"),
            ),
            foreign_keys=(
                ForeignKeyInfo(columns=("team_id",), target_table="teams", target_columns=("id",)),
                ForeignKeyInfo(
                    columns=("owner_a", "owner_b"), target_table="teams", target_columns=("id", "x")
                ),
            ),
        ),
    }
)


@pytest.fixture
def spec(write: WriteSpec) -> LoadedSpec:
    return load(write("spec.yaml", SPEC))


def test_the_definition_and_table_of_a_factory_are_the_spec_s(spec: LoadedSpec) -> None:
    assert checks.table_of(spec, "user") == "users"
    assert set(checks.definition(spec, "user")["fields"]) == {"email", "team", "owner"}


def test_a_known_factory_passes_and_an_unknown_one_is_e720_with_the_closest_name(spec: LoadedSpec) -> None:
    checks.check_factory(spec, "team")
    with pytest.raises(SpecInvalid) as caught:
        checks.check_factory(spec, "teem")
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer, d.hint, d.message) == (
        "E720",
        "/factories",
        "did you mean 'team'?",
        "the spec has no factory 'teem'",
    )
    assert d.location is not None
    assert d.location.line == 2


def test_a_spec_without_factories_says_so_and_points_nowhere(write: WriteSpec) -> None:
    empty = load(write("empty.yaml", "version: 1\n"))
    with pytest.raises(SpecInvalid) as caught:
        checks.check_factory(empty, "user")
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer, d.location, d.hint) == ("E720", "", None, "the spec declares no factories:")


def test_states_are_checked_in_order_and_the_first_unknown_is_e721(spec: LoadedSpec) -> None:
    checks.check_states(spec, "user", ["admin", "admin"])
    with pytest.raises(SpecInvalid) as caught:
        checks.check_states(spec, "user", ["admin", "admn", "nope"])
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer, d.hint) == ("E721", "/factories/user/states", "did you mean 'admin'?")
    assert d.message == "factory 'user' has no state 'admn'"


def test_a_factory_without_states_points_at_the_factory(spec: LoadedSpec) -> None:
    with pytest.raises(SpecInvalid) as caught:
        checks.check_states(spec, "team", ["admin"])
    (d,) = caught.value.diagnostics
    assert (d.pointer, d.hint) == ("/factories/team", "the factory declares no states:")
    assert d.location is not None
    assert d.location.line == 3


@pytest.mark.parametrize("count", [0, 1, 50])
def test_a_count_of_zero_or_more_passes(count: int) -> None:
    checks.check_count(count)


def test_a_negative_count_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="count must be 0 or more, not -1"):
        checks.check_count(-1)


def test_overrides_keep_their_order_and_a_relationship_name_becomes_its_fk_column(spec: LoadedSpec) -> None:
    resolved = checks.override_columns(spec, "user", CATALOG, {"role": "x", "team": 3, "email": "a@b"})
    assert resolved == [("role", "x"), ("team_id", 3), ("email", "a@b")]


def test_a_state_column_is_a_known_override_even_without_a_table(spec: LoadedSpec) -> None:
    assert checks.override_columns(spec, "user", Catalog(), {"role": "boss"}) == [("role", "boss")]


def test_an_unknown_override_is_e722_with_the_closest_column(spec: LoadedSpec) -> None:
    with pytest.raises(SpecInvalid) as caught:
        checks.override_columns(spec, "user", CATALOG, {"emial": "x"})
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer, d.hint) == ("E722", "/factories/user/fields", "did you mean 'email'?")
    assert d.message == "factory 'user' (table users) has no column or field 'emial'"


def test_a_relationship_of_several_columns_asks_for_each_column(spec: LoadedSpec) -> None:
    with pytest.raises(SpecInvalid) as caught:
        checks.override_columns(spec, "user", CATALOG, {"owner": 1})
    assert caught.value.diagnostics[0].hint == (
        "a relationship of several columns: pass owner_a=..., owner_b=..."
    )


def test_a_relationship_and_its_column_together_are_refused(spec: LoadedSpec) -> None:
    with pytest.raises(SpecInvalid) as caught:
        checks.override_columns(spec, "user", CATALOG, {"team": 1, "team_id": 2})
    assert caught.value.diagnostics[0].hint == "pass team_id alone: both name one column"


def test_a_dict_override_is_a_column_value_only_for_a_json_column(spec: LoadedSpec) -> None:
    assert checks.override_columns(spec, "user", CATALOG, {"settings": {"a": [1]}}) == [
        ("settings", {"a": [1]})
    ]
    with pytest.raises(TypeError, match="override role= of factory 'user' must be a column value"):
        checks.override_columns(spec, "user", CATALOG, {"role": {"a": 1}})


class Colour(enum.Enum):
    RED = "red"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "s",
        1,
        1.5,
        True,
        decimal.Decimal("1.1"),
        dt.date(2025, 1, 1),
        dt.datetime(2025, 1, 1, 12),
        dt.time(12),
        dt.timedelta(days=1),
        b"x",
        uuid.UUID(int=1),
        Colour.RED,
    ],
)
def test_scalars_are_column_values_of_any_column(value: object) -> None:
    checks.check_value("user", "c", value, "integer")


@pytest.mark.parametrize("kind", ["json", "other", None])
def test_mappings_and_lists_are_column_values_of_json_or_unknown_columns(kind: str | None) -> None:
    checks.check_value("user", "c", {"a": 1}, kind)
    checks.check_value("user", "c", [1, 2], kind)


@pytest.mark.parametrize("value", [{1, 2}, (1, 2), object(), [1]])
def test_anything_else_is_a_type_error_naming_its_type(value: object) -> None:
    with pytest.raises(TypeError, match=f"not {type(value).__name__}: a generator belongs in the spec"):
        checks.check_value("user", "c", value, "string")
