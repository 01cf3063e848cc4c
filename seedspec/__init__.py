"""seedspec: declarative, idempotent database seeding from YAML/TOML specs.

The async API, factories, ``init_spec``'s result type and ``Bind`` (which names the ORM's
``Session``) are imported on first use: a command such as ``seedspec validate`` never pays for them.
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from seedspec.api import (
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
from seedspec.guard import Pattern
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

if TYPE_CHECKING:
    from seedspec.aio import AsyncBind, apply_async, plan_against_async, plan_async, reset_async
    from seedspec.api import Bind
    from seedspec.factories import Factory, factory
    from seedspec.introspect import Initialized

_LAZY = {
    "Bind": "seedspec.api",
    "AsyncBind": "seedspec.aio",
    "apply_async": "seedspec.aio",
    "plan_against_async": "seedspec.aio",
    "plan_async": "seedspec.aio",
    "reset_async": "seedspec.aio",
    "Factory": "seedspec.factories",
    "factory": "seedspec.factories",
    "Initialized": "seedspec.introspect",
}


def __getattr__(name: str) -> Any:
    """The names of ``_LAZY``, imported when first read."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'seedspec' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """The package, whose functions ``apply``, ``build``, ``compile``, ``reset`` ... keep their
    names when the submodule of the same name is first imported (lazily, by the API): importing
    ``seedspec.apply`` would otherwise rebind ``seedspec.apply`` to the module."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in __all__ and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
