"""Keys drawn twice in a step: counted, the first few shown once each, refused unless accepted."""

from __future__ import annotations

import dataclasses

import pytest

from seedspec.generation.duplicates import MAX_KEYS_SHOWN, Duplicates
from seedspec.generation.generrors import GenerationError
from seedspec.ir import Field, Literal, Step

STEP = Step(
    id="payment<order",
    factory="payment",
    table="payments",
    key=("order_id",),
    seed=1,
    pointer="/seed/1",
    source="spec.yaml:20",
    fields=(
        Field(column="order_id", generator=Literal(value=1), pointer="/factories/payment/fields/order_id"),
    ),
)


def test_an_unaccepted_repeat_is_e520_at_the_key_field_with_the_count_and_first_keys() -> None:
    duplicates = Duplicates(STEP)
    for key in (3, 3, 5, 7, 9, 9):
        duplicates.note({"order_id": key, "amount": 1})
    assert duplicates.count == 6
    assert len(duplicates.keys) == MAX_KEYS_SHOWN == 3
    with pytest.raises(GenerationError) as caught:
        duplicates.check(180)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.pointer) == ("E520", "/factories/payment/fields/order_id")
    assert diagnostic.message == (
        "step 'payment<order' (spec.yaml:20): 6 of its 180 rows drew a key (order_id) that an earlier "
        "row of the step already drew: {'order_id': 3}, {'order_id': 5}, {'order_id': 7}, ..."
    )
    assert "duplicates: skip" in diagnostic.hint


def test_accepted_repeats_and_none_pass() -> None:
    Duplicates(STEP).check(10)
    accepted = Duplicates(dataclasses.replace(STEP, duplicates="skip"))
    accepted.note({"order_id": 3})
    accepted.check(10)
    assert accepted.count == 1


def test_a_step_without_a_key_field_is_located_at_the_step() -> None:
    duplicates = Duplicates(dataclasses.replace(STEP, fields=()))
    duplicates.note({"order_id": 3})
    with pytest.raises(GenerationError) as caught:
        duplicates.check(2)
    assert caught.value.diagnostics[0].pointer == "/seed/1"
