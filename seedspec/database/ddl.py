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
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers

from seedspec.errors import Diagnostic, Location, SpecInvalid

# the dialect a spec may name -> sqlglot's name for it (MariaDB's DDL is MySQL's)
DDL_DIALECTS: Mapping[str, str] = {
    "sqlite": "sqlite",
    "postgresql": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
}
_DOMAIN = re.compile(
    r"^\s*CREATE\s+DOMAIN\s+((?:[\w$]+\.)?(?:\"[^\"]+\"|[\w$]+))\s+(?:AS\s+)?(.*)$", re.I | re.S
)
DOMAIN_VALUE = "__seedspec_domain_value__"
# statements that define no table and change no row a spec writes (not a trigger, rule or DO
# block): kept as commands when sqlglot cannot parse them; the stand-in of offline validation
# leaves them out, a translation for another database refuses them (E329)
NO_TABLE = re.compile(
    r"^\s*(COMMENT|GRANT|REVOKE|SET|SELECT|CLUSTER|VACUUM|ANALYZE|REINDEX|UPDATE|INSERT|DELETE"
    r"|CREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE|AGGREGATE|VIEW|MATERIALIZED\s+VIEW)"
    r"|DROP\s+(FUNCTION|PROCEDURE|AGGREGATE|VIEW|MATERIALIZED\s+VIEW)|BEGIN|COMMIT|START\s+TRANSACTION|ALTER\s+SCHEMA|(CREATE|ALTER)\s+(SEQUENCE|COLLATION|TEXT\s+SEARCH)"
    r"|ALTER\s+(TYPE|DOMAIN)\s+\S+\s+OWNER\s+TO"
    r"|CREATE\s+(EXTENSION|SCHEMA)|ALTER\s+(FUNCTION|PROCEDURE|AGGREGATE|VIEW|MATERIALIZED\s+VIEW))\b",
    re.I,
)

# triggers change rows, but not a table's shape: validate against the database reflects its
# tables without them, and so the stand-in leaves them out too (offline ``build`` does not run
# them); likewise a DO block that only creates functions (MusicBrainz' unaccent)
_TRIGGER = re.compile(r"^\s*CREATE\s+(OR\s+REPLACE\s+)?(CONSTRAINT\s+)?TRIGGER\b", re.I)
_DO = re.compile(r"^\s*DO\s+(\$\w*\$)(.*)\1\s*;?\s*$", re.I | re.S)
_DO_STATEMENTS = re.compile(
    r"(?:^|;|\bBEGIN|\bTHEN|\bELSE|\bLOOP)\s*(?!END\b|EXCEPTION\b|WHEN\b|BEGIN\b|DECLARE\b)(\w+(?:\s+OR\s+REPLACE)?(?:\s+\w+)?)",
    re.I,
)


def left_out_offline(text: str) -> bool:
    """Whether the stand-in of offline validation leaves the statement out (beyond ``NO_TABLE``):
    a trigger, or a DO block whose every statement creates a function (or is ``NULL``)."""
    if _TRIGGER.match(text):
        return True
    block = _DO.match(text)
    if block is None:
        return False
    body = re.sub(r"\$(\w*)\$.*?\$\1\$|'(?:[^']|'')*'", "''", block.group(2), flags=re.S)
    heads = [h.upper().split() for h in _DO_STATEMENTS.findall(body)]
    return bool(heads) and all(h == ["NULL"] or (h[0] == "CREATE" and h[-1] == "FUNCTION") for h in heads)


