"""``aggregate``: a column computed from the row's children (sum, count, min, max of a value).

A row's children exist only after it: the row is inserted with the value of no children, and
generation sets the column once the children's steps have run (``generation.aggregates``).
Which child field refers to the row is the compiler's to resolve (``spec.relations``); it
hands this kind the child's field as ``by``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seedspec.generators import template
from seedspec.generators.base import Cell, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import Aggregate
from seedspec.language import templates

FUNCTIONS = ("sum", "count", "min", "max")


def compile(raw: Mapping[str, Any], site: FieldSite, ctx: CompileContext) -> Aggregate:
    child, link = raw["of"], raw["by"]
    child_table = ctx.table(child)
    fk = child_table.foreign_key_of(link)
    if fk is not None and fk.target_table == site.table.name:
        target = fk.target_columns[0]
    else:
        target = site.table.primary_key[0] if site.table.primary_key else "id"
    written = raw.get("each")
    if isinstance(written, str) and templates.is_template(written):
        value, column = template.of_source(written), None
    else:
        value, column = None, None if written is None else str(written)
    return Aggregate(
        function=raw["aggregate"], child=child, link=link, target=target, value=value, value_column=column
    )


def draw(gen: Aggregate, _maker: Maker, _cell: Cell, _seed: int, _attempt: int) -> Any:
    return gen.empty  # the value over no children; set once the children exist


def describe(gen: Aggregate) -> str:
    of = gen.value.source if gen.value is not None else gen.value_column
    what = f"{gen.function}({gen.child}" + (f": {of})" if of else ")")
    return f"aggregate {what} over {gen.child}.{gen.link} = {gen.target}"


KIND = Kind(name="aggregate", ir=Aggregate, compile=compile, draw=draw, describe=describe)
