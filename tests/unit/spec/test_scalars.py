"""The one scalar reader of ``${VAR}`` values and ``--set`` values: plain numbers, words, else text."""

from __future__ import annotations

import pytest

from seedspec.spec.scalars import typed_scalar


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("42", 42),
        ("-7", -7),
        ("+3", 3),
        ("0", 0),
        ("0.5", 0.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("1e3", 1000.0),
        ("-2.5E-1", -0.25),
        ("true", True),
        ("FALSE", False),
        ("null", None),
        ("~", None),
    ],
)
def test_plain_numbers_and_words_take_their_type(text: str, value: object) -> None:
    result = typed_scalar(text)
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize(
    "text",
    [
        "010",  # YAML 1.1 octal 8, int() 10: neither
        "01234",
        "1_000",  # int() and YAML take the underscore
        " 7 ",  # int() strips
        "7\n",
        "\u0663",  # Arabic-Indic three: int() reads 3
        "\uff17",  # fullwidth seven
        "1:30",  # YAML 1.1 sexagesimal 90
        "0x1f",
        "1e999",  # not finite
        "inf",
        "nan",
        ".nan",
        "yes",  # YAML 1.1 true
        "",
        "12 apples",
    ],
)
def test_anything_else_stays_the_text_as_written(text: str) -> None:
    assert typed_scalar(text) == text