@dataclass(frozen=True, slots=True, kw_only=True)
class Statement:
    """One statement of the file, verbatim, with the line it starts on and its tree (None for a
    domain, which sqlglot does not parse)."""

    line: int
    text: str
    tree: exp.Expression | None
    schema: str | None = None  # PostgreSQL: the schema unqualified table names belong to


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
        code = _first_code(chunk)  # not sqlparse.format(strip_comments=True): it parses each chunk again
        if chunk[code:].strip().strip(";").strip():
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
    search: str | None = None
    for line, text, schema in _schema_elements(split(_no_meta_commands(script))):
        path = _SEARCH_PATH.match(text)
        if path and dialect == "postgresql":
            search = _identifier(path.group(1))
        schema = schema or search
        domain = _DOMAIN.match(text.rstrip(";"))
        if domain:
            domains[bare_type_name(domain.group(1))] = _domain(domain.group(2), file, line, dialect)
            statements.append(Statement(line=line, text=text, tree=None, schema=schema))
            continue
        tree = _parse_one(_keyword_types(text), file, line, dialect, kept=NO_TABLE.match(text) is not None)
        if dialect == "postgresql":
            tree = normalize_identifiers(tree, dialect="postgres")
        if isinstance(tree, exp.Create) and tree.kind == "TYPE":
            labels = _enum_labels(tree.expression)
            if labels is not None:
                enums[bare_type_name(tree.this.sql())] = labels
        statements.append(Statement(line=line, text=text, tree=tree, schema=schema))
    return DdlFile(file=file, dialect=dialect, statements=tuple(statements), enums=enums, domains=domains)


# The pre-passes below, for what sqlglot does not read, each on the statement's text:
# - a psql meta-command (``\\set ON_ERROR_STOP 1``) is psql's, not SQL: its line is blanked;
# - ``SET search_path = s, ...``: the unqualified table names after it are in schema ``s``;
# - ``CREATE SCHEMA s CREATE TABLE ... CREATE TABLE ...``: one statement per element, in ``s``;
# - a column type sqlglot reads as a keyword (``cube``) is quoted, a user-defined type.
_SEARCH_PATH = re.compile(
    r"^\s*SET\s+(?:SESSION\s+|LOCAL\s+)?search_path\s*(?:=|TO)\s*(\"[^\"]+\"|[\w$]+)", re.I
)
_SCHEMA_ELEMENTS = re.compile(
    r"^\s*CREATE\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?(\"[^\"]+\"|[\w$]+)\s+(?=CREATE\b)", re.I
)
_ELEMENT = re.compile(r"(?<=\s)(?=CREATE\s+(?:TABLE|VIEW|INDEX|UNIQUE\s+INDEX|SEQUENCE|TRIGGER)\b)", re.I)
_KEYWORD_TYPES = re.compile(
    r"(?<=\s)(cube)(?=\s*(?:,|\)|NOT\b|NULL\b|DEFAULT\b|CHECK\b|CONSTRAINT\b|\[))", re.I
)


def _no_meta_commands(script: str) -> str:
    return re.sub(r"(?m)^\\.*$", "", script)


def _identifier(name: str) -> str:
    """A PostgreSQL name as the catalog holds it: as quoted, else lower case."""
    return name[1:-1] if name.startswith('"') else name.lower()


def _schema_elements(statements: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str, str | None]]:
    """Each statement with the schema of a ``CREATE SCHEMA s CREATE ...`` it is an element of."""
    for line, text in statements:
        match = _SCHEMA_ELEMENTS.match(text)
        if match is None:
            yield line, text, None
            continue
        schema = _identifier(match.group(1))
        yield line, text[: match.end()].strip(), None
        offset = match.end()
        for element in _ELEMENT.split(text[offset:]):
            if element.strip().strip(";").strip():
                start = offset + len(element) - len(element.lstrip())
                yield line + text.count("\n", 0, start), element.strip(), schema
            offset += len(element)


def _keyword_types(text: str) -> str:
    if not re.match(r"^\s*(CREATE|ALTER)\s+TABLE\b", text, re.I):
        return text
    return _KEYWORD_TYPES.sub(r'"\1"', text)


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
    if isinstance(tree, exp.Block):  # a comment after the semicolon: the one statement
        statements = [e for e in tree.expressions if not isinstance(e, exp.Semicolon)]
        tree = statements[0] if len(statements) == 1 else tree
    if not isinstance(tree, exp.Expression) or isinstance(tree, exp.Block):
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
