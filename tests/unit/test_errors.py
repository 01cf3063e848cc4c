"""Diagnostics and secret masking: one path that every message and file goes through."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from seedspec.errors import (
    DatabaseError,
    Diagnostic,
    Location,
    SeedspecError,
    Severity,
    SpecInvalid,
    database_reason,
    masked,
    shown_url,
)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("postgresql://app:s3cret@db/x", "postgresql://app:***@db/x"),
        ("postgresql://app:s3cr@t@db/x", "postgresql://app:***@db/x"),
        ("mysql+pymysql://root@db:3306/app", "mysql+pymysql://root@db:3306/app"),
        (
            "postgresql://app@db/x?password=s3cret&sslmode=off",
            "postgresql://app@db/x?password=***&sslmode=off",
        ),
        ("mysql://app@db/x?passwd=s3cret", "mysql://app@db/x?passwd=***"),
        ("host=db user=app password=s3cret dbname=x", "host=db user=app password=*** dbname=x"),
        ("host=db password='a b c' dbname=x", "host=db password=*** dbname=x"),
        ("no url at all", "no url at all"),
    ],
)
def test_every_password_form_is_masked(text: str, shown: str) -> None:
    assert masked(text) == shown


def test_a_url_object_and_its_text_are_shown_alike() -> None:
    url = sa.engine.make_url("postgresql+psycopg://app:s3cret@db/x?password=other")
    assert "s3cret" not in shown_url(url)
    assert "other" not in shown_url(url)
    assert shown_url(url) == "postgresql+psycopg://app:***@db/x?password=***"
    assert shown_url("sqlite:///dev.db") == "sqlite:///dev.db"


def test_a_driver_reason_is_one_masked_line() -> None:
    class Orig(Exception):
        pass

    exc = sa.exc.OperationalError("SELECT 1", {}, Orig("connect to postgresql://a:pw@h/x failed\nmore"))
    assert database_reason(exc) == "connect to postgresql://a:***@h/x failed"


def test_errors_carry_their_diagnostics_and_their_root() -> None:
    diagnostic = Diagnostic(code="E100", message="bad", location=Location(file="s.yaml", line=3, column=5))
    error = SpecInvalid(diagnostic)
    assert isinstance(error, SeedspecError)
    assert isinstance(DatabaseError(diagnostic), SeedspecError)
    assert error.diagnostics[0].code == "E100"
    assert diagnostic.severity is Severity.ERROR
