"""seedspec: declarative, idempotent database seeding from YAML/TOML specs.

Every public name is imported on first use (PEP 562): ``import seedspec`` costs almost nothing, and a
command such as ``seedspec validate`` never pays for the writer, the async API or the ORM.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "AsyncBind",
    "Bind",
    "BuildReport",
    "DatabaseError",
    "Diagnostic",
    "Factory",
    "Initialized",
    "LoadedSpec",
    "Location",
    "Pattern",
    "Plan",
    "Report",
    "SeedspecError",
    "Selection",
    "Severity",
    "SpecInvalid",
    "Step",
    "apply",
    "apply_async",
    "build",
    "compile",
    "create_engine",
    "database_url",
    "factory",
    "init_spec",
    "library_drift",
    "load",
    "new_factory",
    "new_spec",
    "plan",
    "plan_against",
    "plan_against_async",
    "plan_async",
    "protected_by",
    "read_saved_plan",
    "reset",
    "reset_async",
    "table_definitions",
    "validate",
]

if TYPE_CHECKING:
    from seedspec.api.aio import AsyncBind, apply_async, plan_against_async, plan_async, reset_async
    from seedspec.api.building import build
    from seedspec.api.factories import Factory, factory
    from seedspec.api.pipeline import apply, plan, plan_against, reset
    from seedspec.api.protection import protected_by
    from seedspec.api.saved_plans import library_drift, read_saved_plan
    from seedspec.api.scaffolding import init_spec, new_factory, new_spec
    from seedspec.api.specs import compile, database_url, load, table_definitions, validate
    from seedspec.compiler.selection import Selection
    from seedspec.database.guard import Pattern
    from seedspec.database.session import Bind, create_engine
    from seedspec.errors import DatabaseError, Diagnostic, Location, SeedspecError, Severity, SpecInvalid
    from seedspec.ir import Plan, Step
    from seedspec.outcome import BuildReport, Report
    from seedspec.scaffold.draft_spec import Initialized
    from seedspec.spec.loader import LoadedSpec

_HOME = {
    **dict.fromkeys(("Bind", "create_engine"), "seedspec.database.session"),
    **dict.fromkeys(("apply", "plan", "plan_against", "reset"), "seedspec.api.pipeline"),
    **dict.fromkeys(
        ("compile", "database_url", "load", "table_definitions", "validate"), "seedspec.api.specs"
    ),
    **dict.fromkeys(("init_spec", "new_factory", "new_spec"), "seedspec.api.scaffolding"),
    **dict.fromkeys(("library_drift", "read_saved_plan"), "seedspec.api.saved_plans"),
    "build": "seedspec.api.building",
    "protected_by": "seedspec.api.protection",
    **dict.fromkeys(
        ("AsyncBind", "apply_async", "plan_against_async", "plan_async", "reset_async"), "seedspec.api.aio"
    ),
    **dict.fromkeys(("Factory", "factory"), "seedspec.api.factories"),
    **dict.fromkeys(
        ("DatabaseError", "Diagnostic", "Location", "SeedspecError", "Severity", "SpecInvalid"),
        "seedspec.errors",
    ),
    **dict.fromkeys(("Plan", "Step"), "seedspec.ir"),
    **dict.fromkeys(("BuildReport", "Report"), "seedspec.outcome"),
    "Initialized": "seedspec.scaffold.draft_spec",
    "LoadedSpec": "seedspec.spec.loader",
    "Pattern": "seedspec.database.guard",
    "Selection": "seedspec.compiler.selection",
}


def __getattr__(name: str) -> Any:
    """A public name, imported from the module that defines it when first read."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'seedspec' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
