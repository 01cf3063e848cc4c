"""A small blog schema and spec shared by the compiler's unit tests (and selection's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from seedspec.catalog import Catalog
from seedspec.compiler.steps import compile_spec
from seedspec.database.tables import catalog_from_metadata
from seedspec.ir import Plan

Doc = dict[str, Any]


def metadata() -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(
        "users",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(100), unique=True, nullable=False),
        sa.Column("username", sa.String(50), nullable=False),
        sa.Column("name", sa.String(100)),
        sa.Column("role", sa.String(20)),
        sa.Column("age", sa.Integer),
        sa.Column("joined", sa.Date),
        sa.Column("score", sa.Numeric(6, 2)),
        sa.Column("manager_id", sa.ForeignKey("users.id")),
        sa.UniqueConstraint("username", name="uq_username"),
    )
    sa.Table(
        "tags",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("label", sa.String(50)),
    )
    sa.Table(
        "posts",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author_id", sa.ForeignKey("users.id"), nullable=False),
        sa.Column("title", sa.String(200)),
        sa.Column("slug", sa.String(220)),
    )
    sa.Table(
        "post_tags",
        md,
        sa.Column("post_id", sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("tag_id", sa.ForeignKey("tags.id"), primary_key=True),
        sa.Column("weight", sa.Integer),
    )
    sa.Table(
        "notes",
        md,
        sa.Column("body", sa.Text),
        sa.Column("kind", sa.String(10)),
    )
    return md


CATALOG: Catalog = catalog_from_metadata(metadata())


def document() -> Doc:
    return {
        "version": 1,
        "settings": {"seed": 42},
        "factories": {
            "user": {
                "table": "users",
                "fields": {
                    "email": {"sequence": "user{n}@example.com"},
                    "username": {"sequence": "user{n:04d}"},
                    "name": {"faker": "name"},
                    "role": "member",
                },
                "states": {"admin": {"role": "admin"}},
            },
            "tag": {"table": "tags", "fields": {"name": {"faker": "word"}, "label": "x"}},
            "post": {
                "table": "posts",
                "fields": {
                    "author_id": {"ref": "user"},
                    "title": {"faker": "sentence"},
                    "slug": "{{ title | slugify }}-{{ n }}",
                },
            },
            "post_tag": {
                "table": "post_tags",
                "fields": {
                    "post_id": {"ref": "post"},
                    "tag_id": {"ref": "tag", "distinct_per": "post_id"},
                },
            },
        },
        "seed": [
            {"factory": "post_tag", "for_each": "post", "count": 2},
            {"factory": "post", "for_each": "user", "count": 3},
            {"factory": "tag", "records": [{"name": "python"}, {"name": "sql"}]},
            {"factory": "user", "records": {"admin": {"email": "admin@example.com", "states": ["admin"]}}},
            {"factory": "user", "count": 10},
        ],
    }


def compiled(doc: Doc | None = None, catalog: Catalog = CATALOG) -> Plan:
    return compile_spec(doc if doc is not None else document(), catalog, "seeds/dev.yaml")


# A one-table spec over a DDL file, for the API's unit tests.
USER_SPEC = """\
version: 1
tables: {ddl: schema.sql}
factories:
  user:
    table: users
    fields:
      name: {faker: name}
seed:
  - {factory: user, count: 3}
"""


def write_spec(folder: Path, text: str = USER_SPEC) -> Path:
    (folder / "schema.sql").write_text("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n")
    spec = folder / "seeds.yaml"
    spec.write_text(text)
    return spec


# Teams and their users over a DDL file, for the factories' and the async API's unit tests.
TEAMS_SCHEMA = """\
CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL DEFAULT 'member',
    team_id INTEGER NOT NULL REFERENCES teams (id)
);
"""


def teams_spec(users: int = 0) -> str:
    """Two teams, then ``users`` users each referring to one of them (none: factories make them)."""
    seed = "  - {factory: team, count: 2}\n" + (f"  - {{factory: user, count: {users}}}\n" if users else "")
    return (
        "version: 1\n"
        "tables: {ddl: schema.sql}\n"
        "factories:\n"
        "  team:\n"
        "    table: teams\n"
        "    key: [name]\n"
        '    fields: {name: {sequence: "team-{n}"}}\n'
        "  user:\n"
        "    table: users\n"
        "    key: [email]\n"
        "    fields:\n"
        '      email: {sequence: "user{n}@example.com"}\n'
        "      team_id: {ref: team}\n"
        "seed:\n" + seed
    )
