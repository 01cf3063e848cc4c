"""``template``: a sandboxed Jinja2 template over the row's fields, ``n``, ``fake`` and ``params``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from seedspec.generators.base import Cell, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import Template
from seedspec.language import templates
from seedspec.language.fakers import TemplateFaker


def of_source(source: str) -> Template:
    """The template of ``source`` (validation has parsed it), with the names it reads."""
    return Template(source=source, names=tuple(sorted(templates.referenced_names(source))))


def compile(raw: Mapping[str, Any], _site: FieldSite, _ctx: CompileContext) -> Template:
    return of_source(raw["template"])


def draw(gen: Template, maker: Maker, cell: Cell, seed: int, _attempt: int) -> str:
    context = {**maker.named, **cell.row, "n": cell.slot.n}
    if "params" in gen.names:
        context["params"] = dict(maker.plan.params)
    if "fake" in gen.names:  # reseeding costs as much as a cheap Faker call: only when read
        context["fake"] = fake = maker.faker(maker.plan.locale, maker.plan.faker_providers)
        fake.seed_instance(seed)
        context["fake"] = TemplateFaker(fake)  # provider methods only: no re-seeding, no format()
    return templates.run(templates.compiled(gen.source, maker.plan.generator_version), context)


def describe(gen: Template) -> str:
    return f"template {gen.source!r}"


KIND = Kind(name="template", ir=Template, compile=compile, draw=draw, describe=describe)
