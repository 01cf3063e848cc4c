"""A JSON Schema that knows one project's names: factories, states, records, tables, columns. Pure.

Editors use it (``seedspec schema --for seeds/dev.yaml``) to complete the user's own names.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.spec.validation import spec_schema


def schema_for(document: Mapping[str, Any], catalog: Catalog | None) -> dict[str, Any]:
    """The spec schema narrowed to the names ``document`` (and ``catalog``) define."""
    schema = copy.deepcopy(spec_schema())
    factories: Mapping[str, Any] = document.get("factories", {}) if isinstance(document, Mapping) else {}
    names = sorted(str(n) for n in factories)
    defs = schema["$defs"]
    step = defs["step"]["properties"]
    if names:
        step["factory"] = {**step["factory"], "enum": names}
        step["for_each"] = {**step["for_each"], "enum": names}
    states = sorted({s for f in factories.values() if isinstance(f, dict) for s in f.get("states", {}) or {}})
    if states:
        step["states"] = {**step["states"], "items": {"enum": states}}
    if catalog is not None and catalog.tables:
        table_prop = defs["factory"]["properties"]["table"]
        defs["factory"]["properties"]["table"] = {**table_prop, "enum": sorted(catalog.tables)}
        schema["properties"]["factories"]["properties"] = {
            name: _factory_schema(factory, catalog) for name, factory in factories.items()
        }
    return schema


def _factory_schema(factory: Any, catalog: Catalog) -> dict[str, Any]:
    """One factory: its fields and states complete the columns of its table."""
    table = catalog.get(factory.get("table", "")) if isinstance(factory, dict) else None
    if table is None:
        return {"$ref": "#/$defs/factory"}
    relations = [  # a ref may name the relationship instead of the column (author: {ref: author})
        name
        for name, gen in (factory.get("fields") or {}).items()
        if name not in table.column_names and isinstance(gen, dict) and "ref" in gen
    ]
    columns = {"propertyNames": {"enum": [*table.column_names, *relations]}}
    return {
        "allOf": [
            {"$ref": "#/$defs/factory"},
            {
                "properties": {
                    "fields": {
                        **columns,
                        "properties": {
                            c: {"description": f"column {table.name}.{c}"} for c in table.column_names
                        },
                    },
                    "key": {"items": {"enum": list(table.column_names)}},
                    "states": {"additionalProperties": columns},
                }
            },
        ]
    }
