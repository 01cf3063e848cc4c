"""Tests for the TOML source map: exact positions, and agreement with tomli on any document."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from seedspec.errors import Location
from seedspec.source import join
from seedspec.spec.tomlmap import toml_locations

SPEC = '''\
version = 1
[settings]
seed = 42
[factories.user]
table = "users"
key = ["email"]
[factories.user.fields]
email = { faker = "email", unique = true }
name = """multi
line = [not a table]"""
[[seed]]
factory = "user"
count = 3
[[seed]]
factory = "tag"
records = [{name = "python"}, {name = "sql"}]
'''


def where(locs: dict[str, Location], ptr: str) -> tuple[int, int]:
    loc = locs[ptr]
    return loc.line, loc.column


def doc_pointers(node: object, base: str = "") -> Iterator[str]:
    """Every key and array element of a parsed document, as JSON pointers."""
    if isinstance(node, dict):
        items: Iterator[tuple[str | int, object]] = iter(node.items())
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for token, child in items:
        ptr = join(base, token)
        yield ptr
        yield from doc_pointers(child, ptr)


def assert_exact(text: str, locs: dict[str, Location]) -> None:
    """The map holds every pointer of the document, and nothing but those and their #value."""
    expected = set(doc_pointers(tomli.loads(text)))
    assert expected <= locs.keys()
    extra = {p.removesuffix("#value") for p in locs.keys() - expected}
    assert extra <= expected


# --- the realistic spec -------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec() -> dict[str, Location]:
    return toml_locations(SPEC, "spec.toml")


def test_spec_has_exactly_the_documents_pointers(spec: dict[str, Location]) -> None:
    assert_exact(SPEC, spec)
    assert spec["/version"] == Location(file="spec.toml", line=1, column=1)


@pytest.mark.parametrize(
    ("ptr", "line", "column"),
    [
        ("/version", 1, 1),
        ("/version#value", 1, 11),
        ("/settings", 2, 2),
        ("/settings/seed", 3, 1),
        ("/settings/seed#value", 3, 8),
        ("/factories", 4, 2),
        ("/factories/user", 4, 12),
        ("/factories/user/table", 5, 1),
        ("/factories/user/table#value", 5, 9),
        ("/factories/user/key#value", 6, 7),
        ("/factories/user/key/0", 6, 8),
        ("/factories/user/fields", 7, 17),
        ("/factories/user/fields/email", 8, 1),
        ("/factories/user/fields/email#value", 8, 9),
        ("/factories/user/fields/email/faker", 8, 11),
        ("/factories/user/fields/email/faker#value", 8, 19),
        ("/factories/user/fields/email/unique", 8, 28),
        ("/factories/user/fields/email/unique#value", 8, 37),
        ("/factories/user/fields/name", 9, 1),
        ("/factories/user/fields/name#value", 9, 8),
        ("/seed", 11, 3),
        ("/seed/0", 11, 1),
        ("/seed/0/factory", 12, 1),
        ("/seed/0/count", 13, 1),
        ("/seed/0/count#value", 13, 9),
        ("/seed/1", 14, 1),
        ("/seed/1/factory", 15, 1),
        ("/seed/1/records", 16, 1),
        ("/seed/1/records#value", 16, 11),
        ("/seed/1/records/0", 16, 12),
        ("/seed/1/records/0/name", 16, 13),
        ("/seed/1/records/1", 16, 31),
        ("/seed/1/records/1/name", 16, 32),
        ("/seed/1/records/1/name#value", 16, 39),
    ],
)
def test_spec_positions(spec: dict[str, Location], ptr: str, line: int, column: int) -> None:
    assert where(spec, ptr) == (line, column)


def test_multiline_string_content_is_not_scanned(spec: dict[str, Location]) -> None:
    assert not [p for p in spec if "line" in p.split("/")]
    assert where(spec, "/seed/0") == (11, 1)  # the header after the string is still found


# --- keys -----------------------------------------------------------------------------------


def test_dotted_keys_locate_each_prefix_at_its_first_mention() -> None:
    text = 'a.b.c = 1\na . "b" . d = 2\n[t]\nx.y = { z.w = 3 }\n'
    locs = toml_locations(text, "f")
    assert_exact(text, locs)
    assert where(locs, "/a") == (1, 1)
    assert where(locs, "/a/b") == (1, 3)
    assert where(locs, "/a/b/c") == (1, 5)
    assert where(locs, "/a/b/d") == (2, 11)
    assert where(locs, "/a/b/d#value") == (2, 15)
    assert where(locs, "/t/x/y") == (4, 3)
    assert where(locs, "/t/x/y/z") == (4, 9)
    assert where(locs, "/t/x/y/z/w") == (4, 11)
    assert where(locs, "/t/x/y/z/w#value") == (4, 15)


