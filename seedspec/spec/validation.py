"""Validation: JSON Schema, then semantic checks; all diagnostics at once, ranked. Pure."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import _keywords
from jsonschema.exceptions import ValidationError, best_match

from seedspec import suggest
from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic, Severity
from seedspec.generators import registry
from seedspec.source import SourceMap, pointer
from seedspec.spec.pruning import prune
from seedspec.spec.sanity import check_document
from seedspec.spec.semantics import check_against_tables, check_semantics

_GENERATOR_KINDS = registry.NAMES


@cache
def spec_schema() -> dict[str, Any]:
    """The JSON Schema of the spec language (draft 2020-12), as shipped in the package."""
    text = resources.files("seedspec").joinpath("schema/seedspec.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> jsonschema.Draft202012Validator:
    cls = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, validators={"type": _type_or_date}
    )
    validator: jsonschema.Draft202012Validator = cls(spec_schema())
    return validator


def _type_or_date(
    validator: jsonschema.Draft202012Validator, types: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """YAML and TOML give unquoted dates as ``date``/``datetime`` objects: they count as strings
    only where the schema marks dates welcome (``x-dates``: ``now``, literals, bounds, params).
    Anywhere else (``table:``, ``include:``, ``faker:``) they are a type error (E201), before any
    keyword or check can treat them as text."""
    if schema.get("x-dates") and _is_temporal(instance):
        return
    yield from _keywords.type(validator, types, instance, schema)  # type: ignore[func-returns-value,misc]


def _is_temporal(value: object) -> bool:
    import datetime as dt

    return isinstance(value, (dt.date, dt.time))


def validate_document(
    document: dict[str, Any],
    source_map: SourceMap,
    catalog: Catalog | None = None,
    base_dir: Path | None = None,
    *,
    tables_only: bool = False,
) -> tuple[Diagnostic, ...]:
    """Every problem of a loaded spec, errors first then by position; the code it names is
    imported from ``base_dir``, the spec's folder (default the current one).

    Semantic checks run only when the document satisfies the schema, so each problem is
    reported once, in the terms closest to what the user wrote. ``tables_only``: the document
    already passed every check without ``catalog``; run only those that depend on the tables.
    """
    if tables_only:
        diagnostics = list(check_against_tables(document, catalog))
    else:
        unusable = list(check_document(document))  # before any check reads a value
        errors = list(_validator().iter_errors(document))
        diagnostics = [d for _, d in unusable] + [_from_schema_error(e) for e in errors]
        pruned = prune(document, [_error_path(e) for e in errors] + [path for path, _ in unusable])
        if pruned is not None:
            diagnostics.extend(check_semantics(pruned, catalog, base_dir))
    located = [
        Diagnostic(
            code=d.code,
            message=d.message,
            pointer=d.pointer,
            hint=d.hint,
            severity=d.severity,
            location=d.location or source_map.locate(d.pointer, value=d.code in _VALUE_CODES),
        )
        for d in _deduplicate(diagnostics)
    ]
    return tuple(sorted(located, key=_rank))


_VALUE_CODES = frozenset({"E201", "E203", "E204", "E209", "E309", "E326", "E327", "E328", "E336", "E340"})


def _rank(d: Diagnostic) -> tuple[int, str, int, int]:
    loc = d.location
    return (
        0 if d.severity is Severity.ERROR else 1,
        loc.file if loc else "",
        loc.line if loc else 0,
        loc.column if loc else 0,
    )


def _deduplicate(diagnostics: list[Diagnostic]) -> Iterator[Diagnostic]:
    seen: set[tuple[str, str, str]] = set()
    for d in diagnostics:
        if (d.code, d.pointer, d.message) not in seen:
            seen.add((d.code, d.pointer, d.message))
            yield d


def _error_path(error: ValidationError) -> list[str | int]:
    """Where an error is; a bad key name (propertyNames) is at that key, not at its mapping."""
    path: list[str | int] = list(error.absolute_path)
    if "propertyNames" in error.schema_path and isinstance(error.instance, str):
        path.append(error.instance)
    return path


def _from_schema_error(error: ValidationError) -> Diagnostic:
    path = _error_path(error)
    ptr = pointer(*path)
    validator = error.validator
    if validator == "additionalProperties":
        return _unknown_keys(error, path)
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return Diagnostic(
            code="E202",
            message=f"missing required key '{missing}'",
            pointer=ptr,
            hint=_required_hint(path, missing),
        )
    if validator in ("type", "const") or (validator == "else" and path):
        return Diagnostic(
            code="E201",
            message=f"{_where(path)}: {_type_message(error)}",
            pointer=ptr,
            hint=_describe(error.schema),
        )
    if validator == "anyOf" and isinstance(error.instance, dict):
        kinds = ", ".join(_GENERATOR_KINDS)
        return Diagnostic(
            code="E204",
            message=f"{_where(path)}: a generator mapping needs one of: {kinds}",
            pointer=ptr,
            hint=_kind_hint(error.instance),
        )
    if validator == "oneOf" and isinstance(error.schema, dict):
        inner = _matching_branch_error(error)
        if inner is not None:
            return _from_schema_error(inner)
        return Diagnostic(
            code="E201",
            message=f"{_where(path)}: expected {_branches(error.schema['oneOf'])}, got "
            f"{type(error.instance).__name__} {error.instance!r}"[:240],
            pointer=ptr,
            hint=_describe(error.schema),
        )
    if "propertyNames" in error.schema_path:
        return Diagnostic(
            code="E205",
            message=f"{_where(path[:-1])}: invalid name {error.instance!r}",
            pointer=ptr,
            hint="names are identifiers: letters, digits and _, not starting with a digit",
        )
    return Diagnostic(
        code="E203",
        message=f"{_where(path)}: {error.message}",
        pointer=ptr,
        hint=_describe(error.schema) or _bound_hint(error),
    )


_BOUNDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}


def _bound_hint(error: ValidationError) -> str:
    if isinstance(error.validator, str) and error.validator in _BOUNDS:
        return f"use a value {_BOUNDS[error.validator]} {error.validator_value}"
    return ""


def _unknown_keys(error: ValidationError, path: list[str | int]) -> Diagnostic:
    allowed = sorted(_schema_of(error).get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    extra = [k for k in instance if k not in allowed]
    key = str(extra[0]) if extra else "?"
    hint = suggest.did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}"
    return Diagnostic(
        code="E200",
        message=f"unknown key '{key}' in {_where(path)}",
        pointer=pointer(*path, key),
        hint=hint,
    )


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "string": (str,),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}


def _matching_branch_error(error: ValidationError) -> ValidationError | None:
    """When the value has the type one ``oneOf`` branch expects, that branch's own error says
    more ('-5 is less than the minimum of 0') than 'not valid under any of the given schemas'."""
    branches = error.schema.get("oneOf", []) if isinstance(error.schema, dict) else []
    for index, branch in enumerate(branches):
        kind = branch.get("type") if isinstance(branch, dict) else None
        python = _JSON_TYPES.get(kind, ()) if isinstance(kind, str) else ()
        if isinstance(error.instance, python) and not (
            isinstance(error.instance, bool) and kind != "boolean"
        ):
            inner = [e for e in error.context or () if e.schema_path and e.schema_path[0] == index]
            if inner:
                found: ValidationError | None = best_match(inner)
                # a string that is not a template: the alternatives say more than the pattern
                wrong_text = found is not None and found.validator == "pattern" and found.schema is branch
                return None if wrong_text else found
    return None


_TYPE_NAMES = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


def _branches(branches: list[Any]) -> str:
    """``oneOf`` alternatives in words: 'an integer or a mapping with min, max'."""
    words = []
    for branch in branches:
        kind = branch.get("type") if isinstance(branch, dict) else None
        text = _TYPE_NAMES.get(kind, str(kind)) if isinstance(kind, str) else "a value"
        if kind == "object" and branch.get("required"):
            text += " with " + ", ".join(branch["required"])
        if kind == "string" and "pattern" in branch and branch.get("examples"):
            text = f"a template such as {branch['examples'][0]!r}"  # count: '{{ params.users }}'
        words.append(text)
    return " or ".join(words)


def _schema_of(error: ValidationError) -> dict[str, Any]:
    return error.schema if isinstance(error.schema, dict) else {}


def _where(path: list[str | int]) -> str:
    return "/".join(str(p) for p in path) or "the spec"


def _type_message(error: ValidationError) -> str:
    schema = _schema_of(error)
    expected = schema.get("type") or schema.get("const")
    if isinstance(expected, list):
        expected = " or ".join(expected)
    if _is_temporal(error.instance):  # YAML reads an unquoted 2026-01-01 as a date
        return f"expected {expected}, got the date {error.instance} (quote it to write it as text)"
    return f"expected {expected}, got {type(error.instance).__name__} {error.instance!r}"[:200]


def _describe(schema: object) -> str:
    if isinstance(schema, dict):
        desc = schema.get("description", "")
        examples = schema.get("examples")
        if examples:
            return f"{desc} Example: {json.dumps(examples[0])}".strip()
        return str(desc)
    return ""


def _required_hint(path: list[str | int], missing: str) -> str:
    if missing == "version":
        return "start the spec with 'version: 1'"
    return f"add '{missing}:' here"


def _kind_hint(instance: dict[str, Any]) -> str:
    for key in instance:
        if (kind := suggest.closest(str(key), _GENERATOR_KINDS)) is not None:
            return f"did you mean '{kind}' instead of '{key}'?"
    return "wrap a literal mapping (a JSON value) as {value: {...}}"
