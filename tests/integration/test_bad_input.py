"""Bad input through the real CLI: exit 1, a located error, no traceback, nothing written."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbdump import dump
from helpers import EXAMPLES, copy_example, run_cli

METADATA = sa.MetaData()
sa.Table(
    "authors",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
)
sa.Table(
    "books",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("author_id", sa.Integer, sa.ForeignKey("authors.id"), nullable=False),
    sa.Column("title", sa.String(200), nullable=False, unique=True),
    sa.Column("isbn", sa.String(20), nullable=False),
)

GOOD = """\
version: 1
settings: {seed: 7}
factories:
  author:
    table: authors
    fields:
      name: {sequence: "author{n}"}
  book:
    table: books
    fields:
      author_id: {ref: author}
      title: {sequence: "book{n}"}
      isbn: {faker: isbn13}
seed:
  - factory: author
    count: 3
  - factory: book
    for_each: author
    count: 2
"""
NULL_ISBN = GOOD.replace("{faker: isbn13}", "{faker: isbn13, null_rate: 1.0}")
GROWN_NULL_ISBN = NULL_ISBN.replace("count: 3", "count: 5").replace("count: 2", "count: 3")
MISSING_AUTHOR = GOOD.replace("{ref: author}", "999999")
STRING_AUTHOR = GOOD.replace("{ref: author}", "not-a-number")


def _library(url: str) -> str:
    """Create the authors/books tables in ``url`` (the specs reflect them)."""
    engine = sa.create_engine(url)
    try:
        METADATA.create_all(engine)
    finally:
        engine.dispose()
    return url


def _write(directory: Path, text: str, name: str = "seed.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def _apply(spec: Path, url: str) -> subprocess.CompletedProcess[str]:
    return run_cli("apply", spec.name, "--database-url", url, cwd=spec.parent)


def _assert_clean_failure(result: subprocess.CompletedProcess[str], code: str) -> str:
    """Exit 1 with a ``file:line:col: error CODE`` and no traceback; returns all output."""
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert re.search(rf"^\S+:\d+:\d+: error {code}: ", output, re.MULTILINE), output
    return output


def _location(output: str, code: str) -> tuple[str, int, int]:
    match = re.search(rf"^(\S+):(\d+):(\d+): error {code}: ", output, re.MULTILINE)
    assert match, output
    return match[1], int(match[2]), int(match[3])


def _field_position(spec_text: str, field: str) -> tuple[int, tuple[int, int]]:
    """The 1-based line of ``field:`` and the columns of its key and of its value."""
    for number, line in enumerate(spec_text.splitlines(), 1):
        if line.lstrip().startswith(f"{field}:"):
            key = len(line) - len(line.lstrip()) + 1
            return number, (key, key + len(field) + 2)
    raise AssertionError(f"{field} not in the spec")


def _assert_points_at(output: str, code: str, spec_text: str, field: str) -> None:
    file, line, column = _location(output, code)
    expected_line, columns = _field_position(spec_text, field)
    assert (file, line) == ("seed.yaml", expected_line), output
    assert column in columns, output


# -- rows the database refuses -----------------------------------------------------------------


def test_a_refused_row_is_located_and_nothing_is_written(db_url: str, tmp_path: Path) -> None:
    _library(db_url)
    before = dump(db_url)
    result = _apply(_write(tmp_path, NULL_ISBN), db_url)
    output = _assert_clean_failure(result, "E500")
    _assert_points_at(output, "E500", NULL_ISBN, "isbn")
    assert "step 'book" in output
    assert re.search(r"\brow \d+", output), output
    assert dump(db_url) == before


def test_a_refused_row_leaves_the_rows_of_an_earlier_apply_untouched(db_url: str, tmp_path: Path) -> None:
    _library(db_url)
    good = _apply(_write(tmp_path, GOOD, "good.yaml"), db_url)
    assert good.returncode == 0, good.stderr
    before = dump(db_url)
    assert len(before["books"]) == 6

    result = _apply(_write(tmp_path, GROWN_NULL_ISBN), db_url)
    output = _assert_clean_failure(result, "E500")
    _assert_points_at(output, "E500", GROWN_NULL_ISBN, "isbn")
    assert dump(db_url) == before


SCORES = sa.MetaData()
sa.Table(
    "scores",
    SCORES,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("label", sa.String(20), nullable=False),
    sa.Column("points", sa.Integer, nullable=False),
    sa.CheckConstraint("points >= 0", name="no_negative"),  # the name does not say the column
)
NEGATIVE = """\
version: 1
factories:
  score:
    table: scores
    key: [label]
    fields:
      label: {sequence: "s{n}"}
      points: -1
seed:
  - {factory: score, count: 2}