def test_quoted_keys_are_one_token_and_escaped_in_the_pointer() -> None:
    text = (
        '"a.b" = 1\n'
        "'x/y' = 2\n"
        '"t~" = 3\n'
        '"esc\\u0041\\"q" = 4\n'
        "'C:\\dir' = 5\n"
        '"" = 6\n'
        "[ \"h.i\" . 'j/k' ]\n"
        "  bare-Key_9 = 7\n"
    )
    locs = toml_locations(text, "f")
    assert_exact(text, locs)
    assert where(locs, "/a.b") == (1, 1)
    assert "/a/b" not in locs
    assert where(locs, "/x~1y") == (2, 1)
    assert where(locs, "/t~0") == (3, 1)
    assert where(locs, '/escA"q') == (4, 1)
    assert where(locs, "/C:\\dir") == (5, 1)
    assert where(locs, "/") == (6, 1)  # the empty key
    assert where(locs, "/h.i") == (7, 3)
    assert where(locs, "/h.i/j~1k") == (7, 11)
    assert where(locs, "/h.i/j~1k/bare-Key_9") == (8, 3)


def test_comments_with_syntax_in_them_are_ignored() -> None:
    text = '# [not] = a header\nkey = 1 # x = 2, [y]\n[t] # [[u]]\n  s = "# not a comment" # "also = not"\n'
    locs = toml_locations(text, "f")
    assert_exact(text, locs)
    assert set(locs) == {"/key", "/key#value", "/t", "/t/s", "/t/s#value"}
    assert where(locs, "/t/s") == (4, 3)


# --- tables ---------------------------------------------------------------------------------


def test_nested_arrays_of_tables_index_within_their_parent() -> None:
    text = (
        "[[a]]\n"  # 1
        "x = 1\n"
        "[[a.b]]\n"  # 3
        "y = 1\n"
        "[[a.b]]\n"  # 5
        "y = 2\n"
        "[[a]]\n"  # 7
        "[[a.b]]\n"  # 8
        "y = 3\n"
        "[a.c]\n"  # 10
        "z = 1\n"
        "[top]\n"
        "w = 1\n"
    )
    locs = toml_locations(text, "f")
    assert_exact(text, locs)
    assert where(locs, "/a/0") == (1, 1)
    assert where(locs, "/a/0/b/0/y") == (4, 1)
    assert where(locs, "/a/0/b/1") == (5, 1)
    assert where(locs, "/a/0/b/1/y") == (6, 1)
    assert where(locs, "/a/1") == (7, 1)
    assert where(locs, "/a/1/b/0/y") == (9, 1)
    assert where(locs, "/a/1/c") == (10, 4)
    assert where(locs, "/a/1/c/z") == (11, 1)
    assert where(locs, "/top/w") == (13, 1)


def test_implicit_table_is_relocated_by_its_own_header() -> None:
    text = "[a.b.c]\nx = 1\n[a.b]\ny = 2\n"
    locs = toml_locations(text, "f")
    assert_exact(text, locs)
    assert where(locs, "/a") == (1, 2)
    assert where(locs, "/a/b") == (3, 4)
    assert where(locs, "/a/b/c") == (1, 6)


# --- values ---------------------------------------------------------------------------------


def test_multiline_array_with_comments_and_nesting() -> None:
    text = "k = [\n  1, # one, ] = [\n  [2, [3]],\n  { x = 1, y = [4] },\n  'str]',\n]\nafter = 1\n"
    locs = toml_locations(text, "f")
    assert_exact(text, locs)
    assert where(locs, "/k/0") == (2, 3)
    assert where(locs, "/k/1") == (3, 3)
    assert where(locs, "/k/1/1/0") == (3, 8)
    assert where(locs, "/k/2/x") == (4, 5)
    assert where(locs, "/k/2/y/0") == (4, 17)
    assert where(locs, "/k/3") == (5, 3)
    assert where(locs, "/after") == (7, 1)


def test_multiline_inline_table_of_toml_1_1() -> None:
    text = "t = {\n  a = 1, # c\n  b = 2,\n}\nz = 0\n"
    locs = toml_locations(text, "f")
    assert_exact(text, locs)
    assert where(locs, "/t/b") == (3, 3)
    assert where(locs, "/z") == (5, 1)


@pytest.mark.parametrize(
    "value",
    [
        '"a\\"b = [c"',
        '"back\\\\"',
        "'C:\\path\\'",
        "'''it's = [x]'''''",
        '"""a\\"""\n= [b] \\\n  c"""',
        '""""quoted""""',
        '""',
        "''''''",
        "1979-05-27 07:32:00Z",
        "1979-05-27T07:32:00.5-07:00",
        "07:32:00",
        "+inf",
        "0xdead_beef",
        "-1_000.5e+3",
        "true",
    ],
)
def test_values_are_skipped_exactly(value: str) -> None:
    text = f"k = {value}\nnext = [{value}, 2]\n"
    locs = toml_locations(text, "f")
    assert_exact(text, locs)
    last = text.splitlines()[-1]
    assert where(locs, "/next/1") == (text.count("\n"), last.rindex("2") + 1)


