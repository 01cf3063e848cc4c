"""``template``: names read at compile time, rendered over the row, ``n``, params and named records."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from seedspec.generators import template
from seedspec.ir import Template


def test_compile_records_the_names_read_sorted(ctx: Any, site: Any) -> None:
    gen = template.compile({"template": "{{ b }}-{{ a }}-{{ n }}"}, site(), ctx)
    assert gen == Template(source="{{ b }}-{{ a }}-{{ n }}", names=("a", "b", "n"))


def test_draw_renders_the_row_and_n(maker: Any, cell: Any) -> None:
    gen = template.of_source("{{ first }}.{{ n }}")
    assert template.draw(gen, maker, cell(gen, n=7, row={"first": "ada"}), 1, 0) == "ada.7"


def test_draw_reads_params_and_named_records(maker: Any, cell: Any) -> None:
    maker.plan = dataclasses.replace(maker.plan, params=(("tier", "gold"),))
    maker.named = {"user": {"admin": {"email": "a@x"}}}
    gen = template.of_source("{{ params.tier }} {{ user.admin.email }}")
    assert template.draw(gen, maker, cell(gen), 1, 0) == "gold a@x"


def test_fake_is_seeded_by_the_value_seed(maker: Any, cell: Any) -> None:
    gen = template.of_source("{{ fake.first_name() }}")
    first = template.draw(gen, maker, cell(gen), 42, 0)
    assert template.draw(gen, maker, cell(gen), 42, 0) == first
    assert {template.draw(gen, maker, cell(gen), s, 0) for s in range(20)} != {first}


def test_describe() -> None:
    assert template.describe(Template(source="{{ a }}")) == "template '{{ a }}'"


def test_slugify_follows_the_plans_generator_version(maker: Any, cell: Any) -> None:
    gen = template.of_source("{{ city | slugify }}")
    row = {"city": "Ærøskøbing"}
    assert template.draw(gen, maker, cell(gen, row=row), 1, 0) == "aeroskobing"
    maker.plan = dataclasses.replace(maker.plan, generator_version=1)
    assert template.draw(gen, maker, cell(gen, row=row), 1, 0) == "rskbing"


def test_null_as_the_whole_output_yields_none(maker: Any, cell: Any) -> None:
    gen = template.of_source("{{ x if x > 1 else null }}")
    assert template.draw(gen, maker, cell(gen, row={"x": 0}), 1, 0) is None
    assert template.draw(gen, maker, cell(gen, row={"x": 5}), 1, 0) == "5"


def test_null_inside_text_is_e515(maker: Any, cell: Any) -> None:
    gen = template.of_source("paid {{ null }}")
    with pytest.raises(LookupError) as caught:
        template.draw(gen, maker, cell(gen), 1, 0)
    assert caught.value.args[0] == "E515"
    assert "'paid <null>'" in caught.value.args[1]


def test_n_in_parent_and_n_in_step(maker: Any, cell: Any) -> None:
    gen = template.of_source("{{ n }}/{{ n_in_parent }}/{{ n_in_step }}")
    assert template.draw(gen, maker, cell(gen, n=2, ordinal=7, parent=object()), 0, 0) == "2/2/7"
    assert template.draw(gen, maker, cell(gen, n=4, ordinal=9), 0, 0) == "4/4/4"  # no for_each: all n
