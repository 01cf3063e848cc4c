"""Colour only on a terminal, never under NO_COLOR or --no-color; the text is the same."""

from __future__ import annotations

import io
import re

import pytest

from seedspec.cli.colour import wanted, write
from seedspec.errors import masked, shown_url

DIAGNOSTIC = "spec.yaml:3:4: error E302: unknown state\n  hint: did you mean 'admin'?\n1 error, 0 warnings"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "no_color", "environ", "expected"),
    [
        (Terminal(), False, {}, True),
        (Terminal(), False, {"NO_COLOR": "1"}, False),
        (Terminal(), False, {"NO_COLOR": ""}, True),  # no-color.org: set *and not empty*
        (Terminal(), True, {}, False),
        (io.StringIO(), False, {}, False),
    ],
    ids=["terminal", "NO_COLOR", "empty NO_COLOR", "--no-color", "pipe"],
)
def test_colour_is_wanted_only_on_a_terminal_without_no_color(
    stream: io.StringIO, no_color: bool, environ: dict[str, str], expected: bool
) -> None:
    assert wanted(stream, no_color=no_color, environ=environ) is expected


def test_coloured_text_reads_the_same_once_the_escapes_are_gone() -> None:
    coloured, plain = io.StringIO(), io.StringIO()
    write(coloured, DIAGNOSTIC, colour=True)
    write(plain, DIAGNOSTIC, colour=False)
    assert "\x1b[" in coloured.getvalue()
    assert "\x1b[" not in plain.getvalue()
    assert plain.getvalue() == DIAGNOSTIC + "\n"
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.getvalue()) == plain.getvalue()


def test_passwords_in_urls_are_masked_even_in_unparsable_text() -> None:
    text = "cannot parse 'postgresql://app:s3cr@t@db/x' nor mysql://root:pw@h; sqlite:///a:b@c.db stays"
    assert (
        masked(text)
        == "cannot parse 'postgresql://app:***@db/x' nor mysql://root:***@h; sqlite:///a:b@c.db stays"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("mysql://db.example.com:3306/app?note=a@b", "mysql://db.example.com:3306/app?note=a@b"),
        ("postgresql://u:p w@host/db", "postgresql://u:***@host/db"),
        ("'postgresql://u:p w@host/db' is refused", "'postgresql://u:***@host/db' is refused"),
        ("mysql://root:pw@h for user@example.org/x", "mysql://root:***@h for user@example.org/x"),
        ("postgresql://app:pw@db.example.com:5432x/app", "postgresql://app:***@db.example.com:5432x/app"),
    ],
)
def test_only_the_password_of_a_url_is_masked(text: str, shown: str) -> None:
    assert masked(text) == shown


def test_a_url_is_shown_parsed_or_else_masked() -> None:
    assert shown_url("postgresql+psycopg://app:s3cret@db/x") == "postgresql+psycopg://app:***@db/x"
    assert shown_url("postgresql://app:s3cret@db:5432x/x") == "postgresql://app:***@db:5432x/x"
    assert shown_url("nonsense") == "nonsense"
