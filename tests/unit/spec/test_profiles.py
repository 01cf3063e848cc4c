"""Profiles: parameters, --set overrides, count templates and --scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from seedspec.errors import SpecInvalid
from seedspec.source import SourceMap
from seedspec.spec.loader import LoadedSpec
from seedspec.spec.profiles import (
    CountError,
    params_read,
    render_count,
    scaled,
    step_count,
    with_counts,
    with_profile,
)

DOC = {"version": 1, "params": {"users": 10, "ratio": 0.5, "domain": "example.com", "debug": False}}


def spec(doc: dict[str, object] | None = None) -> LoadedSpec:
    return LoadedSpec(path=Path("dev.yaml"), document=dict(doc or DOC), source_map=SourceMap({}), files=())


def test_overrides_are_read_as_yaml_scalars_of_the_default_s_type() -> None:
    changed = with_profile(spec(), {"users": "3", "ratio": "2", "domain": "10", "debug": "true"})
    assert changed.document["params"] == {"users": 3, "ratio": 2.0, "domain": "10", "debug": True}
    assert DOC["params"] == {"users": 10, "ratio": 0.5, "domain": "example.com", "debug": False}


def test_no_override_is_the_same_spec() -> None:
    original = spec()
    assert with_profile(original, {}) is original


def test_scale_is_written_to_the_settings() -> None:
    assert with_profile(spec(), {}, 0.1).document["settings"] == {"scale": 0.1}


@pytest.mark.parametrize(
    ("values", "scale", "code", "text"),
    [
        (
            {"usres": "3"},
            None,
            "E700",
            "the spec has no parameter 'usres' (it has: debug, domain, ratio, users)",
        ),
        ({"users": "many"}, None, "E701", "'users' takes an integer (its default is 10)"),
        ({"users": "1.5"}, None, "E701", "'users' takes an integer"),
        ({"debug": "1"}, None, "E701", "'debug' takes true or false"),
        ({}, 0.0, "E702", "--scale 0 is not a number above 0"),
        ({}, float("nan"), "E702", "--scale nan is not a number above 0"),
    ],
)
def test_bad_overrides_are_refused(values: dict[str, str], scale: float | None, code: str, text: str) -> None:
    with pytest.raises(SpecInvalid) as caught:
        with_profile(spec(), values, scale)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, text in diagnostic.message) == (code, True)


def test_a_misspelt_parameter_gets_a_suggestion() -> None:
    with pytest.raises(SpecInvalid) as caught:
        with_profile(spec(), {"user": "3"})
    assert caught.value.diagnostics[0].hint.startswith("did you mean 'users'?")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, 7),
        ("{{ params.users }}", 10),
        ("{{ params.users * 3 }}", 30),
        ("{{ (params.users * 0.3) | round | int }}", 3),
    ],
)
def test_count_templates_render_over_params(value: object, expected: int) -> None:
    assert render_count(value, DOC["params"]) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("{{ params.users / 4 }}", "gives 2.5, not a whole number"),
        ("{{ params.users - 11 }}", "gives -1, not a whole number"),
        ("{{ params.domain }}", "not a number"),
        ("{{ params.nope }}", "fails"),
        ("{{ n }}", "fails"),
    ],
)
def test_bad_count_templates_say_why(value: str, text: str) -> None:
    with pytest.raises(CountError, match=text):
        render_count(value, DOC["params"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("count", "scale", "expected"),
    [(100, 0.1, 10), (5, 0.1, 1), (3, 0.5, 2), (0, 0.1, 0), (10, 2.0, 20), (7, 1.0, 7)],
)
def test_scaling_rounds_half_up_and_keeps_a_step_alive(count: int, scale: float, expected: int) -> None:
    assert scaled(count, scale) == expected


def test_for_each_counts_are_per_parent_and_do_not_scale() -> None:
    assert step_count({"count": 10}, {}, 0.5) == (5, None)
    assert step_count({"count": 10, "for_each": "user"}, {}, 0.5) == (10, None)
    assert step_count({"count": {"min": 2, "max": "{{ params.users }}"}}, DOC["params"], 2) == (4, 20)  # type: ignore[arg-type]


def test_with_counts_resolves_templates_for_the_pool_checks() -> None:
    doc = {
        **DOC,
        "settings": {"scale": 2},
        "seed": [
            {"factory": "u", "count": "{{ params.users }}"},
            {"factory": "u", "count": "{{ x }}"},
            "bad",
        ],
    }
    assert with_counts(doc) == [{"factory": "u", "count": 20}, {"factory": "u", "count": 0}, "bad"]


def test_params_read_finds_attribute_and_item_access() -> None:
    assert params_read("{{ params.users }} {{ params['domain'] }} {{ other.x }}") == {"users", "domain"}


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("users", "-12", -12),
        ("domain", "010", "010"),  # a string parameter keeps the text as written
        ("ratio", "1e-1", 0.1),
        ("ratio", "3", 3.0),
        ("domain", "12:30", "12:30"),  # not YAML 1.1's sexagesimal 750
        ("domain", "", ""),
        ("debug", "FALSE", False),
    ],
)
def test_set_values_are_read_strictly(name: str, text: str, value: object) -> None:
    assert with_profile(spec(), {name: text}).document["params"][name] == value


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("users", "12:30"),
        ("ratio", ".nan"),
        ("ratio", "inf"),
        ("ratio", "nan"),
        ("ratio", "1e999"),
        ("users", "010"),  # neither YAML 1.1's octal 8 nor int()'s 10: the reader the loader uses
        ("users", "1_000"),
        ("users", " 7 "),
        ("users", "\u0663"),  # Arabic-Indic three, which int() takes
    ],
)
def test_non_numbers_and_non_finite_numbers_are_refused(name: str, text: str) -> None:
    with pytest.raises(SpecInvalid) as caught:
        with_profile(spec(), {name: text})
    assert caught.value.diagnostics[0].code == "E701"


def test_a_date_parameter_takes_an_iso_date() -> None:
    import datetime as dt

    doc = {"version": 1, "params": {"start": dt.date(2024, 1, 1), "anything": None}}
    changed = with_profile(spec(doc), {"start": "2025-02-03", "anything": "007"})
    assert changed.document["params"] == {"start": dt.date(2025, 2, 3), "anything": "007"}
    with pytest.raises(SpecInvalid) as caught:
        with_profile(spec(doc), {"start": "soon"})
    assert "'start' takes a date (YYYY-MM-DD)" in caught.value.diagnostics[0].message


def test_scale_has_an_upper_bound_and_names_the_flag() -> None:
    with pytest.raises(SpecInvalid) as caught:
        with_profile(spec(), {}, 5000)
    assert caught.value.diagnostics[0].message == "--scale 5000 is not a number above 0 and at most 1000"


def test_scale_leaves_a_settings_value_that_is_no_mapping_to_the_schema() -> None:
    assert with_profile(spec({"version": 1, "settings": None}), {}, 2).document["settings"] is None


@pytest.mark.parametrize(("count", "scale", "expected"), [(45, 0.7, 32), (90, 0.35, 32), (5, 0.3, 2)])
def test_scaling_rounds_exact_halves_up(count: int, scale: float, expected: int) -> None:
    assert scaled(count, scale) == expected


def test_a_method_call_on_params_is_not_a_parameter() -> None:
    assert params_read("{{ params.get('users', 3) }} {{ params.items() | list }}") == set()
    assert params_read("{{ params.users") == set()  # a syntax error is reported elsewhere
