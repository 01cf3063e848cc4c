"""Factories from a spec, without a database: make, make_batch, states, overrides, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import seedspec

WriteSpec = Callable[[str, str], Path]

PROJECT = Path(__file__).resolve().parents[2] / "integration" / "api_project" / "spec.yaml"

NO_TABLES = """\
    version: 1
    factories:
      team:
        table: teams
        fields: {name: {sequence: "team-{n}"}}
      user:
        table: users
        fields:
          username: {sequence: "user{n:03d}"}
          email: "{{ username }}@example.com"
          age: {range: [18, 80]}
          team_id: {ref: team}
        states:
          admin: {role: admin}
          old: {age: 99}
"""


@pytest.fixture
def spec() -> seedspec.LoadedSpec:
    return seedspec.load(PROJECT)


@pytest.fixture
def no_tables(write: WriteSpec) -> seedspec.LoadedSpec:
    return seedspec.load(write("spec.yaml", NO_TABLES))


def test_make_builds_the_rows_the_spec_generates_and_each_make_gives_the_next(
    spec: seedspec.LoadedSpec,
) -> None:
    user = seedspec.factory(spec, "user")
    first, second = user.make(), user.make()
    assert set(first) == {"email", "name", "role", "display", "team_id"}
    assert first["display"] == f"{first['name']} (member)"
    assert first["email"] != second["email"]
    again = seedspec.factory(spec, "user")  # a new factory numbers its rows afresh: reproducible
    assert [again.make(), again.make()] == [first, second]
    assert seedspec.factory(spec, "user").make_batch(2) == [first, second]


def test_refs_are_none_in_make_unless_overridden(spec: seedspec.LoadedSpec) -> None:
    user = seedspec.factory(spec, "user")
    assert user.make()["team_id"] is None
    assert user.make(team_id=4)["team_id"] == 4


def test_overrides_replace_fields_and_templates_see_them(spec: seedspec.LoadedSpec) -> None:
    row = seedspec.factory(spec, "user").make(name="Ada Lovelace", email="ada@example.com")
    assert row["email"] == "ada@example.com"
    assert row["display"] == "Ada Lovelace (member)"


def test_an_override_leaves_the_other_fields_as_they_were(spec: seedspec.LoadedSpec) -> None:
    plain = seedspec.factory(spec, "user").make()
    overridden = seedspec.factory(spec, "user").make(role="guest")
    assert overridden == {**plain, "role": "guest", "display": f"{plain['name']} (guest)"}


def test_states_stack_in_order_on_a_new_factory_that_shares_the_numbering(
    no_tables: seedspec.LoadedSpec,
) -> None:
    user = seedspec.factory(no_tables, "user")
    admin = user.state("admin")
    both = admin.state("old")
    assert (user.states, admin.states, both.states) == ((), ("admin",), ("admin", "old"))
    rows = [user.make(), admin.make(), both.make()]
    assert [r["username"] for r in rows] == ["user000", "user001", "user002"]  # one sequence
    assert "role" not in rows[0]
    assert rows[1]["role"] == rows[2]["role"] == "admin"
    assert rows[2]["age"] == 99


def test_values_take_their_column_types_from_the_spec_tables(spec: seedspec.LoadedSpec) -> None:
    row = seedspec.factory(spec, "user").make(team_id="3")
    assert row["team_id"] == 3  # an integer column


def test_without_tables_a_factory_makes_rows_from_its_fields_alone(no_tables: seedspec.LoadedSpec) -> None:
    row = seedspec.factory(no_tables, "user").make()
    assert row == {"username": "user000", "email": "user000@example.com", "age": row["age"], "team_id": None}
    assert 18 <= row["age"] <= 80


def test_an_unknown_factory_is_a_located_error_with_the_closest_name(spec: seedspec.LoadedSpec) -> None:
    with pytest.raises(seedspec.SpecInvalid) as caught:
        seedspec.factory(spec, "usr")
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer, d.hint) == ("E720", "/factories", "did you mean 'user'?")
    assert d.location is not None
    assert (Path(d.location.file).name, d.location.line) == ("spec.yaml", 5)


def test_an_unknown_state_is_a_located_error_with_the_closest_name(spec: seedspec.LoadedSpec) -> None:
    with pytest.raises(seedspec.SpecInvalid) as caught:
        seedspec.factory(spec, "user").state("admin", "suspnded")
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer, d.hint) == ("E721", "/factories/user/states", "did you mean 'suspended'?")
    assert d.location is not None
    assert "no state 'suspnded'" in d.message


def test_an_unknown_override_is_a_located_error_with_the_closest_column(spec: seedspec.LoadedSpec) -> None:
    with pytest.raises(seedspec.SpecInvalid) as caught:
        seedspec.factory(spec, "user").make(emial="x@example.com")
    (d,) = caught.value.diagnostics
    assert (d.code, d.pointer, d.hint) == ("E722", "/factories/user/fields", "did you mean 'email'?")
    assert d.location is not None


def test_a_column_of_the_table_the_factory_does_not_set_can_be_overridden(spec: seedspec.LoadedSpec) -> None:
    assert seedspec.factory(spec, "user").make(score=5)["score"] == 5


def test_an_invalid_spec_is_refused_before_making_anything(write: WriteSpec) -> None:
    path = write("spec.yaml", NO_TABLES.replace("{range: [18, 80]}", "{faker: nmae}"))
    with pytest.raises(seedspec.SpecInvalid) as caught:
        seedspec.factory(seedspec.load(path), "user").make()
    assert {d.code for d in caught.value.diagnostics} == {"E303"}  # unknown Faker method


def test_a_negative_count_is_a_value_error_and_moves_no_numbering(spec: seedspec.LoadedSpec) -> None:
    user = seedspec.factory(spec, "user")
    with pytest.raises(ValueError, match="count must be 0 or more"):
        user.make_batch(-2)
    with pytest.raises(ValueError, match="count must be 0 or more"):
        user.create_batch(None, -1)  # type: ignore[arg-type]  # refused before any bind is used
    assert user.make() == seedspec.factory(spec, "user").make()


@pytest.mark.parametrize("value", [{"faker": "name"}, [1, 2], {1, 2}, object()])
def test_an_override_that_is_not_a_column_value_is_a_type_error(
    spec: seedspec.LoadedSpec, value: object
) -> None:
    with pytest.raises(TypeError, match="override name= of factory 'user' must be a column value"):
        seedspec.factory(spec, "user").make(name=value)
