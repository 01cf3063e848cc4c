"""The seeder workflow on real databases: selecting steps, profiles, the production guard and
the plan's step sources (specs_examples/workflow). Resets are in test_reset.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump
from helpers import EXAMPLES, run_cli

import seedspec

WORKFLOW = EXAMPLES / "workflow" / "seeds.yaml"


def cli(
    *args: str, url: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, "--database-url", url, cwd=cwd, env=env)


def counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            present = set(sa.inspect(conn).get_table_names())
            return {
                t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("teams", "users", "posts")
                if t in present
            }
    finally:
        engine.dispose()


def apply(url: str, **options: object) -> seedspec.Report:
    params = options.pop("params", None)
    scale = options.pop("scale", None)
    spec = seedspec.load(WORKFLOW, params=params, scale=scale)  # type: ignore[arg-type]
    engine = seedspec.create_engine(url)
    try:
        return seedspec.apply(spec, engine, create=True, **options)  # type: ignore[arg-type]
    finally:
        engine.dispose()


# ------------------------------------------------------------------ selecting steps


def test_only_one_seeder_writes_its_tables_and_what_they_need(db_url: str) -> None:
    report = apply(db_url, selection=seedspec.Selection(only=("accounts",)))
    assert {s.step for s in report.steps} == {"team:records", "admins", "user"}
    assert counts(db_url) == {"teams": 2, "users": 21, "posts": 0}


def test_selected_steps_make_the_rows_a_full_apply_makes(db_kind: str, new_db_url: object) -> None:
    selective, full = new_db_url(db_kind), new_db_url(db_kind)  # type: ignore[operator]
    apply(selective, selection=seedspec.Selection(only=("content",)))  # pulls in teams and users
    apply(full)
    assert dump(selective) == dump(full)
    again = apply(selective, selection=seedspec.Selection(only=("admins",)))
    assert again.created == 0


def test_a_step_pulls_in_the_earlier_steps_of_its_table(sqlite_url: str) -> None:
    """'user' numbers its rows after 'admins' and takes unique values after it: both run."""
    report = apply(sqlite_url, selection=seedspec.Selection(only=("user",)))
    assert [s.step for s in report.steps] == ["team:records", "admins", "user"]


def test_exclude_skips_a_seeder(sqlite_url: str) -> None:
    apply(sqlite_url, selection=seedspec.Selection(exclude=("content",)))
    assert counts(sqlite_url) == {"teams": 2, "users": 21, "posts": 0}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--only", "contnt"], "E703", "did you mean 'content'?"),
        (["--only", "content", "--no-deps"], "E704", "user (for post<user)"),
        (["--exclude", "team"], "E705", "team:records (for admins, user, post<user)"),
    ],
)
def test_a_bad_selection_is_located_exit_1_and_writes_nothing(
    db_url: str, tmp_path: Path, args: list[str], code: str, message: str
) -> None:
    apply(db_url, selection=seedspec.Selection(only=("team",)))
    before = dump(db_url)
    result = cli("apply", str(WORKFLOW), *args, url=db_url, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert f"error {code}: " in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert dump(db_url) == before


def test_no_deps_runs_a_selection_that_needs_nothing_else(sqlite_url: str, tmp_path: Path) -> None:
    result = cli(
        "apply", str(WORKFLOW), "--create", "--only", "team", "--no-deps", url=sqlite_url, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert counts(sqlite_url) == {"teams": 2, "users": 0, "posts": 0}


def test_the_plan_shows_the_file_each_step_comes_from(sqlite_url: str, tmp_path: Path) -> None:
    result = run_cli("plan", str(WORKFLOW), "--offline", "--only", "content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "from accounts.yaml:21, name accounts" in result.stdout
    assert "from content.yaml:13, name content" in result.stdout
    assert "params: users=20, posts_per_user=3, domain='example.com'" in result.stdout


# ------------------------------------------------------------------ profiles


def test_set_and_scale_change_counts_and_templates(db_url: str) -> None:
    apply(db_url, params={"users": "4", "domain": "ci.test"})
    assert counts(db_url) == {"teams": 2, "users": 5, "posts": 15}
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        emails = conn.execute(sa.text("SELECT email FROM users")).scalars().all()
    engine.dispose()
    assert all(e.endswith("@ci.test") for e in emails)


def test_scale_multiplies_top_level_counts_and_children_follow(sqlite_url: str) -> None:
    apply(sqlite_url, scale=0.5)
    assert counts(sqlite_url) == {"teams": 2, "users": 11, "posts": 33}  # 1 admin stays 1


def test_a_smaller_profile_is_a_prefix_of_the_bigger_one(sqlite_url: str) -> None:
    apply(sqlite_url, params={"users": "5"})
    before = dump(sqlite_url)
    grown = apply(sqlite_url)
    assert grown.created == 15 + 45  # 15 more users, 3 posts each
    after = dump(sqlite_url)
    assert all(set(rows) <= set(after[t]) for t, rows in before.items())


def test_a_bad_override_is_exit_1(sqlite_url: str, tmp_path: Path) -> None:
    result = cli("apply", str(WORKFLOW), "--create", "--set", "users=lots", url=sqlite_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "error E701: --set users=lots: 'users' takes an integer (its default is 20)" in result.stderr
    result = cli("apply", str(WORKFLOW), "--create", "--set", "users", url=sqlite_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "error E700: --set users: expected NAME=VALUE" in result.stderr
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()


# ------------------------------------------------------------------ the production guard


def test_a_protected_database_is_refused_unless_forced(db_url: str, tmp_path: Path) -> None:
    apply(db_url, selection=seedspec.Selection(only=("team",)))
    before = dump(db_url)
    host = "127.0.0.1" if not db_url.startswith("sqlite") else "*"
    env = {"SEEDSPEC_PROTECT": f"nothing-here, {host}*"}
    for command in (["apply", str(WORKFLOW)], ["apply", str(WORKFLOW), "--reset"], ["reset", str(WORKFLOW)]):
        result = cli(*command, url=db_url, cwd=tmp_path, env=env)
        assert result.returncode == 1, result.stderr
        assert f"it matches the protected pattern '{host}*' (from SEEDSPEC_PROTECT)" in result.stderr
        assert dump(db_url) == before
    forced = cli("apply", str(WORKFLOW), "--force", "-q", url=db_url, cwd=tmp_path, env=env)
    assert forced.returncode == 0, forced.stderr
    assert counts(db_url)["users"] == 21


def test_the_spec_s_own_pattern_is_located(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shop_production.db'}"
    result = cli("apply", str(WORKFLOW), "--create", url=url, cwd=tmp_path)
    assert result.returncode == 1
    assert "seeds.yaml:22:11: error E706: refusing to apply to sqlite:///" in result.stderr
    assert "protected pattern '*prod*' (from protect: in the spec)" in result.stderr
    assert not (tmp_path / "shop_production.db").exists()


def test_patterns_match_the_url_without_its_password() -> None:
    spec = seedspec.load(WORKFLOW)
    url = "postgresql+psycopg://app:hunter2@db.internal:5432/app"
    found = seedspec.protected_by(spec, url)
    assert found is not None
    assert found.text == "*.internal*"
    assert seedspec.protected_by(spec, "postgresql+psycopg://app:prod@localhost/app") is None


def test_an_empty_selector_is_refused_not_read_as_everything(sqlite_url: str, tmp_path: Path) -> None:
    apply(sqlite_url)
    before = dump(sqlite_url)
    for args in (
        ["reset", str(WORKFLOW), "--only", ""],
        ["apply", str(WORKFLOW), "--reset", "--exclude", ","],
    ):
        result = cli(*args, url=sqlite_url, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "error E703: " in result.stderr
        assert "names no step" in result.stderr
    assert dump(sqlite_url) == before


BAD_PARAMS = """
version: 1
tables: {models: "workflow_models:Base"}
params: {users: 2, start: 2024-01-01}
settings: {now: 2026-01-01T00:00:00}
factories:
  team: {table: teams, key: [name], fields: {name: "{{ params.start }}"}}
