"""The helpers every semantic check shares: hints, generators of a factory, template names, step ids."""

from __future__ import annotations

import pytest

from seedspec.spec.semantics.common import (
    Names,
    did_you_mean,
    error,
    factory_generators,
    faker_methods,
    find_cycle,
    step_ids,
    template_dependencies,
)


def test_did_you_mean_names_the_closest_else_lists_the_known() -> None:
    assert did_you_mean("emial", ["email", "name"]) == "did you mean 'email'?"
    assert did_you_mean("zzz", ["b", "a"]) == "known: a, b"
    assert did_you_mean("zzz", [f"n{i}" for i in range(10)]).count(",") == 7  # eight at most
    assert did_you_mean("zzz", []) == "none are defined"


def test_error_is_an_unlocated_error_at_a_pointer() -> None:
    d = error("E311", "no column", "/factories/u/fields/x", "add it")
    assert (d.code, d.message, d.pointer, d.hint, d.location) == (
        "E311",
        "no column",
        "/factories/u/fields/x",
        "add it",
        None,
    )


def test_factory_generators_walk_fields_then_every_state() -> None:
    factory = {"fields": {"a": 1, "b": 2}, "states": {"s": {"a": 3}, "t": {"c": 4}}}
    assert list(factory_generators(factory)) == [
        ("a", "/fields/a", 1),
        ("b", "/fields/b", 2),
        ("a", "/states/s/a", 3),
        ("c", "/states/t/c", 4),
    ]
    assert list(factory_generators({})) == []


@pytest.mark.parametrize(
    ("gen", "names"),
    [
        ("{{ first }} {{ user.admin.email }}", {"first", "user"}),
        ({"template": "{{ n }}-{{ slug }}"}, {"n", "slug"}),
        ("plain text", set()),  # a literal, not a template
        ({"template": "{{ broken"}, set()),  # a syntax error is reported elsewhere
        ({"faker": "name"}, set()),
        (42, set()),
        ({"uuid": "v7", "time": "created_at"}, {"created_at"}),
        ({"uuid": "v7", "time": "at", "null_if": "kind == 'x'"}, {"at", "kind"}),
        # a uuid two whens deep still reads its time column
        (
            {
                "when": "kind == 'a'",
                "then": {"uuid": "v5"},
                "else": {"when": "kind == 'b'", "then": {"uuid": "v7", "time": "created_at"}, "else": "x"},
            },
            {"kind", "created_at"},
        ),
    ],
)
def test_template_dependencies(gen: object, names: set[str]) -> None:
    assert template_dependencies(gen) == names


def test_step_ids_derive_from_the_step_and_number_repeats() -> None:
    steps = [
        {"factory": "user"},
        {"factory": "user", "states": ["a", "b"]},
        {"factory": "post", "for_each": "user"},
        {"factory": "user", "records": {"x": {}}},
        {"factory": "user"},
        {"factory": "user", "id": "admins"},
        "not a step",
    ]
    assert step_ids(steps) == ["user", "user[a,b]", "post<user", "user:records", "user#2", "admins", ""]


def test_find_cycle_finds_one_or_none() -> None:
    cycle = find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()})
    assert cycle is not None
    assert set(cycle) == {"a", "b", "c"}
    assert not find_cycle({"a": {"b"}, "b": set()})


def test_names_params_are_the_declared_names() -> None:
    names = Names(factories={}, records={}, default_locale="en_US", param_values=(("users", 3), ("x", None)))
    assert names.params == frozenset({"users", "x"})


def test_faker_methods_are_the_data_methods_with_signatures() -> None:
    methods = faker_methods("en_US")
    assert "email" in methods
    assert "seed" not in methods  # machinery, not data
    assert "pyint" in methods
    with pytest.raises(AttributeError):
        faker_methods("xx_NOWHERE")
