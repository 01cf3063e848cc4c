"""Diagnostics and the one error root: everything a user can fix is a ``SeedspecError``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

_URL_START = re.compile(r"[A-Za-z][\w+.-]*://")
# a password given as a query parameter (``?password=...``) or a DSN keyword (``password=... host=...``)
_KEYWORD_PASSWORD = re.compile(r"(?i)\b(password|passwd|pwd)(\s*=\s*)('[^']*'|\"[^\"]*\"|[^&\s;'\"]+)")
_USER = re.compile(r"[^:/?#@\s'\"]*:")  # ``user:`` right after ``://``: a password follows


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
    """``text`` with the password of every URL in it shown as ``***`` (``scheme://user:***@``), and
    every password given as a keyword (``?password=...``, ``password=...`` in a DSN) too.

    The URL need not parse. Its password runs from ``user:`` to the last ``@`` before the path
    (``/``) or query (``?``), so it may hold ``@`` (``postgresql://app:s3cr@t@db/x``); one with
    spaces is masked up to its ``@`` when no ``@`` nearer needs none. A ``:`` in the host
    (``db.example.com:3306/app?note=a@b``) starts no password.
    """
    shown, done = [], 0
    for start in _URL_START.finditer(text):
        span = _password(text, start.end())
        if span is not None and span[0] >= done:
            shown += [text[done : span[0]], "***"]
            done = span[1]
    return _KEYWORD_PASSWORD.sub(r"\1\2***", "".join(shown) + text[done:])


def _password(text: str, authority: int) -> tuple[int, int] | None:
    """Where the password of the URL whose authority starts at ``authority`` is, if it has one."""
    user = _USER.match(text, authority)
    if user is None:
        return None
    begin = user.end()
    end = len(text)
    for stop in ("\n", "/", "?"):
        found = text.find(stop, begin)
        end = found if 0 <= found < end else end
    ats = [i for i in range(begin, end) if text[i] == "@"]
    plain = [i for i in ats if not any(c.isspace() or c in "'\"" for c in text[begin:i])]
    if plain:
        return begin, plain[-1]
    if ats and not any(c in "'\"" for c in text[begin : ats[0]]):
        return begin, ats[0]
    return None


def shown_url(url: URL | str) -> str:
    """A database URL (a ``URL`` or text) to show: its password as ``***``. Text is masked as
    ``masked`` does, so that importing the errors never imports SQLAlchemy."""
    return masked(url if isinstance(url, str) else url.render_as_string(hide_password=True))
