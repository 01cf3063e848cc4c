"""The source map: JSON pointers and locating a pointer or its nearest ancestor."""

from __future__ import annotations

from seedspec.errors import Location
from seedspec.source import SourceMap, escape, join, pointer


def loc(line: int, column: int = 1, file: str = "spec.yaml") -> Location:
    return Location(file=file, line=line, column=column)


def test_pointer_escapes_tilde_and_slash() -> None:
    assert escape("a/b~c") == "a~1b~0c"
    assert pointer("factories", "user", "fields", 0) == "/factories/user/fields/0"
    assert pointer("a/b", "~") == "/a~1b/~0"
    assert pointer() == ""
    assert join("/seed", 2, "records") == "/seed/2/records"


def test_locate_prefers_the_value_entry_only_when_asked() -> None:
    smap = SourceMap({"": loc(1), "/a": loc(2, 1), "/a#value": loc(2, 4)})
    assert smap.locate("/a") == loc(2, 1)
    assert smap.locate("/a", value=True) == loc(2, 4)


def test_locate_walks_up_to_the_nearest_ancestor() -> None:
    smap = SourceMap({"": loc(1), "/a": loc(2), "/a/b": loc(3)})
    assert smap.locate("/a/b/c/d") == loc(3)
    assert smap.locate("/a/x") == loc(2)
    assert smap.locate("/zzz") == loc(1)
    assert smap.locate("/a/b/c", value=True) == loc(3)


def test_locate_without_any_entry_is_none() -> None:
    assert SourceMap({}).locate("/a/b") is None


def test_merged_lets_self_win_over_the_others_and_later_others_over_earlier() -> None:
    first = SourceMap({"/a": loc(1, file="a.yaml"), "/b": loc(1, file="a.yaml")})
    second = SourceMap({"/b": loc(2, file="b.yaml"), "/c": loc(2, file="b.yaml")})
    top = SourceMap({"/c": loc(3, file="top.yaml")})
    merged = top.merged([first, second])
    assert merged.locate("/a") == loc(1, file="a.yaml")
    assert merged.locate("/b") == loc(2, file="b.yaml")
    assert merged.locate("/c") == loc(3, file="top.yaml")
