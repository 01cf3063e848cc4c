"""``seedspec new``, run as a user runs it: scaffold factories for real tables on SQLite,
PostgreSQL and MariaDB (and for the Chinook schema), then validate and apply what was written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import EXAMPLES, copy_example, run_cli

import seedspec
from seedspec.scaffold.guess import snake_case

CHINOOK = Path("/work/shared/realschemas/chinook")


def _counts(url: str, *tables: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t: conn.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar_one()
                for t in tables
            }
    finally:
        engine.dispose()


def _league(url: str) -> None:
    """Two tables with a foreign key, a unique email and most column types."""
    metadata = sa.MetaData()
    sa.Table(
        "teams",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(60), nullable=False, unique=True),
    )
    sa.Table(
        "players",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("email", sa.String(120), nullable=False, unique=True),
        sa.Column("first_name", sa.String(40), nullable=False),
        sa.Column("last_name", sa.String(40), nullable=False),
        sa.Column("country", sa.String(30)),
        sa.Column("birth_date", sa.Date),
        sa.Column("salary", sa.Numeric(9, 2), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("joined_at", sa.DateTime, nullable=False),
        sa.Column("bio", sa.Text),
        sa.Column("created_at", sa.DateTime, server_default=sa.func.current_timestamp()),
    )
    engine = sa.create_engine(url)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()


def _ok(result: object) -> None:
    assert getattr(result, "returncode", None) == 0, getattr(result, "stdout", "") + getattr(
        result, "stderr", ""
    )


def test_new_factory_from_a_live_database_validates_and_applies(db_url: str, tmp_path: Path) -> None:
    _league(db_url)
    spec = tmp_path / "seeds.yaml"
    spec.write_text("# league seeds\nversion: 1\n", encoding="utf-8")
    _ok(run_cli("new", "factory", "--table", "teams", "--spec", spec, "--database-url", db_url, cwd=tmp_path))
    result = run_cli(
        "new", "factory", "--table", "players", "--spec", spec, "--database-url", db_url, cwd=tmp_path
    )
    _ok(result)
    assert "added factory 'player'" in result.stdout
    text = spec.read_text(encoding="utf-8")
    assert text.startswith("# league seeds\nversion: 1\n")
    assert "      team_id: {ref: team}\n" in text
    assert "      email: {faker: email, unique: true}\n" in text
    assert "# filled by the database: id, created_at" in text
    spec.write_text(
        text + "seed:\n  - {factory: team, count: 3}\n  - {factory: player, count: 12}\n", "utf-8"
    )
    _ok(run_cli("validate", spec, "--database-url", db_url, cwd=tmp_path))
    _ok(run_cli("apply", spec, "--database-url", db_url, cwd=tmp_path))
    assert _counts(db_url, "teams", "players") == {"teams": 3, "players": 12}
    again = run_cli("apply", spec, "--database-url", db_url, "--format", "json", cwd=tmp_path)
    _ok(again)
    assert '"created": 0' in again.stdout


def test_the_table_comes_from_the_database_the_spec_names(tmp_path: Path) -> None:
    _league(f"sqlite:///{tmp_path / 'league.db'}")
    spec = tmp_path / "seeds.yaml"
    spec.write_text("version: 1\ndatabase: {url: 'sqlite:///league.db'}\n", encoding="utf-8")
    _ok(run_cli("new", "factory", "club", "--table", "teams", "--spec", "seeds.yaml", cwd=tmp_path))
    assert "  club:\n    table: teams\n" in spec.read_text(encoding="utf-8")


def test_without_any_table_definitions_nothing_is_written_nor_created(tmp_path: Path) -> None:
    spec = tmp_path / "seeds.yaml"
    spec.write_text("version: 1\n", encoding="utf-8")
    result = run_cli("new", "factory", "--table", "teams", "--spec", spec, cwd=tmp_path)
    assert result.returncode == 1
    assert "error E806: no table definitions" in result.stderr
    assert "Traceback" not in result.stderr
    assert spec.read_text(encoding="utf-8") == "version: 1\n"
    assert not (tmp_path / "seeds.db").exists()


def _chinook(kind: str, url: str, tmp_path: Path) -> tuple[Path, list[str]]:
    """A spec for the Chinook schema of ``kind`` and the table names to scaffold, parents first."""
    tables = ["Artist", "Album", "Genre", "MediaType", "Track", "Customer", "Invoice", "InvoiceLine"]
    spec = tmp_path / "chinook.yaml"
    if kind == "sqlite":
        shutil.copy(CHINOOK / "sqlite.sql", tmp_path / "chinook.sql")
        spec.write_text("version: 1\ntables: {ddl: chinook.sql}\n", encoding="utf-8")
        return spec, tables
    import seedspec.database.tables

    ddl = CHINOOK / ("postgres.sql" if kind == "postgresql" else "mysql.sql")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            seedspec.database.tables.run_ddl(conn, ddl, None)
    finally:
        engine.dispose()
    spec.write_text("version: 1\n", encoding="utf-8")
    return spec, [snake_case(t) for t in tables] if kind == "postgresql" else tables


def test_chinook_factories_validate_and_apply(
    db_kind: str, new_db_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = new_db_url(db_kind)
    spec, tables = _chinook(db_kind, url, tmp_path)
    database = () if db_kind == "sqlite" else ("--database-url", url)
    engine = None if db_kind == "sqlite" else seedspec.create_engine(url)
    try:
        for table in tables:  # in-process: eight subprocesses would cost seconds each
            seedspec.new_factory(spec, table, database=engine)
    finally:
        if engine is not None:
            engine.dispose()
    text = spec.read_text(encoding="utf-8")
    assert "# filled by the database:" in text if db_kind == "sqlite" else "{sequence: 1}" in text
    _ok(run_cli("validate", spec, *database, cwd=tmp_path))
    steps = {"artist": 3, "album": 6, "genre": 2, "media_type": 2, "track": 10, "customer": 4, "invoice": 8}
    seed = "".join(f"  - {{factory: {f}, count: {n}}}\n" for f, n in {**steps, "invoice_line": 20}.items())
    spec.write_text(text + "seed:\n" + seed, encoding="utf-8")
    apply = ("apply", spec, "--create") if db_kind == "sqlite" else ("apply", spec, "--database-url", url)
    _ok(run_cli(*apply, cwd=tmp_path))
    chinook_db = f"sqlite:///{tmp_path / 'chinook.db'}" if db_kind == "sqlite" else url
    assert _counts(chinook_db, tables[-1], tables[0]) == {tables[-1]: 20, tables[0]: 3}


def test_a_child_before_its_parent_names_the_missing_factory(tmp_path: Path) -> None:
    spec, _ = _chinook("sqlite", "", tmp_path)
    result = run_cli("new", "factory", "--table", "Album", "--spec", spec, cwd=tmp_path)
    _ok(result)
    assert "it refers to factory 'artist', which the spec does not have yet" in result.stdout
    assert "seedspec new factory artist --table Artist" in result.stdout
    assert run_cli("validate", spec, cwd=tmp_path).returncode == 1  # E300 until artist exists
    _ok(run_cli("new", "factory", "--table", "Artist", "--spec", spec, cwd=tmp_path))
    _ok(run_cli("validate", spec, cwd=tmp_path))


def test_a_toml_spec_gets_factory_tables(tmp_path: Path) -> None:
    project = copy_example(EXAMPLES / "library", tmp_path / "library")
    with (project / "schema.sql").open("a", encoding="utf-8") as ddl:
        ddl.write(
            "\nCREATE TABLE reviews (id INTEGER PRIMARY KEY, book_id INTEGER NOT NULL REFERENCES books (id),"
        )
        ddl.write(" stars INTEGER NOT NULL, body TEXT);\n")
    _ok(run_cli("new", "factory", "--table", "reviews", "--spec", "library.toml", cwd=project))
    spec = project / "library.toml"
    assert '[factories.review.fields]\nbook_id = { ref = "book" }\n' in spec.read_text(encoding="utf-8")
    with spec.open("a", encoding="utf-8") as toml:
        toml.write('\n[[seed]]\nfactory = "review"\nfor_each = "book"\ncount = 2\n')
    _ok(run_cli("apply", "library.toml", "--create", cwd=project))
    assert _counts(f"sqlite:///{project / 'library.db'}", "reviews") == {"reviews": 120}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--table", "player"), "error E805: there is no table 'player' in tables.ddl (schema.sql)"),
        (("user", "--table", "posts"), "error E804: the spec already has a factory 'user'"),
        (("blog-post", "--table", "posts"), "error E803: 'blog-post' cannot name a factory"),
        (("--table", "posts", "--spec", "nope.yaml"), "error E802: there is no spec nope.yaml"),
    ],
)
def test_misuse_exits_1_and_leaves_the_spec_alone(
    args: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    _ok(run_cli("new", "spec", cwd=tmp_path))
    spec = tmp_path / "seeds" / "dev.yaml"
    before = spec.read_bytes()
    result = run_cli("new", "factory", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert spec.read_bytes() == before


def test_an_unknown_table_suggests_the_right_one(tmp_path: Path) -> None:
    _ok(run_cli("new", "spec", cwd=tmp_path))
    result = run_cli("new", "factory", "--table", "user", cwd=tmp_path)
    assert "hint: did you mean 'users'? known tables: posts, users" in result.stderr


def test_new_spec_writes_the_starter_example_which_applies(tmp_path: Path) -> None:
    result = run_cli("new", "spec", cwd=tmp_path)
    _ok(result)
    assert (
        result.stdout
        == "wrote seeds/dev.yaml and seeds/schema.sql\nnext: seedspec apply seeds/dev.yaml --create\n"
    )
    for name in ("dev.yaml", "schema.sql"):
        assert (tmp_path / "seeds" / name).read_bytes() == (EXAMPLES / "starter" / name).read_bytes()
    assert run_cli("validate", "seeds/dev.yaml", cwd=tmp_path).stdout == "1 spec valid\n"
    _ok(run_cli("apply", "seeds/dev.yaml", "--create", cwd=tmp_path))
    assert _counts(f"sqlite:///{tmp_path / 'seeds' / 'dev.db'}", "users", "posts") == {
        "users": 11,
        "posts": 22,
    }


def test_new_spec_then_new_factory_for_a_new_table(tmp_path: Path) -> None:
    _ok(run_cli("new", "spec", "dev.yaml", cwd=tmp_path))
    with (tmp_path / "schema.sql").open("a", encoding="utf-8") as ddl:
        ddl.write(
            "\nCREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts (id),"
        )
        ddl.write(" author_email VARCHAR(120) NOT NULL, body TEXT NOT NULL);\n")
    _ok(run_cli("new", "factory", "--table", "comments", "--spec", "dev.yaml", cwd=tmp_path))
    spec = tmp_path / "dev.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "  - {factory: comment, count: 5}\n", encoding="utf-8")
    _ok(run_cli("apply", "dev.yaml", "--create", cwd=tmp_path))
    assert _counts(f"sqlite:///{tmp_path / 'dev.db'}", "comments") == {"comments": 5}


def test_new_spec_refuses_to_overwrite_unless_forced(tmp_path: Path) -> None:
    _ok(run_cli("new", "spec", "dev.yaml", cwd=tmp_path))
    spec = tmp_path / "dev.yaml"
    spec.write_text("version: 1\n", encoding="utf-8")
    result = run_cli("new", "spec", "dev.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "error E800: dev.yaml and schema.sql already exist; nothing was written" in result.stderr
    assert spec.read_text(encoding="utf-8") == "version: 1\n"
    _ok(run_cli("new", "spec", "dev.yaml", "--force", cwd=tmp_path))
    assert spec.read_bytes() == (EXAMPLES / "starter" / "dev.yaml").read_bytes()


def test_new_spec_refuses_toml(tmp_path: Path) -> None:
    result = run_cli("new", "spec", "dev.toml", cwd=tmp_path)
    assert result.returncode == 1
    assert "error E801: 'seedspec new spec' writes YAML, not dev.toml" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _tags_spec(tmp_path: Path, text: bytes) -> Path:
    (tmp_path / "schema.sql").write_text(
        "CREATE TABLE tags (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL);\n"
    )
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(text)
    return spec


def test_windows_line_endings_are_kept(tmp_path: Path) -> None:
    spec = _tags_spec(tmp_path, b"version: 1\r\ntables: {ddl: schema.sql}\r\n")
    done = seedspec.new_factory(spec, "tags")
    raw = spec.read_bytes()
    assert raw.startswith(b"version: 1\r\ntables: {ddl: schema.sql}\r\n\r\nfactories:\r\n  tag:\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert done.written
    assert done.draft.mapping() == {"table": "tags", "fields": {"name": {"faker": "catch_phrase"}}}


def test_dry_run_prints_the_factory_and_writes_nothing(tmp_path: Path) -> None:
    spec = _tags_spec(tmp_path, b"version: 1\ntables: {ddl: schema.sql}\n")
    result = run_cli("new", "factory", "label", "--table", "tags", "--spec", spec, "--dry-run", cwd=tmp_path)
    _ok(result)
    assert result.stdout.startswith(
        f"would add (--dry-run) factory 'label' to {spec} (table tags):\nfactories:\n"
    )
    assert spec.read_bytes() == b"version: 1\ntables: {ddl: schema.sql}\n"
