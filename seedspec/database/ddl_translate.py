"""A parsed DDL file written for another database: what sqlglot does not transpile by itself.

- A column the database fills (PostgreSQL SERIAL and identity, MySQL AUTO_INCREMENT, SQLite's
  ``INTEGER PRIMARY KEY``) stays filled: a single-column primary key becomes SQLite's
  ``INTEGER PRIMARY KEY``, an identity column on PostgreSQL, AUTO_INCREMENT on MySQL/MariaDB.
  Any other filled column exists only on PostgreSQL: E329 elsewhere.
- An enum type (PostgreSQL ``CREATE TYPE ... AS ENUM``, MySQL's ``ENUM(...)``) becomes MySQL's
  ``ENUM(...)``, or elsewhere a VARCHAR with a CHECK on the labels.
- A domain becomes its base type, NOT NULL, DEFAULT and CHECKs on each column of that type.

``standin``: the SQLite database offline validation reads the catalog from. It only has to hold
the tables' shape, so a filled column that SQLite cannot fill is left plain and the facts
(``filled``, ``enums``, ``untyped``) are handed back for the caller to put on the reflected
tables; the statements that define no table (COMMENT, GRANT, SET, CREATE EXTENSION, CLUSTER,
functions, views, rows ...: ``ddl.NO_TABLE``; triggers: ``ddl.left_out_offline``) are left out,
the ALTERs folded into their tables (``ddl_fold``), and what SQLite cannot hold and the tables'
shape does not need (an interval in a CHECK, NULLS NOT DISTINCT, a collation) left out too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

from seedspec.database.ddl import (
    DDL_DIALECTS,
    DOMAIN_VALUE,
    NO_TABLE,
    DdlFile,
    Statement,
    bare_type_name,
    left_out_offline,
    unreadable,
)
from seedspec.database.ddl_fold import fold, one_schema
from seedspec.database.ddl_types import untyped

_T = exp.DataType.Type
_SERIALS = {_T.SERIAL: _T.INT, _T.BIGSERIAL: _T.BIGINT, _T.SMALLSERIAL: _T.SMALLINT}
_SERIAL_ALIASES = {"serial2": _T.SMALLSERIAL, "serial4": _T.SERIAL, "serial8": _T.BIGSERIAL}
_FILLERS = (exp.GeneratedAsIdentityColumnConstraint, exp.AutoIncrementColumnConstraint)
# types SQLAlchemy's SQLite reflection does not know, as the type it reads the same kind from
_SQLITE_TYPES = {_T.TIMESTAMPTZ: _T.TIMESTAMP, _T.TIMESTAMPLTZ: _T.TIMESTAMP, _T.TIMETZ: _T.TIME}
# what a CHECK of the stand-in cannot hold: SQLite has no intervals, arrays, E'' strings, regexes,
# nor the functions sqlglot does not know (the schema's own)
_NOT_SQLITE = (
    exp.Anonymous,
    exp.Interval,
    exp.Array,
    exp.Any,
    exp.ByteString,
    exp.RegexpLike,
    exp.RegexpILike,
    exp.SimilarTo,
)
_PARTITION = (exp.PartitionedByProperty,)
_STORAGE = (exp.EngineProperty, exp.CharacterSetProperty, exp.CollateProperty, exp.AutoIncrementProperty)


@dataclass(frozen=True, slots=True, kw_only=True)
class Translation:
    """The statements to run on the target, each with the line of the statement it comes from;
    and, by (table, column), the columns the database fills and the labels of enum columns."""

    statements: tuple[tuple[int, str], ...]
    filled: frozenset[tuple[str, str]]
    enums: Mapping[tuple[str, str], tuple[str, ...]]
    uuids: frozenset[tuple[str, str]] = frozenset()  # SQLite has no UUID type to reflect
    untyped: Mapping[tuple[str, str], str] = field(default_factory=dict)  # ddl_types: by PostgreSQL's name


@dataclass(slots=True)
class _Facts:
    filled: set[tuple[str, str]]
    enums: dict[tuple[str, str], tuple[str, ...]]
    uuids: set[tuple[str, str]]
    untyped: dict[tuple[str, str], str] = field(default_factory=dict)


def translate(ddl: DdlFile, target: str, *, standin: bool = False) -> Translation:
    """``ddl`` as statements for a ``target`` database (a key of ``DDL_DIALECTS``).

    Raises:
        SpecInvalid: E329 at the first statement that cannot be written for ``target``.
    """
    facts = _Facts(filled=set(), enums={}, uuids=set())
    out: list[tuple[int, str]] = []
    for statement in _folded(ddl, target, standin):
        sql = _statement(statement, ddl, target, standin, facts)
        if sql is not None:
            out.append((statement.line, sql))
    return Translation(
        statements=tuple(out),
        filled=frozenset(facts.filled),
        enums=facts.enums,
        uuids=frozenset(facts.uuids),
        untyped=facts.untyped,
    )


def _folded(ddl: DdlFile, target: str, standin: bool) -> list[Statement]:
    """The statements as the stand-in runs them: in one schema, ALTERs folded (``ddl_fold``)."""
    if not (standin and target == "sqlite"):
        return list(ddl.statements)
    kept = [
        s
        for s in ddl.statements
        if s.tree is not None and not (NO_TABLE.match(s.text) or left_out_offline(s.text))
    ]
    trees = [(s.line, s.text, one_schema(s.tree, s.schema), s.schema) for s in kept if s.tree is not None]
    folded = fold(
        trees, lambda table, schema: table.name if schema is None else one_schema(table, schema).name
    )
    return [Statement(line=line, text=text, tree=tree) for line, text, tree in folded]


def _statement(statement: Statement, ddl: DdlFile, target: str, standin: bool, facts: _Facts) -> str | None:
    tree = statement.tree
    if tree is None or (isinstance(tree, exp.Create) and tree.kind == "TYPE" and _is_enum_type(tree)):
        return None  # a domain or an enum type: written into the columns that use it
    if standin and NO_TABLE.match(statement.text):
        return None
    if isinstance(tree, exp.Command):
        if standin:
            raise unreadable(
                ddl.file,
                statement.line,
                f"cannot read this {ddl.dialect} statement offline: seedspec does not understand it",
                "validate against the database itself (--database-url), or keep only the statements "
                "that define tables in the DDL file",
            )
        raise unreadable(
            ddl.file,
            statement.line,
            f"cannot write this {ddl.dialect} statement for {target}: seedspec does not understand it",
            f"write it for {target} in the DDL, or apply with a {ddl.dialect} database",
        )
    if isinstance(tree, exp.Create) and tree.kind == "TABLE" and isinstance(tree.this, exp.Schema):
        tree = _table(tree.copy(), ddl, target, standin, statement.line, facts)
    elif isinstance(tree, exp.Create) and tree.kind == "INDEX" and target == "sqlite":
        tree = tree.copy()  # SQLite's indexes take no NULLS FIRST/LAST, method nor operator class
        for ordered in list(tree.find_all(exp.Ordered)):
            ordered.replace(ordered.this)
        for opclass in list(tree.find_all(exp.Opclass)):
            opclass.replace(opclass.this)
        params = tree.this.args.get("params") if isinstance(tree.this, exp.Index) else None
        if params is not None:
            params.set("using", None)
    try:
        return tree.sql(dialect=DDL_DIALECTS[target], unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.SqlglotError as exc:
        raise unreadable(
            ddl.file,
            statement.line,
            f"cannot write this {ddl.dialect} statement for {target}: {exc}",
            f"write it for {target} in the DDL, or apply with a {ddl.dialect} database",
        ) from exc


def _is_enum_type(tree: exp.Create) -> bool:
    kind = tree.expression
    return isinstance(kind, exp.DataType) and kind.this == _T.ENUM


def _table(
    tree: exp.Create, ddl: DdlFile, target: str, standin: bool, line: int, facts: _Facts
) -> exp.Create:
    schema = tree.this
    table = schema.this.name
    key = _primary_key(schema)
    for column in [c for c in schema.expressions if isinstance(c, exp.ColumnDef)]:
        kind = column.args.get("kind")
        if (
            isinstance(kind, exp.DataType) and kind.this == _T.USERDEFINED
        ):  # serial4, which sqlglot does not know
            alias = _SERIAL_ALIASES.get(bare_type_name(str(kind.args.get("kind", ""))))
            column.set("kind", exp.DataType(this=alias) if alias else kind)
        _fold_domain(column, ddl)
        labels = _enum(column, ddl, target)
        if labels is not None:
            facts.enums[(table, column.name)] = labels
        if isinstance(column.args.get("kind"), exp.DataType) and column.args["kind"].this == _T.UUID:
            facts.uuids.add((table, column.name))
            if target == "sqlite":  # no UUID type ("UUID" has NUMERIC affinity): the text form, 36 characters
                column.set("kind", exp.DataType.build("CHAR(36)"))
        if standin and target == "sqlite" and ddl.dialect == "postgresql" and (name := untyped(column)):
            facts.untyped[(table, column.name)] = name
        if _fills(column, key, ddl, line):
            facts.filled.add((table, column.name))
            _fill(column, schema, key == (column.name,), target, standin, ddl, line, table)
    if DDL_DIALECTS[target] != "mysql":
        _unmysql(tree)
    else:
        _table_level_references(schema)
    if target == "sqlite":
        _for_sqlite(schema)
        properties = tree.args.get("properties")  # partitions and collations: no shape of the table
        for prop in [p for p in (properties.expressions if properties else []) if isinstance(p, _PARTITION)]:
            prop.pop()
    return tree


def _for_sqlite(schema: exp.Schema) -> None:
    """Types written so that SQLite's reflection reads the kind they hold (sqlglot writes a
    DECIMAL as REAL and an array as ``ARRAY<T>``), and a default that is an expression in the
    parentheses SQLite requires."""
    for node in list(schema.find_all(exp.DataType)):
        if node.this in _SQLITE_TYPES:
            node.set("this", _SQLITE_TYPES[node.this])
        elif node.this == _T.DECIMAL:
            node.replace(
                exp.DataType(this=_T.USERDEFINED, kind=node.sql("postgres").replace("DECIMAL", "NUMERIC"))
            )
        elif node.this == _T.ARRAY:
            node.replace(exp.DataType(this=_T.USERDEFINED, kind="JSON"))
    for equal in [a.parent for a in schema.find_all(exp.Any) if isinstance(a.parent, exp.EQ)]:
        values = equal.expression.this
        values = values.unnest() if isinstance(values, exp.Paren) else values
        if isinstance(values, exp.Array):  # x = ANY (ARRAY[a, b]), PostgreSQL's spelling of IN
            equal.replace(exp.In(this=equal.this.copy(), expressions=values.expressions))
    for cast in [c for c in schema.find_all(exp.Cast) if c.to.this == _T.USERDEFINED]:
        cast.replace(cast.this.copy())  # to an enum or a domain, which the column is already
    for key in schema.find_all(exp.UniqueColumnConstraint, exp.PrimaryKey):
        key.set("options", None)  # DEFERRABLE: SQLite takes it on a foreign key only
        key.set("nulls", None)  # NULLS NOT DISTINCT: not SQLite's; offline does not compare rows by it
    for collate in list(schema.find_all(exp.CollateColumnConstraint)):
        owner = collate.parent
        (owner if isinstance(owner, exp.ColumnConstraint) else collate).pop()
    for check in list(schema.find_all(exp.CheckColumnConstraint)):
        if check.find(*_NOT_SQLITE) is not None:  # SQLite cannot evaluate it
            owner = check.parent
            (owner if isinstance(owner, exp.ColumnConstraint | exp.Constraint) else check).pop()
    for default in list(schema.find_all(exp.DefaultColumnConstraint)):
        value = default.this
        if not isinstance(value, exp.Literal | exp.Null | exp.Boolean | exp.Paren | exp.CurrentTimestamp):
            value.replace(exp.Paren(this=value.copy()))


def _table_level_references(schema: exp.Schema) -> None:
    """MySQL parses a column's ``REFERENCES t (c)`` and ignores it: written as a table's
    FOREIGN KEY, which it keeps (MariaDB keeps both)."""
    for column in [c for c in schema.expressions if isinstance(c, exp.ColumnDef)]:
        for constraint in [c for c in _constraints(column) if isinstance(c.kind, exp.Reference)]:
            constraint.pop()
            key = exp.ForeignKey(expressions=[exp.to_identifier(column.name)], reference=constraint.kind)
            schema.append("expressions", key)


def _unmysql(tree: exp.Create) -> None:
    """MySQL's table options and named ``UNIQUE KEY name (...)``, which the others do not take."""
    properties = tree.args.get("properties")
    if properties is not None:
        for prop in [p for p in properties.expressions if isinstance(p, _STORAGE)]:
            prop.pop()
    for unique in tree.this.find_all(exp.UniqueColumnConstraint):
        named = unique.this
        if isinstance(named, exp.Schema) and named.this is not None:
            named.set("this", None)


