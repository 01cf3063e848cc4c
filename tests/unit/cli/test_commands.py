"""The command handlers, in-process through ``main``, on the starter spec and SQLite files in
tmp_path: what each prints and the exit code it returns."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES

from seedspec.cli.main import main


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The starter spec (11 users, 22 posts) and its schema.sql, copied into tmp_path."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SEEDSPEC_PROTECT", raising=False)
    for name in ("dev.yaml", "schema.sql"):
        shutil.copy(EXAMPLES / "starter" / name, tmp_path / name)
    return tmp_path / "dev.yaml"


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db.sqlite'}"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    """The exit code and stdout of ``seedspec ARGV``."""
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().out


def rows(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_validate_counts_the_valid_specs_and_lists_problems_as_json(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "validate", spec, spec) == (0, "2 specs valid\n")
    bad = spec.with_name("bad.yaml")
    bad.write_text(spec.read_text().replace("{faker: name}", "{faker: nmae}"))
    code, out = run(capsys, "validate", spec, bad, "--format", "json")
    assert code == 1
    found = [(d["code"], d["pointer"]) for d in json.loads(out)]
    assert found == [("E303", "/factories/user/fields/name/faker")]


def test_plan_offline_prints_the_steps_saves_the_json_and_exits_2_if_asked(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = spec.with_name("plan.json")
    code, out = run(capsys, "plan", spec, "--offline", "--out", saved)
    assert code == 0
    assert out.startswith(f"plan for {spec}: 3 steps, seed 1")
    assert "3. post<user -> posts: 2 per user" in out
    assert [s["factory"] for s in json.loads(saved.read_text())["steps"]] == ["user", "user", "post"]
    assert run(capsys, "plan", spec, "--offline", "--detailed-exitcode")[0] == 2
    code, out = run(capsys, "plan", spec, "--offline", "--format", "json", "--only", "user")
    assert [s["factory"] for s in json.loads(out)["steps"]] == ["user", "user"]


def test_apply_creates_then_finds_and_plan_reports_no_drift_after_it(
    spec: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "apply", spec, "--database-url", url, "--create")
    assert code == 0
    assert out.startswith(f"applied {spec} to {url}\n")
    assert out.splitlines()[-1].split() == ["total", "33", "0"]
    code, out = run(capsys, "apply", spec, "--database-url", url, "-v")
    assert "step post<user -> posts: 0 created, 22 existing, 0 updated" in out
    assert run(capsys, "plan", spec, "--database-url", url, "--detailed-exitcode")[0] == 0
    code, out = run(capsys, "plan", spec, "--database-url", url, "--format", "json")
    assert code == 0
    against = json.loads(out)["against"]
    assert (against["dry_run"], against["created"], against["pending"]) == (True, 0, False)
    assert (rows(url, "users"), rows(url, "posts")) == (11, 22)


def test_plan_against_a_database_before_apply_exits_2_if_asked(
    spec: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "apply", spec, "--database-url", url, "--create", "--only", "user")
    code, out = run(capsys, "plan", spec, "--database-url", url, "--detailed-exitcode")
    assert code == 2
    assert "posts" in out.splitlines()[-2]


def test_apply_quiet_prints_nothing_and_json_prints_the_report(
    spec: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "apply", spec, "--database-url", url, "--create", "-q") == (0, "")
    code, out = run(capsys, "apply", spec, "--database-url", url, "--format", "json")
    report = json.loads(out)
    assert (code, report["created"]) == (0, 0)
    assert sum(step["existing"] for step in report["steps"]) == 33


def test_apply_prune_records_and_refuses_a_selection(
    spec: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "apply", spec, "--database-url", url, "--create", "-q", "--prune") == (0, "")
    assert rows(url, "seedspec_rows") == 33
    code, out = run(capsys, "apply", spec, "--database-url", url, "--prune", "--format", "json")
    assert (code, json.loads(out)["removals"], json.loads(out)["pruned"]) == (0, [], True)
    assert main(["apply", str(spec), "--database-url", url, "--prune", "--only", "user"]) == 1
    assert "--prune needs the whole spec" in capsys.readouterr().err


def test_reset_empties_the_spec_tables_and_says_what_it_emptied(
    spec: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "apply", spec, "--database-url", url, "--create", "-q")
    code, out = run(capsys, "reset", spec, "--database-url", url)
    assert (code, out) == (0, f"reset {url}: emptied posts (22 rows), users (11 rows)\n")
    assert rows(url, "users") == 0
    code, out = run(capsys, "reset", spec, "--database-url", url, "--format", "json")
    assert json.loads(out)["reset"] == {"posts": 0, "users": 0}


def test_build_writes_a_file_per_table_and_lists_them(spec: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = spec.with_name("out")
    code, out = run(capsys, "build", spec, "--format", "csv", "-o", folder)
    assert code == 0
    assert out.startswith(f"built {spec} as csv for sqlite to {folder}\n")
    assert sorted(p.name for p in folder.iterdir()) == ["posts.csv", "users.csv"]
    assert len((folder / "users.csv").read_text().splitlines()) == 12  # a header and 11 rows


def test_build_without_a_folder_writes_the_rows_to_stdout(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "build", spec, "--format", "jsonl", "--only", "user")
    assert code == 0
    assert len([json.loads(line) for line in out.splitlines()]) == 11


def test_schema_prints_the_language_schema_or_one_for_a_spec(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "schema")
    assert (code, "factories" in json.loads(out)["properties"]) == (0, True)
    code, out = run(capsys, "schema", "--for", spec)
    assert sorted(json.loads(out)["properties"]["factories"]["properties"]) == ["post", "user"]


def test_new_spec_writes_the_starter_and_says_what_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "seeds" / "dev.yaml"
    code, out = run(capsys, "new", "spec", target)
    assert code == 0
    schema = target.with_name("schema.sql")
    assert out == f"wrote {target} and {schema}\nnext: seedspec apply {target} --create\n"
    assert target.read_text() == (EXAMPLES / "starter" / "dev.yaml").read_text()


def test_new_factory_dry_run_prints_the_factory_and_leaves_the_spec(
    spec: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = spec.read_text()
    code, out = run(capsys, "new", "factory", "member", "--table", "users", "--spec", spec, "--dry-run")
    assert code == 0
    assert out.startswith(f"would add (--dry-run) factory 'member' to {spec} (table users):\n  member:\n")
    assert out.endswith("such as '- {factory: member, count: 10}'\n")
    assert spec.read_text() == before


def test_init_prints_a_spec_for_the_database_or_writes_it(
    spec: Path, url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "apply", spec, "--database-url", url, "--create", "-q")
    code, out = run(capsys, "init", "--from-database", url, "--count", "3")
    assert code == 0
    assert out.startswith(f"# Generated by `seedspec init` from {url}: 2 factories, 6 rows.")
    target = tmp_path / "drafted.yaml"
    code, out = run(capsys, "init", "--from-database", url, "-o", target, "--tables", "users")
    assert out.splitlines()[0] == f"wrote {target}: 1 factories, 10 rows"
    assert target.read_text().startswith("# Generated by `seedspec init`")
