"""Render plans, reports and diagnostics as text or JSON. Pure: returns strings, prints nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence as Seq

from seedspec.compiler.planfile import plan_to_json
from seedspec.errors import Diagnostic, Severity
from seedspec.generation.columns import step_per_value_faker
from seedspec.generators import registry
from seedspec.ir import Aggregate, Field, Generator, Hook, Plan, Step
from seedspec.outcome import BuildReport, Report, StepReport


def diagnostic_text(d: Diagnostic) -> str:
    """``file:line:col: error CODE: message``, then the spec path and the hint, indented."""
    where = f"{d.location}: " if d.location else ""
    lines = [f"{where}{d.severity.value} {d.code}: {d.message}"]
    if d.pointer:
        lines.append(f"  at {d.pointer}")
    if d.hint:
        lines.append(f"  hint: {d.hint}")
    return _printable("\n".join(lines))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _printable(text: str) -> str:
    """Control characters a spec wrote (a NUL, a terminal escape) shown as ``\\x00``, not sent."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def diagnostics_text(diagnostics: Seq[Diagnostic], *, limit: int = 50) -> str:
    """All diagnostics, best first, then a count of what was left out and a summary line."""
    shown = [diagnostic_text(d) for d in diagnostics[:limit]]
    if len(diagnostics) > limit:
        shown.append(f"... and {len(diagnostics) - limit} more")
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    shown.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    return "\n".join(shown)


def diagnostics_json(diagnostics: Seq[Diagnostic]) -> str:
    """The same fields as the text form, for scripts and editors."""
    return json.dumps([d.as_dict() for d in diagnostics], indent=2)


def describe_generator(gen: Generator) -> str:
    """One short phrase for a generator, as the plan shows it (its kind's description)."""
    return registry.describe(gen)


HOOK_SQL_SHOWN = 100  # characters of a SQL hook the text plan shows


def describe_hook(hook: Hook) -> str:
    """One line for a hook: ``sql UPDATE ...`` (whitespace collapsed, shortened) or ``python m:f``."""
    text = " ".join(hook.text.split())
    if len(text) > HOOK_SQL_SHOWN:
        text = text[: HOOK_SQL_SHOWN - 3] + "..."
    return f"{hook.kind} {text}"


def _field_line(f: Field, per_value: bool = False) -> str:
    """A field and its generator; ``per_value``: a Faker call generator version 3 draws one value
    at a time (no vectorised provider), as version 2 does."""
    extras = (["unique"] if f.unique else []) + ([f"null {f.null_rate:g}"] if f.null_rate else [])
    extras += ["per-value Faker"] if per_value else []
    extras += ["deferred"] if f.deferred else []
    return f"      {f.column}: {describe_generator(f.generator)}" + (
        f"  [{', '.join(extras)}]" if extras else ""
    )


def _rows_phrase(step: Step) -> str:
    parts = []
    if step.records:
        names = [r.name for r in step.records if r.name]
        parts.append(
            f"{len(step.records)} record{'s' * (len(step.records) != 1)}"
            + (f" ({', '.join(names)})" if names else "")
        )
    if step.fields:
        count = f"{step.count}..{step.count_max}" if step.count_max is not None else str(step.count)
        if step.count_skew is not None:
            count += (
                " ("
                + ", ".join([step.count_skew.name, *(f"{k}={v:g}" for k, v in step.count_skew.params)])
                + ")"
            )
        plural = "" if count == "1" else "s"
        parent = f"row of {step.parents}" if step.parents else str(step.for_each)
        parent += "".join(f" where {c} in {list(v)!r}" for c, v in step.parent_where)
        parts.append(f"{count} per {parent}" if step.for_each else f"{count} row{plural}")
    return " + ".join(parts)


