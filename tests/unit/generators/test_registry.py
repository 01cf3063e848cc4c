"""The one list of kinds: matching a document's mapping, compiling, drawing, describing."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from seedspec.generators import registry
from seedspec.ir import Choice, Literal, Ref, Sequence, Template


def test_names_and_ir_names_cover_every_kind() -> None:
    assert registry.NAMES == (
        "value",
        "template",
        "faker",
        "sequence",
        "choice",
        "range",
        "distribution",
        "python",
        "uuid",
        "ref",
    )
    assert "FakerCall" in registry.IR_NAMES
    assert len(registry.IR_NAMES) == len(registry.NAMES)


def test_every_kind_has_a_branch_in_the_json_schema() -> None:
    text = resources.files("seedspec").joinpath("schema/seedspec.schema.json").read_text("utf-8")
    schema = json.dumps(json.loads(text))
    assert all(f'"{name}"' in schema for name in registry.NAMES)


def test_a_mapping_is_matched_to_the_first_kind_it_names() -> None:
    assert registry.kind_named_in({"ref": "user", "pick": "random"}) is not None
    kind = registry.kind_named_in({"sequence": 1, "unique": True})
    assert kind is not None
    assert kind.name == "sequence"
    assert registry.kind_named_in({"unique": True}) is None


def test_compile_generator_reads_strings_scalars_and_mappings(ctx: Any, site: Any) -> None:
    assert registry.compile_generator("{{ n }}", site(), ctx) == Template(source="{{ n }}", names=("n",))
    assert registry.compile_generator("plain", site(), ctx) == Literal(value="plain")
    assert registry.compile_generator(3, site(), ctx) == Literal(value=3)
    assert registry.compile_generator({"choice": [1]}, site(), ctx) == Choice(values=(1,))


def test_draw_and_describe_dispatch_on_the_ir_type(maker: Any, cell: Any) -> None:
    gen = Sequence(start=1)
    assert registry.kind_of(gen).name == "sequence"
    assert registry.draw(maker, cell(gen, column="c", seqs={"c": 4}), 0) == 5
    assert registry.describe(Ref(factory="u", column="id")) == "ref u.id (random)"


def test_check_runs_the_named_kinds_check(scope: Any) -> None:
    [diagnostic] = registry.check({"choice": {"a": 0}}, "/f", scope)
    assert diagnostic.code == "E324"
    assert list(registry.check({"unique": True}, "/f", scope)) == []
