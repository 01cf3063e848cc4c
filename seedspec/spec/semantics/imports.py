"""Checks of the code a spec names: Faker providers and custom generators must import.

These checks import that code (which runs it), as ``apply`` would: a failure is reported by
``validate``, located, instead of in the middle of an apply.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from seedspec.errors import Diagnostic
from seedspec.language import usercode as custom
from seedspec.language.fakers import Providers, provider_class
from seedspec.source import pointer
from seedspec.spec.semantics.common import error
from seedspec.spec.semantics.generators import every_generator


def faker_providers(settings: Mapping[str, Any], base_dir: Path) -> tuple[Providers, list[Diagnostic]]:
    """The ``settings.faker_providers`` that import, and an E339 for each one that does not."""
    found: list[tuple[str, str]] = []
    problems: list[Diagnostic] = []
    folder = str(base_dir.resolve())
    for i, target in enumerate(settings.get("faker_providers", ())):
        try:
            provider_class(target, folder)
        except custom.ImportTargetError as exc:
            problems.append(
                error(
                    "E339",
                    exc.describe("Faker provider", target),
                    pointer("settings", "faker_providers", i),
                    _hint(exc, base_dir, "install the package that provides it, or put the module there"),
                )
            )
        else:
            found.append((target, folder))
    return tuple(found), problems


def check_custom_generators(
    factories: Mapping[str, Any], steps: list[Any], base_dir: Path
) -> Iterator[Diagnostic]:
    """E340 for each ``python:`` generator whose function cannot be imported."""
    for ptr, gen in every_generator(factories, steps):
        if not (isinstance(gen, dict) and isinstance(gen.get("python"), str)):
            continue
        target = gen["python"]
        try:
            function = custom.import_object(target, base_dir)
        except custom.ImportTargetError as exc:
            yield error(
                "E340",
                exc.describe("custom generator", target),
                ptr + "/python",
                _hint(exc, base_dir, "check the module and function names"),
            )
            continue
        if not callable(function):
            yield error(
                "E340",
                f"custom generator '{target}' is not callable",
                ptr + "/python",
                "point at a function(row, n, random, fake, **args)",
            )


def _hint(exc: custom.ImportTargetError, base_dir: Path, advice: str) -> str:
    if exc.__cause__ is None:  # it imports, but is not what is asked for
        return exc.hint
    return f"the module is imported with the spec's folder ({base_dir}) first on sys.path; {advice}"
