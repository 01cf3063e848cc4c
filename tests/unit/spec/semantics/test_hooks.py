"""``after_create`` hooks in the pure stages: schema, semantic checks, compiling, includes, rendering.

Running hooks against a database is in tests/integration/test_hooks.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from seedspec.catalog import Catalog
from seedspec.compiler.steps import compile_spec
from seedspec.database.tables import catalog_from_metadata
from seedspec.errors import Diagnostic
from seedspec.ir import Hook, Plan
from seedspec.report import render
from seedspec.spec.loader import load_spec
from seedspec.spec.semantics import check_semantics
from seedspec.spec.semantics.hooks import hook_parameters
from seedspec.spec.validation import validate_document

WriteSpec = Callable[[str, str], Path]
Doc = dict[str, Any]


def _catalog() -> Catalog:
    md = sa.MetaData()
    sa.Table(
        "accounts",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, unique=True),
        sa.Column("owner_id", sa.Integer),
    )
    sa.Table(
        "users",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("email", sa.String(100), nullable=False, unique=True),
    )
    return catalog_from_metadata(md)


CATALOG = _catalog()
OWNER_SQL = "UPDATE accounts SET owner_id = :id WHERE id = :account_id AND owner_id IS NULL"


def document() -> Doc:
    return {
        "version": 1,
        "factories": {
            "account": {"table": "accounts", "fields": {"name": {"sequence": "a{n}"}}},
            "user": {
                "table": "users",
                "fields": {"account_id": {"ref": "account"}, "email": {"sequence": "u{n}@x.org"}},
                "after_create": [{"sql": OWNER_SQL}, {"python": "hooks:welcome"}],
            },
        },
        "seed": [
            {"factory": "account", "count": 2},
            {
                "factory": "user",
                "for_each": "account",
                "count": 2,
                "after_create": {"sql": "INSERT INTO audit (user_id) VALUES (:id)"},
            },
            {"factory": "user", "id": "more_users", "count": 1},
        ],
    }


def compiled(doc: Doc | None = None) -> Plan:
    return compile_spec(doc if doc is not None else document(), CATALOG, "seeds/dev.yaml")


def semantic(doc: Doc, catalog: Catalog | None = CATALOG) -> list[Diagnostic]:
    return list(check_semantics(doc, catalog))


# ---------------------------------------------------------------- bind parameters


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        (OWNER_SQL, ("id", "account_id")),
        ("INSERT INTO t (a, b) VALUES (:a, :a)", ("a",)),
        ("UPDATE t SET x = CAST(:x AS int), y = :y::text", ("x",)),  # :y::text is a cast, no bind
        (r"UPDATE t SET at = '10\:30' WHERE id = :id", ("id",)),
        ("UPDATE stats SET users = users + 1", ()),
    ],
)
def test_hook_parameters_are_what_text_binds(sql: str, params: tuple[str, ...]) -> None:
    assert hook_parameters(sql) == params
    assert hook_parameters(sql) == tuple(sa.text(sql).compile().params)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(": \\ab_1é'x:=()\n"), max_size=24))
def test_hook_parameters_agree_with_sqlalchemy_on_any_text(sql: str) -> None:
    """The spec room reads binds without SQLAlchemy; the database room binds with it: they agree."""
    assert hook_parameters(sql) == tuple(sa.text(sql).compile().params)


# ---------------------------------------------------------------- compiling


def test_factory_hooks_come_first_then_the_steps_own() -> None:
    plan = compiled()
    users = next(s for s in plan.steps if s.id == "user<account")
    base_dir = str(Path("seeds").resolve())
    assert users.after_create == (
        Hook(
            kind="sql",
            text=OWNER_SQL,
            pointer="/factories/user/after_create/0/sql",
            params=("id", "account_id"),
        ),
        Hook(
            kind="python",
            text="hooks:welcome",
            pointer="/factories/user/after_create/1/python",
            base_dir=base_dir,
        ),
        Hook(
            kind="sql",
            text="INSERT INTO audit (user_id) VALUES (:id)",
            pointer="/seed/1/after_create/sql",
            params=("id",),
        ),
    )


def test_a_step_without_hooks_of_its_own_runs_its_factorys() -> None:
    plan = compiled()
    more = next(s for s in plan.steps if s.id == "more_users")
    assert [h.pointer for h in more.after_create] == [
        "/factories/user/after_create/0/sql",
        "/factories/user/after_create/1/python",
    ]
    accounts = next(s for s in plan.steps if s.id == "account")
    assert accounts.after_create == ()


def test_an_empty_list_means_no_hooks() -> None:
    doc = document()
    doc["factories"]["user"]["after_create"] = []
    del doc["seed"][1]["after_create"]
    assert all(s.after_create == () for s in compiled(doc).steps)


# ---------------------------------------------------------------- semantic checks


def test_binds_of_the_tables_columns_are_fine() -> None:
    assert semantic(document()) == []


def test_binding_an_unknown_column_is_e328_with_a_suggestion() -> None:
    doc = document()
    doc["factories"]["user"]["after_create"][0] = {"sql": OWNER_SQL.replace(":account_id", ":acount_id")}
    doc["seed"][1]["after_create"] = {"sql": "INSERT INTO audit (email) VALUES (:mail)"}
    diagnostics = semantic(doc)
    assert [(d.code, d.pointer) for d in diagnostics] == [
        ("E328", "/factories/user/after_create/0/sql"),
        ("E328", "/seed/1/after_create/sql"),
    ]
    assert diagnostics[0].message == (
        "after_create hook binds ':acount_id', but table 'users' has no column 'acount_id'"
    )
    assert diagnostics[0].hint.startswith("did you mean 'account_id'?")
    assert "'email'" in diagnostics[1].hint


def test_binds_are_not_checked_without_table_definitions() -> None:
    doc = document()
    doc["seed"][1]["after_create"] = {"sql": "INSERT INTO audit (x) VALUES (:nope)"}
    assert semantic(doc, None) == []


def test_a_hook_on_an_unknown_table_reports_only_the_table() -> None:
    doc = document()
    doc["factories"]["user"]["table"] = "people"
    assert {d.code for d in semantic(doc)} == {"E310"}


# ---------------------------------------------------------------- schema and locations


def diagnose(write: WriteSpec, text: str, catalog: Catalog | None = None) -> list[tuple[str, str, int, int]]:
    spec = load_spec(write("spec.yaml", text), {})
    found = []
    for d in validate_document(spec.document, spec.source_map, catalog):
        assert d.location is not None, d
        found.append((d.code, d.pointer, d.location.line, d.location.column))
    return found


SPEC = """\
version: 1
factories:
  user:
    table: users
    fields:
      account_id: 1
      email: {sequence: "u{n}@x.org"}
    after_create:
      HOOK
