"""Values written in the spec checked against their column's type, beyond what converts: an enum
column (a PostgreSQL enum, a MySQL ENUM) holds only its labels, which the database would refuse
at apply (or MySQL outside strict mode store as an empty string), and a template for a JSON
column must render JSON."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog, ColumnInfo, TableInfo
from seedspec.errors import Diagnostic
from seedspec.generators import when as when_kind
from seedspec.language import templates
from seedspec.source import pointer
from seedspec.spec.semantics.columns import literal_of
from seedspec.spec.semantics.common import error, factory_generators

# What one {{ }} expression may render inside JSON: a value, a string's inside, a member, members, nothing.
_RENDERINGS = ("1", "a", '"a": 1', "1, 2", "")
_MOST_EXPRESSIONS = 5  # beyond, every combination is too many to try: not checked


def check_written_values(
    factories: Mapping[str, Any], steps: list[Any], catalog: Catalog
) -> Iterator[Diagnostic]:
    """Literals and ``choice`` values that are not labels of their enum column, and templates
    for JSON columns whose text around the expressions cannot be JSON: in fields, states, step
    values and records."""
    for fname, factory in factories.items():
        table = catalog.get(str(factory.get("table", ""))) if isinstance(factory, dict) else None
        if table is None or not any(c.labels or c.kind == "json" for c in table.columns):
            continue
        for column, suffix, gen in factory_generators(factory):
            yield from _check(table, column, gen, pointer("factories", fname) + suffix)
        for i, step in enumerate(steps):
            if isinstance(step, dict) and step.get("factory") == fname:
                yield from _check_step(table, step, pointer("seed", i))


def _check_step(table: TableInfo, step: Mapping[str, Any], base: str) -> Iterator[Diagnostic]:
    for column, gen in (step.get("values") or {}).items():
        yield from _check(table, column, gen, base + pointer("values", column))
    records = step.get("records") or []
    for name, record in records.items() if isinstance(records, dict) else enumerate(records):
        if isinstance(record, dict):
            for column, gen in record.items():
                yield from _check(table, column, gen, base + pointer("records", name, column))


def _check(table: TableInfo, column: str, gen: Any, ptr: str) -> Iterator[Diagnostic]:
    info = table.column(column)
    if when_kind.conditions(gen):  # each branch is written into the column
        for suffix, inner in when_kind.branches(gen):
            yield from _check(table, column, inner, ptr + suffix)
        if info is not None and info.kind == "json" and _mixes_templates(gen):
            yield error(
                "E376",
                f"a conditional value of the JSON column '{table.name}.{info.name}' mixes a template "
                "with another generator: a template's text is read as JSON, another's text is stored "
                "as a JSON string, and which one a row took is not known when it is stored",
                ptr,
                "make every branch a template (or null): a fixed value as the JSON it is, "
                '{template: \'"none"\'} for the JSON string "none", {template: \'{"a": 1}\'} for an object',
            )
    elif info is not None and info.labels:
        yield from _check_labels(table, info, gen, ptr)
    elif info is not None and info.kind == "json":
        yield from _check_json(table, info, gen, ptr)


def _mixes_templates(gen: Any) -> bool:
    """Whether the branches of a conditional value are templates and also other generators
    (NULL aside)."""
    leaves = list(_leaves(gen))
    templated = [
        templates.is_template(g) if isinstance(g, str) else isinstance(g, dict) and "template" in g
        for g in leaves
    ]
    others = [not t and g is not None for t, g in zip(templated, leaves, strict=True)]
    return any(templated) and any(others)


def _leaves(gen: Any) -> Iterator[Any]:
    if when_kind.conditions(gen):
        for _, inner in when_kind.branches(gen):
            yield from _leaves(inner)
    else:
        yield gen


def _check_labels(table: TableInfo, info: ColumnInfo, gen: Any, ptr: str) -> Iterator[Diagnostic]:
    for value, where in _values(gen, ptr):
        if value is not None and str(value) not in info.labels:
            yield error(
                "E350",
                f"{value!r} is not a label of the enum column '{table.name}.{info.name}'",
                where,
                f"the column holds only {', '.join(info.labels)}",
            )


def _values(gen: Any, ptr: str) -> Iterator[tuple[Any, str]]:
    """The values a generator can give that are written in the spec: a literal, or a choice's."""
    is_literal, value = literal_of(gen)
    if is_literal:
        yield value, ptr + ("/value" if isinstance(gen, dict) else "")
    elif isinstance(gen, dict) and isinstance(gen.get("choice"), list | dict):
        choice = gen["choice"]
        for i, option in enumerate(choice):
            yield (
                option,
                ptr + (pointer("choice", i) if isinstance(choice, list) else pointer("choice", option)),
            )


def _check_json(table: TableInfo, info: ColumnInfo, gen: Any, ptr: str) -> Iterator[Diagnostic]:
    if isinstance(gen, str) and templates.is_template(gen):
        source = gen
    elif isinstance(gen, dict) and isinstance(gen.get("template"), str):
        source, ptr = gen["template"], ptr + "/template"
    else:
        return
    if not _may_be_json(source):
        yield error(
            "E352",
            f"the template for the JSON column '{table.name}.{info.name}' cannot render JSON: "
            "its text around the {{ }} expressions is not JSON whatever they render",
            ptr,
            'write the JSON around the expressions, such as \'{"code": "{{ code }}"}\', '
            "or render a whole value with {{ value | tojson }}",
        )


def _may_be_json(source: str) -> bool:
    """Whether some rendering of the template's expressions makes it JSON (a template with
    blocks or many expressions is given the benefit of the doubt, as is one that does not parse:
    that is reported where templates are checked)."""
    try:
        parts = templates.static_text(source)
    except templates.TemplateSyntaxError:
        return True
    if parts is None or len(parts) - 1 > _MOST_EXPRESSIONS:
        return True
    for renderings in itertools.product(_RENDERINGS, repeat=len(parts) - 1):
        text = parts[0] + "".join(r + part for r, part in zip(renderings, parts[1:], strict=True))
        try:
            json.loads(text)
        except ValueError:
            continue
        return True
    return False
