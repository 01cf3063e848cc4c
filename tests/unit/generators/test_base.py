"""A kind's defaults and the context types the rooms above provide."""

from __future__ import annotations

from typing import Any

from seedspec.generators.base import Cell, FieldSite, Kind, no_check
from seedspec.ir import Literal


def test_a_kind_without_its_own_check_reports_nothing(scope: Any) -> None:
    kind = Kind(name="x", ir=Literal, compile=lambda *_: Literal(value=1), draw=lambda *_: 1, describe=repr)
    assert kind.check is no_check
    assert list(kind.check({"x": 1}, "/p", scope)) == []


def test_a_cell_is_field_slot_and_row(cell: Any) -> None:
    made: Cell = cell(Literal(value=3), column="age", n=4, row={"a": 1})
    assert made.field.column == "age"
    assert made.slot.n == 4
    assert made.row == {"a": 1}


def test_a_field_site_has_no_for_each_by_default(site: Any) -> None:
    where: FieldSite = site("role")
    assert where.column == "role"
    assert where.for_each is None
    assert where.table.name == "users"
