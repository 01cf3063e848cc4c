"""seedspec: declarative, idempotent database seeding from YAML/TOML specs."""

from seedspec.api import (
    apply,
    compile,
    create_engine,
    database_url,
    library_drift,
    load,
    plan,
    plan_against,
    read_saved_plan,
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
from seedspec.ir import Plan, Report, Step
from seedspec.load import LoadedSpec

__all__ = [
    "DatabaseError",
    "Diagnostic",
    "LoadedSpec",
    "Location",
    "Plan",
    "Report",
    "SeedspecError",
    "Severity",
    "SpecInvalid",
    "Step",
    "apply",
    "compile",
    "create_engine",
    "database_url",
    "library_drift",
    "load",
    "plan",
    "plan_against",
    "read_saved_plan",
    "table_definitions",
    "validate",
]
