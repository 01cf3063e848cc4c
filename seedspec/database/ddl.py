"""A DDL file read in the dialect it is written in (``tables: {ddl: ..., dialect: ...}``).

sqlglot parses each statement into a tree; what sqlglot transpiles by itself (type names,
AUTO_INCREMENT and identity spellings, CURRENT_TIMESTAMP) it does, and ``ddl_translate`` adds what
it does not: which columns the database fills (SERIAL, identity, AUTO_INCREMENT, SQLite's
``INTEGER PRIMARY KEY``), enum types and domains. A statement that cannot be read is E329 at its
``file:line``, never skipped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

from seedspec.errors import Diagnostic, Location, SpecInvalid

# the dialect a spec may name -> sqlglot's name for it (MariaDB's DDL is MySQL's)
DDL_DIALECTS: Mapping[str, str] = {
    "sqlite": "sqlite",
    "postgresql": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
}
_DOMAIN = re.compile(r"^\s*CREATE\s+DOMAIN\s+(\"[^\"]+\"|[\w.]+)\s+(?:AS\s+)?(.*)$", re.I | re.S)
DOMAIN_VALUE = "__seedspec_domain_value__"
# statements that define no table and change no row a spec writes (not a trigger, rule or DO
# block): kept as commands when sqlglot cannot parse them; the stand-in of offline validation
# leaves them out, a translation for another database refuses them (E329)
NO_TABLE = re.compile(
    r"^\s*(COMMENT|GRANT|REVOKE|SET|SELECT|CLUSTER|VACUUM|ANALYZE|REINDEX|UPDATE|INSERT|DELETE"
    r"|CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|AGGREGATE|VIEW|MATERIALIZED\s+VIEW)"
    r"|CREATE\s+(EXTENSION|SCHEMA)|ALTER\s+(FUNCTION|PROCEDURE|AGGREGATE|VIEW|MATERIALIZED\s+VIEW))\b",
    re.I,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """One statement of the file, verbatim, with the line it starts on and its tree (None for a
    domain, which sqlglot does not parse)."""

    line: int
    text: str
    tree: exp.Expression | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Domain:
    """``CREATE DOMAIN``: a column definition whose type, NOT NULL, DEFAULT and CHECKs (on the
    column ``DOMAIN_VALUE``) each column of this type takes."""

    column: exp.ColumnDef


@dataclass(frozen=True, slots=True, kw_only=True)
class DdlFile:
    """A parsed DDL file: its statements, and the enum types and domains they declare."""

    file: str
    dialect: str  # a key of DDL_DIALECTS
    statements: tuple[Statement, ...]
    enums: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    domains: Mapping[str, Domain] = field(default_factory=dict)

    @property
    def read(self) -> str:
        """sqlglot's name of the file's dialect."""
        return DDL_DIALECTS[self.dialect]


def unreadable(file: str, line: int, message: str, hint: str) -> SpecInvalid:
    """E329 at ``file:line``: a DDL statement seedspec cannot read (or write for a database)."""
    return SpecInvalid(
        Diagnostic(
            code="E329",
            message=message,
            location=Location(file=file, line=line, column=1),
            pointer="/tables/ddl",
            hint=hint,
        )
    )


def split(script: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each non-empty statement of ``script``; the line is that of its first
    token, so that an error points at the statement, not at the comment above it."""
    import sqlparse

    cursor = 0
    for chunk in sqlparse.split(script, strip_semicolon=False):
        offset = script.find(chunk, cursor)
        offset = cursor if offset < 0 else offset
        cursor = offset + len(chunk)
        if sqlparse.format(chunk, strip_comments=True).strip().strip(";").strip():
            code = _first_code(chunk)
            yield script.count("\n", 0, offset + code) + 1, chunk[code:].strip()


def _first_code(chunk: str) -> int:
    """The offset of the first character of ``chunk`` that is neither blank nor a comment."""
    position = 0
    while position < len(chunk):
        rest = chunk[position:]
        stripped = rest.lstrip()
        position += len(rest) - len(stripped)
        if stripped.startswith("--"):
            end = stripped.find("\n")
            position += len(stripped) if end < 0 else end + 1
        elif stripped.startswith("/*"):
            end = stripped.find("*/")
            position += len(stripped) if end < 0 else end + 2
        else:
            return position
    return position


@contextmanager
def _quiet() -> Iterator[None]:
    """sqlglot logs a warning for syntax it falls back on; seedspec reports that itself (E329)."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def parse(script: str, file: str, dialect: str) -> DdlFile:
    """Read ``script`` (the text of ``file``) as DDL written for ``dialect``.

    Raises:
        SpecInvalid: E329 at a statement sqlglot cannot parse.
    """
    statements: list[Statement] = []
    enums: dict[str, tuple[str, ...]] = {}
    domains: dict[str, Domain] = {}
    for line, text in split(script):
        domain = _DOMAIN.match(text.rstrip(";"))
        if domain:
            domains[bare_type_name(domain.group(1))] = _domain(domain.group(2), file, line, dialect)
            statements.append(Statement(line=line, text=text, tree=None))
            continue
        tree = _parse_one(text, file, line, dialect, kept=NO_TABLE.match(text) is not None)
        if isinstance(tree, exp.Create) and tree.kind == "TYPE":
            labels = _enum_labels(tree.expression)
            if labels is not None:
                enums[bare_type_name(tree.this.sql())] = labels
        statements.append(Statement(line=line, text=text, tree=tree))
    return DdlFile(file=file, dialect=dialect, statements=tuple(statements), enums=enums, domains=domains)


def _parse_one(text: str, file: str, line: int, dialect: str, *, kept: bool = False) -> exp.Expression:
    """The statement's tree; ``kept``: a statement that defines no table is a command when sqlglot
    cannot parse it (``CLUSTER sales.customer USING ...``, a function's body)."""
    try:
        with _quiet():
            tree = sqlglot.parse_one(text, read=DDL_DIALECTS[dialect])
    except sqlglot.errors.SqlglotError as exc:
        if kept:
            return exp.Command(this=text.split(None, 1)[0].upper(), expression=exp.Literal.string(text))
        raise unreadable(
            file, line, f"cannot read this {dialect} statement: {_first_line(exc)}", _written_for(dialect)
        ) from exc
    if not isinstance(tree, exp.Expression):
        raise unreadable(file, line, f"cannot read this {dialect} statement", _written_for(dialect))
    return tree


def _domain(rest: str, file: str, line: int, dialect: str) -> Domain:
    tree = _parse_one(f"CREATE TABLE d ({DOMAIN_VALUE} {rest})", file, line, dialect)
    columns = list(tree.find_all(exp.ColumnDef))
    if len(columns) != 1:
        raise unreadable(file, line, "cannot read this CREATE DOMAIN", _written_for(dialect))
    column = columns[0]
    for check in column.find_all(exp.Column):
        if check.name.upper() == "VALUE":
            check.replace(exp.column(DOMAIN_VALUE))
    return Domain(column=column)


def _enum_labels(node: exp.Expression | None) -> tuple[str, ...] | None:
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.ENUM:
        return tuple(e.name for e in node.expressions)
    return None


def bare_type_name(name: str) -> str:
    """A type's name without quotes or schema, as columns refer to it."""
    return name.split(".")[-1].strip('"`').lower()


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _written_for(dialect: str) -> str:
    return f"check that the file is written for {dialect} (tables.dialect), or write it for the database"
