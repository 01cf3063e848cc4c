"""``uuid``: v5 and v7 ids from the row's identity, the same in every run, distinct per row."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

import pytest

from seedspec.generators import uuids
from seedspec.ir import Uuid

V5 = Uuid(version="v5")
V7 = Uuid(version="v7", time="created_at")
WHEN = dt.datetime(2025, 3, 1, 12, 30, 5)


def test_compile(ctx: Any, site: Any) -> None:
    assert uuids.compile({"uuid": "v7", "time": "created_at"}, site(), ctx) == V7
    assert uuids.compile({"uuid": "v5"}, site(), ctx) == V5


def test_v5_is_the_name_based_uuid_of_the_row_identity(maker: Any, cell: Any) -> None:
    value = uuids.draw(V5, maker, cell(V5, local_id="org<x:3/1"), 0, 0)
    expected = uuid.uuid5(uuids.spec_namespace(0), "event/event/org<x:3/1")
    assert value == expected
    assert value.version == 5


def test_ids_differ_by_row_step_seed_and_attempt(maker: Any, cell: Any) -> None:
    first = uuids.draw(V5, maker, cell(V5, local_id="0"), 0, 0)
    assert uuids.draw(V5, maker, cell(V5, local_id="0"), 99, 0) == first  # the value seed is not read
    assert uuids.draw(V5, maker, cell(V5, local_id="1"), 0, 0) != first
    assert uuids.draw(V5, maker, cell(V5, local_id="0"), 0, 1) != first  # a unique redraw
    other_step = dataclasses.replace(maker, step=dataclasses.replace(maker.step, id="event#2"))
    assert uuids.draw(V5, other_step, cell(V5, local_id="0"), 0, 0) != first
    other_seed = dataclasses.replace(maker, plan=dataclasses.replace(maker.plan, seed=1))
    assert uuids.draw(V5, other_seed, cell(V5, local_id="0"), 0, 0) != first


def test_v7_carries_the_time_column_in_milliseconds(maker: Any, cell: Any) -> None:
    value = uuids.draw(V7, maker, cell(V7, row={"created_at": WHEN}), 0, 0)
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert value.int >> 80 == int(WHEN.replace(tzinfo=dt.UTC).timestamp() * 1000)
    later = uuids.draw(
        V7, maker, cell(V7, local_id="9", row={"created_at": WHEN + dt.timedelta(seconds=1)}), 0, 0
    )
    assert str(later) > str(value)  # sorted by time, whatever the rest
    day = uuids.draw(V7, maker, cell(V7, row={"created_at": WHEN.date()}), 0, 0)
    assert day.int >> 80 == int(dt.datetime(2025, 3, 1, tzinfo=dt.UTC).timestamp() * 1000)


@pytest.mark.parametrize("when", [None, "2025-01-01", dt.datetime(1969, 12, 31)])
def test_v7_without_a_time_from_1970_is_e518(maker: Any, cell: Any, when: Any) -> None:
    with pytest.raises(LookupError) as raised:
        uuids.draw(V7, maker, cell(V7, row={"created_at": when}), 0, 0)
    assert raised.value.args[0] == "E516"


def test_v7_bits() -> None:
    value = uuids.v7(1, bytes(range(16)))
    assert value.version == 7
    assert value.int >> 80 == 1


def test_check(scope: Any) -> None:
    scope.fields = {"created_at", "name"}
    assert list(uuids.check({"uuid": "v5"}, "/f", scope)) == []
    assert list(uuids.check({"uuid": "v7", "time": "created_at"}, "/f", scope)) == []
    [no_time] = uuids.check({"uuid": "v7"}, "/f", scope)
    assert (no_time.code, no_time.pointer) == ("E390", "/f")
    [v5_time] = uuids.check({"uuid": "v5", "time": "created_at"}, "/f", scope)
    assert (v5_time.code, v5_time.pointer) == ("E390", "/f/time")
    [unknown] = uuids.check({"uuid": "v7", "time": "created"}, "/f", scope)
    assert (unknown.code, unknown.pointer) == ("E391", "/f/time")


def test_describe() -> None:
    assert uuids.describe(V5) == "uuid v5 of the row's identity"
    assert uuids.describe(V7) == "uuid v7 (time from created_at) of the row's identity"
