"""The plan text names the Faker fields generator version 3 draws one value at a time."""

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
    return render.plan_text(plan)


def test_version_3_lists_the_faker_fields_without_a_vectorised_provider() -> None:
    listed = [line for line in _with_faker(3).split("\n") if "per-value Faker" in line]
    assert listed[-1].endswith(", agent (user_agent)") or listed[-1].endswith(": agent (user_agent)")
    assert not any("token" in line for line in listed)  # uuid4 is vectorised


def test_version_2_draws_every_value_so_says_nothing() -> None:
    assert "per-value" not in _with_faker(2)