seed:
  - {factory: team, count: COUNT}
"""


@pytest.mark.parametrize(
    ("count", "args", "code"),
    [
        ("1", ["plan", "--offline"], 0),  # a date parameter prints (and saves) as ISO text
        ('"{{ params.users"', ["validate"], 1),  # a count template with a syntax error
        ("\"{{ params.get('users') }}\"", ["validate"], 0),  # a method of params, not a parameter
    ],
)
def test_odd_params_never_end_in_an_internal_error(
    tmp_path: Path, count: str, args: list[str], code: int
) -> None:
    shutil.copy(EXAMPLES / "workflow" / "workflow_models.py", tmp_path)
    (tmp_path / "spec.yaml").write_text(BAD_PARAMS.replace("COUNT", count), encoding="utf-8")
    result = run_cli(args[0], "spec.yaml", *args[1:], cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr
    assert "internal error" not in result.stderr


def test_a_saved_plan_for_other_steps_is_stale_for_that_reason(sqlite_url: str, tmp_path: Path) -> None:
    apply(sqlite_url)
    saved = cli(
        "plan",
        str(WORKFLOW),
        "--only",
        "team",
        "--out",
        str(tmp_path / "p.json"),
        url=sqlite_url,
        cwd=tmp_path,
    )
    assert saved.returncode == 0, saved.stderr
    result = cli("apply", str(WORKFLOW), "--plan", str(tmp_path / "p.json"), url=sqlite_url, cwd=tmp_path)
    assert result.returncode == 1
    assert "the saved plan is stale: it covers other steps" in result.stderr
    ok = cli(
        "apply",
        str(WORKFLOW),
        "--only",
        "team",
        "--plan",
        str(tmp_path / "p.json"),
        url=sqlite_url,
        cwd=tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
