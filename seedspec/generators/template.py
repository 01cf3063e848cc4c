"""``template``: a sandboxed Jinja2 template over the row's fields, ``n``, ``fake`` and ``params``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seedspec.generators.base import Batch, Cell, ColumnForm, CompileContext, FieldSite, Kind, Maker, Slot
from seedspec.ir import Template
from seedspec.language import templates
from seedspec.language.fakers import TemplateFaker


def of_source(source: str) -> Template:
    """The template of ``source`` (validation has parsed it), with the names it reads."""
    return Template(source=source, names=tuple(sorted(templates.referenced_names(source))))


def compile(raw: Mapping[str, Any], _site: FieldSite, _ctx: CompileContext) -> Template:
    return of_source(raw["template"])


NULL_NAME = "null"
"""The name a template reads to yield NULL: ``{{ published_at if status == 'published' else null }}``."""
_NULL_TEXT = "\x00seedspec-null\x00"


class _Null:
    """What ``null`` renders to: a text no value holds, read back as None."""

    __slots__ = ()

    def __str__(self) -> str:
        return _NULL_TEXT


_NULL = _Null()


def draw(gen: Template, maker: Maker, cell: Cell, seed: int, attempt: int) -> str | None:
    text = render(gen, maker, cell, seed, attempt)
    if NULL_NAME not in gen.names or _NULL_TEXT not in text:
        return text
    if text != _NULL_TEXT:
        raise maker.error(
            "E515",
            f"the template of '{cell.field.column}' rendered null inside text: "
            f"{text.replace(_NULL_TEXT, '<null>')!r}",
            cell,
            "null makes the whole value NULL: write it as the template's only output, "
            "{{ x if condition else null }}",
        )
    return None


def render(gen: Template, maker: Maker, cell: Cell, seed: int, _attempt: int = 0) -> str:
    """The text of ``gen`` for ``cell``'s row (``null`` renders as a marker ``draw`` reads)."""
    context = {**maker.named, **cell.row, "n": cell.slot.n}
    if "n_in_parent" in gen.names or "n_in_step" in gen.names:
        context.update(indices(cell.slot))
    if NULL_NAME in gen.names and NULL_NAME not in cell.row:
        context[NULL_NAME] = _NULL
    for name, via, column, attributes in gen.related:  # a named record's name reads the record
        values = maker.related(cell, name, (via, column))
        if any("." in a for a in attributes):  # a grandparent's columns: post.user.email
            values = nested(values)
        context[name] = {**values, **maker.named.get(name, {})}
    if "params" in gen.names:
        context["params"] = dict(maker.plan.params)
    if "fake" in gen.names:  # reseeding costs as much as a cheap Faker call: only when read
        context["fake"] = fake = maker.faker(maker.plan.locale, maker.plan.faker_providers)
        fake.seed_instance(seed)
        context["fake"] = TemplateFaker(fake)  # provider methods only: no re-seeding, no format()
    return templates.run(templates.compiled(gen.source, maker.plan.generator_version), context)


def nested(values: Mapping[str, Any]) -> dict[str, Any]:
    """A pool row's values with the columns it carries of related rows (``user.email``) as
    mappings (``{"user": {"email": ...}}``), as a template reads them."""
    out: dict[str, Any] = {k: v for k, v in values.items() if "." not in k}
    for key, value in values.items():
        if "." in key:
            *heads, last = key.split(".")
            node = out
            for head in heads:
                node = node.setdefault(head, {})
            node[last] = value
    return out


def indices(slot: Slot) -> dict[str, int]:
    """``n_in_parent`` and ``n_in_step`` of a row. Under ``for_each`` the row's index among its
    parent's children (``n``) and its position among the step's rows; without one both are ``n``."""
    if slot.parent is None:
        return {"n_in_parent": slot.n, "n_in_step": slot.n}
    return {"n_in_parent": slot.n, "n_in_step": slot.ordinal}


def column(gen: Template, _now: str) -> ColumnForm | None:
    """Version 3: a template that only joins fields of the row (and ``n``) with literal text is
    a join over the batch, giving the text Jinja renders (``str`` of each value); any other
    template renders row by row."""
    parts = templates.join_parts(gen.source)
    if parts is None or any(is_name and name in _NOT_FIELDS for is_name, name in parts):
        return None
    related = {name for name, *_ in gen.related}
    if any(is_name and name in related for is_name, name in parts):
        return None

    def draw(batch: Batch) -> list[str] | None:
        pieces: list[list[str] | str] = []
        for is_name, text in parts:
            if not is_name:
                pieces.append(text)
                continue
            values = batch.numbers() if text == "n" else batch.column(text)
            if values is None:
                return None
            pieces.append([str(v) for v in values])
        columns = [p if isinstance(p, list) else [p] * batch.size for p in pieces]
        return ["".join(row) for row in zip(*columns, strict=True)]

    return draw


_NOT_FIELDS = frozenset({NULL_NAME, "params", "fake", "n_in_parent", "n_in_step"})


def describe(gen: Template) -> str:
    return f"template {gen.source!r}"


KIND = Kind(name="template", ir=Template, compile=compile, draw=draw, describe=describe, column=column)
