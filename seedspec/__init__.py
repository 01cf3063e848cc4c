"""seedspec: declarative, idempotent database seeding from YAML/TOML specs."""

from seedspec.api import (
    apply,
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
from seedspec.guard import Pattern
from seedspec.ir import Plan, Report, Step
from seedspec.load import LoadedSpec
from seedspec.select import Selection

__all__ = [
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
    "compile",
    "create_engine",
    "database_url",
    "init_spec",
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
