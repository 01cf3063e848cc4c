"""The production guard: ``protect:`` URL patterns that apply and reset refuse without ``--force``. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePath

from sqlalchemy.engine import URL, make_url

from seedspec.database.dialects import dialect_for
from seedspec.errors import DatabaseError, Diagnostic, Location, shown_url

ENV_VARIABLE = "SEEDSPEC_PROTECT"


@dataclass(frozen=True, slots=True, kw_only=True)
class Pattern:
    """A protected-URL pattern and where it was declared (a spec location, or the environment)."""

    text: str
    origin: str
    location: Location | None = None
    pointer: str = ""


def env_patterns(value: str | None) -> tuple[Pattern, ...]:
    """The patterns of ``SEEDSPEC_PROTECT`` (comma-separated)."""
    parts = (p.strip() for p in (value or "").split(","))
    return tuple(Pattern(text=p, origin=ENV_VARIABLE) for p in parts if p)


def matching(url: str, patterns: Sequence[Pattern]) -> Pattern | None:
    """The first pattern that ``url`` (rendered without its password) matches, case-insensitively.

    A pattern matches the whole URL (``*prod*``, ``postgresql*://*@db.internal*``) or, when it
    has no ``://``, also a host or the database name alone (``db.internal``, ``shop_production``;
    for SQLite, the file's name with or without its suffix).
    """
    parsed = make_url(url)
    texts = [parsed.render_as_string(hide_password=True)]
    parts = [*_hosts(parsed), parsed.database or ""]
    if dialect_for(parsed.get_backend_name()).database_is_file and parsed.database:
        parts += [PurePath(parsed.database).name, PurePath(parsed.database).stem]
    for pattern in patterns:
        wanted = pattern.text.lower()
        candidates = texts if "://" in wanted else [*texts, *parts]
        if any(fnmatchcase(c.lower(), wanted) for c in candidates if c):
            return pattern
    return None


def _hosts(parsed: URL) -> list[str]:
    """The host, and any given in the query (``?host=a,b``, as libpq and psycopg accept)."""
    query = parsed.query.get("host", ())
    listed = [query] if isinstance(query, str) else list(query)
    return [h.strip() for text in [parsed.host or "", *listed] for h in text.split(",") if h.strip()]


def refuse(url: str, pattern: Pattern, action: str) -> DatabaseError:
    """E706: the refusal, naming the pattern and where it was declared."""
    shown = shown_url(url)
    return DatabaseError(
        Diagnostic(
            code="E706",
            message=f"refusing to {action} {shown}: it matches the protected pattern "
            f"'{pattern.text}' (from {pattern.origin})",
            location=pattern.location,
            pointer=pattern.pointer,
            hint="this database is protected against seeding; check the URL, and pass --force "
            "only if you really mean to write to it",
        )
    )
