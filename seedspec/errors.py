"""Diagnostics and the one error root: everything a user can fix is a ``SeedspecError``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_URL_PASSWORD = re.compile(r"""(://[^:/@\s]*:)[^\s'"]*@""")  # greedy: a password may hold @


class Severity(StrEnum):
    """How bad a diagnostic is: errors fail validation, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """A position in a spec file; line and column are 1-based."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    """One located problem: stable code, message, JSON pointer into the spec and a hint."""

    code: str
    message: str
    location: Location | None = None
    pointer: str = ""
    hint: str = ""
    severity: Severity = Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by ``--format json``."""
        loc = self.location
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "pointer": self.pointer,
            "hint": self.hint,
        }


class SeedspecError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback and exits 1."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...] | Diagnostic) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = (diagnostics,)
        self.diagnostics = diagnostics
        super().__init__(diagnostics[0].message if diagnostics else "seedspec error")


class SpecInvalid(SeedspecError):
    """The spec failed loading or validation."""


class DatabaseError(SeedspecError):
    """The database could not be reached, lacks a table, or refused a row."""


def database_reason(exc: BaseException) -> str:
    """The first line of what the database driver said (a SQLAlchemy error's ``orig``), with any
    URL's password masked."""
    orig = getattr(exc, "orig", None)
    return masked(str(orig).strip().splitlines()[0] if orig else str(exc))


def masked(text: str) -> str:
    """``text`` with the password of every URL in it shown as ``***`` (``scheme://user:***@``)."""
    return _URL_PASSWORD.sub(r"\1***@", text)