"""


def test_a_check_violation_names_the_column_and_points_at_the_field(db_url: str, tmp_path: Path) -> None:
    engine = sa.create_engine(db_url)
    try:
        SCORES.create_all(engine)
    finally:
        engine.dispose()
    before = dump(db_url)
    output = _assert_clean_failure(_apply(_write(tmp_path, NEGATIVE), db_url), "E500")
    _assert_points_at(output, "E500", NEGATIVE, "points")
    assert "(table 'scores', column 'points')" in output, output
    assert dump(db_url) == before


def test_a_foreign_key_violation_names_step_and_row(sqlite_url: str, tmp_path: Path) -> None:
    _library(sqlite_url)
    before = dump(sqlite_url)
    output = _assert_clean_failure(_apply(_write(tmp_path, MISSING_AUTHOR), sqlite_url), "E500")
    assert "step 'book" in output
    assert re.search(r"\brow 0\b", output), output
    assert dump(sqlite_url) == before


def test_a_foreign_key_violation_points_at_the_field(db_url: str, tmp_path: Path) -> None:
    _library(db_url)
    before = dump(db_url)
    output = _assert_clean_failure(_apply(_write(tmp_path, MISSING_AUTHOR), db_url), "E500")
    _assert_points_at(output, "E500", MISSING_AUTHOR, "author_id")
    assert dump(db_url) == before


def test_a_string_for_an_integer_column_is_refused_before_the_database(
    sqlite_url: str, tmp_path: Path
) -> None:
    _library(sqlite_url)
    before = dump(sqlite_url)
    output = _assert_clean_failure(_apply(_write(tmp_path, STRING_AUTHOR), sqlite_url), "E327")
    _assert_points_at(output, "E327", STRING_AUTHOR, "author_id")
    assert dump(sqlite_url) == before


# -- unreachable databases ----------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_example(EXAMPLES / "design", tmp_path / "project")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:1/x",
        "postgresql+psycopg://postgres:s3cr3t-pw@127.0.0.1:1/x",
        "mysql+pymysql://root:s3cr3t-pw@127.0.0.1:1/x",
    ],
    ids=["postgresql", "postgresql-password", "mariadb-password"],
)
@pytest.mark.parametrize("command", ["apply", "plan"])
def test_an_unreachable_database_is_a_clean_error(project: Path, command: str, url: str) -> None:
    result = run_cli(command, "dev.yaml", "--database-url", url, cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "error E401" in output
    assert "Traceback" not in output
    assert "s3cr3t-pw" not in output
    assert "127.0.0.1:1" in output


def test_a_password_in_database_url_from_the_environment_is_masked(project: Path) -> None:
    env = {"DATABASE_URL": "postgresql+psycopg://postgres:s3cr3t-pw@127.0.0.1:1/x"}
    result = run_cli("apply", "dev.yaml", cwd=project, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "error E401" in output
    assert "s3cr3t-pw" not in output
    assert "***" in output


# -- specs that do not load or validate ---------------------------------------------------------

MALFORMED_YAML = """\
version: 1
factories:
  user:
    table: users
    fields: {email: {faker: email}
    key: [email]
"""
MALFORMED_TOML = """\
version = 1
[factories.user]
table = "users
key = ["email"]
"""
UNKNOWN_KEY = """\
version: 1
factories:
  user:
    table: users
    kee: [email]
    fields:
      email: {faker: email}
seed:
  - factory: user
    count: 3
"""
MISSPELLED_FAKER = UNKNOWN_KEY.replace("kee:", "key:").replace("{faker: email}", "{faker: emial}")


@pytest.mark.parametrize("command", ["validate", "apply"])
@pytest.mark.parametrize(
    ("name", "text", "code", "line", "expected"),
    [
        ("seed.yaml", MALFORMED_YAML, "E100", 5, "invalid YAML"),  # where the "{" never closed opens
        ("seed.toml", MALFORMED_TOML, "E100", 3, "invalid TOML"),
        ("seed.yaml", UNKNOWN_KEY, "E200", 5, "did you mean 'key'?"),
        ("seed.yaml", MISSPELLED_FAKER, "E303", 7, "did you mean 'email'?"),
    ],
    ids=["malformed-yaml", "malformed-toml", "unknown-key", "misspelled-faker"],
)
def test_a_bad_spec_is_located_and_touches_no_database(
    tmp_path: Path, command: str, name: str, text: str, code: str, line: int, expected: str
) -> None:
    spec = _write(tmp_path, text, name)
    database = tmp_path / "never.db"
    extra = ("--database-url", f"sqlite:///{database}") if command == "apply" else ()
    result = run_cli(command, spec.name, *extra, cwd=tmp_path)
    output = _assert_clean_failure(result, code)
    assert _location(output, code)[:2] == (name, line)
    assert expected in output
    assert not database.exists()


# -- values and files no database can take -----------------------------------------------------

HUGE_AUTHOR = GOOD.replace("{ref: author}", str(2**70))


def test_an_integer_past_64_bits_is_a_located_refusal_on_every_database(db_url: str, tmp_path: Path) -> None:
    """SQLite's driver raises OverflowError before the database sees the row: still a located
    refusal (E500; PostgreSQL's pipelined COPY reports its 'integer out of range' as E403)."""
    _library(db_url)
    before = dump(db_url)
    output = _assert_clean_failure(_apply(_write(tmp_path, HUGE_AUTHOR), db_url), "E(500|403)")
    assert "step 'book" in output
    assert dump(db_url) == before


def test_plan_against_a_file_that_is_not_a_sqlite_database_is_e401(tmp_path: Path) -> None:
    (tmp_path / "not.db").write_text("not a database", encoding="utf-8")
    spec = _write(tmp_path, GOOD)
    result = run_cli("plan", spec.name, "--database-url", f"sqlite:///{tmp_path / 'not.db'}", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "error E401" in output
    assert "not a database" in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    "template",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x",
        "{% set l = [1] %}{% for x in l %}{{ l.append(x) }}{% endfor %}",
        '{{ fake.seed_instance(1) }}{{ fake.format("__setattr__", "locale", "x") }}',
    ],
)
def test_a_template_past_its_limits_or_the_sandbox_is_a_located_e507(
    sqlite_url: str, tmp_path: Path, template: str
) -> None:
    _library(sqlite_url)
    text = GOOD.replace('{sequence: "book{n}"}', "'" + template + "'")
    output = _assert_clean_failure(_apply(_write(tmp_path, text), sqlite_url), "E507")
    _assert_points_at(output, "E507", text, "title")
    assert dump(sqlite_url)["books"] == []
