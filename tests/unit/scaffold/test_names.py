"""Names for scaffolding: snake case, singulars, factory names, and the checks on a new
factory's name."""

from __future__ import annotations

import pytest

from seedspec.scaffold.names import (
    check_name,
    factory_name,
    name_matches,
    singular,
    snake_case,
    unknown_table,
)


@pytest.mark.parametrize(
    ("name", "snake"),
    [("BillingPostalCode", "billing_postal_code"), ("Order Details", "order_details"), ("userID", "user_id")],
)
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


@pytest.mark.parametrize(
    ("table", "factory"),
    [
        ("users", "user"),
        ("post_tags", "post_tag"),
        ("categories", "category"),
        ("addresses", "address"),
        ("MediaType", "media_type"),
        ("Order Details", "order_detail"),
        ("status", "status"),
        ("2024_logs", "t_2024_log"),
    ],
)
def test_factory_name_is_the_singular_in_snake_case(table: str, factory: str) -> None:
    assert factory_name(table) == factory


@pytest.mark.parametrize(
    ("word", "one"),
    [
        ("categories", "category"),
        ("boxes", "box"),
        ("users", "user"),
        ("status", "status"),
        ("class", "class"),
    ],
)
def test_singular(word: str, one: str) -> None:
    assert singular(word) == one


def test_a_name_matches_a_pattern_whole_or_as_its_last_words() -> None:
    assert name_matches("billing_email", ("email",))
    assert name_matches("email", ("email",))
    assert not name_matches("emailed", ("email",))
    assert not name_matches("email_sent", ("email",))


@pytest.mark.parametrize(("name", "code"), [("9lives", "E803"), ("blog-post", "E803"), ("user", "E804")])
def test_a_factory_name_must_be_an_identifier_that_is_not_taken(name: str, code: str) -> None:
    problem = check_name(name, ["user"])
    assert problem is not None
    assert problem.code == code
    assert check_name("blog_post", ["user"]) is None


def test_an_unknown_table_suggests_the_closest_and_lists_the_known() -> None:
    problem = unknown_table("album", ["Album", "Artist"], "tables.ddl (chinook.sql)")
    assert problem.code == "E805"
    assert problem.hint == "did you mean 'Album'? known tables: Album, Artist"
    assert "did you mean" not in unknown_table("zzz", ["Album"], "the database").hint
