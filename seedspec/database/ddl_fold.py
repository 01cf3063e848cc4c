"""Tables named as in the stand-in of offline validation (``one_schema``), and ALTER TABLE folded.

The stand-in (an in-memory SQLite database) cannot ``ALTER TABLE ... ADD
CONSTRAINT`` nor set a column's default after the fact, which is how PostgreSQL dumps (pg_dump,
pagila, northwind) declare keys, foreign keys and SERIAL defaults: such an ALTER is folded into the
``CREATE TABLE`` it changes, so that the stand-in holds the table as the database does.

Folded: ``ADD [CONSTRAINT name] PRIMARY KEY | UNIQUE | FOREIGN KEY | CHECK``, ``ADD [COLUMN]``,
``ALTER COLUMN c SET DEFAULT``, ``ALTER COLUMN c ADD GENERATED ... AS IDENTITY`` (filled by the
database), ``ALTER COLUMN c SET NOT NULL``. ``OWNER TO`` and ``ATTACH PARTITION`` change no
table's shape and are left out, and so is an index that is no key (not unique, or on an
expression). A partition (``CREATE TABLE p PARTITION OF t ...``) is made a table of ``t``'s
columns and constraints, and a statement that writes rows (``WITH ... UPDATE``) is left out.
Any other ALTER, or one of a table the file does not create, is kept as written (and reported
where the stand-in refuses it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlglot
from sqlglot import exp

_IDENTITY = re.compile(
    r"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?([\w$.\"]+)\s+ALTER\s+(?:COLUMN\s+)?([\w$\"]+)"
    r"\s+ADD\s+GENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b",
    re.I | re.S,
)
_OWNER = re.compile(
    r"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?[\w$.\"]+\s+(OWNER\s+TO|ATTACH\s+PARTITION)\b", re.I
)
_CHECK = re.compile(
    r"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?([\w$.\"]+)\s+ADD\s+(CHECK\s*\(.*\))\s*;?\s*$",
    re.I | re.S,
)
_ROWS = (exp.Insert, exp.Update, exp.Delete, exp.Select, exp.SetOperation, exp.Merge)

DEFAULT_SCHEMA = "public"  # PostgreSQL's: its tables are named without it, as init drafts them
Named = Callable[[exp.Table, str | None], str]  # a table's name in the stand-in, given the schema in force


def fold(
    statements: list[tuple[int, str, exp.Expression, str | None]], named: Named
) -> list[tuple[int, str, exp.Expression]]:
    """``statements`` (line, text, tree already named as in the stand-in, the schema in force)
    with each foldable ALTER TABLE folded into its CREATE TABLE; ``named`` names a table as the
    stand-in does."""
    creates: dict[str, exp.Schema] = {}
    out: list[tuple[int, str, exp.Expression]] = []
    for line, text, tree, schema in statements:

        def key(table: exp.Table, of: str | None = None) -> str:
            return named(table, of)

        if isinstance(tree, exp.Create) and tree.kind == "TABLE" and isinstance(tree.this, exp.Table):
            tree = _partition(tree, creates, key)
        if isinstance(tree, exp.Create) and tree.kind == "TABLE" and isinstance(tree.this, exp.Schema):
            creates[key(tree.this.this)] = tree.this
        elif _OWNER.match(text) or isinstance(tree, _ROWS):
            continue
        elif isinstance(tree, exp.Command) and (identity := _IDENTITY.match(text)):
            table = creates.get(key(exp.to_table(identity.group(1), dialect="postgres"), schema))
            column = _column(table, identity.group(2).strip('"')) if table is not None else None
            if column is not None:
                column.append(
                    "constraints",
                    exp.ColumnConstraint(kind=exp.GeneratedAsIdentityColumnConstraint(this=False)),
                )
                continue
        elif isinstance(tree, exp.Command) and (check := _CHECK.match(text)):  # unnamed: sqlglot cannot
            table = creates.get(key(exp.to_table(check.group(1), dialect="postgres"), schema))
            if table is not None:
                with_check = sqlglot.parse_one(f"CREATE TABLE t (x INT, {check.group(2)})", read="postgres")
                made = with_check.this if isinstance(with_check, exp.Create) else None
                if isinstance(made, exp.Schema) and len(made.expressions) == 2:
                    _apply(exp.AddConstraint(expressions=[made.expressions[1]]), table)
                    continue
        elif isinstance(tree, exp.Create) and tree.kind == "INDEX" and isinstance(tree.this, exp.Index):
            indexed = tree.this.args.get("table")
            if (isinstance(indexed, exp.Table) and key(indexed) not in creates) or _shapeless(tree):
                continue  # of a table the file does not create (a materialized view's), or no key
        elif isinstance(tree, exp.Alter) and isinstance(tree.this, exp.Table):
            table = creates.get(key(tree.this))
            if table is not None and all(_foldable(a, table) for a in tree.args.get("actions") or []):
                for action in tree.args.get("actions") or []:
                    _apply(action, table)
                continue
        out.append((line, text, tree))
    return out


def _partition(tree: exp.Create, creates: dict[str, exp.Schema], key: Named) -> exp.Create:
    """``CREATE TABLE p PARTITION OF t ...`` as a table of ``t``'s columns and constraints."""
    properties = tree.args.get("properties")
    of = [
        p for p in (properties.expressions if properties else []) if isinstance(p, exp.PartitionedOfProperty)
    ]
    parent = creates.get(key(of[0].this, None)) if of and isinstance(of[0].this, exp.Table) else None
    if parent is None:
        return tree
    columns = [node.copy() for node in parent.expressions]
    return exp.Create(kind="TABLE", this=exp.Schema(this=tree.this.copy(), expressions=columns))


