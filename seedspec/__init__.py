"""seedspec: declarative, idempotent database seeding from YAML/TOML specs."""

from seedspec.aio import AsyncBind, apply_async, plan_against_async, plan_async, reset_async
from seedspec.api import (
    Bind,
    apply,
    build,
    compile,
    create_engine,
    database_url,
    init_spec,
    library_drift,
    load,
    new_factory,
    new_spec,
    plan,
    plan_against,
    protected_by,
    read_saved_plan,
    reset,
    table_definitions,
    validate,
)
from seedspec.errors import (
    DatabaseError,
    Diagnostic,
    Location,
    SeedspecError,
    Severity,
    SpecInvalid,
)
from seedspec.factories import Factory, factory
from seedspec.guard import Pattern
from seedspec.introspect import Initialized
from seedspec.ir import BuildReport, Plan, Report, Step
from seedspec.load import LoadedSpec
from seedspec.select import Selection

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
