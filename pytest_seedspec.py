"""seedspec's pytest plugin: seed the test database once per session, roll back every test.

Configure it in pytest.ini (or ``[tool.pytest.ini_options]``)::

    [pytest]
    seedspec_spec = seeds/test.yaml
    seedspec_database_url = postgresql+psycopg://app@localhost/app_test   # default: a throwaway SQLite file
    seedspec_create = true                                                # create the spec's tables

and ask for ``seedspec_session`` (an ORM Session) or ``seedspec_connection`` in a test. See
docs/pytest.md. This module is the ``pytest11`` entry point and imports only pytest, so a
project that does not configure it pays nothing: the work (``seedspec.testing.pytest_plugin``) is
imported when a test first asks for a seedspec fixture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pytest

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session

    from seedspec.outcome import Report
    from seedspec.testing.pytest_plugin import Settings


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("seedspec", "seeding the test database from a seedspec spec")
    group.addoption("--seedspec-spec", metavar="SPEC", help="the spec to seed the test database with")
    group.addoption(
        "--seedspec-database-url",
        metavar="URL",
        help="the test database (default: SEEDSPEC_TEST_DATABASE_URL, then seedspec_database_url, "
        "then a throwaway SQLite file)",
    )
    group.addoption(
        "--seedspec-create",
        action="store_true",
        default=False,
        help="create the spec's tables from tables.models or tables.ddl",
    )
    group.addoption(
        "--seedspec-reset",
        action="store_true",
        default=False,
        help="empty the tables the spec writes before seeding",
    )
    parser.addini("seedspec_spec", "the spec to seed the test database with (relative to the ini file)")
    parser.addini("seedspec_database_url", "the test database's SQLAlchemy URL (default: throwaway SQLite)")
    parser.addini("seedspec_create", "create the spec's tables from its models or DDL", type="bool")
    parser.addini("seedspec_reset", "empty the tables the spec writes before seeding", type="bool")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "seedspec(spec): seed a throwaway SQLite database with this spec (once per session) "
        "for the test's seedspec fixtures",
    )
    for name in _INI_FLAGS:
        _ini_flag(config, name)  # a value that is not a truth value stops the session at once


_INI_FLAGS = ("seedspec_create", "seedspec_reset")


def _ini_flag(config: pytest.Config, name: str) -> bool:
    """The ini file's ``name`` (true/false, yes/no, on/off, 1/0); anything else is a usage
    error that names the option and the file, which pytest prints as one line."""
    try:
        return bool(config.getini(name))
    except (pytest.UsageError, ValueError) as exc:
        where = config.inipath or "the ini file"
        message = f"{name} in {where}: {exc}; expected true or false (or yes/no, on/off, 1/0)"
    raise pytest.UsageError(message)  # outside the except block: no "during handling" chain


def _settings(config: pytest.Config) -> Settings:
    from seedspec.testing.pytest_plugin import settings

    return settings(
        option_spec=config.getoption("seedspec_spec"),
        ini_spec=str(config.getini("seedspec_spec") or ""),
        option_url=config.getoption("seedspec_database_url"),
        ini_url=str(config.getini("seedspec_database_url") or ""),
        create=bool(config.getoption("seedspec_create") or _ini_flag(config, "seedspec_create")),
        reset=bool(config.getoption("seedspec_reset") or _ini_flag(config, "seedspec_reset")),
        invocation_dir=config.invocation_params.dir,
        ini_dir=config.inipath.parent if config.inipath else config.rootpath,
    )


class _Seeded:
    """The databases seeded for markers: one per spec, each a throwaway SQLite file."""

    def __init__(self, scratch: Path) -> None:
        self._scratch = scratch
        self._engines: dict[Path, Engine] = {}
        self._failed: dict[Path, str] = {}

    def engine(self, spec: Path) -> Engine:
        """The engine of a throwaway SQLite database seeded with ``spec`` (once). A spec that
        cannot be seeded fails each test marked with it, and only those."""
        from seedspec.testing import pytest_plugin as work

        key = spec.resolve()
        if key not in self._engines and key not in self._failed:
            engine = work.engine_for(spec, None, self._scratch)
            try:
                work.seed(spec, engine, create=True, reset=False)
                self._engines[key] = engine
            except work.SeedingFailed as exc:
                engine.dispose()
                self._failed[key] = exc.message
        if key in self._failed:
            pytest.fail(self._failed[key], pytrace=False)
        return self._engines[key]

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()


T = TypeVar("T")


def _or_exit(seeding: Callable[[], T]) -> T:
    """Run ``seeding``; a seedspec failure ends the session with its located message."""
    from seedspec.testing.pytest_plugin import SeedingFailed

    try:
        return seeding()
    except SeedingFailed as exc:
        message = exc.message  # outside the except block: no "during handling" chain in the output
    pytest.exit(message, returncode=pytest.ExitCode.TESTS_FAILED)


def _configured(config: pytest.Config) -> tuple[Settings, Path]:
    """The settings and the spec; E730 fails the test when no spec is configured."""
    from seedspec.testing.pytest_plugin import not_configured

    found = _settings(config)
    if found.spec is None:
        pytest.fail(not_configured().message, pytrace=False)
    return found, found.spec


_THROWAWAY = pytest.StashKey["Engine"]()  # the SQLite engine seedspec_engine made, if it made one


@pytest.fixture(scope="session")
def seedspec_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The test database's engine, not seeded yet: ``seedspec_database_url`` or a throwaway SQLite
    file. Override this fixture to hand seedspec a database of your own (migrated, say)."""
    from seedspec.testing import pytest_plugin as work

    found, spec = _configured(request.config)
    engine = _or_exit(lambda: work.engine_for(spec, found.database_url, tmp_path_factory.mktemp("seedspec")))
    if found.database_url is None:
        request.config.stash[_THROWAWAY] = engine
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def seedspec_report(request: pytest.FixtureRequest, seedspec_engine: Engine) -> Report:
    """Seed the test database with the configured spec, once per session; what was done.

    Tables are created with ``seedspec_create``, and always on the throwaway SQLite database the
    plugin made itself (never on the database of an overridden ``seedspec_engine``)."""
    from seedspec.testing import pytest_plugin as work

    found, spec = _configured(request.config)
    create = found.create or request.config.stash.get(_THROWAWAY, None) is seedspec_engine
    return _or_exit(lambda: work.seed(spec, seedspec_engine, create=create, reset=found.reset))