def plan_text(plan: Plan, *, verbose: bool = False) -> str:
    """The plan, one step per line; ``verbose`` adds every field's generator."""
    lines = [
        f"plan for {plan.spec}: {len(plan.steps)} steps, seed {plan.seed}, locale {plan.locale}, "
        f"now {plan.now}, digest {plan.digest}"
    ]
    if plan.params:
        shown = (f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in plan.params)
        lines.append("  params: " + ", ".join(shown))
    settled = plan.deferred_updates()
    settled_at = {later.id: at for at, steps in settled.items() for later in steps}
    aggregated = plan.aggregate_updates()
    for i, step in enumerate(plan.steps, 1):
        lines.append(
            f"  {i}. {step.id} -> {step.table}: {_rows_phrase(step)}; key ({', '.join(step.key)}); "
            f"seed {step.seed:016x}"
        )
        origin = [f"from {step.source}"] if step.source else []
        origin += [f"name {step.name}"] if step.name else []
        if origin:
            lines.append(f"     {', '.join(origin)}")
        if step.depends_on:
            lines.append(f"     after: {', '.join(step.depends_on)}")
        lines.extend(f"     after_create: {describe_hook(h)}" for h in step.after_create)
        if step.deferred_fields:
            held = ", ".join(f"{f.column} = {_placeholder(f.placeholder)}" for f in step.deferred_fields)
            lines.append(f"     deferred (a cycle): {held} until set after {settled_at[step.id]}")
        lines.extend(
            f"     then: UPDATE {later.table} SET {', '.join(f.column for f in later.deferred_fields)} "
            f"of the rows of {later.id}"
            for later in settled.get(step.id, ())
        )
        lines.extend(
            f"     then: {_aggregated(plan, factory)} of the rows of {factory} (aggregates)"
            for factory in aggregated.get(step.id, ())
        )
        if verbose:
            slow = (
                {id(f) for f in step_per_value_faker(step, plan.now)}
                if plan.generator_version >= 3
                else set()
            )
            lines.extend(_field_line(f, id(f) in slow) for f in step.fields)
    return "\n".join(lines)


def _aggregated(plan: Plan, factory: str) -> str:
    """``UPDATE orders SET total = sum(item), ...``: what is set once the children exist."""
    steps = [s for s in plan.steps if s.factory == factory]
    fields = {f.column: f.generator for s in steps for f in s.aggregate_fields}
    sets = ", ".join(
        f"{column} = {gen.function}({gen.child})"
        for column, gen in fields.items()
        if isinstance(gen, Aggregate)
    )
    return f"UPDATE {steps[0].table} SET {sets}"


def _placeholder(value: object) -> str:
    return "NULL" if value is None else f"placeholder {value!r}"


def plan_json(plan: Plan) -> str:
    """The plan as JSON."""
    return plan_to_json(plan)


def plan_with_report_json(plan: Plan, report: Report) -> str:
    """The plan JSON with what applying it would do under ``"against"``."""
    data = json.loads(plan_to_json(plan))
    data["against"] = json.loads(report_json(report))
    return json.dumps(data, indent=2)


def report_text(report: Report) -> str:
    """A table of rows per table (created / existing, plus updated / differing and duplicate when
    any), a total, and the field diffs of differing rows."""
    tables = report.tables
    extra = any(t.updated or t.differing for t in tables)
    verbs = (
        ("to create", "found", "to update", "differing")
        if report.dry_run
        else ("created", "existing", "updated", "differing")
    )
    heads = verbs if extra else verbs[:2]
    columns = [
        (t.created, t.existing, t.updated, t.differing)[: len(heads)] for t in (*tables, _total(tables))
    ]
    if any(t.duplicate for t in tables):  # keys the run drew twice: never rows found
        heads = (*heads, "duplicate")
        columns = [
            (*values, t.duplicate) for values, t in zip(columns, (*tables, _total(tables)), strict=True)
        ]
    width = max([len(t.table) for t in tables] + [5])
    head = "plan against" if report.dry_run else "applied"
    lines = [_reset_line(report)] if report.reset else []
    if not report.steps and report.reset:
        return lines[0]
    lines += [
        f"{head} {report.spec} {'on' if report.dry_run else 'to'} {report.database}",
        f"  {'table':<{width}}" + "".join(f"  {h:>10}" for h in heads),
    ]
    for t, values in zip((*tables, _total(tables)), columns, strict=True):
        lines.append(f"  {t.table:<{width}}" + "".join(f"  {v:>10}" for v in values))
    for t in tables:
        lines.extend(_diff_lines(t))
    lines.extend(_removal_lines(report))
    lines.extend(f"  note: {note}" for note in report.notes)
    return "\n".join(lines)


def _removal_lines(report: Report) -> list[str]:
    """The rows the spec owns and no longer declares: removed by a prune, else pending."""
    if not report.removals:
        return []
    n = len(report.removals)
    rows = f"{n} row{'s' * (n != 1)}"
    if report.pruned and not report.dry_run:
        head = f"pruned {rows} the spec no longer declares:"
    elif report.pruned:
        head = f"to prune: {rows} the spec no longer declares:"
    else:
        head = f"pending removal: {rows} the spec owns and no longer declares (apply --prune removes them):"
    return [head] + [f"  - {r.table} {_key_text(r.columns, r.key)} (step {r.step})" for r in report.removals]


