"""The verbose plan marks the Faker fields generator version 3 draws one value at a time."""

from __future__ import annotations

import dataclasses

from samples import compiled

from seedspec.ir import FakerCall, Field
from seedspec.report import render


def _with_faker(version: int) -> str:
    plan = compiled()
    step = plan.steps[-1]
    extra = (
        Field(column="agent", generator=FakerCall(method="user_agent"), pointer="/x"),
        Field(column="token", generator=FakerCall(method="uuid4"), pointer="/y"),
    )
    step = dataclasses.replace(step, fields=(*step.fields, *extra))
    plan = dataclasses.replace(plan, steps=(*plan.steps[:-1], step), generator_version=version)
    return render.plan_text(plan, verbose=True)


def test_version_3_lists_the_faker_fields_without_a_vectorised_provider() -> None:
    lines = _with_faker(3).split("\n")
    assert "      agent: faker user_agent()  [per-value Faker]" in lines
    assert "      token: faker uuid4()" in lines  # vectorised
    assert "per-value" not in render.plan_text(compiled())  # the short plan does not list fields


def test_version_2_draws_every_value_so_says_nothing() -> None:
    assert "per-value" not in _with_faker(2)
