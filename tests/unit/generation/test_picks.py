"""Ref picks: parent, named record, seeded, round robin, distinct per value, filtered."""

from __future__ import annotations

from typing import Any

import pytest

from seedspec.errors import Diagnostic, SeedspecError
from seedspec.generation.picks import RefPicks, parent_column
from seedspec.generation.pools import Pool, PoolRow
from seedspec.generation.slots import RowSlot, RunState
from seedspec.ir import Field, Ref, Step

STEP = Step(id="post", factory="post", table="posts", key=("id",), seed=1, pointer="/seed/0")


def _fault(code: str, message: str, f: Field, slot: RowSlot, hint: str) -> SeedspecError:
    return SeedspecError(Diagnostic(code=code, message=message, pointer=f.pointer, hint=hint))


def _picks(rows: int = 3) -> RefPicks:
    pool = Pool(PoolRow(str(i), {"id": i + 1, "role": "admin" if i == 0 else "user"}) for i in range(rows))
    state = RunState(pools={"user": pool}, named={"user": {"root": {"id": 99}}})
    return RefPicks(STEP, state, _fault)


def _slot(ordinal: int = 0, parent: PoolRow | None = None) -> RowSlot:
    return RowSlot(str(ordinal), ordinal, ordinal, {}, (), parent)


def _draw(
    picks: RefPicks,
    gen: Ref,
    *,
    slot: RowSlot | None = None,
    row: dict[str, Any] | None = None,
    seed: int = 5,
) -> Any:
    f = Field(column="author", generator=gen, pointer="/f")
    return picks.draw(gen, f, slot or _slot(), row or {}, seed)


def test_parent_and_named_record() -> None:
    picks = _picks()
    assert (
        _draw(
            picks, Ref(factory="user", column="id", parent=True), slot=_slot(parent=PoolRow("p", {"id": 42}))
        )
        == 42
    )
    assert _draw(picks, Ref(factory="user", column="id", record="root")) == 99


def test_random_picks_are_seeded_and_round_robin_goes_in_turn() -> None:
    picks, gen = _picks(), Ref(factory="user", column="id")
    assert _draw(picks, gen, seed=11) == _draw(picks, gen, seed=11)
    turn = Ref(factory="user", column="id", pick="round_robin")
    assert [_draw(picks, turn, slot=_slot(i)) for i in range(4)] == [1, 2, 3, 1]


def test_distinct_per_never_repeats_a_pick_for_one_value() -> None:
    picks, gen = _picks(), Ref(factory="user", column="id", distinct_per="tag")
    chosen = {_draw(picks, gen, row={"tag": "x"}, seed=3) for _ in range(3)}
    assert chosen == {1, 2, 3}
    with pytest.raises(SeedspecError) as raised:
        _draw(picks, gen, row={"tag": "x"}, seed=3)
    assert raised.value.diagnostics[0].code == "E502"


def test_where_filters_the_pool() -> None:
    picks = _picks()
    assert {
        _draw(picks, Ref(factory="user", column="id", where=(("role", ("admin",)),)), seed=s)
        for s in range(10)
    } == {1}
    with pytest.raises(SeedspecError) as raised:
        _draw(picks, Ref(factory="user", column="id", where=(("role", ("none",)),)))
    assert raised.value.diagnostics[0].code == "E512"
    assert raised.value.diagnostics[0].pointer == "/f/where"


def test_an_empty_pool_is_e501() -> None:
    with pytest.raises(SeedspecError) as raised:
        _draw(_picks(0), Ref(factory="user", column="id"))
    assert raised.value.diagnostics[0].code == "E501"


def test_row_of_reads_the_row_another_field_picked() -> None:
    picks = _picks(3)
    f = Field(column="price", generator=Ref(factory="user", column="role"), pointer="/f")
    assert picks.row_of("user", ("user_id", "id"), f, _slot(), {"user_id": 1}) == {"id": 1, "role": "admin"}
    assert picks.row_of("user", ("user_id", "id"), f, _slot(), {"user_id": 3})["role"] == "user"
    picks.state.pools["user"].append("3", {"id": 4, "role": "late"})  # rows added later are found too
    assert picks.row_of("user", ("user_id", "id"), f, _slot(), {"user_id": 4})["role"] == "late"


