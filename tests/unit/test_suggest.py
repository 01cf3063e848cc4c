"""The one did-you-mean rule."""

from __future__ import annotations

import ast
from pathlib import Path

import seedspec.suggest
from seedspec.suggest import closest, did_you_mean


def test_the_closest_spelling_wins() -> None:
    assert closest("emial", ["name", "email", "mail_server"]) == "email"
    assert closest("factorys", ["factories", "seed", "settings"]) == "factories"


def test_nothing_close_enough_is_none() -> None:
    assert closest("count", ["seed", "factory"]) is None
    assert closest("x", []) is None


def test_options_may_be_any_iterable_of_names() -> None:
    assert closest("usr", {"user": 1, "post": 2}) == "user"
    assert closest("usr", (n for n in ["user", "post"])) == "user"


def test_a_higher_cutoff_asks_for_a_closer_spelling() -> None:
    assert closest("full_name", ["name", "first_name"]) == "first_name"
    assert closest("full_name", ["name", "first_name"], cutoff=0.75) is None


def test_did_you_mean_is_the_phrase_or_nothing() -> None:
    assert did_you_mean("emial", ["email"]) == "did you mean 'email'?"
    assert did_you_mean("zzz", ["email"]) == ""


def test_it_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(seedspec.suggest.__file__).read_text())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= {"__future__", "collections.abc", "difflib"}
