"""Selecting steps: selectors, dependency closure, refusals."""

from __future__ import annotations

import pytest
from samples import compiled, document

from seedspec.compiler.selection import Selection, select_steps, selected_steps
from seedspec.errors import SpecInvalid
from seedspec.ir import Plan


def ids(plan: Plan) -> list[str]:
    return [s.id for s in plan.steps]


def named_plan() -> Plan:
    doc = document()
    doc["seed"][4]["name"] = "people"
    doc["seed"][3]["name"] = "people"
    return compiled(doc)


def test_no_selection_is_the_whole_plan() -> None:
    plan = compiled()
    assert select_steps(plan, Selection()) is plan


def test_a_factory_selects_its_steps_and_what_they_need_in_plan_order() -> None:
    plan = compiled()
    chosen = select_steps(plan, Selection(only=("post",)))
    assert ids(chosen) == ["user:records", "user", "post<user"]


def test_a_step_name_selects_every_step_carrying_it() -> None:
    chosen = select_steps(named_plan(), Selection(only=("people",)))
    assert ids(chosen) == ["user:records", "user"]


def test_a_step_id_selects_it_with_the_earlier_steps_of_its_table() -> None:
    chosen = select_steps(compiled(), Selection(only=("user",)))
    assert ids(chosen) == ["user:records", "user"]  # shared sequences and unique values


def test_exclude_removes_steps_nobody_needs() -> None:
    chosen = select_steps(compiled(), Selection(exclude=("post_tag", "tag")))
    assert ids(chosen) == ["user:records", "user", "post<user"]


def test_selected_steps_are_without_their_dependencies() -> None:
    assert [s.id for s in selected_steps(compiled(), Selection(only=("post",)))] == ["post<user"]


@pytest.mark.parametrize(
    ("selection", "code", "text"),
    [
        (Selection(only=("pots",)), "E703", "--only pots: no step of seeds/dev.yaml is a factory"),
        (Selection(exclude=("nothing",)), "E703", "--exclude nothing"),
        (
            Selection(only=("post",), with_deps=False),
            "E704",
            "not selected: user:records (for post<user); user (for post<user)",
        ),
        (Selection(exclude=("user",)), "E705", "user:records (for post<user, post_tag<post)"),
    ],
)
def test_refusals_name_what_is_wrong(selection: Selection, code: str, text: str) -> None:
    with pytest.raises(SpecInvalid) as caught:
        select_steps(compiled(), selection)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == code
    assert text in diagnostic.message


def test_unknown_selector_suggests_the_closest_name() -> None:
    with pytest.raises(SpecInvalid) as caught:
        select_steps(named_plan(), Selection(only=("peple",)))
    assert caught.value.diagnostics[0].hint.startswith("did you mean 'people'?")


def test_a_tree_step_id_selects_its_levels_too() -> None:
    doc = document()
    doc["seed"][4] = {"factory": "user", "id": "org", "count": 2, "tree": {"field": "manager_id", "depth": 3}}
    plan = compiled(doc)
    assert ids(select_steps(plan, Selection(only=("org",)))) == ["user:records", "org", "org/2", "org/3"]
    assert "org/2" not in ids(select_steps(plan, Selection(exclude=("org", "post", "post_tag"))))


def test_an_aggregate_without_all_its_children_steps_is_e708() -> None:
    doc = document()
    doc["factories"]["user"]["fields"]["age"] = {"aggregate": "count", "of": "post"}
    plan = compiled(doc)
    with pytest.raises(SpecInvalid) as caught:
        select_steps(plan, Selection(only=("user",)))
    assert caught.value.diagnostics[0].code == "E708"
    assert caught.value.diagnostics[0].pointer == "/factories/user/fields/age"
    assert ids(select_steps(plan, Selection(only=("user", "post")))) == ["user:records", "user", "post<user"]
    assert ids(select_steps(plan, Selection(only=("tag",)))) == ["tag:records"]
