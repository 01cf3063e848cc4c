"""Generator version 3: values a column at a time, the same whatever the batch or row range."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.compiler.steps import compile_spec
from seedspec.database.tables import catalog_from_metadata
from seedspec.generation.columns import keyed_ref, per_value, per_value_faker
from seedspec.generation.generrors import GenerationError
from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.slots import RowSlot, RunState, row_slots
from seedspec.ir import Plan

Doc = dict[str, Any]


def _metadata() -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(
        "users",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(100)),
        sa.Column("name", sa.String(100)),
        sa.Column("role", sa.String(20)),
        sa.Column("age", sa.Integer),
        sa.Column("score", sa.Numeric(6, 1)),
        sa.Column("born", sa.Date),
        sa.Column("token", sa.String(40)),
        sa.Column("bio", sa.Text),
    )
    sa.Table(
        "posts",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.ForeignKey("users.id")),
        sa.Column("title", sa.String(200)),
    )
    return md


CATALOG = catalog_from_metadata(_metadata())
FIELDS: Doc = {
    "name": {"faker": "first_name"},
    "role": {"choice": {"admin": 1, "editor": 3, "viewer": 6}},
    "age": {"range": [18, 90]},
    "score": {"distribution": "normal", "mean": 50, "stddev": 10, "decimals": 1, "null_rate": 0.25},
    "born": {"range": ["1950-01-01", "2005-12-31"]},
    "email": "{{ name }}.{{ n }}@example.com",
    "token": {"faker": "uuid4"},
    "bio": {"faker": "user_agent"},  # a method without a vectorised provider
}


def plan_of(fields: Doc, count: int = 50, **settings: Any) -> Plan:
    doc = {
        "version": 1,
        "settings": {"seed": 11, **settings},
        "factories": {"user": {"table": "users", "fields": fields}},
        "seed": [{"factory": "user", "count": count}],
    }
    return compile_spec(doc, CATALOG, "spec.yaml")


def rows_in_batches(plan: Plan, size: int) -> list[dict[str, Any]]:
    step = plan.steps[0]
    state = RunState()
    maker = RowMaker(plan, step, state)
    slots = list(row_slots(step, state))
    rows: list[dict[str, Any]] = []
    for i in range(0, len(slots), size):
        rows.extend(maker.make_batch(slots[i : i + size]))
    return rows


def test_version_3_is_the_default_and_gives_other_values_than_version_2() -> None:
    v3, v2 = plan_of(FIELDS), plan_of(FIELDS, generator_version=2)
    assert v3.generator_version == 3
    assert rows_in_batches(v3, 50) != rows_in_batches(v2, 50)


@pytest.mark.parametrize("size", [1, 7, 49, 1000])
def test_the_rows_are_the_same_whatever_the_batch_size(size: int) -> None:
    plan = plan_of(FIELDS)
    assert rows_in_batches(plan, size) == rows_in_batches(plan, 50)


def test_a_row_range_computed_on_its_own_gives_the_rows_of_one_pass() -> None:
    """A step split into row ranges, each computed by its own maker and run state (a shard),
    gives the rows of one pass: a value depends on the row's identity, not its position."""
    plan = plan_of(FIELDS, count=60)
    step = plan.steps[0]
    whole = rows_in_batches(plan, 1000)
    parts: list[dict[str, Any]] = []
    for start, stop in ((0, 17), (17, 40), (40, 60)):
        state = RunState(start={step.id: start})
        maker = RowMaker(plan, step, state)
        slots = list(row_slots(step, state))[: stop - start]
        parts.extend(maker.make_batch(slots))
    assert parts == whole


def test_make_and_complete_give_the_values_of_make_batch() -> None:
    plan = plan_of(FIELDS)
    step = plan.steps[0]
    whole = rows_in_batches(plan, 1000)
    state = RunState()
    maker = RowMaker(plan, step, state)
    slots = list(row_slots(step, state))
    assert [maker.make(slot) for slot in slots] == whole
    keys = frozenset({"email", "name"})
    partial = RowMaker(plan, step, RunState()).make_batch(slots, keys)
    assert all(set(row) == keys for row in partial)
    completer = RowMaker(plan, step, RunState())
    completer.complete_batch(slots, partial)
    assert [{c: row[c] for c in whole[0]} for row in partial] == whole