def _primary_key(schema: exp.Schema) -> tuple[str, ...]:
    for node in schema.expressions:
        if isinstance(node, exp.PrimaryKey):
            return tuple(e.name for e in node.expressions)
        if isinstance(node, exp.ColumnDef) and node.find(exp.PrimaryKeyColumnConstraint):
            return (node.name,)
    return ()


def _constraints(column: exp.ColumnDef) -> list[exp.ColumnConstraint]:
    return list(column.args.get("constraints") or [])


def _fold_domain(column: exp.ColumnDef, ddl: DdlFile) -> None:
    kind = column.args.get("kind")
    if not (isinstance(kind, exp.DataType) and kind.this == _T.USERDEFINED):
        return
    domain = ddl.domains.get(bare_type_name(str(kind.args.get("kind", kind))))
    if domain is None:
        return
    base = domain.column.copy()
    for ref in base.find_all(exp.Column):
        if ref.name == DOMAIN_VALUE:
            ref.replace(exp.column(column.name))
    column.set("kind", base.args["kind"])
    column.set("constraints", _constraints(column) + _constraints(base))


def _enum(column: exp.ColumnDef, ddl: DdlFile, target: str) -> tuple[str, ...] | None:
    kind = column.args.get("kind")
    if not isinstance(kind, exp.DataType):
        return None
    if kind.this == _T.ENUM:
        labels: tuple[str, ...] | None = tuple(e.name for e in kind.expressions)
    elif kind.this == _T.USERDEFINED:
        labels = ddl.enums.get(bare_type_name(str(kind.args.get("kind", kind))))
    else:
        return None
    if labels is None:
        return None
    if DDL_DIALECTS[target] == "mysql":
        column.set("kind", exp.DataType(this=_T.ENUM, expressions=[exp.Literal.string(x) for x in labels]))
    else:
        width = max((len(x) for x in labels), default=1)
        column.set("kind", exp.DataType.build(f"VARCHAR({width})"))
        check = exp.In(this=exp.column(column.name), expressions=[exp.Literal.string(x) for x in labels])
        column.append("constraints", exp.ColumnConstraint(kind=exp.CheckColumnConstraint(this=check)))
    return labels


