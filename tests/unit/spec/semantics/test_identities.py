"""``uuid`` fields against the tables: a UUID or text(36+) column, a date or datetime time (E394, E391)."""

from __future__ import annotations

from typing import Any

import pytest

from seedspec.catalog import Catalog, ColumnInfo, TableInfo
from seedspec.spec.semantics.identities import check_uuid_columns


def _catalog(id_kind: str, length: int | None = None, time_kind: str = "datetime") -> Catalog:
    table = TableInfo(
        name="events",
        columns=(
            ColumnInfo(name="id", kind=id_kind, primary_key=True, length=length),
            ColumnInfo(name="created_at", kind=time_kind),
        ),
        primary_key=("id",),
    )
    return Catalog(tables={"events": table})


def _found(gen: Any, catalog: Catalog, where: str = "fields") -> list[tuple[str, str]]:
    factories = {"event": {"table": "events", "fields": {"id": gen, "created_at": {"range": ["-1y", "now"]}}}}
    steps: list[Any] = [{"factory": "event", "count": 1}]
    if where == "values":
        factories["event"]["fields"]["id"] = None
        steps[0]["values"] = {"id": gen}
    return [(d.code, d.pointer) for d in check_uuid_columns(factories, steps, catalog)]


@pytest.mark.parametrize(("kind", "length"), [("uuid", None), ("str", None), ("str", 36), ("str", 40)])
def test_uuid_and_text_columns_pass(kind: str, length: int | None) -> None:
    assert _found({"uuid": "v7", "time": "created_at"}, _catalog(kind, length)) == []


@pytest.mark.parametrize(("kind", "length"), [("int", None), ("str", 32), ("decimal", None)])
def test_other_columns_are_e374(kind: str, length: int | None) -> None:
    assert _found({"uuid": "v5"}, _catalog(kind, length)) == [("E394", "/factories/event/fields/id")]
    assert _found({"uuid": "v5"}, _catalog(kind, length), "values") == [("E394", "/seed/0/values/id")]


def test_a_time_that_is_not_a_date_is_e371() -> None:
    found = _found({"uuid": "v7", "time": "created_at"}, _catalog("uuid", time_kind="str"))
    assert found == [("E391", "/factories/event/fields/id/time")]
    assert _found({"uuid": "v7", "time": "created_at"}, _catalog("uuid", time_kind="date")) == []
