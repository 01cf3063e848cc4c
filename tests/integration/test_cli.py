"""The command line: ``cli.main`` in this process, and ``python -m seedspec`` in a subprocess where the
process itself (its exit code, what it imports) is what a test checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from dbdump import dump
from helpers import EXAMPLES, ROOT, copy_example, run_cli, run_cli_process

SCHEMA = ROOT / "schemas" / "seedspec.schema.json"
PACKAGED_SCHEMA = ROOT / "seedspec" / "schema" / "seedspec.schema.json"
DESIGN_ROWS = {"users": 106, "tags": 3, "posts": 318, "post_tags": 636}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the DESIGN.md example; its database.url defaults to sqlite:///dev.db."""
    return copy_example(EXAMPLES / "design", tmp_path / "project")


def test_schema_prints_the_shipped_json_schema(tmp_path: Path) -> None:
    result = run_cli("schema", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(SCHEMA.read_text(encoding="utf-8"))


def test_the_schema_in_schemas_is_the_one_in_the_package() -> None:
    assert SCHEMA.read_bytes() == PACKAGED_SCHEMA.read_bytes()


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run_cli_process("--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for command in ("validate", "plan", "apply", "schema"):
        assert command in result.stdout


def test_validate_exits_0_on_a_valid_spec(project: Path) -> None:
    result = run_cli("validate", "dev.yaml", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_exits_1_with_a_located_error(project: Path) -> None:
    spec = project / "dev.yaml"
    spec.write_text(spec.read_text().replace("    key: [name]", "    kee: [name]"), encoding="utf-8")
    result = run_cli_process("validate", "dev.yaml", cwd=project)
    assert result.returncode == 1
    assert "dev.yaml:" in result.stdout + result.stderr
    assert "kee" in result.stdout + result.stderr


def test_plan_json_parses(project: Path) -> None:
    result = run_cli("plan", "dev.yaml", "--offline", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert [step["table"] for step in plan["steps"]][-1] == "post_tags"


def test_apply_json_parses_and_counts_rows(project: Path, sqlite_url: str) -> None:
    args = ("apply", "dev.yaml", "--create", "--format", "json", "--database-url", sqlite_url)
    first = run_cli(*args, cwd=project)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["created"] == sum(DESIGN_ROWS.values())
    again = run_cli(*args, cwd=project)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["created"] == 0


def test_default_database_is_a_sqlite_file_next_to_the_spec(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("apply", project / "dev.yaml", "--create", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (project / "dev.db").is_file()
    assert list(elsewhere.iterdir()) == []
    counts = {table: len(rows) for table, rows in dump(f"sqlite:///{project / 'dev.db'}").items()}
    assert counts == DESIGN_ROWS


def test_database_url_from_the_environment_wins_over_the_spec(project: Path, sqlite_url: str) -> None:
    result = run_cli("apply", "dev.yaml", "--create", cwd=project, env={"DATABASE_URL": sqlite_url})
    assert result.returncode == 0, result.stderr
    assert not (project / "dev.db").exists()
    assert len(dump(sqlite_url)["users"]) == DESIGN_ROWS["users"]


def test_validate_json_gives_the_same_fields_as_the_text(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("version: 1\nfactories:\n  t: {table: t, feilds: {}}\n", encoding="utf-8")
    result = run_cli("validate", "spec.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    first = json.loads(result.stdout)[0]
    assert first == {
        "severity": "error",
        "code": "E202",
        "message": "missing required key 'fields'",
        "file": "spec.yaml",
        "line": 3,
        "column": 3,
        "pointer": "/factories/t",
        "hint": "add 'fields:' here",
    }
    text = run_cli("validate", "spec.yaml", cwd=tmp_path).stdout
    assert "spec.yaml:3:3: error E202: missing required key 'fields'" in text


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "version: 1\nfactories:\n  t: {table: t, key: [e], fields: {e: {faker: email}}}\n", encoding="utf-8"
    )
    assert run_cli("validate", "spec.yaml", cwd=tmp_path).returncode == 0
    strict = run_cli("validate", "spec.yaml", "--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert "warning W401" in strict.stdout


def test_validate_imports_neither_the_writer_nor_the_orm_nor_rich(tmp_path: Path) -> None:
    """A pre-commit hook runs validate on every commit: it loads only what validation needs."""
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);\n"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));\n",
        encoding="utf-8",
    )
    (tmp_path / "spec.yaml").write_text(
        "version: 1\ntables: {ddl: schema.sql}\nfactories:\n"
        "  user: {table: users, key: [email], fields: {email: {faker: email, unique: true}}}\n"
        "  post: {table: posts, fields: {user_id: {ref: user}}}\n"
        "seed:\n  - {factory: user, count: 2}\n  - {factory: post, for_each: user}\n",
        encoding="utf-8",
    )
    code = (
        "import json, sys\n"
        "from seedspec.cli.main import main\n"
        "exit_code = main(['validate', 'spec.yaml'])\n"
        "print(json.dumps([exit_code, sorted(sys.modules)]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    *_, last = result.stdout.splitlines()
    exit_code, modules = json.loads(last)
    assert exit_code == 0, result.stdout
    assert "warning W401" in result.stdout  # the diagnostics were rendered (uncoloured: not a terminal)
    assert {"seedspec.spec.validation", "seedspec.database.tables"} <= set(modules)  # DDL read
    unneeded = ("seedspec.database.writer", "seedspec.output", "seedspec.scaffold")
    unneeded += ("sqlalchemy.orm", "rich", "tomli", "multiprocessing")
    loaded = [m for m in modules if any(m == u or m.startswith(u + ".") for u in unneeded)]
    assert loaded == []  # (asyncio is loaded: SQLAlchemy imports it, and the DDL needs SQLAlchemy)
