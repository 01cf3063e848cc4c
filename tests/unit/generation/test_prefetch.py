"""Prefetch: a worker's draws are exactly the serial first draws; failures come back as FAILED."""

from __future__ import annotations

import pickle

from seedspec.compiler.steps import derive_seed
from seedspec.generation.prefetch import DRAW_AHEAD, FAILED, Draws, _spec, draw, drawn_ahead, faker_fields
from seedspec.ir import FakerCall, Field, Literal
from seedspec.language.fakers import create_faker

NOW = "2025-01-01T00:00:00"
NAME = Field(column="name", generator=FakerCall(method="first_name"), pointer="/f")


def test_faker_fields_keeps_only_faker_calls() -> None:
    other = Field(column="x", generator=Literal(value=1), pointer="/g")
    assert faker_fields([NAME, other]) == (NAME,)


def test_a_workers_draw_is_the_serial_draw() -> None:
    out = draw((7, NOW, (_spec(NAME),), ["0", "1"]))
    fake = create_faker("en_US")
    expected = []
    for local_id in ["0", "1"]:
        fake.seed_instance(derive_seed(7, local_id, "name"))
        expected.append(fake.first_name())
    assert out == {"name": expected}


def test_a_failing_draw_is_failed_and_failed_survives_pickling() -> None:
    bad = Field(
        column="n",
        generator=FakerCall(method="pyint", kwargs=(("min_value", 5), ("max_value", 1))),
        pointer="/f",
    )
    assert draw((1, NOW, (_spec(bad),), ["0"])) == {"n": [FAILED]}
    assert pickle.loads(pickle.dumps(FAILED)) is FAILED  # noqa: S301 (our own bytes)


class _Done:
    def __init__(self, value: dict[str, list[object]]) -> None:
        self.value = value

    def get(self) -> dict[str, list[object]]:
        return self.value


def test_draws_are_gathered_by_column_then_row() -> None:
    draws = Draws([(["a", "b"], _Done({"c": [1, 2]})), (["d"], _Done({"c": [3]}))])  # type: ignore[list-item]
    assert draws.get() == {"c": {"a": 1, "b": 2, "d": 3}}


def test_batches_are_submitted_ahead_and_come_back_in_order() -> None:
    submitted: list[int] = []
    yielded: list[tuple[int, int]] = []

    def submit(batch: int) -> Draws:
        submitted.append(batch)
        return Draws([])

    for batch, drawn in drawn_ahead(range(5), submit):
        assert drawn is not None
        yielded.append((batch, len(submitted)))
    # each batch comes out while the next DRAW_AHEAD are already being drawn (fewer at the end)
    assert yielded == [(b, min(b + 1 + DRAW_AHEAD, 5)) for b in range(5)]
    assert list(drawn_ahead(["a"], None)) == [("a", None)]
