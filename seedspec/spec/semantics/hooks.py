"""``after_create`` hooks: where they are written, what they bind, and the checks of their binds."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic
from seedspec.source import pointer
from seedspec.spec.semantics.common import did_you_mean, error

# SQLAlchemy 2's TextClause._bind_params_regex: ':name' not after ':', a word character or '\\'
# (so '::int' casts and '\\:' escapes are no binds), nor followed by ':' or a word character.
# Copied, since the spec room reads SQL without SQLAlchemy; tests compare the two on many texts.
_BIND = re.compile(r"(?<![:\w\x5c]):(\w+)(?![:\w])", re.UNICODE)


def hook_parameters(sql: str) -> tuple[str, ...]:
    """The ``:name`` bind parameters of a SQL hook, once each in order, as SQLAlchemy's ``text()``
    reads them (the database room binds them with it)."""
    return tuple(dict.fromkeys(_BIND.findall(sql)))


def written_hooks(value: Any, ptr: str) -> list[tuple[Mapping[str, Any], str]]:
    """(hook, pointer) for an ``after_create`` value written at ``ptr``: one hook or a list of them."""
    if isinstance(value, dict):
        return [(value, ptr)]
    if isinstance(value, list):
        return [(hook, ptr + pointer(i)) for i, hook in enumerate(value) if isinstance(hook, dict)]
    return []


def check_hooks(factories: Mapping[str, Any], steps: list[Any], catalog: Catalog) -> Iterator[Diagnostic]:
    """E328: a SQL hook binds a name that is not a column of the rows it runs for."""
    for fname, factory in factories.items():
        yield from _check_binds(factory, factory.get("after_create"), pointer("factories", fname), catalog)
    for i, step in enumerate(steps):
        factory = factories.get(str(step.get("factory"))) if isinstance(step, dict) else None
        if isinstance(factory, dict):
            yield from _check_binds(factory, step.get("after_create"), pointer("seed", i), catalog)


def _check_binds(factory: Mapping[str, Any], value: Any, base: str, catalog: Catalog) -> Iterator[Diagnostic]:
    table = catalog.get(str(factory.get("table", "")))
    if table is None:
        return  # E310 reports the table
    known = set(table.column_names)
    for hook, ptr in written_hooks(value, base + "/after_create"):
        if not isinstance(hook.get("sql"), str):
            continue
        for name in hook_parameters(hook["sql"]):
            if name not in known:
                yield error(
                    "E328",
                    f"after_create hook binds ':{name}', but table '{table.name}' has no column '{name}'",
                    ptr + "/sql",
                    f"{did_you_mean(name, known)} (a hook binds the created row's columns)",
                )
