"""The intermediate forms: frozen data whose derived views (deferred updates, per-table sums) are pure."""

from __future__ import annotations

import dataclasses

import pytest

from seedspec.ir import Field, Literal, Plan, Ref, Step


def _step(step_id: str, factory: str, *fields: Field) -> Step:
    return Step(
        id=step_id, factory=factory, table=f"{factory}s", key=("id",), seed=1, pointer="/", fields=fields
    )


def _plan(*steps: Step, pools: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Plan:
    return Plan(
        spec="s.yaml", digest="d", seed=1, locale="en_US", now="2026-01-01", batch_size=10, steps=steps,
        pool_columns=pools,
    )  # fmt: skip


def test_the_forms_are_frozen() -> None:
    step = _step("user", "user")
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.count = 3  # type: ignore[misc]


def test_a_deferred_ref_is_set_after_the_last_step_of_its_target() -> None:
    deferred = Field(column="boss_id", generator=Ref(factory="boss", column="id"), pointer="/", deferred=True)
    user = _step("user", "user", deferred)
    plan = _plan(user, _step("boss", "boss"), _step("boss#2", "boss"))
    assert user.deferred_refs == ("boss",)
    assert plan.deferred_updates() == {"boss#2": (user,)}


def test_pools_are_kept_only_for_factories_something_reads() -> None:
    post = dataclasses.replace(_step("post<user", "post"), for_each="user")
    plan = _plan(_step("user", "user"), post, _step("tag", "tag"), pools=(("tag", ("id", "name")),))
    assert plan.needs_pool("user")
    assert plan.needs_pool("tag")
    assert not plan.needs_pool("post")
    assert plan.columns_kept_for("tag") == ("id", "name")


def test_all_columns_lists_generated_and_record_columns_once() -> None:
    step = _step("user", "user", Field(column="a", generator=Literal(value=1), pointer="/"))
    assert step.all_columns == ("a",)


def test_map_templates_reaches_every_template_a_generator_renders() -> None:
    from seedspec.ir import Range, Template, When, map_templates, templates_in

    low = Template(source="{{ a }}", names=("a",))
    gen = When(
        expression="b",
        condition=Template(source="{% if b %}1{% endif %}", names=("b",)),
        then=Range(kind="int", low=None, high=9, low_template=low),
        otherwise=Literal(value=None),
    )
    assert len(templates_in(gen)) == 2
    changed = map_templates(gen, lambda t: dataclasses.replace(t, names=(*t.names, "x")))
    assert [t.names for t in templates_in(changed)] == [("b", "x"), ("a", "x")]
    assert map_templates(Literal(value=1), lambda t: t) == Literal(value=1)


def test_drawn_by_sees_through_conditions() -> None:
    from seedspec.ir import Sequence, Template, When, drawn_by

    condition = Template(source="{% if n %}1{% endif %}", names=("n",))
    inner = When(expression="m", condition=condition, then=Sequence(), otherwise=Literal(value=None))
    gen = When(expression="n", condition=condition, then=Literal(value=1), otherwise=inner)
    assert drawn_by(gen) == (Literal(value=1), Sequence(), Literal(value=None))
    assert drawn_by(Sequence()) == (Sequence(),)
