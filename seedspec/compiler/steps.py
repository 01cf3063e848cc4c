"""Compile a validated document and its table catalog into a Plan. Pure."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import inspect
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from seedspec.catalog import Catalog, ForeignKeyInfo, TableInfo, relationship_key
from seedspec.compiler.ordering import order_steps, pool_columns, step_source
from seedspec.compiler.relations import link_fields
from seedspec.generators import registry
from seedspec.generators.base import FieldSite
from seedspec.ir import GENERATOR_VERSION, Distribution, Field, Hook, Plan, Record, Ref, Step, templates_in
from seedspec.language import dates
from seedspec.source import SourceMap, pointer
from seedspec.spec.keys import lookup_key
from seedspec.spec.profiles import spec_params, step_count
from seedspec.spec.semantics import faker_methods, find_cycle, step_ids, template_dependencies
from seedspec.spec.semantics.cycles import CycleBreaks, break_cycles
from seedspec.spec.semantics.hooks import hook_parameters, written_hooks
from seedspec.spec.semantics.skew import COUNT_PARAMETERS

DEFAULT_BATCH_SIZE = 1000
_Raw = dict[str, tuple[Any, str]]  # column -> (raw generator, pointer where it was written)


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from a stable path such as (spec seed, step id, row id, column)."""
    digest = hashlib.blake2b("/".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def document_digest(document: Mapping[str, Any]) -> str:
    """A digest of the merged document: changes whenever the rows could change."""
    text = json.dumps(document, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def compile_spec(
    document: Mapping[str, Any], catalog: Catalog, spec_name: str, source_map: SourceMap | None = None
) -> Plan:
    """Compile a validated document into a plan: ordered steps, keys, fields and seeds.

    With the ``source_map``, each step records the file and line it is written at.
    """
    settings = document.get("settings", {})
    seed = settings.get("seed", 0)
    locale = settings.get("locale", "en_US")
    now = str(settings.get("now", dates.DEFAULT_NOW))
    factories: Mapping[str, Any] = document.get("factories", {})
    context = _Context(factories, catalog, locale, dates.parse_now(now))
    context.base_dir = str(Path(spec_name).parent.resolve())
    context.params = spec_params(document)
    context.scale = float(settings.get("scale", 1))
    raw_steps = list(document.get("seed", []))
    context.breaks = break_cycles(factories, raw_steps, catalog)
    context.providers = tuple((target, context.base_dir) for target in settings.get("faker_providers", ()))
    ids = step_ids(raw_steps)
    steps = [
        level
        for i, raw in enumerate(raw_steps)
        for level in _tree_levels(raw, i, _compile_step(raw, i, ids[i], seed, context), seed, context)
    ]
    if source_map is not None:
        folder = Path(spec_name).parent
        steps = [dataclasses.replace(s, source=step_source(source_map, s.pointer, folder)) for s in steps]
    ordered = order_steps(steps)
    return Plan(
        spec=spec_name,
        digest=document_digest(document),
        seed=seed,
        locale=locale,
        now=now,
        batch_size=settings.get("batch_size", DEFAULT_BATCH_SIZE),
        steps=tuple(ordered),
        pool_columns=pool_columns(ordered),
        versions=library_versions(),
        params=tuple(context.params.items()),
        faker_providers=context.providers,
        generator_version=settings.get("generator_version", GENERATOR_VERSION),
    )


class _Context:
    """What compiling one step needs to look up: factories, tables, locale, reference time."""

    def __init__(self, factories: Mapping[str, Any], catalog: Catalog, locale: str, now: dt.datetime) -> None:
        self.factories, self.catalog, self.locale, self.now = factories, catalog, locale, now
        self.base_dir = "."
        self.params: dict[str, Any] = {}
        self.scale = 1.0
        self.breaks = CycleBreaks()
        self.providers: tuple[tuple[str, str], ...] = ()

    def table(self, factory: str) -> TableInfo:
        table = self.catalog.get(self.factories[factory]["table"])
        assert table is not None, "validation checks tables before compiling"
        return table

    def faker_signature(self, locale: str, method: str) -> inspect.Signature | None:
        return faker_methods(locale, self.providers).get(method)


def _compile_step(raw: Mapping[str, Any], index: int, step_id: str, seed: object, ctx: _Context) -> Step:
    fname = raw["factory"]
    factory = ctx.factories[fname]
    base = pointer("seed", index)
    states = tuple(raw.get("states", ()))
    fields = _overlay(factory, fname, states, ctx)
    for column, gen in raw.get("values", {}).items():
        _override(fields, column, (gen, base + pointer("values", column)), fname, ctx)
    records = _records(raw, base, fields, factory, fname, ctx)
    has_count = "count" in raw or "records" not in raw
    count, count_max = step_count(raw, ctx.params, ctx.scale)
    compiled = _compile_fields(fields, fname, raw.get("for_each"), ctx) if has_count else ()
    columns = [f.column for f in compiled] or _common_columns(records)
    every = (*compiled, *(f for r in records for f in r.fields))
    deps = {f.generator.factory for f in every if isinstance(f.generator, Ref) and not f.deferred}
    # a template reading a named record (user.admin.email) waits for that factory's steps too
    deps |= {n for f in every for t in templates_in(f.generator) for n in t.names} & set(ctx.factories)
    if raw.get("for_each"):
        deps.add(raw["for_each"])
    deps.discard(fname)
    return Step(
        id=step_id,
        factory=fname,
        table=factory["table"],
        seed=derive_seed(seed, step_id),
        key=_key(factory, ctx.table(fname), columns),
        pointer=base,
        count=count if has_count else 0,
        count_max=count_max if has_count else None,
        count_skew=_count_skew(raw.get("count"), count, count_max) if has_count else None,
        for_each=raw.get("for_each"),
        states=states,
        fields=compiled,
        records=records,
        depends_on=tuple(sorted(deps)),
        kinds=tuple((c.name, c.kind) for c in ctx.table(fname).columns),
        scales=tuple((c.name, c.scale) for c in ctx.table(fname).columns if c.scale is not None),
        on_existing=factory.get("on_existing", "skip"),
        duplicates=raw.get("duplicates") or factory.get("duplicates", "error"),
        exact=factory.get("exact", False),
        after_create=(
            *_hooks(factory.get("after_create"), pointer("factories", fname, "after_create"), ctx),
            *_hooks(raw.get("after_create"), base + "/after_create", ctx),
        ),
        name=raw.get("name"),
    )


def _count_skew(raw: Any, low: int, high: int | None) -> Distribution | None:
    """The distribution a ``{min, max, distribution}`` count draws per parent from, within [min, max]."""
    if not isinstance(raw, dict) or "distribution" not in raw or high is None:
        return None
    name = raw["distribution"]
    names = COUNT_PARAMETERS[name]
    return Distribution(
        name=name, params=tuple((k, float(raw[k])) for k in names), low=low, high=high, decimals=0
    )


def _tree_levels(raw: Mapping[str, Any], index: int, roots: Step, seed: object, ctx: _Context) -> list[Step]:
    """A step with ``tree``: its roots, then one step per level below them, each ``for_each`` row
    of the level above (``parents``), the tree field set to that parent."""
    tree = raw.get("tree")
    if tree is None:
        return [roots]
    fname = roots.factory
    column = tree["field"]
    ptr = pointer("seed", index, "tree", "field")
    link = _field(column, {"ref": fname}, ptr, ctx.table(fname), fname, ctx)
    fields = list(roots.fields)
    at = next((i for i, f in enumerate(fields) if f.column == column), None)
    if at is None:
        fields.insert(0, link)
    else:
        fields[at] = link
    count, count_max = step_count({"count": tree.get("children", 1), "for_each": fname}, ctx.params, 1.0)
    levels = [roots]
    for level in range(2, tree["depth"] + 1):
        level_id = f"{roots.id}/{level}"
        levels.append(
            dataclasses.replace(
                roots,
                id=level_id,
                seed=derive_seed(seed, level_id),
                count=count,
                count_max=count_max,
                count_skew=None,
                for_each=fname,
                parents=levels[-1].id,
                fields=tuple(fields),
                records=(),
            )
        )
    return levels


def _hooks(value: Any, ptr: str, ctx: _Context) -> tuple[Hook, ...]:
    """The hooks of an ``after_create`` value (one hook or a list), pointing at their text."""
    compiled = []
    for hook, at in written_hooks(value, ptr):
        if "sql" in hook:
            sql = hook["sql"]
            compiled.append(Hook(kind="sql", text=sql, pointer=at + "/sql", params=hook_parameters(sql)))
        else:
            target = hook["python"]
            compiled.append(Hook(kind="python", text=target, pointer=at + "/python", base_dir=ctx.base_dir))
    return tuple(compiled)


def _overlay(factory: Mapping[str, Any], fname: str, states: tuple[str, ...], ctx: _Context) -> _Raw:
    fbase = pointer("factories", fname)
    fields: _Raw = {c: (g, fbase + pointer("fields", c)) for c, g in factory["fields"].items()}
    for state in states:
        for column, gen in factory.get("states", {}).get(state, {}).items():
            _override(fields, column, (gen, fbase + pointer("states", state, column)), fname, ctx)
    return fields


def _override(fields: _Raw, name: str, entry: tuple[Any, str], fname: str, ctx: _Context) -> None:
    """``fields[name] = entry``, replacing the fields whose every column it fills: an override of
    ``user_id`` replaces the relationship ref ``user: {ref: user}`` filling it, and the other
    way round, so that each column keeps exactly one field (the override's)."""
    table = ctx.table(fname)
    filled = set(_filled_columns(name, entry[0], table, ctx))
    for other in [n for n in fields if n != name]:
        if set(_filled_columns(other, fields[other][0], table, ctx)) <= filled:
            del fields[other]
    fields[name] = entry


def _filled_columns(name: str, raw: Any, table: TableInfo, ctx: _Context) -> tuple[str, ...]:
    fk = _relationship(name, raw, table, ctx)
    return fk.columns if fk is not None else (name,)


def _records(
    raw: Mapping[str, Any],
    base: str,
    fields: _Raw,
    factory: Mapping[str, Any],
    fname: str,
    ctx: _Context,
) -> tuple[Record, ...]:
    records = raw.get("records", [])
    items = list(records.items()) if isinstance(records, dict) else list(enumerate(records))
    compiled = []
    for i, (name, overrides) in enumerate(items):
        rec_fields = dict(fields)
        fbase = pointer("factories", fname)
        for state in overrides.get("states", ()):
            for column, gen in factory.get("states", {}).get(state, {}).items():
                _override(rec_fields, column, (gen, fbase + pointer("states", state, column)), fname, ctx)
        rptr = base + pointer("records", name)
        for column, gen in overrides.items():
            if column != "states":
                _override(rec_fields, column, (gen, rptr + pointer(column)), fname, ctx)
        compiled.append(
            Record(
                name=name if isinstance(name, str) else None,
                index=i,
                pointer=rptr,
                fields=_compile_fields(rec_fields, fname, None, ctx),
            )
        )
    return tuple(compiled)


def _common_columns(records: tuple[Record, ...]) -> list[str]:
    if not records:
        return []
    common = [f.column for f in records[0].fields]
    return [c for c in common if all(any(f.column == c for f in r.fields) for r in records)]


def _key(factory: Mapping[str, Any], table: TableInfo, columns: list[str]) -> tuple[str, ...]:
    """The step's lookup key (see ``spec.keys``: the cycle breaker reads the same rule)."""
    return lookup_key(factory.get("key"), table, columns)


def _compile_fields(fields: _Raw, fname: str, for_each: str | None, ctx: _Context) -> tuple[Field, ...]:
    table = ctx.table(fname)
    relations = {c: fk for c, (g, _) in fields.items() if (fk := _relationship(c, g, table, ctx)) is not None}
    compiled = {
        col: _fields(col, gen, ptr, table, for_each, ctx, relations) for col, (gen, ptr) in fields.items()
    }
    waits = link_fields({c: g for c, (g, _) in fields.items()}, for_each, compiled)
    deps = {c: (_field_dependencies(g) | waits.get(c, set())) & set(fields) for c, (g, _) in fields.items()}
    if find_cycle(deps):
        raise AssertionError("validation reports field cycles before compiling")
    ordered: list[str] = []
    while len(ordered) < len(fields):
        ordered.append(next(c for c in fields if c not in ordered and deps[c] <= set(ordered)))
    return tuple(_deferral(f, fname, ctx) for c in ordered for f in compiled[c])


def _deferral(f: Field, fname: str, ctx: _Context) -> Field:
    """A ref that breaks a cycle is deferred: inserted as its placeholder, set later."""
    if not isinstance(f.generator, Ref) or f.generator.parent:
        return f
    if (fname, f.seed_name or f.column) not in ctx.breaks.deferred:
        return f
    return dataclasses.replace(f, deferred=True, placeholder=ctx.breaks.placeholder(fname, f.column))


def _relationship(name: str, raw: Any, table: TableInfo, ctx: _Context) -> ForeignKeyInfo | None:
    """The foreign key a ref names by relationship (``author: {ref: author}``) instead of by column."""
    if table.column(name) is not None or not isinstance(raw, dict) or not isinstance(raw.get("ref"), str):
        return None
    return relationship_key(name, ctx.table(raw["ref"].partition(".")[0]).name, table)


def _fields(
    column: str,
    raw: Any,
    ptr: str,
    table: TableInfo,
    for_each: str | None,
    ctx: _Context,
    relations: Mapping[str, ForeignKeyInfo],
) -> tuple[Field, ...]:
    if isinstance(raw, dict) and raw.get("distinct_per") in relations:
        raw = {**raw, "distinct_per": relations[raw["distinct_per"]].columns[0]}
    fk = relations.get(column)
    if fk is None:
        return (_field(column, raw, ptr, table, for_each, ctx),)
    return tuple(
        dataclasses.replace(
            _field(col, {**raw, "column": target}, ptr, table, for_each, ctx), seed_name=column
        )
        for col, target in zip(fk.columns, fk.target_columns, strict=True)
    )


def _field_dependencies(raw: Any) -> set[str]:
    deps = template_dependencies(raw)  # a uuid's time column included
    if isinstance(raw, dict) and isinstance(raw.get("distinct_per"), str):
        deps.add(raw["distinct_per"])
    return deps


def _field(column: str, raw: Any, ptr: str, table: TableInfo, for_each: str | None, ctx: _Context) -> Field:
    options = raw if isinstance(raw, dict) else {}
    return Field(
        column=column,
        pointer=ptr,
        generator=registry.compile_generator(
            raw, FieldSite(column=column, table=table, for_each=for_each), ctx
        ),
        null_rate=float(options.get("null_rate", 0.0)),
        unique=bool(options.get("unique", table.is_unique(column))) and "ref" not in options,
    )


def library_versions() -> tuple[tuple[str, str], ...]:
    """The libraries whose versions the generated values depend on (recorded in every plan)."""
    from importlib.metadata import version

    return (("faker", version("faker")),)
