"""A unique value numbered by the per-parent ``n`` under for_each is refused at validate (E351)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from seedspec.catalog import Catalog, ColumnInfo, TableInfo
from seedspec.spec.semantics.perparent import check_per_parent_index

DOCTORS = TableInfo(
    name="doctors",
    columns=(ColumnInfo(name="email", kind="str"), ColumnInfo(name="note", kind="str")),
    unique=(("email",),),
)
CATALOG = Catalog(tables={"doctors": DOCTORS, "clinics": TableInfo(name="clinics", columns=())})
FACTORIES: dict[str, Any] = {
    "clinic": {"table": "clinics", "fields": {}},
    "doctor": {
        "table": "doctors",
        "fields": {"clinic_id": {"ref": "clinic"}, "email": "doctor{{ n }}@clinic.test", "note": "{{ n }}"},
        "states": {"lead": {"email": {"template": "lead{{ n }}@clinic.test"}}},
    },
}
STEPS: list[Any] = [
    {"factory": "clinic", "count": 2},
    {"factory": "doctor", "for_each": "clinic", "count": 3},
]


def _found(factories: dict[str, Any], steps: list[Any], catalog: Catalog | None = CATALOG) -> list[Any]:
    return [(d.code, d.pointer) for d in check_per_parent_index(factories, steps, catalog)]


def test_a_unique_column_numbered_by_n_alone_is_e351_with_n_in_step_and_the_parent_in_the_hint() -> None:
    (d,) = check_per_parent_index(FACTORIES, STEPS, CATALOG)
    assert (d.code, d.pointer) == ("E351", "/factories/doctor/fields/email")
    assert "'doctor{{ n_in_step }}@clinic.test'" in d.hint
    assert "{{ clinic_id }}" in d.hint


def test_n_in_parent_is_the_per_parent_index_too() -> None:
    factories = copy.deepcopy(FACTORIES)
    factories["doctor"]["fields"]["email"] = "doctor{{ n_in_parent }}@clinic.test"
    (d,) = check_per_parent_index(factories, STEPS, CATALOG)
    assert d.code == "E351"
    assert "'doctor{{ n_in_step }}@clinic.test'" in d.hint


def test_states_and_values_are_checked_where_they_are_written() -> None:
    steps = [STEPS[0], {**STEPS[1], "states": ["lead"]}, {**STEPS[1], "values": {"email": "x{{ n }}"}}]
    assert _found(FACTORIES, steps) == [
        ("E351", "/factories/doctor/states/lead/email"),
        ("E351", "/seed/2/values/email"),
    ]


@pytest.mark.parametrize(
    "change",
    [
        lambda f, s: f["doctor"]["fields"].update(email="d{{ n }}-{{ clinic_id }}@x"),  # reads the parent
        lambda f, s: f["doctor"]["fields"].update(email={"sequence": "d{n}@x"}),  # counts the whole step
        lambda f, s: f["doctor"]["fields"].update(email="d{{ fake.uuid4() }}"),  # random
        lambda f, s: f["doctor"]["fields"].update(email="d{{ n_in_step }}@x"),  # counts the whole step
        lambda f, s: s[0].update(count=1),  # one parent
        lambda f, s: s[1].pop("for_each"),  # n counts the step
        lambda f, s: f["doctor"]["fields"].update(email={"template": "d{{ n }}", "unique": False}),
    ],
)
def test_values_that_differ_between_parents_pass(change: Any) -> None:
    factories, steps = copy.deepcopy(FACTORIES), copy.deepcopy(STEPS)
    change(factories, steps)
    assert _found(factories, steps) == []


def test_without_tables_the_key_and_unique_true_say_what_is_unique() -> None:
    factories = copy.deepcopy(FACTORIES)
    assert _found(factories, STEPS, None) == []
    factories["doctor"]["key"] = ["email"]
    factories["doctor"]["fields"]["note"] = {"template": "n{{ n }}", "unique": True}
    assert _found(factories, STEPS, None) == [
        ("E351", "/factories/doctor/fields/email"),
        ("E351", "/factories/doctor/fields/note"),
    ]
