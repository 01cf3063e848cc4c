"""seedspec: declarative, idempotent database seeding from YAML/TOML specs."""

from seedspec.api import (
    apply,
    build,
    compile,
    create_engine,
    database_url,
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
from seedspec.guard import Pattern
from seedspec.ir import BuildReport, Plan, Report, Step
from seedspec.load import LoadedSpec
from seedspec.select import Selection

__all__ = [
    "BuildReport",
    "DatabaseError",
    "Diagnostic",
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
    "build",
    "compile",
    "create_engine",
    "database_url",
    "library_drift",
    "load",
    "new_factory",
    "new_spec",
    "plan",
    "plan_against",
    "protected_by",
    "read_saved_plan",
    "reset",
    "table_definitions",
    "validate",
]