def test_row_of_a_value_no_pooled_row_holds_is_e513() -> None:
    f = Field(column="price", generator=Ref(factory="user", column="role"), pointer="/f")
    with pytest.raises(SeedspecError) as caught:
        _picks(3).row_of("user", ("user_id", "id"), f, _slot(), {"user_id": None})
    assert caught.value.diagnostics[0].code == "E513"


def test_a_filter_from_the_row_picks_among_the_matching_rows() -> None:
    picks = _picks(4)  # ids 1..4, id 1 an admin
    f = Field(column="author", generator=Ref(factory="user", column="id"), pointer="/f")
    gen = Ref(factory="user", column="id")
    chosen = {picks.draw(gen, f, _slot(), {}, seed, (("role", "user"),)) for seed in range(40)}
    assert chosen == {2, 3, 4}
    assert picks.draw(gen, f, _slot(), {}, 1, (("role", "admin"),)) == 1


def test_a_filter_from_the_row_no_row_matches_is_e512() -> None:
    f = Field(column="author", generator=Ref(factory="user", column="id"), pointer="/f")
    with pytest.raises(SeedspecError) as caught:
        _picks(3).draw(Ref(factory="user", column="id"), f, _slot(), {}, 1, (("role", "owner"),))
    assert caught.value.diagnostics[0].code == "E512"
    assert caught.value.diagnostics[0].pointer == "/f/where"
    assert "role = 'owner' (from the row)" in caught.value.diagnostics[0].message


def test_zipf_picks_are_seeded_and_favour_the_first_rows() -> None:
    picks, gen = _picks(10), Ref(factory="user", column="id", pick="zipf", skew=1.5)
    drawn = [_draw(picks, gen, seed=s * 0x9E3779B97F4A7C15 % 2**64) for s in range(300)]
    assert drawn == [_draw(picks, gen, seed=s * 0x9E3779B97F4A7C15 % 2**64) for s in range(300)]
    assert drawn.count(1) > drawn.count(2) > drawn.count(10)


def test_max_picks_moves_on_past_full_rows_and_stops_when_all_are_full() -> None:
    picks, gen = _picks(3), Ref(factory="user", column="id", max_picks=2)
    drawn = [_draw(picks, gen, seed=7) for _ in range(6)]  # one seed: every pick lands on one row
    assert sorted(drawn) == [1, 1, 2, 2, 3, 3]
    with pytest.raises(SeedspecError) as raised:
        _draw(picks, gen, seed=7)
    assert raised.value.diagnostics[0].code == "E517"


def test_only_a_parent_ref_copied_as_it_is_has_a_parent_column() -> None:
    parent = Ref(factory="user", column="id", parent=True)
    assert parent_column(Field(column="user_id", generator=parent, pointer="/f")) == "id"
    for f in (
        Field(column="user_id", generator=parent, pointer="/f", null_rate=0.5),
        Field(column="user_id", generator=parent, pointer="/f", unique=True),
        Field(column="user_id", generator=parent, pointer="/f", deferred=True),
        Field(column="user_id", generator=Ref(factory="user", column="id"), pointer="/f"),
    ):
        assert parent_column(f) is None


def test_distinct_picks_are_forgotten_for_the_parents_a_batch_moved_past() -> None:
    user_id = Field(column="user_id", generator=Ref(factory="user", column="id", parent=True), pointer="/u")
    tag = Field(
        column="tag_id", generator=Ref(factory="tag", column="id", distinct_per="user_id"), pointer="/t"
    )
    step = Step(id="ut", factory="ut", table="t", key=("id",), seed=1, pointer="/s", fields=(user_id, tag))
    state = RunState()
    picks = RefPicks(step, state, _fault)
    assert picks.forgets("user_id")
    assert not picks.forgets("tag_id")
    used = state.distinct_used[("ut", "tag_id")] = {1: {0}, 2: {1}, 3: {2}}
    first, second, third = PoolRow("u:1", {"id": 1}), PoolRow("u:2", {"id": 2}), PoolRow("u:3", {"id": 3})
    last = picks.forget_past(user_id, [_slot(0, first), _slot(1, first), _slot(2, second)], None)
    assert last is second
    assert sorted(used) == [2, 3]  # the first parent is past; the second may have rows in the next batch
    assert picks.forget_past(user_id, [_slot(3, third)], last) is third
    assert sorted(used) == [3]