def _shapeless(index: exp.Create) -> bool:
    """An index that is no key of its table: not unique, or on an expression (a search index)."""
    params = index.this.args.get("params")
    columns = params.args.get("columns") or [] if isinstance(params, exp.IndexParameters) else []
    plain = [c.this if isinstance(c, exp.Ordered) else c for c in columns]
    return not index.args.get("unique") or not all(isinstance(c, exp.Column | exp.Opclass) for c in plain)


def _column(schema: exp.Schema, name: str) -> exp.ColumnDef | None:
    found = [c for c in schema.expressions if isinstance(c, exp.ColumnDef) and c.name == name]
    return found[0] if found else None


def _foldable(action: exp.Expression, schema: exp.Schema) -> bool:
    if isinstance(action, exp.AddConstraint | exp.ColumnDef):
        return True
    if isinstance(action, exp.AlterColumn):
        given = {k for k, v in action.args.items() if v is not None and (v is not False or k == "allow_null")}
        settable = given in ({"this", "default"}, {"this", "allow_null"})  # SET DEFAULT, SET NOT NULL
        return (
            settable
            and action.args.get("allow_null") is not True
            and _column(schema, action.name) is not None
        )
    return False


def _apply(action: exp.Expression, schema: exp.Schema) -> None:
    if isinstance(action, exp.ColumnDef):  # SQLite takes the columns before the table's constraints
        columns = [i for i, node in enumerate(schema.expressions) if isinstance(node, exp.ColumnDef)]
        schema.expressions.insert(columns[-1] + 1 if columns else 0, action)
        action.parent = schema
    elif isinstance(action, exp.AddConstraint):
        for constraint in action.expressions:
            schema.append("expressions", constraint)
    elif isinstance(action, exp.AlterColumn):
        column = _column(schema, action.name)
        assert column is not None  # _foldable
        if action.args.get("default") is not None:
            constraints = column.args.get("constraints") or []
            kept = [c for c in constraints if not isinstance(c.kind, exp.DefaultColumnConstraint)]
            default = exp.DefaultColumnConstraint(this=action.args["default"])
            column.set("constraints", [*kept, exp.ColumnConstraint(kind=default)])
        if action.args.get("allow_null") is False:
            column.append("constraints", exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))


def one_schema(tree: exp.Expression, search: str | None) -> exp.Expression:
    """The stand-in has one schema: ``sales.region`` becomes a table named ``"sales.region"``,
    the name a spec gives it (and refs find it by), and ``public.note`` plain ``note``; an
    unqualified name is in ``search`` (the search_path's, or its CREATE SCHEMA's), if any."""
    tree = tree.copy()
    for table in list(tree.find_all(exp.Table)):
        schema = table.args.get("db")
        if table.args.get("catalog") is not None or (schema is None and search is None):
            continue
        if not table.name:
            continue
        within = schema.name if schema is not None else search
        name = table.name if within == DEFAULT_SCHEMA else f"{within}.{table.name}"
        table.set("db", None)
        table.set("this", exp.to_identifier(name, quoted=True))
    return tree
