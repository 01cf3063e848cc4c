"""Semantic checks on a schema-valid document: names, templates, Faker, cycles, columns. Pure."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from seedspec.catalog import Catalog
from seedspec.errors import Diagnostic
from seedspec.spec.profiles import spec_params, with_counts
from seedspec.spec.semantics.columns import check_columns, misspelt_per_factory, relationship_columns
from seedspec.spec.semantics.common import (
    Names,
    factory_generators,
    faker_methods,
    find_cycle,
    step_ids,
    template_dependencies,
)
from seedspec.spec.semantics.filters import check_ref_filters
from seedspec.spec.semantics.generators import check_factory, check_step_generators
from seedspec.spec.semantics.hooks import check_hooks
from seedspec.spec.semantics.identities import check_uuid_columns
from seedspec.spec.semantics.imports import check_custom_generators, faker_providers
from seedspec.spec.semantics.perparent import check_per_parent_index
from seedspec.spec.semantics.relations import check_relations
from seedspec.spec.semantics.skew import check_count_skew, check_parent_picks
from seedspec.spec.semantics.steps import (
    check_pools,
    check_shared_key_sequences,
    check_step,
    check_step_cycles,
    check_step_ids,
    check_unseeded_refs,
    factory_dependencies,
    most_rows,
    named_records,
)
from seedspec.spec.semantics.trees import check_trees
from seedspec.spec.semantics.written import check_written_values


def _is_datetime(value: object) -> bool:
    from seedspec.language.dates import parse_now

    try:
        parse_now(str(value))
    except ValueError:
        return False
    return True


def _locale_exists(locale: str) -> bool:
    try:
        faker_methods(locale)
    except AttributeError:
        return False
    return True


__all__ = [
    "check_against_tables",
    "check_semantics",
    "factory_dependencies",
    "factory_generators",
    "faker_methods",
    "find_cycle",
    "most_rows",
    "relationship_columns",
    "step_ids",
    "template_dependencies",
]


def check_semantics(
    document: Mapping[str, Any], catalog: Catalog | None, base_dir: Path | None = None
) -> Iterator[Diagnostic]:
    """Diagnostics for everything the schema cannot see; the code the spec names (Faker providers,
    custom generators) is imported from ``base_dir`` (the spec's folder; default the current one)."""
    factories: Mapping[str, Any] = document.get("factories", {})
    steps: list[Any] = document.get("seed", [])
    folder = base_dir if base_dir is not None else Path(".")
    providers, provider_problems = faker_providers(document.get("settings", {}), folder)
    yield from provider_problems
    locale = document.get("settings", {}).get("locale", "en_US")
    locale_ok = _locale_exists(locale)
    if not locale_ok:
        yield Diagnostic(
            code="E309",
            message=f"unknown Faker locale '{locale}'",
            pointer="/settings/locale",
            hint="for example en_US, fr_FR, de_DE, ja_JP",
        )
    declared = tuple(spec_params(document).items())
    names = Names(
        factories,
        named_records(steps),
        locale,
        locale_ok,
        declared,
        providers,
        not provider_problems,
        misspelt_per_factory(factories, catalog) if catalog is not None else {},
    )
    now = document.get("settings", {}).get("now")
    if now is not None and not _is_datetime(now):
        yield Diagnostic(
            code="E326",
            message=f"settings.now {now!r} is not an ISO 8601 date or datetime",
            pointer="/settings/now",
            hint="for example 2025-01-01T00:00:00 or 2025-01-01",
        )
    for fname, factory in factories.items():
        yield from check_factory(fname, factory, names)
    for i, step in enumerate(steps):
        if isinstance(step, dict):
            yield from check_step(i, step, names)
            yield from check_count_skew(i, step)
            yield from check_parent_picks(i, step, factories)
    yield from check_step_generators(steps, names)
    yield from check_unseeded_refs(factories, steps)
    yield from check_step_ids(steps)
    yield from check_shared_key_sequences(factories, steps)
    yield from check_custom_generators(factories, steps, folder)
    yield from check_against_tables(document, catalog)


def check_against_tables(document: Mapping[str, Any], catalog: Catalog | None) -> Iterator[Diagnostic]:
    """The checks whose outcome depends on the tables (``catalog``; None when they are unknown).

    A command validates once: the whole spec before it touches a database, then only these, with
    the tables it found. None of them imports the code a spec names."""
    factories: Mapping[str, Any] = document.get("factories", {})
    steps: list[Any] = document.get("seed", [])
    if catalog is not None:
        for fname, factory in factories.items():
            yield from check_columns(fname, factory, steps, catalog, factories)
        yield from check_written_values(factories, steps, catalog)
        yield from check_uuid_columns(factories, steps, catalog)
    yield from check_step_cycles(factories, steps, catalog)
    counted = with_counts(document)
    yield from check_pools(factories, counted, catalog)
    yield from check_per_parent_index(factories, counted, catalog)
    yield from check_ref_filters(factories, steps, catalog)
    yield from check_relations(factories, steps, catalog)
    yield from check_trees(factories, steps, catalog)
    if catalog is not None:
        yield from check_hooks(factories, steps, catalog)