seed:
  - factory: user
"""


def test_a_valid_hook_passes_the_schema(write: WriteSpec) -> None:
    assert diagnose(write, SPEC.replace("HOOK", 'python: "hooks:welcome"')) == []
    assert diagnose(write, SPEC.replace("HOOK", '- {sql: "SELECT :id"}\n      - {python: "h:f"}')) == []


@pytest.mark.parametrize(
    ("hook", "expected"),
    [
        ('sq: "UPDATE t SET x = 1"', ("E200", "/factories/user/after_create/sq", 9, 7)),
        ('{sql: "SELECT 1", python: "h:f"}', ("E203", "/factories/user/after_create", 9, 7)),
        ('python: "not a target"', ("E203", "/factories/user/after_create/python", 9, 15)),
        ('sql: ""', ("E203", "/factories/user/after_create/sql", 9, 12)),
        ("{}", ("E203", "/factories/user/after_create", 9, 7)),
        ('- {sql: "SELECT 1", args: {}}', ("E200", "/factories/user/after_create/0/args", 9, 27)),
    ],
)
def test_malformed_hooks_are_schema_errors(
    write: WriteSpec, hook: str, expected: tuple[str, str, int, int]
) -> None:
    assert diagnose(write, SPEC.replace("HOOK", hook)) == [expected]


def test_e328_points_at_the_sql(write: WriteSpec) -> None:
    text = SPEC.replace("HOOK", 'sql: "INSERT INTO audit (user_id) VALUES (:user_id)"')
    assert diagnose(write, text, CATALOG) == [("E328", "/factories/user/after_create/sql", 9, 12)]


def test_an_including_file_replaces_a_factorys_hooks(write: WriteSpec) -> None:
    write("base.yaml", SPEC.replace("HOOK", 'python: "hooks:welcome"'))
    spec = load_spec(
        write(
            "spec.yaml",
            'include: base.yaml\nfactories:\n  user:\n    after_create: {sql: "SELECT :id"}\n',
        ),
        {},
    )
    assert spec.document["factories"]["user"]["after_create"] == {"sql": "SELECT :id"}


# ---------------------------------------------------------------- plan rendering


def test_plan_text_lists_each_steps_hooks() -> None:
    doc = document()
    doc["seed"][1]["after_create"] = {
        "sql": "INSERT INTO audit\n  (user_id, note)\n  VALUES (:id, '" + "x" * 90 + "')"
    }
    lines = render.plan_text(compiled(doc)).splitlines()
    hooks = [line for line in lines if "after_create" in line]
    assert hooks[:2] == [
        f"     after_create: sql {OWNER_SQL}",
        "     after_create: python hooks:welcome",
    ]
    assert hooks[2].startswith("     after_create: sql INSERT INTO audit (user_id, note) VALUES (:id, 'xxx")
    assert hooks[2].endswith("...")
    assert len(hooks[2]) == len("     after_create: sql ") + render.HOOK_SQL_SHOWN
    assert len(hooks) == 5  # 3 for the for_each step, 2 for more_users


def test_plan_json_has_the_hooks_of_every_step() -> None:
    data = json.loads(render.plan_json(compiled()))
    by_id = {s["id"]: s for s in data["steps"]}
    assert by_id["account"]["after_create"] == []
    assert by_id["user<account"]["after_create"][0] == {
        "kind": "sql",
        "text": OWNER_SQL,
        "pointer": "/factories/user/after_create/0/sql",
        "params": ["id", "account_id"],
        "base_dir": "",
    }
    assert [h["kind"] for h in by_id["user<account"]["after_create"]] == ["sql", "python", "sql"]
