"""The pytest plugin's work: seed a test database once, then isolate each test in a transaction.

The hooks and fixtures pytest sees live in the top-level module ``pytest_seedspec`` (the
``pytest11`` entry point), which imports only pytest: any ``seedspec.*`` import loads the whole
API, and an installed plugin runs in every pytest session, configured or not. That module
imports this one the first time a test asks for a seedspec fixture.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from seedspec.api import pipeline, specs
from seedspec.database import guard
from seedspec.errors import Diagnostic, SeedspecError, shown_url
from seedspec.outcome import Report
from seedspec.report import render

ENV_DATABASE_URL = "SEEDSPEC_TEST_DATABASE_URL"


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What the ini file, the environment and the command line configure; ``spec`` is None when
    the project does not use the plugin."""

    spec: Path | None
    database_url: str | None
    create: bool
    reset: bool


class SeedingFailed(Exception):
    """Seeding the test database failed; ``message`` is the located seedspec text to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PluginMisuse(Exception):
    """A test used the plugin wrongly; ``message`` is the located seedspec text to show."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.message = render.diagnostics_text((diagnostic,))


def settings(
    *,
    option_spec: str | None,
    ini_spec: str,
    option_url: str | None,
    ini_url: str,
    create: bool,
    reset: bool,
    invocation_dir: Path,
    ini_dir: Path,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Merge the sources: the command line wins, then ``SEEDSPEC_TEST_DATABASE_URL`` (the URL
    only), then the ini file. A relative spec path is relative to where it is written: the
    current directory for ``--seedspec-spec``, the ini file's directory for ``seedspec_spec``."""
    env = os.environ if environ is None else environ
    spec: Path | None = None
    if option_spec:
        spec = invocation_dir / option_spec
    elif ini_spec.strip():
        spec = ini_dir / ini_spec.strip()
    url = option_url or env.get(ENV_DATABASE_URL) or ini_url.strip() or None
    return Settings(spec=spec, database_url=url, create=create, reset=reset)


def not_configured() -> PluginMisuse:
    """E730: a test asks for a seedspec fixture but no spec is configured."""
    return PluginMisuse(
        Diagnostic(
            code="E730",
            message="a test uses a seedspec fixture, but no spec is configured",
            hint="set 'seedspec_spec = seeds/test.yaml' in pytest.ini (or [tool.pytest.ini_options]), "
            "or pass --seedspec-spec",
        )
    )


def marked_spec(args: tuple[object, ...], kwargs: dict[str, object], root: Path) -> Path:
    """The spec of ``@pytest.mark.seedspec("path")``, relative to the rootdir; E731 otherwise."""
    if len(args) != 1 or kwargs or not isinstance(args[0], str | os.PathLike):
        given = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
        raise PluginMisuse(
            Diagnostic(
                code="E731",
                message=f"@pytest.mark.seedspec({given}): expected one spec path",
                hint='for example @pytest.mark.seedspec("seeds/other.yaml"), relative to the rootdir',
            )
        )
    return root / os.fspath(args[0])


def marker_needs_own_database(given: str | os.PathLike[str], url: str) -> PluginMisuse:
    """E732: a marker names another spec while the session's database is a configured one."""
    shown = shown_url(url)
    return PluginMisuse(
        Diagnostic(
            code="E732",
            message=f"@pytest.mark.seedspec({os.fspath(given)!r}) needs a database of its own, "
            f"but the test database is the configured {shown}",
            hint="marked specs get a throwaway SQLite database each, only when no database URL is "
            "configured; test that spec in a session of its own (--seedspec-spec ... with its URL)",
        )
    )


def engine_for(spec: Path, url: str | None, scratch: Path) -> Engine:
    """The configured database's engine, else a new SQLite file in ``scratch`` named after the
    spec (its path's hash keeps two specs of one name apart)."""
    if url is None:
        digest = hashlib.sha256(str(spec.resolve()).encode()).hexdigest()[:8]
        url = f"sqlite:///{scratch / f'{spec.stem}-{digest}.db'}"
    try:
        return specs.create_engine(url)
    except SeedspecError as exc:
        raise SeedingFailed(_seeding_message(spec, exc)) from exc


def seed(spec: Path, engine: Engine, *, create: bool, reset: bool) -> Report:
    """Apply ``spec`` to ``engine`` (``SEEDSPEC_PROTECT`` and the spec's ``protect:`` hold)."""
    try:
        loaded = specs.load(spec, os.environ)
        protect = guard.env_patterns(os.environ.get(guard.ENV_VARIABLE))
        return pipeline.apply(loaded, engine, create=create, reset=reset, protect=protect, workers=0)
    except SeedspecError as exc:
        raise SeedingFailed(_seeding_message(spec, exc)) from exc


def _seeding_message(spec: Path, exc: SeedspecError) -> str:
    return f"seedspec: cannot seed the test database from {spec}\n{render.diagnostics_text(exc.diagnostics)}"


@contextmanager
def isolated(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back afterwards, whatever the test did
    through a Session joined to it; E733 when the test committed the connection itself."""
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        if not outer.is_active:
            raise PluginMisuse(
                Diagnostic(
                    code="E733",
                    message="the test ended the transaction of seedspec_connection "
                    "(commit() or rollback() on the connection): its changes may outlive it",
                    hint="change data through seedspec_session (its commit() only releases a "
                    "savepoint), or through the connection without committing it",
                )
            )
        outer.rollback()


@contextmanager
def joined_session(connection: Connection) -> Iterator[Session]:
    """An ORM Session in the connection's transaction: its ``commit()`` releases a SAVEPOINT
    (SQLAlchemy's "Joining a Session into an External Transaction")."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
