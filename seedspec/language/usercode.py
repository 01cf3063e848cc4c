"""User code named in a spec (``package.module:attr``), imported from next to the spec.

Importing runs that module's code, exactly as ``import`` does: specs that name code are code.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any


class ImportTargetError(Exception):
    """The target cannot be imported or is not what was asked for; ``hint`` says what to check."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint

    def describe(self, what: str, target: str) -> str:
        """``cannot import table models 'm:Base': ModuleNotFoundError: ...`` for a failed import."""
        cause = self.__cause__
        if cause is None:
            return str(self)
        return f"cannot import {what} '{target}': {cause.__class__.__name__}: {cause}"


def import_object(target: str, spec_dir: Path) -> Any:
    """``module:attr.path`` imported with the spec's folder first on ``sys.path``."""
    module_name, _, attr = target.partition(":")
    folder = spec_dir.resolve()  # '.' on sys.path would follow the process's working directory
    added = str(folder) not in sys.path
    if added:
        sys.path.insert(0, str(folder))
    try:
        _forget_other_copies(module_name.split(".")[0], folder)  # a name too long: OSError
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except Exception as exc:  # any failure of user code while importing is the user's to fix
        raise ImportTargetError(
            f"cannot import '{target}': {exc.__class__.__name__}: {exc}",
            f"the module is imported with the spec's folder ({spec_dir}) on sys.path",
        ) from exc
    finally:
        if added:
            sys.path.remove(str(folder))
    return obj


def _forget_other_copies(package: str, spec_dir: Path) -> None:
    """Two specs may each ship a ``myapp`` of their own: when this spec's folder has one, a
    ``myapp`` imported from elsewhere must not stand in for it."""
    local = spec_dir / package
    if not (local.is_dir() or local.with_suffix(".py").is_file()):
        return
    loaded = sys.modules.get(package)
    origin = getattr(loaded, "__file__", None) if loaded is not None else None
    if origin is None or Path(origin).resolve().is_relative_to(spec_dir.resolve()):
        return
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]


@cache
def resolve(target: str, base_dir: str) -> Callable[..., Any]:
    """The custom generator function ``target`` (a ``python:`` generator)."""
    obj = import_object(target, Path(base_dir))
    if not callable(obj):
        raise ImportTargetError(
            f"'{target}' is not callable", "point at a function(row, n, random, fake, **args)"
        )
    return obj  # type: ignore[no-any-return]
