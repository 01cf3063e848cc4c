"""The pytest plugin, run for real: pytest on a sample project (pytester, in-process), on SQLite and
PostgreSQL. Each test of the sample asserts it starts from exactly the seeded rows, so any leak
between tests fails whatever their order."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap

import psycopg  # noqa: F401
import pytest
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401

# pytester forgets, after each test, the modules imported during it; a database driver imported
# first inside one (by the session's server probe, say) would be imported twice, and its errors
# would no longer be the classes SQLAlchemy wraps. Imported here, they are never forgotten.
pytest_plugins = ["pytester"]

MODELS = """
    from sqlalchemy import ForeignKey, String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class User(Base):
        __tablename__ = "users"
        id: Mapped[int] = mapped_column(primary_key=True)
        email: Mapped[str] = mapped_column(String(120), unique=True)


    class Post(Base):
        __tablename__ = "posts"
        id: Mapped[int] = mapped_column(primary_key=True)
        user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
        title: Mapped[str] = mapped_column(String(200), unique=True)
"""

SPEC = """
    version: 1
    tables: {models: "plugin_sample_models:Base"}
    factories:
      user: {table: users, fields: {email: "user{{ n }}@example.com"}}
      post: {table: posts, fields: {user_id: {ref: user}, title: "post {{ user_id }}-{{ n }}"}}
    seed:
      - {factory: user, count: USERS}
      - {factory: post, for_each: user, count: 2}
"""

COMMON = """
    import sqlalchemy as sa
    from plugin_sample_models import Post, User


    def count(conn, table):
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
"""

ISOLATION = (
    COMMON
    + """

    def test_deleting_rows(seedspec_connection):
        assert (count(seedspec_connection, "users"), count(seedspec_connection, "posts")) == (3, 6)
        seedspec_connection.execute(sa.text("DELETE FROM posts"))
        seedspec_connection.execute(sa.text("DELETE FROM users"))
        assert count(seedspec_connection, "users") == 0


    def test_inserting_through_the_session(seedspec_session):
        assert seedspec_session.scalar(sa.select(sa.func.count()).select_from(User)) == 3
        seedspec_session.add(User(email="flushed@example.com"))
        seedspec_session.flush()
        assert seedspec_session.scalar(sa.select(sa.func.count()).select_from(User)) == 4


    def test_committing_through_the_session(seedspec_session):
        assert seedspec_session.scalar(sa.select(sa.func.count()).select_from(User)) == 3
        user = seedspec_session.scalars(sa.select(User).order_by(User.id)).first()
        seedspec_session.add(Post(user_id=user.id, title="committed"))
        user.email = "changed@example.com"
        seedspec_session.commit()
        seedspec_session.rollback()  # only back to the last savepoint: the commit stays, until the test ends
        assert seedspec_session.scalar(sa.select(sa.func.count()).select_from(Post)) == 7


    def test_a_factory_creates_new_rows_past_the_seeded_ones(seedspec_connection):
        import seedspec

        spec = seedspec.load("test.yaml")
        user = seedspec.factory(spec, "user").create(seedspec_connection)
        posts = seedspec.factory(spec, "post").create_batch(seedspec_connection, 2, user_id=user["id"])
        assert user["email"] == "user3@example.com"  # user0-2 are the seed's: never returned
        assert [p["user_id"] for p in posts] == [user["id"]] * 2
        assert (count(seedspec_connection, "users"), count(seedspec_connection, "posts")) == (4, 8)


    def test_still_sees_exactly_the_seeded_rows(seedspec_connection):
        assert (count(seedspec_connection, "users"), count(seedspec_connection, "posts")) == (3, 6)
        emails = seedspec_connection.execute(sa.text("SELECT email FROM users ORDER BY email")).scalars()
        assert list(emails) == [f"user{n}@example.com" for n in range(3)]


    def test_the_spec_was_applied_once(seedspec_report):
        assert (seedspec_report.created, seedspec_report.database.count("***") <= 1) == (9, True)
"""
)

MISUSE = (
    COMMON
    + """
    import pytest


    @pytest.mark.seedspec("other.yaml")
    def test_a_marked_test_sees_its_own_spec(seedspec_connection):
        assert count(seedspec_connection, "users") == 1


    @pytest.mark.seedspec("other.yaml")
    def test_a_marked_spec_is_seeded_once(seedspec_session):
        assert seedspec_session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


    def test_unmarked_beside_marked(seedspec_connection):
        assert count(seedspec_connection, "users") == 3


    @pytest.mark.seedspec()
    def test_a_marker_without_a_spec(seedspec_connection):
        pass


    def test_committing_the_connection(seedspec_connection):
        seedspec_connection.commit()


    @pytest.mark.seedspec("missing.yaml")
    def test_a_marker_with_a_typo(seedspec_connection):
        pass


    @pytest.mark.seedspec("missing.yaml")
    def test_the_same_typo_again(seedspec_session):
        pass
"""
)


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A sample project: models, a spec seeding 3 users and 6 posts, tests of isolation."""
    pytester.makepyfile(plugin_sample_models=textwrap.dedent(MODELS))
    pytester.path.joinpath("test.yaml").write_text(textwrap.dedent(SPEC).replace("USERS", "3"))
    pytester.path.joinpath("other.yaml").write_text(textwrap.dedent(SPEC).replace("USERS", "1"))
    pytester.makeini("[pytest]\nseedspec_spec = test.yaml\n")
    pytester.makepyfile(test_isolation=textwrap.dedent(ISOLATION), test_misuse=textwrap.dedent(MISUSE))
    return pytester