def test_crlf_and_unicode_columns_count_characters() -> None:
    text = '"é" = "ü"\r\n[t]\r\n  "ключ" = 1\r\n'
    locs = toml_locations(text, "f")
    assert_exact(text, locs)
    assert where(locs, "/é#value") == (1, 7)
    assert where(locs, "/t/ключ#value") == (3, 12)


# --- robustness -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[",
        "[[a",
        "a = ",
        'a = "open',
        "a = '''open",
        "a = [1, ",
        "a = {",
        "= 1",
        "a = [" * 5000,
    ],
)
def test_broken_text_does_not_raise(text: str) -> None:
    assert isinstance(toml_locations(text, "f"), dict)


def test_broken_text_keeps_what_was_found() -> None:
    locs = toml_locations("a = 1\nb = ??? ???\n[c\n", "f")
    assert where(locs, "/a") == (1, 1)


@given(st.integers(min_value=0, max_value=len(SPEC)), st.text(max_size=5))
def test_any_corruption_of_the_spec_does_not_raise(cut: int, noise: str) -> None:
    toml_locations(SPEC[:cut] + noise + SPEC[cut:], "f")


@given(st.text())
def test_any_text_does_not_raise(text: str) -> None:
    toml_locations(text, "f")


# --- property: a random document, dumped in random styles, is fully located ------------------

Choose = Callable[[], bool]
BARE = re.compile(r"[A-Za-z0-9_-]+")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def basic(s: str) -> str:
    # JSON escapes are TOML escapes, except that TOML wants DEL escaped too.
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def dump_key(key: str, choose: Choose) -> str:
    if BARE.fullmatch(key) and choose():
        return key
    if "'" not in key and not CONTROL.search(key) and choose():
        return f"'{key}'"
    return basic(key)


def dump_string(s: str, choose: Choose) -> str:
    plain = not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", s)  # tab and newline allowed
    if plain and "'''" not in s and not s.endswith("''") and choose():
        return f"'''\n{s}'''"  # the newline after the opening quotes is trimmed
    if plain and "\n" not in s and "'" not in s and choose():
        return f"'{s}'"
    return basic(s)


def dump_value(value: Any, choose: Choose) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, str):
        return dump_string(value, choose)
    if isinstance(value, list):
        sep = ",\n  # a comment, ] = [\n  " if choose() else ", "
        return "[" + sep.join(dump_value(v, choose) for v in value) + "]"
    return "{" + ", ".join(dump_pairs("", value, choose)) + "}"


def dump_pairs(prefix: str, table: dict[str, Any], choose: Choose, *, lines: bool = False) -> Iterator[str]:
    """``key = value`` items; ``lines`` when each stands on its own line (comments allowed)."""
    for key, value in table.items():
        name = prefix + dump_key(key, choose)
        if isinstance(value, dict) and value and choose():
            yield from dump_pairs(name + " . ", value, choose, lines=lines)  # dotted keys
        else:
            comment = " # x = [y]" if lines and choose() else ""
            yield f"{name} = {dump_value(value, choose)}{comment}"


def dump_table(table: dict[str, Any], path: str, lines: list[str], choose: Choose) -> None:
    inline: dict[str, Any] = {}
    later: list[tuple[str, Any]] = []
    for key, value in table.items():
        is_tables = isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        if (isinstance(value, dict) or is_tables) and choose():
            later.append((key, value))
        else:
            inline[key] = value
    lines.extend(dump_pairs("", inline, choose, lines=True))
    for key, value in later:
        sub = f"{path}.{dump_key(key, choose)}" if path else dump_key(key, choose)
        for element in [value] if isinstance(value, dict) else value:
            lines.append(f"[{sub}]" if isinstance(value, dict) else f"[[{sub}]]")
            dump_table(element, sub, lines, choose)


keys = st.text(st.sampled_from("ab_-Z9/~. \"'#=[]{}\\é\n\x7f"), max_size=5)
scalars = (
    st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.booleans()
    | st.text(st.characters(exclude_categories=["Cs"]) | st.sampled_from("'\"\n=[#"))
    | st.datetimes(min_value=datetime(1000, 1, 1))
)
documents = st.dictionaries(
    keys,
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=12,
    ),
    max_size=5,
)


@settings(max_examples=300)
@given(documents, st.data())
def test_every_pointer_of_a_random_document_is_located(document: dict[str, Any], data: st.DataObject) -> None:
    lines: list[str] = []
    dump_table(document, "", lines, lambda: data.draw(st.booleans()))
    text = "\n".join(lines) + "\n"
    assert tomli.loads(text) == document  # the dumper itself is right

    locs = toml_locations(text, "doc.toml")

    assert_exact(text, locs)
    rows = text.split("\n")
    for ptr in doc_pointers(document):
        loc = locs[ptr]
        assert loc.file == "doc.toml"
        assert rows[loc.line - 1][loc.column - 1] != " "  # never on blank space
