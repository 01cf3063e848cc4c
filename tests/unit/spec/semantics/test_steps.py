"""Checks of the seed steps: factories, states, for_each, records, ids, pools and sequences."""

from __future__ import annotations

from typing import Any

from seedspec.errors import Severity
from seedspec.spec.semantics.common import Names
from seedspec.spec.semantics.steps import (
    check_shared_key_sequences,
    check_step,
    check_step_ids,
    check_unseeded_refs,
    factory_dependencies,
    most_rows,
    named_records,
)

FACTORIES: dict[str, Any] = {
    "user": {
        "table": "users",
        "key": ["name"],
        "fields": {"name": {"sequence": "u{n}"}},
        "states": {"vip": {}},
    },
    "post": {"table": "posts", "fields": {"user_id": {"ref": "user"}, "t": "{{ tag.first.name }}"}},
    "tag": {"table": "tags", "fields": {}},
}
NAMES = Names(factories=FACTORIES, records={}, default_locale="en_US")


def _codes(step: dict[str, Any]) -> list[tuple[str, str]]:
    return [(d.code, d.pointer) for d in check_step(0, step, NAMES)]


def test_a_sound_step_passes() -> None:
    assert _codes({"factory": "user", "states": ["vip"], "count": 3}) == []


def test_unknown_factory_state_and_for_each() -> None:
    assert _codes({"factory": "usr"}) == [("E300", "/seed/0/factory")]
    assert _codes({"factory": "user", "states": ["vpi"]}) == [("E301", "/seed/0/states/0")]
    assert _codes({"factory": "post", "for_each": "usr"}) == [("E300", "/seed/0/for_each")]
    assert _codes({"factory": "user", "for_each": "user"}) == [("E316", "/seed/0/for_each")]
    assert ("E207", "/seed/0/records") in _codes({"factory": "post", "for_each": "user", "records": [{}]})


def test_named_records_by_factory() -> None:
    steps = [{"factory": "user", "records": {"a": {}, "b": {}}}, {"factory": "user", "records": [{}]}, None]
    assert named_records(steps) == {"user": frozenset({"a", "b"})}


def test_a_ref_to_a_factory_no_step_seeds_is_e315() -> None:
    (d,) = check_unseeded_refs(FACTORIES, [{"factory": "post"}])
    assert (d.code, d.pointer) == ("E315", "/factories/post/fields/user_id/ref")
    assert list(check_unseeded_refs(FACTORIES, [{"factory": "user"}, {"factory": "post"}])) == []


def test_factory_dependencies_are_refs_and_named_records_read() -> None:
    assert factory_dependencies(FACTORIES["post"]) == {"user", "tag"}


def test_most_rows_multiplies_for_each_by_the_parents() -> None:
    steps = [
        {"factory": "user", "count": 3},
        {"factory": "user", "records": [{}, {}]},
        {"factory": "post", "for_each": "user", "count": {"min": 0, "max": 4}},
    ]
    assert most_rows(FACTORIES, steps) == {"user": 5, "post": 20}


def test_a_repeated_explicit_id_is_e208_a_derived_one_w402() -> None:
    explicit = list(check_step_ids([{"factory": "user", "id": "x"}, {"factory": "post", "id": "x"}]))
    assert [(d.code, d.pointer) for d in explicit] == [("E208", "/seed/1/id")]
    (derived,) = check_step_ids([{"factory": "user"}, {"factory": "user"}])
    assert (derived.code, derived.severity, derived.pointer) == ("W402", Severity.WARNING, "/seed/1")


def test_a_key_sequence_shared_by_steps_is_w403() -> None:
    (d,) = check_shared_key_sequences(
        FACTORIES, [{"factory": "user", "count": 2}, {"factory": "user", "count": 1}]
    )
    assert (d.code, d.pointer) == ("W403", "/factories/user/fields/name")
    own = [
        {"factory": "user", "count": 2},
        {"factory": "user", "count": 1, "values": {"name": {"sequence": "v{n}"}}},
    ]
    assert list(check_shared_key_sequences(FACTORIES, own)) == []