def _run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    return project.runpytest_inprocess("-p", "no:randomly", "-p", "no:cacheprovider", *args)


def test_the_plugin_is_an_installed_entry_point() -> None:
    entry = {e.name: e.value for e in importlib.metadata.entry_points(group="pytest11")}
    assert entry.get("seedspec") == "pytest_seedspec"


def test_each_test_sees_exactly_the_seeded_rows_on_sqlite(project: pytest.Pytester) -> None:
    result = _run(project, "test_isolation.py")
    result.assert_outcomes(passed=6)


def test_each_test_sees_exactly_the_seeded_rows_on_postgres(
    project: pytest.Pytester, postgres_url: str
) -> None:
    result = _run(
        project, "test_isolation.py", f"--seedspec-database-url={postgres_url}", "--seedspec-create"
    )
    result.assert_outcomes(passed=6)


def test_markers_and_misuse_are_reported_by_code(project: pytest.Pytester) -> None:
    result = _run(project, "test_misuse.py")
    result.assert_outcomes(passed=4, errors=4)  # a marked spec that cannot be seeded fails its tests only
    result.stdout.fnmatch_lines(
        [
            "*error E731: @pytest.mark.seedspec(): expected one spec path",
            "*error E733: the test ended the transaction of seedspec_connection*",
            "*cannot seed the test database from *missing.yaml",
            "*error E100: *missing.yaml*",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    # once per test with the typo, in the ERRORS section (the short summary repeats messages in full
    # under CI=true, where pytest does not truncate them)
    errors = result.stdout.str().partition("= ERRORS =")[2].partition("short test summary info")[0]
    assert errors.count("error E100") == 2


def test_a_setting_that_is_not_true_or_false_is_one_clear_line(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\nseedspec_spec = test.yaml\nseedspec_create = maybe\n")
    result = _run(project, "test_isolation.py")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: seedspec_create in *.ini: invalid truth value 'maybe'; expected*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


OWN_ENGINE = """
    import pytest
    import sqlalchemy as sa


    @pytest.fixture(scope="session")
    def seedspec_engine(tmp_path_factory):
        engine = sa.create_engine(f"sqlite:///{tmp_path_factory.mktemp('own') / 'migrated.db'}")
        with engine.begin() as conn:  # "migrations" that have not created posts yet
            conn.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(120) UNIQUE)")
        yield engine
        engine.dispose()
"""


def test_an_overridden_engine_is_seeded_as_it_is(project: pytest.Pytester) -> None:
    schema = "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(120) UNIQUE);\n" + (
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), title TEXT);\n"
    )
    project.path.joinpath("schema.sql").write_text(schema)
    spec = (
        textwrap.dedent(SPEC)
        .replace("USERS", "3")
        .replace('models: "plugin_sample_models:Base"', "ddl: schema.sql")
    )
    project.path.joinpath("test.yaml").write_text(spec)
    project.makeconftest(textwrap.dedent(OWN_ENGINE))
    result = _run(project, "test_isolation.py", "-k", "applied_once")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*cannot seed the test database from *test.yaml", "*posts*"])
    assert "already exists" not in result.stdout.str()  # its DDL was not run on the user's database


def test_a_marker_with_a_configured_database_is_refused(project: pytest.Pytester, sqlite_url: str) -> None:
    result = _run(project, "test_misuse.py", "-k", "own_spec", f"--seedspec-database-url={sqlite_url}")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*error E732: @pytest.mark.seedspec('other.yaml') needs a database of its own*"]
    )


def test_an_invalid_spec_ends_the_session_with_its_located_error(project: pytest.Pytester) -> None:
    project.path.joinpath("test.yaml").write_text(textwrap.dedent(SPEC).replace("USERS", "lots"))
    result = _run(project, "test_isolation.py")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["*cannot seed the test database from *test.yaml", "*test.yaml:8:28: error E201: seed/0/count: *"]
    )
    assert "Traceback" not in result.stdout.str()


def test_an_unreachable_database_is_reported_without_its_password(project: pytest.Pytester) -> None:
    url = "postgresql+psycopg://someone:s3cret@127.0.0.1:9/nowhere"  # port 9 refuses at once
    result = _run(project, "test_isolation.py", f"--seedspec-database-url={url}")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        ["*error E401: cannot connect to postgresql+psycopg://someone:***@127.0.0.1:9/*"]
    )
    assert "s3cret" not in result.stdout.str() + result.stderr.str()


def test_unconfigured_it_stays_out_of_the_way(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_plain="def test_plain():\n    pass\n\ndef test_asks(seedspec_session):\n    pass\n"
    )
    result = pytester.runpytest_inprocess("-p", "no:randomly")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*error E730: a test uses a seedspec fixture, but no spec is configured"])


def test_loading_the_plugin_imports_neither_seedspec_nor_sqlalchemy() -> None:
    code = (
        "import sys, pytest_seedspec\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('seedspec', 'sqlalchemy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