def test_the_draws_follow_the_weights_and_the_null_rate() -> None:
    fields = {c: g for c, g in FIELDS.items() if c in ("role", "score", "age", "token")}
    rows = rows_in_batches(plan_of(fields, count=20_000), 5000)
    roles = Counter(row["role"] for row in rows)
    assert abs(roles["viewer"] / 20_000 - 0.6) < 0.02
    assert abs(roles["admin"] / 20_000 - 0.1) < 0.01
    nulls = sum(row["score"] is None for row in rows)
    assert abs(nulls / 20_000 - 0.25) < 0.015
    assert {row["age"] for row in rows} == set(range(18, 91))
    assert len({row["token"] for row in rows}) == 20_000


def test_a_joining_template_renders_what_jinja_renders() -> None:
    rows = rows_in_batches(plan_of(FIELDS), 50)
    assert [row["email"] for row in rows] == [f"{row['name']}.{n}@example.com" for n, row in enumerate(rows)]


def test_a_faker_call_without_a_vectorised_form_draws_what_version_2_draws() -> None:
    fields = {"bio": {"faker": "user_agent"}}
    plan = plan_of(fields)
    assert per_value_faker(plan.steps[0].fields, plan.now)
    assert [r["bio"] for r in rows_in_batches(plan_of(fields), 10)] == [
        r["bio"] for r in rows_in_batches(plan_of(fields, generator_version=2), 10)
    ]


def test_which_fields_are_drawn_per_value() -> None:
    plan = plan_of(FIELDS)
    step, now = plan.steps[0], plan.now
    by_column = {f.column: f for f in step.fields}
    assert "bio" in [f.column for f in per_value_faker(step.fields, now)]
    assert not per_value(by_column["token"], now)
    assert not per_value(by_column["email"], now)
    logic = plan_of({"email": "{{ 'a' if n else 'b' }}{{ n }}"}).steps[0].fields[0]
    assert per_value(logic, now)


def test_a_unique_field_retries_with_keys_of_its_own_and_fails_past_its_values() -> None:
    fields = {"role": {"choice": ["a", "b", "c"]}, "email": {"sequence": "u{n}"}}
    unique = {**fields, "role": {"choice": ["a", "b", "c"], "unique": True}}
    assert sorted(r["role"] for r in rows_in_batches(plan_of(unique, count=3), 2)) == ["a", "b", "c"]
    with pytest.raises(GenerationError) as caught:
        rows_in_batches(plan_of(unique, count=4), 10)
    assert caught.value.diagnostics[0].code == "E503"


def test_retry_unique_moves_on_from_a_stored_value() -> None:
    plan = plan_of({"role": {"choice": ["a", "b", "c", "d"], "unique": True}}, count=1)
    step = plan.steps[0]
    maker = RowMaker(plan, step, RunState())
    (slot,) = row_slots(step, RunState())
    row = maker.make(slot)
    again = maker.retry_unique("role", slot, dict(row), {row["role"]}.__contains__)
    assert again != row["role"]
    assert again in "abcd"


def test_a_ref_picks_by_the_rows_key_and_keeps_its_pick_as_the_pool_grows() -> None:
    doc = {
        "version": 1,
        "settings": {"seed": 3},
        "factories": {
            "user": {"table": "users", "fields": {"email": {"sequence": "u{n}"}}},
            "post": {"table": "posts", "fields": {"user_id": {"ref": "user"}, "title": {"sequence": "t{n}"}}},
        },
        "seed": [{"factory": "user", "count": 5}, {"factory": "post", "count": 200}],
    }
    plan = compile_spec(doc, CATALOG, "spec.yaml")
    step = plan.steps[1]
    assert keyed_ref(step.fields[0])

    def picks(users: int) -> list[int]:
        state = RunState(
            pools={"user": Pool(PoolRow(f"u{i}", {"id": i}, "user") for i in range(1, users + 1))}
        )
        maker = RowMaker(plan, step, state)
        slots: list[RowSlot] = list(row_slots(step, state))
        return [row["user_id"] for row in maker.make_batch(slots)]

    five, six = picks(5), picks(6)
    assert set(five) == {1, 2, 3, 4, 5}
    moved = [a for a, b in zip(five, six, strict=True) if a != b]
    assert 0 < len(moved) < 80
    assert all(b == 6 for a, b in zip(five, six, strict=True) if a != b)
