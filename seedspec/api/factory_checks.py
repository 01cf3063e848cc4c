"""What a factory refuses before it makes or creates anything: a factory, state or override the
spec does not name (E720-E722, located, with the closest name), an override that is not a column
value (TypeError) and a negative count (ValueError). Pure: reads the spec document and a catalog.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic, SpecInvalid
from seedspec.source import pointer
from seedspec.spec.loader import LoadedSpec
from seedspec.spec.semantics import relationship_columns
from seedspec.spec.semantics.common import did_you_mean


def factory_diagnostic(spec: LoadedSpec, code: str, message: str, at: str, hint: str) -> Diagnostic:
    """A diagnostic of a factory, located in the spec (unless ``at`` is the document itself)."""
    return Diagnostic(
        code=code,
        message=message,
        location=spec.source_map.locate(at) if at else None,
        pointer=at,
        hint=hint,
    )


def definition(spec: LoadedSpec, name: str) -> Mapping[str, Any]:
    """The factory ``name`` as the spec declares it."""
    declared: Mapping[str, Any] = spec.document["factories"][name]
    return declared


def table_of(spec: LoadedSpec, name: str) -> str:
    return str(definition(spec, name)["table"])


def check_factory(spec: LoadedSpec, name: str) -> None:
    """Raises SpecInvalid (E720) when the spec has no factory ``name``."""
    factories = spec.document.get("factories") or {}
    if name in factories:
        return
    at = "/factories" if factories else ""
    hint = did_you_mean(name, factories) if factories else "the spec declares no factories:"
    raise SpecInvalid(factory_diagnostic(spec, "E720", f"the spec has no factory '{name}'", at, hint))


def check_states(spec: LoadedSpec, name: str, states: Iterable[str]) -> None:
    """Raises SpecInvalid (E721) at the first of ``states`` the factory ``name`` does not declare."""
    known = definition(spec, name).get("states", {}) or {}
    for state in states:
        if state in known:
            continue
        at = pointer("factories", name, "states") if known else pointer("factories", name)
        hint = did_you_mean(state, known) if known else "the factory declares no states:"
        raise SpecInvalid(
            factory_diagnostic(spec, "E721", f"factory '{name}' has no state '{state}'", at, hint)
        )


def check_count(count: int) -> None:
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")


def override_columns(
    spec: LoadedSpec, name: str, catalog: Catalog, overrides: Mapping[str, Any]
) -> list[tuple[str, Any]]:
    """``overrides`` of the factory ``name`` by column: checked (E722, TypeError), a relationship
    name (``user``) turned into its foreign key column (``user_id``)."""
    declared = definition(spec, name)
    table = catalog.get(table_of(spec, name))
    known = set(declared.get("fields", {}))
    known.update(c for state in (declared.get("states") or {}).values() for c in state or {})
    known.update(table.column_names if table is not None else ())
    factories = spec.document["factories"]
    relations = relationship_columns(declared, table, catalog, factories) if table is not None else {}
    resolved: list[tuple[str, Any]] = []
    for given, value in overrides.items():
        if given not in known:
            raise _unknown_override(spec, name, given, did_you_mean(given, known))
        columns = relations.get(given, (given,))
        if len(columns) > 1:
            hint = f"a relationship of several columns: pass {', '.join(f'{c}=...' for c in columns)}"
            raise _unknown_override(spec, name, given, hint)
        column = columns[0]
        if column != given and column in overrides:
            raise _unknown_override(spec, name, given, f"pass {column} alone: both name one column")
        info = table.column(column) if table is not None else None
        check_value(name, column, value, info.kind if info is not None else None)
        resolved.append((column, value))
    return resolved


def _unknown_override(spec: LoadedSpec, name: str, given: str, hint: str) -> SpecInvalid:
    message = f"factory '{name}' (table {table_of(spec, name)}) has no column or field '{given}'"
    return SpecInvalid(factory_diagnostic(spec, "E722", message, pointer("factories", name, "fields"), hint))


_SCALARS = (str, int, float, decimal.Decimal, dt.date, dt.time, dt.timedelta, bytes, uuid.UUID, enum.Enum)


def check_value(factory: str, column: str, value: Any, kind: str | None) -> None:
    """An override is a column value: a scalar, or a mapping or list for a JSON column (or a
    column whose type is not known)."""
    if value is None or isinstance(value, _SCALARS):
        return
    if isinstance(value, dict | list) and kind in ("json", None, "other"):
        return
    raise TypeError(
        f"override {column}= of factory '{factory}' must be a column value (str, int, float, Decimal, "
        f"date, datetime, time, bytes, None; a dict or list for a JSON column), not "
        f"{type(value).__name__}: a generator belongs in the spec (a field or a state)"
    )
