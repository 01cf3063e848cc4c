"""The one lookup-key rule, read by the compiler and the cycle breaker, over columns."""

from __future__ import annotations

from typing import Any

import pytest

from seedspec.catalog import Catalog, ColumnInfo, ForeignKeyInfo, TableInfo
from seedspec.spec.keys import filled_columns, lookup_key, step_columns
from seedspec.spec.semantics.cycles import break_cycles

DEPARTMENTS = TableInfo(
    name="departments",
    columns=(
        ColumnInfo(name="id", kind="int", nullable=False, primary_key=True),
        ColumnInfo(name="code", kind="str", nullable=False),
        ColumnInfo(name="manager_id", kind="int", nullable=False),
    ),
    primary_key=("id",),
    unique=(("code",), ("manager_id",)),
    foreign_keys=(ForeignKeyInfo(columns=("manager_id",), target_table="employees", target_columns=("id",)),),
)
EMPLOYEES = TableInfo(
    name="employees",
    columns=(
        ColumnInfo(name="id", kind="int", nullable=False, primary_key=True),
        ColumnInfo(name="badge", kind="str", nullable=False),
        ColumnInfo(name="department_id", kind="int"),
    ),
    primary_key=("id",),
    unique=(("department_id", "badge"),),
    foreign_keys=(
        ForeignKeyInfo(columns=("department_id",), target_table="departments", target_columns=("id",)),
    ),
)
CATALOG = Catalog(tables={"departments": DEPARTMENTS, "employees": EMPLOYEES}, dialect="sqlite")
TABLES = {"department": DEPARTMENTS, "employee": EMPLOYEES}


def test_an_explicit_key_wins() -> None:
    assert lookup_key(["badge"], EMPLOYEES, ["badge", "department_id"]) == ("badge",)


def test_a_unique_constraint_the_columns_cover_comes_next() -> None:
    assert lookup_key(None, EMPLOYEES, ["badge", "department_id"]) == ("department_id", "badge")


def test_then_the_primary_key_then_every_column() -> None:
    assert lookup_key(None, EMPLOYEES, ["id", "badge"]) == ("id",)
    assert lookup_key([], EMPLOYEES, ["badge"]) == ("badge",)


def test_a_relationship_fills_its_foreign_key_columns() -> None:
    assert filled_columns("department", {"ref": "department"}, EMPLOYEES, TABLES.get) == ("department_id",)
    assert filled_columns("department_id", {"ref": "department"}, EMPLOYEES, TABLES.get) == ("department_id",)
    assert filled_columns("badge", {"sequence": "E{n}"}, EMPLOYEES, TABLES.get) == ("badge",)
    assert filled_columns("department", {"ref": "nowhere"}, EMPLOYEES, TABLES.get) == ("department",)


def test_a_step_fills_the_factorys_fields_with_its_states_and_values_over_them() -> None:
    factory = {"fields": {"badge": {"sequence": "E{n}"}}, "states": {"placed": {"department": {"ref": "d"}}}}
    table_of = {"d": DEPARTMENTS}.get
    assert step_columns(factory, {}, EMPLOYEES, table_of) == {"badge"}
    assert step_columns(factory, {"states": ["placed"]}, EMPLOYEES, table_of) == {"badge", "department_id"}
    assert step_columns(factory, {"values": {"id": 7}}, EMPLOYEES, table_of) == {"badge", "id"}


def test_a_step_of_records_alone_fills_what_every_record_does() -> None:
    factory = {"fields": {"badge": {"sequence": "E{n}"}}}
    step = {"records": {"a": {"id": 1}, "b": {"id": 2, "department_id": 1}}}
    assert step_columns(factory, step, EMPLOYEES, TABLES.get) == {"badge", "id"}


def _cycle(field: str, employee_key: list[str] | None = None) -> dict[str, Any]:
    employee: dict[str, Any] = {
        "table": "employees",
        "fields": {"badge": {"sequence": "E{n}"}, field: {"ref": "department"}},
    }
    if employee_key:
        employee["key"] = employee_key
    return {
        "department": {
            "table": "departments",
            "key": ["code"],
            "fields": {"code": {"sequence": "D{n}"}, "manager_id": {"ref": "employee"}},
        },
        "employee": employee,
    }


STEPS = [{"factory": "employee", "count": 4}, {"factory": "department", "count": 2}]


@pytest.mark.parametrize("field", ["department_id", "department"])
def test_the_cycle_breaker_never_defers_a_key_column_however_the_ref_is_spelled(field: str) -> None:
    breaks = break_cycles(_cycle(field), STEPS, CATALOG)
    assert breaks.deferred == frozenset()
    (problem,) = breaks.problems
    assert problem.code == "E332"
    assert "employees.department_id is in the lookup key of 'employee'" in problem.message


@pytest.mark.parametrize("field", ["department_id", "department"])
def test_with_a_key_without_it_the_ref_is_deferred(field: str) -> None:
    breaks = break_cycles(_cycle(field, ["badge"]), STEPS, CATALOG)
    assert breaks.problems == ()
    assert breaks.deferred == frozenset({("employee", field)})


def test_where_no_constraint_is_covered_every_column_is_the_key_the_ref_too() -> None:
    factories = _cycle("department")
    factories["employee"]["fields"] = {"department": {"ref": "department"}}
    (problem,) = break_cycles(factories, STEPS, CATALOG).problems
    assert "employees.department_id is in the lookup key" in problem.message


def test_an_explicit_key_naming_the_column_holds_the_relationships_ref() -> None:
    factories = _cycle("department", ["badge"])
    assert break_cycles(factories, STEPS, CATALOG).deferred == frozenset({("employee", "department")})
    factories["employee"]["key"] = ["badge", "department_id"]
    (problem,) = break_cycles(factories, STEPS, CATALOG).problems
    assert problem.code == "E332"
