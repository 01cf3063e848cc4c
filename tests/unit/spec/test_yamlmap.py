"""YAML text -> plain data with a location for every node, and the limits on the way there."""

from __future__ import annotations

import pytest

from seedspec.errors import SpecInvalid
from seedspec.spec.yamlmap import MAX_DEPTH, MAX_NODES, parse_yaml


def _failure(text: str) -> tuple[str, str, int, int]:
    with pytest.raises(SpecInvalid) as caught:
        parse_yaml(text, "spec.yaml")
    d = caught.value.diagnostics[0]
    assert d.location is not None
    return d.code, d.message, d.location.line, d.location.column


def test_every_key_and_value_is_located() -> None:
    document, entries = parse_yaml("version: 1\nseed:\n  - factory: user\n    count: 3\n", "spec.yaml")
    assert document == {"version": 1, "seed": [{"factory": "user", "count": 3}]}
    count_key, count_value = entries["/seed/0/count"], entries["/seed/0/count#value"]
    assert (count_key.line, count_key.column) == (4, 5)
    assert (count_value.line, count_value.column) == (4, 12)
    assert count_value.file == "spec.yaml"


def test_keys_are_text_as_json_has_them() -> None:
    document, _ = parse_yaml("true: 1\nnull: 2\n3: 3\n", "spec.yaml")
    assert document == {"true": 1, "null": 2, "3": 3}


def test_an_empty_file_is_an_empty_document() -> None:
    document, entries = parse_yaml("# nothing\n", "spec.yaml")
    assert document == {}
    assert entries[""].line == 1


def test_a_repeated_key_is_e101_at_the_second() -> None:
    code, message, line, column = _failure("a: 1\nb: 2\na: 3\n")
    assert (code, message, line, column) == ("E101", "duplicate key 'a'", 3, 1)


def test_a_merge_key_may_be_overridden_but_not_a_written_one() -> None:
    document, _ = parse_yaml("base: &b {x: 1, y: 2}\nuse: {<<: *b, x: 9}\n", "spec.yaml")
    assert document["use"] == {"x": 9, "y": 2}


def test_a_python_tag_is_e104() -> None:
    code, message, line, _ = _failure("a: !!python/object:os.system ls\n")
    assert code == "E104"
    assert "!!python/object:os.system" in message
    assert line == 1


def test_a_list_at_the_top_level_is_e201() -> None:
    code, *_ = _failure("- 1\n- 2\n")
    assert code == "E201"


def test_nesting_past_our_limit_is_e104_where_it_passes() -> None:
    depth = MAX_DEPTH + 1
    code, message, line, column = _failure("x:\n  " + "[" * depth + "]" * depth + "\n")
    assert (code, message, line) == ("E104", "the document is nested too deeply", 2)
    assert column == 2 + MAX_DEPTH  # the top mapping is the first level: this "[" is level 65


def test_libyamls_own_nesting_limit_is_the_same_e104() -> None:
    code, message, line, _ = _failure("a: 1\nx: " + "[" * 1500 + "]" * 1500 + "\n")
    assert (code, message, line) == ("E104", "the document is nested too deeply", 2)


def test_an_alias_bomb_is_e104_before_it_expands() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefg"):
        prev = "abcdefg"[i]
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    code, message, *_ = _failure("\n".join(lines) + "\n")
    assert code == "E104"
    assert str(MAX_NODES) in message


def test_malformed_yaml_is_e100_at_its_position() -> None:
    code, message, line, column = _failure("a: [1, 2\nb: 3\n")
    assert code == "E100"
    assert message.startswith("invalid YAML:")
    assert (line, column) == (1, 4)  # where the '[' that is never closed opens


def _hint(text: str) -> str:
    with pytest.raises(SpecInvalid) as caught:
        parse_yaml(text, "spec.yaml")
    return caught.value.diagnostics[0].hint


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        # the parser notices on the next line; the mistake is the key without ':' above it
        ("user:\n  table: users\n  fields\n    name: x\n", (3, 3), "a key starts here without its ':'"),
        ("a: 1\nb: 'open\nc: 2\n", (2, 4), "a quoted string starts here and is never closed"),
        ("a: {x: 1\nb: 2\n", (1, 4), "a '{' opens here and is not closed"),
    ],
)
def test_an_unfinished_key_quote_or_bracket_is_e100_where_it_starts(
    text: str, where: tuple[int, int], hint: str
) -> None:
    code, _, line, column = _failure(text)
    assert (code, (line, column)) == ("E100", where)
    assert _hint(text).startswith(hint)
    assert "the parser noticed at line" in _hint(text)


def test_a_line_indented_too_little_is_e100_at_that_line() -> None:
    text = "user:\n    table: users\n   fields: {}\n"
    assert _failure(text)[2:] == (3, 4)
    assert _hint(text) == "check indentation and quoting around this position"


@pytest.mark.parametrize("text", ["version: 1\nx: &a [*a]\n", "version: 1\nfactories: &all\n  user: *all\n"])
def test_a_recursive_alias_is_e104_at_the_alias(text: str) -> None:
    code, message, line, _ = _failure(text)
    assert (code, line) == ("E104", 2)
    assert "recursive" in message


def test_an_integer_past_pythons_limit_is_e209_at_the_value() -> None:
    code, message, line, column = _failure("version: 1\nsettings:\n  seed: " + "9" * 4301 + "\n")
    assert (code, line, column) == ("E209", 3, 9)
    assert "4,301 digits" in message
    assert parse_yaml("a: " + "9" * 4300, "spec.yaml")[0]["a"] == int("9" * 4300)
