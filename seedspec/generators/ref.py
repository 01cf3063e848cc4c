"""``ref``: belongs-to, a column of a row of another factory's pool (or of a named record).

What a ref picks depends on the run (the pools, the picks already made): generation keeps that,
and this kind's draw asks it (``Maker.pick``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from seedspec.catalog import TableInfo
from seedspec.errors import Diagnostic
from seedspec.generators import template
from seedspec.generators.base import Cell, CheckScope, CompileContext, FieldSite, Kind, Maker
from seedspec.ir import Ref
from seedspec.language import templates
from seedspec.language.convert import convert


def check(raw: Mapping[str, Any], ptr: str, scope: CheckScope) -> Iterator[Diagnostic]:
    """The factory exists, so does the named record, and ``distinct_per`` is a field of the row."""
    target, _, record = raw["ref"].partition(".")
    if target not in scope.factories:
        yield Diagnostic(
            code="E300",
            message=f"ref to unknown factory '{target}'",
            pointer=ptr + "/ref",
            hint=scope.suggest(target, scope.factories),
        )
        return
    named = scope.records.get(target, frozenset())
    if record and record not in named:
        yield Diagnostic(
            code="E302",
            message=f"unknown named record '{target}.{record}'",
            pointer=ptr + "/ref",
            hint=scope.suggest(record, named),
        )
    if "a" in raw and raw.get("pick") != "zipf":
        yield Diagnostic(
            code="E393",
            message=f"'a' is the exponent of pick: zipf, but this ref picks {raw.get('pick', 'random')}",
            pointer=ptr + "/a",
            hint="add pick: zipf to skew the picks (a few rows picked most), or drop a",
        )
    if record and "max_picks" in raw:
        yield Diagnostic(
            code="E395",
            message=f"max_picks caps how often each pool row is picked, but this ref reads one "
            f"named record, '{target}.{record}'",
            pointer=ptr + "/max_picks",
            hint=f"ref the factory ({{ref: {target}, max_picks: ...}}) to spread the rows over its pool, "
            "or drop max_picks",
        )
    if "max_picks" in raw and "distinct_per" in raw:
        yield Diagnostic(
            code="E395",
            message="max_picks and distinct_per cannot be combined on one ref",
            pointer=ptr + "/max_picks",
            hint="keep one: distinct_per for pairs that never repeat, max_picks to cap each row's picks",
        )
    per = raw.get("distinct_per")
    if per is not None and per not in scope.fields:
        yield Diagnostic(
            code="E313",
            message=f"distinct_per names '{per}', which is not a field of this factory",
            pointer=ptr + "/distinct_per",
            hint=scope.suggest(per, scope.fields),
        )


def compile(raw: Mapping[str, Any], site: FieldSite, ctx: CompileContext) -> Ref:
    target, _, record = raw["ref"].partition(".")
    target_table = ctx.table(target)
    target_column = raw.get("column")
    fk = site.table.foreign_key_of(site.column)
    if target_column is None and fk is not None and fk.target_table == target_table.name:
        target_column = fk.target_columns[0]
    if target_column is None:
        target_column = target_table.primary_key[0] if target_table.primary_key else "id"
    written = raw.get("where", {})
    templated = {c: v for c, v in written.items() if isinstance(v, str) and templates.is_template(v)}
    where = _where({c: v for c, v in written.items() if c not in templated}, target_table)
    return Ref(
        factory=target,
        column=target_column,
        record=record or None,
        pick=raw.get("pick", "random"),
        distinct_per=raw.get("distinct_per"),
        parent=bool(target == site.for_each and not record and not written),
        where=where,
        where_row=tuple((c, template.of_source(v)) for c, v in sorted(templated.items())),
        skew=float(raw.get("a", 1.0)) if raw.get("pick") == "zipf" else None,
        max_picks=raw.get("max_picks"),
    )


def _where(where: Mapping[str, Any], table: TableInfo) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """A ref's filter, (column, allowed values) sorted by column, values as the column's type."""
    compiled = []
    for column, wanted in sorted(where.items()):
        info = table.column(column)
        values = wanted if isinstance(wanted, list) else [wanted]
        compiled.append((column, tuple(_as_kind(v, info.kind if info else "other") for v in values)))
    return tuple(compiled)


def _as_kind(value: Any, kind: str) -> Any:
    try:
        return convert(value, kind)
    except (TypeError, ValueError, ArithmeticError):  # validation reports what cannot match
        return value


def draw(gen: Ref, maker: Maker, cell: Cell, seed: int, _attempt: int) -> Any:
    if gen.via is not None:  # the row another field of this row picked
        return maker.related(cell, gen.factory, gen.via)[gen.column]
    if gen.where_row:
        wanted = tuple((c, template.render(t, maker, cell, seed)) for c, t in gen.where_row)
        return maker.pick(cell, seed, wanted)
    return maker.pick(cell, seed)


def describe(gen: Ref) -> str:
    target = f"{gen.factory}.{gen.record}" if gen.record else gen.factory
    how = "parent" if gen.parent else gen.pick
    how += f" a={gen.skew:g}" if gen.skew is not None and not gen.parent else ""
    how += "".join(f", where {c} in {list(v)!r}" for c, v in gen.where)
    how += "".join(f", where {c} = {t.source!r} of the row" for c, t in gen.where_row)
    extra = f", distinct per {gen.distinct_per}" if gen.distinct_per else ""
    extra += f", at most {gen.max_picks} per row" if gen.max_picks else ""
    if gen.via is not None:
        return f"ref {target}.{gen.column} (of the row {gen.via[0]} picked)"
    return f"ref {target}.{gen.column} ({how}{extra})"


KIND = Kind(name="ref", ir=Ref, compile=compile, draw=draw, describe=describe, check=check)
