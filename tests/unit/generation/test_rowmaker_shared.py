"""``RowMaker.make_batch(..., elsewhere=...)``, a shard's rows: under every generator version, a
shard's own rows are the rows of an unsharded pass and the others hold the same values in the
columns drawn for every row (version 3 once drew them all as version 2 does there)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.compiler.steps import compile_spec
from seedspec.database.tables import catalog_from_metadata
from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.slots import RowSlot, RunState, row_slots
from seedspec.ir import Plan

Doc = dict[str, Any]


def _catalog() -> Any:
    md = sa.MetaData()
    sa.Table("users", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("email", sa.String(100)))
    sa.Table(
        "posts",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.ForeignKey("users.id")),
        sa.Column("slug", sa.String(50)),
        sa.Column("title", sa.String(200)),
        sa.Column("rank", sa.Integer),
        sa.Column("score", sa.Numeric(6, 1)),
        sa.Column("label", sa.String(200)),
    )
    return catalog_from_metadata(md)


CATALOG = _catalog()
POST: Doc = {
    "user_id": {"ref": "user"},  # a keyed pick under version 3
    "slug": {"sequence": "p{n}"},
    "title": {"faker": "first_name"},
    "rank": {"range": [1, 1000]},
    "score": {"distribution": "normal", "mean": 50, "stddev": 10, "decimals": 1, "null_rate": 0.25},
    "label": "{{ title }}-{{ rank }}",
}


def plan_of(version: int) -> Plan:
    doc = {
        "version": 1,
        "settings": {"seed": 7, "generator_version": version},
        "factories": {
            "user": {"table": "users", "key": ["email"], "fields": {"email": {"sequence": "u{n}"}}},
            "post": {"table": "posts", "key": ["slug"], "fields": POST},
        },
        "seed": [{"factory": "user", "count": 9}, {"factory": "post", "count": 60}],
    }
    return compile_spec(doc, CATALOG, "spec.yaml")


def _state() -> RunState:
    return RunState(pools={"user": Pool(PoolRow(f"u{i}", {"id": i}, "user") for i in range(1, 10))})


def _rows(plan: Plan, elsewhere: tuple[frozenset[str], Any] | None = None) -> list[dict[str, Any]]:
    step = plan.steps[1]
    state = _state()
    slots: list[RowSlot] = list(row_slots(step, state))
    return RowMaker(plan, step, state).make_batch(slots, elsewhere=elsewhere)


@pytest.mark.parametrize("version", [2, 3])
@pytest.mark.parametrize(
    "drawn", [frozenset(), frozenset({"slug"}), frozenset({"user_id", "label", "title", "rank"})]
)
def test_a_shards_rows_are_the_rows_of_one_pass(version: int, drawn: frozenset[str]) -> None:
    plan = plan_of(version)
    whole = _rows(plan)
    mine = range(17, 41)
    shared = _rows(plan, (drawn, lambda slot: slot.ordinal in mine))  # drawn: closed under reads
    for ordinal, (row, full) in enumerate(zip(shared, whole, strict=True)):
        if ordinal in mine:
            assert row == full
        else:
            assert row == {c: v for c, v in full.items() if c in drawn}


def test_version_3_shards_draw_version_3_values() -> None:
    v3, v2 = plan_of(3), plan_of(2)
    shared = _rows(v3, (frozenset({"user_id"}), lambda slot: True))
    assert shared == _rows(v3)
    assert shared != _rows(v2)
