"""Random and mutated specs: validation and compilation end in diagnostics or a plan, never a crash."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seedspec.compiler.steps import compile_spec
from seedspec.database.tables import catalog_from_metadata
from seedspec.errors import SeedspecError, Severity
from seedspec.source import SourceMap
from seedspec.spec.loader import load_spec
from seedspec.spec.validation import validate_document

METADATA = sa.MetaData()
sa.Table(
    "users",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(80)),
    sa.Column("age", sa.Integer),
    sa.Column("born", sa.Date),
)
sa.Table(
    "posts",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
    sa.Column("title", sa.String(80)),
)
CATALOG = catalog_from_metadata(METADATA)

BASE: dict[str, Any] = {
    "version": 1,
    "settings": {"seed": 1},
    "factories": {
        "user": {
            "table": "users",
            "key": ["email"],
            "fields": {
                "email": {"sequence": "u{n}@x.org"},
                "age": {"range": [18, 90]},
                "born": {"faker": "date_of_birth"},
            },
            "states": {"old": {"age": 99}},
        },
        "post": {"table": "posts", "fields": {"user_id": {"ref": "user"}, "title": "{{ n }} title"}},
    },
    "seed": [
        {"factory": "user", "count": 3, "states": ["old"]},
        {"factory": "post", "for_each": "user", "count": 2},
    ],
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, width=16),
    st.sampled_from(["", "x", "user", "post", "{{ n }}", "{{", "email", "-1y", "old", "users"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "faker",
                    "ref",
                    "range",
                    "count",
                    "table",
                    "fields",
                    "x",
                    "states",
                    "records",
                    "sequence",
                    "choice",
                    "for_each",
                    "key",
                ]
            ),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=8,
)
paths = st.lists(
    st.sampled_from(
        [
            "factories",
            "user",
            "post",
            "fields",
            "email",
            "age",
            "seed",
            0,
            1,
            "count",
            "states",
            "key",
            "settings",
            "title",
            "for_each",
        ]
    ),
    min_size=1,
    max_size=5,
)


def _mutate(document: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    node: Any = doc
    for token in path[:-1]:
        child = (
            node.get(token)
            if isinstance(node, dict)
            else (
                node[token]
                if isinstance(node, list) and isinstance(token, int) and token < len(node)
                else None
            )
        )
        if not isinstance(child, (dict, list)):
            break
        node = child
    last = path[-1]
    if isinstance(node, dict):
        node[str(last)] = value
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = value
    return doc


def _check(document: dict[str, Any]) -> None:
    diagnostics = validate_document(document, SourceMap({}), CATALOG)
    if not any(d.severity is Severity.ERROR for d in diagnostics):
        compile_spec(document, CATALOG, "fuzz.yaml")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=st.lists(st.tuples(paths, values), min_size=1, max_size=4))
def test_mutated_documents_validate_or_compile(mutations: list[tuple[list[Any], Any]]) -> None:
    document = BASE
    for path, value in mutations:
        document = _mutate(document, path, value)
    _check(document)


@settings(deadline=None)
@given(
    document=st.dictionaries(
        st.sampled_from(["version", "factories", "seed", "settings", "include", "x"]), values, max_size=5
    )
)
def test_random_documents_validate(document: dict[str, Any]) -> None:
    validate_document(document, SourceMap({}), None)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.sampled_from(list("ab:-[]{}\"'#=&*!. \n\t1\\")), max_size=120),
    suffix=st.sampled_from([".yaml", ".toml"]),
)
def test_random_text_loads_or_fails_located(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / f"spec{suffix}"
    path.write_text(text, encoding="utf-8")
    problems: tuple[Any, ...] = ()
    try:
        loaded = load_spec(path, {})
    except SeedspecError as exc:
        problems = exc.diagnostics
    else:
        problems = validate_document(loaded.document, loaded.source_map, None)
    assert all(d.location is not None for d in problems if d.severity is Severity.ERROR and d.pointer != "")


def test_the_base_document_is_valid() -> None:
    assert validate_document(BASE, SourceMap({}), CATALOG) == ()
    assert len(compile_spec(BASE, CATALOG, "fuzz.yaml").steps) == 2
    assert yaml.safe_load(yaml.safe_dump(BASE)) == BASE


def test_small_mutations_often_stay_valid_and_compile() -> None:
    """The fuzzer reaches compile: a value swapped for another valid one still compiles."""
    for path, value in [
        (["factories", "user", "fields", "age"], {"range": [1, 2]}),
        (["seed", 0, "count"], 0),
    ]:
        _check(_mutate(BASE, path, value))
