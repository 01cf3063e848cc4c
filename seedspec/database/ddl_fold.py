"""The stand-in of offline validation (an in-memory SQLite database) cannot ``ALTER TABLE ... ADD
CONSTRAINT`` nor set a column's default after the fact, which is how PostgreSQL dumps (pg_dump,
pagila, northwind) declare keys, foreign keys and SERIAL defaults: such an ALTER is folded into the
``CREATE TABLE`` it changes, so that the stand-in holds the table as the database does.

Folded: ``ADD [CONSTRAINT name] PRIMARY KEY | UNIQUE | FOREIGN KEY | CHECK``, ``ADD [COLUMN]``,
``ALTER COLUMN c SET DEFAULT``, ``ALTER COLUMN c ADD GENERATED ... AS IDENTITY`` (filled by the
database), ``ALTER COLUMN c SET NOT NULL``; ``OWNER TO`` changes no table's shape and is left out.
Any other ALTER, or one of a table the file does not create, is kept as written (and reported
where the stand-in refuses it).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp

_IDENTITY = re.compile(
    r"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?(?:IF\s+EXISTS\s+)?([\w$.\"]+)\s+ALTER\s+(?:COLUMN\s+)?([\w$\"]+)"
    r"\s+ADD\s+GENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b",
    re.I | re.S,
)
_OWNER = re.compile(r"^\s*ALTER\s+TABLE\s+(?:ONLY\s+)?[\w$.\"]+\s+OWNER\s+TO\b", re.I)

Named = Callable[[exp.Table], str]


def fold(
    statements: list[tuple[int, str, exp.Expression]], key: Named
) -> list[tuple[int, str, exp.Expression]]:
    """``statements`` (line, text, tree; the trees already copies) with each foldable ALTER TABLE
    folded into its CREATE TABLE; ``key`` names a table as the stand-in does."""
    creates: dict[str, exp.Schema] = {}
    out: list[tuple[int, str, exp.Expression]] = []
    for line, text, tree in statements:
        if isinstance(tree, exp.Create) and tree.kind == "TABLE" and isinstance(tree.this, exp.Schema):
            creates[key(tree.this.this)] = tree.this
        elif _OWNER.match(text):
            continue
        elif isinstance(tree, exp.Command) and (identity := _IDENTITY.match(text)):
            table = creates.get(key(exp.to_table(identity.group(1), dialect="postgres")))
            column = _column(table, identity.group(2).strip('"')) if table is not None else None
            if column is not None:
                column.append(
                    "constraints",
                    exp.ColumnConstraint(kind=exp.GeneratedAsIdentityColumnConstraint(this=False)),
                )
                continue
        elif isinstance(tree, exp.Alter) and isinstance(tree.this, exp.Table):
            table = creates.get(key(tree.this))
            if table is not None and all(_foldable(a, table) for a in tree.args.get("actions") or []):
                for action in tree.args.get("actions") or []:
                    _apply(action, table)
                continue
        out.append((line, text, tree))
    return out


def _column(schema: exp.Schema, name: str) -> exp.ColumnDef | None:
    found = [c for c in schema.expressions if isinstance(c, exp.ColumnDef) and c.name == name]
    return found[0] if found else None


def _foldable(action: exp.Expression, schema: exp.Schema) -> bool:
    if isinstance(action, exp.AddConstraint | exp.ColumnDef):
        return True
    if isinstance(action, exp.AlterColumn):
        known = {"this", "default", "allow_null", "drop"}
        settable = action.args.get("default") is not None or action.args.get("allow_null") is False
        return settable and set(action.args) <= known and _column(schema, action.name) is not None
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