@pytest.fixture(scope="session")
def _seedspec_marked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Seeded]:
    seeded = _Seeded(tmp_path_factory.mktemp("seedspec-marked"))
    yield seeded
    seeded.dispose()


def _seeded_engine(request: pytest.FixtureRequest) -> Engine:
    """The seeded engine for this test: its marker's spec, else the configured one."""
    from seedspec.testing import pytest_plugin as work

    marker = request.node.get_closest_marker("seedspec")
    if marker is None:
        return _seeded_engine_unmarked(request)
    problem: str | None = None
    try:
        spec = work.marked_spec(marker.args, dict(marker.kwargs), request.config.rootpath)
    except work.PluginMisuse as exc:
        problem = exc.message  # failed outside the except block: no "during handling" chain
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    found = _settings(request.config)
    if found.spec is not None and spec.resolve() == found.spec.resolve():
        return _seeded_engine_unmarked(request)
    if found.database_url is not None:
        pytest.fail(work.marker_needs_own_database(marker.args[0], found.database_url).message, pytrace=False)
    marked: _Seeded = request.getfixturevalue("_seedspec_marked")
    return marked.engine(spec)


def _seeded_engine_unmarked(request: pytest.FixtureRequest) -> Engine:
    request.getfixturevalue("seedspec_report")
    engine: Engine = request.getfixturevalue("seedspec_engine")
    return engine


@pytest.fixture
def seedspec_connection(request: pytest.FixtureRequest) -> Iterator[Connection]:
    """A connection to the seeded database inside a transaction rolled back after the test:
    every test sees exactly the seeded rows. Do not commit it; use ``seedspec_session``."""
    from seedspec.testing import pytest_plugin as work

    problem: str | None = None
    try:
        with work.isolated(_seeded_engine(request)) as connection:
            yield connection
    except work.PluginMisuse as exc:
        problem = exc.message
    if problem is not None:
        pytest.fail(problem, pytrace=False)


@pytest.fixture
def seedspec_session(seedspec_connection: Connection) -> Iterator[Session]:
    """An ORM Session in ``seedspec_connection``'s transaction; its ``commit()`` only releases a
    SAVEPOINT, so whatever the test writes is rolled back after it."""
    from seedspec.testing import pytest_plugin as work

    with work.joined_session(seedspec_connection) as session:
        yield session
