"""The pass before the schema: NUL bytes and over-long strings anywhere, keys included."""

from __future__ import annotations

from seedspec.limits import MAX_STRING
from seedspec.spec.sanity import check_document


def test_a_clean_document_gives_nothing() -> None:
    assert list(check_document({"version": 1, "factories": {"u": {"table": "users"}}})) == []


def test_a_nul_byte_in_a_value_is_located_at_its_path() -> None:
    [(path, d)] = check_document({"factories": {"u": {"table": "us\x00ers"}}, "seed": [{"x": 1}]})
    assert path == ["factories", "u", "table"]
    assert (d.code, d.pointer) == ("E209", "/factories/u/table")
    assert "NUL" in d.message


def test_a_nul_byte_in_a_key_and_in_a_list_item() -> None:
    found = [(p, d.pointer) for p, d in check_document({"a\x00": 1, "seed": ["x", "y\x00"]})]
    assert found == [(["a\x00"], "/a\x00"), (["seed", 1], "/seed/1")]


def test_an_over_long_string_is_refused() -> None:
    [(_, d)] = check_document({"x": "a" * (MAX_STRING + 1)})
    assert d.code == "E209"
    assert list(check_document({"x": "a" * MAX_STRING})) == []
