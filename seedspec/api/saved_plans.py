"""Plans saved by ``seedspec plan --out``: reading them, the library and generator versions they
recorded, and whether applying now would still do what one says."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from seedspec.errors import DatabaseError, Diagnostic, Location, SeedspecError, Severity
from seedspec.ir import Plan
from seedspec.spec.loader import LoadedSpec


def read_saved_plan(path: Path) -> dict[str, Any]:
    """The JSON of a plan saved by ``seedspec plan --out``.

    Raises:
        SeedspecError: E406, the file is unreadable or not a plan.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SeedspecError(_unreadable_plan(f"cannot read saved plan {path}: {exc}")) from exc
    if not isinstance(data, dict):
        raise SeedspecError(_unreadable_plan(f"{path} is not a seedspec plan"))
    return data


def _unreadable_plan(message: str) -> Diagnostic:
    hint = "write one with 'seedspec plan SPEC --out plan.json'"
    return Diagnostic(code="E406", message=message, hint=hint)


def library_drift(plan_path: Path) -> tuple[Diagnostic, ...]:
    """W404 for every library (Faker) whose version differs from the one a saved plan recorded:
    values drawn from it may differ from what that plan, and the rows it created, hold."""
    from seedspec.compiler.planfile import version_drift
    from seedspec.compiler.steps import library_versions

    saved = read_saved_plan(plan_path)
    text = plan_path.read_text(encoding="utf-8")
    return tuple(
        Diagnostic(
            code="W404",
            severity=Severity.WARNING,
            location=_json_key_location(text, str(plan_path), "versions", lib),
            pointer=f"/versions/{lib}",
            message=f"{plan_path.name} was made with {lib} {then or '(not recorded)'}; this is {lib} {now}",
            hint=f"values drawn from {lib} may differ from that plan's: re-plan and review "
            f"(seedspec plan --out), or install {lib}=={then}"
            if then
            else "re-plan with this seedspec (seedspec plan --out) and review",
        )
        for lib, then, now in version_drift(saved, library_versions())
    )


def generator_drift(plan_path: Path, spec: LoadedSpec) -> tuple[Diagnostic, ...]:
    """W405 when a saved plan was drawn under another generator version than ``spec`` draws with
    now (its ``settings.generator_version``, else the newest): every generated value, so every
    key made of them, may differ from the rows that plan created."""
    from seedspec.ir import GENERATOR_VERSION

    saved = read_saved_plan(plan_path)
    settings = spec.document.get("settings")
    now = (
        settings.get("generator_version", GENERATOR_VERSION)
        if isinstance(settings, dict)
        else GENERATOR_VERSION
    )
    then = saved.get("generator_version")
    if then == now:
        return ()
    text = plan_path.read_text(encoding="utf-8")
    pin = f"settings: {{generator_version: {then}}}" if isinstance(then, int) else None
    return (
        Diagnostic(
            code="W405",
            severity=Severity.WARNING,
            location=_json_key_location(text, str(plan_path), "generator_version", "generator_version"),
            pointer="/generator_version",
            message=f"{plan_path.name} was drawn with generator version {then or '(not recorded)'}; "
            f"{spec.path.name} draws with version {now}",
            hint=f"to keep the values (and keys) of the rows that plan created, pin the spec to it "
            f"({pin}); else re-plan and review (seedspec plan --out)"
            if pin
            else "re-plan with this seedspec (seedspec plan --out) and review",
        ),
    )


def _json_key_location(text: str, file: str, section: str, key: str) -> Location:
    """Where ``"key"`` appears after ``"section"`` in a JSON text (its start if absent)."""
    start = text.find(f'"{section}"')
    at = text.find(f'"{key}"', max(start, 0))
    at = at if at >= 0 else max(start, 0)
    line = text.count("\n", 0, at) + 1
    return Location(file=file, line=line, column=at - (text.rfind("\n", 0, at) + 1) + 1)


def check_saved_plan(
    saved: Mapping[str, Any], execution: Plan, connection: Connection, metadata: sa.MetaData
) -> None:
    from seedspec.compiler.planfile import staleness
    from seedspec.database.writer import apply_plan
    from seedspec.report.render import report_json

    with connection.begin_nested() as savepoint:
        report = apply_plan(execution, connection, metadata, dry_run=True)
        savepoint.rollback()
    reason = staleness(saved, execution, json.loads(report_json(report)))
    if reason is not None:
        raise DatabaseError(
            Diagnostic(
                code="E405",
                message=f"the saved plan is stale: {reason}",
                hint="run 'seedspec plan --out' again, review it, then apply that plan",
            )
        )
