"""CHECKs read as logic: the terms (conjunctions of literals) one of which a row must meet."""

from __future__ import annotations

import pytest

from seedspec.scaffold.check_logic import Literal, Term, terms
from seedspec.scaffold.checks import Restriction

COLUMNS = ("a", "b", "c", "ended", "locale", "primary_for_locale", "kind", "name", "sort_name", "code")


def _read(text: str) -> list[set[tuple[str, ...]]]:
    """Each term as a set of (kind, column, ...) tuples: the order inside a term does not matter."""
    found = terms(text, COLUMNS)
    assert found is not None
    return [{(lit.kind, *lit.columns, lit.op) for lit in term} for term in found]


def _null(*names: str) -> set[tuple[str, ...]]:
    return {("null", n, "") for n in names}


def _set(*names: str) -> set[tuple[str, ...]]:
    return {("not_null", n, "") for n in names}


@pytest.mark.parametrize(
    "text",
    [
        "((a IS NULL) AND (b IS NOT NULL)) OR ((a IS NOT NULL) AND (b IS NULL))",
        "(a IS NULL) <> (b IS NULL)",
        "(a IS NULL) != (b IS NULL)",
        "num_nonnulls(a, b) = 1",
        "num_nulls(a, b) = 1",
        "NOT ((a IS NULL) = (b IS NULL))",
    ],
)
def test_exactly_one_of_two_is_null_in_every_spelling(text: str) -> None:
    assert sorted(_read(text), key=sorted) == sorted(
        [_set("a") | _null("b"), _null("a") | _set("b")], key=sorted
    )


def test_at_most_one_and_at_least_one() -> None:
    assert len(_read("num_nonnulls(a, b, c) <= 1")) == 4  # none, or one of three
    assert _read("(a IS NOT NULL) OR (b IS NOT NULL) OR (c IS NOT NULL)") == [_set("a"), _set("b"), _set("c")]
    assert _read("(a IS NULL) = (b IS NULL)") == [_null("a", "b"), _set("a", "b")]


def test_a_term_that_contradicts_itself_is_dropped() -> None:
    assert _read("a IS NULL AND a IS NOT NULL") == []


def test_values_and_truth_tests() -> None:
    found = terms("(locale IS NULL AND primary_for_locale IS FALSE) OR locale IS NOT NULL", COLUMNS)
    false = Literal("value", ("primary_for_locale",), Restriction(allowed=(False,)))
    assert found == (
        (Literal("null", ("locale",)), Literal("not_null", ("primary_for_locale",)), false),
        (Literal("not_null", ("locale",)),),
    )
    ended: Term = (Literal("not_null", ("a",)), Literal("value", ("ended",), Restriction(allowed=(True,))))
    assert terms("(a IS NOT NULL AND ended = true) OR a IS NULL", COLUMNS) == (
        ended,
        (Literal("null", ("a",)),),
    )
    assert terms("kind <> 2 OR kind IS NULL", COLUMNS) == (
        (Literal("value", ("kind",), Restriction(excluded=(2,))),),
        (Literal("null", ("kind",)),),
    )
    assert terms("kind = 1 OR kind = 2", COLUMNS) == tuple(
        (Literal("value", ("kind",), Restriction(allowed=(v,))),) for v in (1, 2)
    )


def test_comparisons_between_columns_are_pairs_greater_first() -> None:
    assert terms("a < b", COLUMNS) == ((Literal("pair", ("b", "a"), op=">"),),)
    assert terms("(sort_name)::text = (name)::text", COLUMNS) == (
        (Literal("pair", ("sort_name", "name"), op="="),),
    )
    assert terms("a <> b", COLUMNS) == ((Literal("pair", ("a", "b"), op="<>"),),)
    assert terms("NOT (a > b)", COLUMNS) == ((Literal("pair", ("b", "a"), op=">="),),)
    assert terms("a = a", COLUMNS) == ((),)  # always holds
    assert terms("a <> a", COLUMNS) == ()  # never does


def test_what_it_does_not_know_is_opaque_over_the_columns_it_names() -> None:
    assert terms("musicbrainz.controlled_for_whitespace((name)::text)", COLUMNS) == (
        (Literal("opaque", ("name",)),),
    )
    assert terms("length(code) > 3 AND a IS NOT NULL", COLUMNS) == (
        (Literal("opaque", ("code",)), Literal("not_null", ("a",))),
    )
    assert terms("now() > '2000-01-01'", COLUMNS) == ((),)  # names no column: not the row's doing


def test_text_that_cannot_be_read_is_none() -> None:
    assert terms("a IS NULL OR", COLUMNS) is None
    assert terms("a @@@ b", COLUMNS) is None
    many = " AND ".join(f"(a IS NULL OR b IS NULL OR c IS NULL OR kind = {n})" for n in range(5))
    assert terms(many, COLUMNS) is None  # 4**5 terms: too many
