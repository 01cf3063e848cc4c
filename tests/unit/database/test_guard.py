"""The production guard: pattern matching and the refusal."""

from __future__ import annotations

import pytest

from seedspec.database.guard import Pattern, env_patterns, matching, refuse


def patterns(*texts: str) -> list[Pattern]:
    return [Pattern(text=t, origin="test") for t in texts]


@pytest.mark.parametrize(
    ("url", "pattern"),
    [
        ("postgresql+psycopg://app:s3cret@db.prod.example.com/app", "*prod*"),
        ("postgresql+psycopg://app@DB.INTERNAL:5432/app", "db.internal"),
        ("mysql+pymysql://root@10.0.0.5/shop_production", "shop_production"),
        ("postgresql+psycopg://app@db.internal/app", "postgresql*://*@db.internal/*"),
        ("sqlite:////srv/live/app.db", "sqlite:////srv/live/*"),
    ],
)
def test_a_pattern_matches_the_url_its_host_or_its_database(url: str, pattern: str) -> None:
    found = matching(url, patterns("nothing", pattern))
    assert found is not None
    assert found.text == pattern


def test_the_password_is_never_matched_nor_shown() -> None:
    url = "postgresql+psycopg://app:production@localhost/dev"
    assert matching(url, patterns("*production*")) is None
    error = refuse(
        "postgresql+psycopg://app:hunter2@db.prod/app", Pattern(text="*prod*", origin="x"), "apply to"
    )
    assert "hunter2" not in error.diagnostics[0].message
    assert "app:***@db.prod/app" in error.diagnostics[0].message


def test_a_url_pattern_does_not_match_a_host_alone() -> None:
    assert matching("postgresql+psycopg://app@db/app", patterns("postgresql://db*")) is None


def test_the_environment_variable_is_comma_separated() -> None:
    assert [p.text for p in env_patterns(" *prod*, ,db.internal ")] == ["*prod*", "db.internal"]
    assert env_patterns(None) == ()
    assert {p.origin for p in env_patterns("x")} == {"SEEDSPEC_PROTECT"}


def test_the_refusal_names_the_pattern_and_where_it_comes_from() -> None:
    error = refuse("sqlite:///prod.db", Pattern(text="*prod*", origin="SEEDSPEC_PROTECT"), "reset")
    (d,) = error.diagnostics
    assert d.code == "E706"
    assert d.message == (
        "refusing to reset sqlite:///prod.db: it matches the protected pattern '*prod*' "
        "(from SEEDSPEC_PROTECT)"
    )
    assert "--force" in d.hint


@pytest.mark.parametrize(
    ("url", "pattern"),
    [
        ("postgresql+psycopg://app@db-primary:5432/app", "postgresql*://*@db-primary*"),
        ("postgresql+psycopg://app@/app?host=db-primary", "db-primary"),
        ("postgresql+psycopg://app@/app?host=replica,db-primary", "db-primary"),
        ("sqlite:////srv/shop_production.db", "shop_production"),
        ("sqlite:////srv/shop_production.db", "shop_production.db"),
    ],
)
def test_hosts_from_the_query_and_sqlite_file_names_match_too(url: str, pattern: str) -> None:
    assert matching(url, patterns(pattern)) is not None
