"""Checks of each factory's generators: templates, Faker calls, refs, sequences, ranges, distributions."""

from __future__ import annotations

from typing import Any

import pytest

from seedspec.spec.semantics.common import Names
from seedspec.spec.semantics.generators import check_factory, check_params_read, every_generator

FACTORIES: dict[str, Any] = {
    "user": {"table": "users", "fields": {}},
    "post": {"table": "posts", "fields": {}},
}
NAMES = Names(
    factories=FACTORIES,
    records={"user": frozenset({"admin"})},
    default_locale="en_US",
    param_values=(("users", 10),),
)


def _problems(fields: dict[str, Any], states: dict[str, Any] | None = None) -> list[tuple[str, str, str]]:
    factory = {"table": "posts", "fields": fields, "states": states or {}}
    return [(d.code, d.pointer, d.hint) for d in check_factory("post", factory, NAMES)]


def test_sound_generators_pass() -> None:
    fields = {
        "title": "{{ fake.sentence() }} #{{ n }} of {{ params.users }} by {{ user.admin.email }}",
        "slug": {"template": "{{ title | slugify }}"},
        "email": {"faker": "email"},
        "user_id": {"ref": "user"},
        "code": {"sequence": "P{n:04d}"},
        "age": {"range": [1, 9]},
        "price": {"distribution": "normal", "mean": 1, "stddev": 1},
    }
    assert _problems(fields) == []


@pytest.mark.parametrize(
    ("gen", "code", "suffix"),
    [
        ("{{ broken", "E304", ""),
        ("{{ titel }}", "E305", ""),
        ({"faker": "emial"}, "E303", "/faker"),
        ({"ref": "usr"}, "E300", "/ref"),
        ({"ref": "user.root"}, "E302", "/ref"),
        ({"sequence": "P{m}"}, "E325", "/sequence"),
        ({"range": [5, 1]}, "E317", "/range"),
        ({"distribution": "normal", "mean": 1}, "E318", ""),
        ({"choice": {"a": 0}}, "E324", "/choice"),
        ("{{ params.userz }}", "E331", ""),
    ],
)
def test_each_mistake_has_its_code(gen: Any, code: str, suffix: str) -> None:
    problems = _problems({"title": "x", "field": gen})
    assert [(c, p) for c, p, _ in problems] == [(code, "/factories/post/fields/field" + suffix)]


def test_a_misspelt_faker_method_is_suggested() -> None:
    ((_, _, hint),) = _problems({"email": {"faker": "emial"}})
    assert hint.startswith("did you mean 'email'?")


def test_a_name_only_a_state_sets_is_named_in_the_hint() -> None:
    ((code, _, hint),) = _problems({"title": "{{ extra }}"}, {"s": {"extra": 1}})
    assert code == "E305"
    assert "only state 's' sets 'extra'" in hint


def test_params_read_but_not_declared_is_e331() -> None:
    (d,) = check_params_read("{{ params.usres }}", "/p", frozenset({"users"}))
    assert (d.code, d.pointer) == ("E331", "/p")
    assert d.hint.startswith("did you mean 'users'?")
    (undeclared,) = check_params_read("{{ params.n }}", "/p", frozenset())
    assert undeclared.hint == "declare it: params: {n: <default>}"


def test_every_generator_walks_fields_states_values_and_records() -> None:
    factories = {"user": {"fields": {"a": 1}, "states": {"s": {"b": 2}}}}
    steps = [{"factory": "user", "values": {"c": 3}, "records": {"r": {"d": 4}}}]
    found = dict(every_generator(factories, steps))
    assert set(found.values()) >= {1, 2, 3, 4}