def _key_text(columns: tuple[str, ...], key: tuple[object, ...]) -> str:
    return ", ".join(f"{c}={v!r}" for c, v in zip(columns, key, strict=True))


def steps_text(report: Report) -> str:
    """One line per step, in order: its id, table, rows created / existing / updated and time."""
    return "\n".join(
        f"  step {s.step} -> {s.table}: {s.created} created, {s.existing} existing, "
        f"{s.updated} updated{f', {s.duplicate} duplicate' if s.duplicate else ''} ({s.seconds:.2f} s)"
        for s in report.steps
    )


def build_text(report: BuildReport) -> str:
    """Rows written per table, where, and the files."""
    tables = report.tables
    width = max([len(t.table) for t in tables] + [5])
    heads: tuple[str, ...] = ("built", "existing") if any(t.existing for t in tables) else ("built",)
    if any(t.duplicate for t in tables):
        heads = (*heads[:1], "existing", "duplicate")
    shards = ""
    if report.shards:
        which = f"shard {report.shards[0]}" if len(report.shards) == 1 else f"{len(report.shards)} shards"
        shards = f", {which}" + (f" on {report.engine}" if report.engine != "local" else "")
    lines = [
        f"built {report.spec} as {report.format} for {report.dialect} to {report.destination}{shards}",
        f"  {'table':<{width}}" + "".join(f"  {h:>10}" for h in heads),
    ]
    for t in (*tables, _total(tables)):
        values = (t.created, t.existing, t.duplicate)[: len(heads)]
        lines.append(f"  {t.table:<{width}}" + "".join(f"  {v:>10}" for v in values))
    lines.extend(f"  wrote {path}" for path in report.files)
    return "\n".join(lines)


def hooks_not_run_note(report: BuildReport) -> str:
    """The note that a build did not run the after_create hooks of some steps."""
    steps = ", ".join(report.hooks_not_run)
    return f"note: after_create hooks need a database and did not run in build (steps {steps})"


def _reset_line(report: Report) -> str:
    emptied = ", ".join(f"{table} ({rows} row{'s' * (rows != 1)})" for table, rows in report.reset)
    return f"reset {report.database}: emptied {emptied}"


def _total(tables: tuple[StepReport, ...]) -> StepReport:
    return StepReport(
        step="*",
        factory="*",
        table="total",
        created=sum(t.created for t in tables),
        existing=sum(t.existing for t in tables),
        updated=sum(t.updated for t in tables),
        differing=sum(t.differing for t in tables),
        duplicate=sum(t.duplicate for t in tables),
    )


def _diff_lines(t: StepReport) -> list[str]:
    lines = []
    for diff in t.diffs:
        lines.append(f"  ~ {t.table} key {diff.key!r} (row {diff.n}):")
        lines.extend(f"      {col}: {old!r} -> {new!r}" for col, old, new in diff.changes)
    if t.differing > len(t.diffs):
        lines.append(f"  ~ {t.table}: {t.differing - len(t.diffs)} more differing rows")
    return lines


def report_json(report: Report) -> str:
    """The report as JSON, per step and per table, with the diffs shown."""
    counts = ("created", "existing", "updated", "differing", "duplicate")

    def as_dict(s: StepReport) -> dict[str, object]:
        return {
            "step": s.step,
            "factory": s.factory,
            "table": s.table,
            **{k: getattr(s, k) for k in counts},
            "diffs": [
                {
                    "row": d.n,
                    "key": [str(k) for k in d.key],
                    "changes": [{"column": c, "stored": str(o), "spec": str(n)} for c, o, n in d.changes],
                }
                for d in s.diffs
            ],
        }

    return json.dumps(
        {
            "spec": report.spec,
            "database": report.database,
            "dry_run": report.dry_run,
            "created": report.created,
            "updated": report.updated,
            "duplicate": report.duplicate,
            "pending": report.pending,
            "reset": dict(report.reset),
            "pruned": report.pruned,
            "removals": [
                {"step": r.step, "table": r.table, "key": dict(zip(r.columns, r.key, strict=True))}
                for r in report.removals
            ],
            "steps": [as_dict(s) for s in report.steps],
            "tables": [
                {k: v for k, v in as_dict(t).items() if k not in ("step", "factory")} for t in report.tables
            ],
            **({"notes": list(report.notes)} if report.notes else {}),
        },
        indent=2,
    )