def _fills(column: exp.ColumnDef, key: tuple[str, ...], ddl: DdlFile, line: int) -> bool:
    """Whether the database fills ``column`` when a row omits it."""
    kind = column.args.get("kind")
    if isinstance(kind, exp.DataType) and kind.this in _SERIALS:
        return True
    if any(isinstance(c.kind, _FILLERS) for c in _constraints(column)):
        return True
    return ddl.dialect == "sqlite" and key == (column.name,) and _declared_integer(column, ddl, line)


def _declared_integer(column: exp.ColumnDef, ddl: DdlFile, line: int) -> bool:
    """SQLite fills a primary key declared exactly INTEGER (not INT): sqlglot reads both alike, so
    the statement's own text says which."""
    text = next(s.text for s in ddl.statements if s.line == line)
    name = re.escape(column.name)
    return re.search(rf"(^|[\s(,])[\"`\[]?{name}[\"`\]]?\s+INTEGER\b", text, re.I) is not None


def _fill(
    column: exp.ColumnDef,
    schema: exp.Schema,
    whole_key: bool,
    target: str,
    standin: bool,
    ddl: DdlFile,
    line: int,
    table: str,
) -> None:
    """Rewrite a filled column so that ``target`` fills it too."""
    kind = column.args["kind"]
    if kind.this in _SERIALS:
        column.set("kind", exp.DataType(this=_SERIALS[kind.this]))
    column.set("constraints", [c for c in _constraints(column) if not isinstance(c.kind, _FILLERS)])
    family = DDL_DIALECTS[target]
    if family == "postgres":
        column.append(
            "constraints", exp.ColumnConstraint(kind=exp.GeneratedAsIdentityColumnConstraint(this=False))
        )
    elif not whole_key:
        if standin:
            return
        raise unreadable(
            ddl.file,
            line,
            f"{target} fills only a single-column primary key, and '{table}.{column.name}' is not one",
            f"make '{column.name}' the primary key of '{table}', or give it a value in the spec "
            "and declare it without SERIAL/IDENTITY/AUTO_INCREMENT",
        )
    elif family == "mysql":
        column.append("constraints", exp.ColumnConstraint(kind=exp.AutoIncrementColumnConstraint()))
    else:  # SQLite: INTEGER PRIMARY KEY, declared on the column
        column.set("kind", exp.DataType(this=_T.INT))
        for node in [n for n in schema.expressions if isinstance(n, exp.PrimaryKey)]:
            node.pop()
        if not column.find(exp.PrimaryKeyColumnConstraint):
            column.append("constraints", exp.ColumnConstraint(kind=exp.PrimaryKeyColumnConstraint()))
