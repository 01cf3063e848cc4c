"""Loading: YAML and TOML to a plain document plus a source map; include; ${ENV}; safety limits."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from seedspec.errors import Diagnostic, SpecInvalid
from seedspec.source import SourceMap
from seedspec.spec.loader import MAX_DEPTH, MAX_NODES, LoadedSpec, load_spec

WriteSpec = Callable[[str, str], Path]


def load(path: Path, env: dict[str, str] | None = None) -> LoadedSpec:
    return load_spec(path, env or {})


def failure(path: Path, env: dict[str, str] | None = None) -> Diagnostic:
    """The one diagnostic loading ``path`` fails with."""
    with pytest.raises(SpecInvalid) as info:
        load(path, env)
    assert len(info.value.diagnostics) == 1
    return info.value.diagnostics[0]


def where(smap: SourceMap, ptr: str, *, value: bool = False) -> tuple[str, int, int]:
    loc = smap.locate(ptr, value=value)
    assert loc is not None, ptr
    return Path(loc.file).name, loc.line, loc.column


SPEC_YAML = """\
version: 1
settings:
  seed: 42
  now: 2025-06-01
factories:
  user:
    table: users
    key: [email]
    fields:
      email: {faker: email, unique: true}
      active: true
seed:
  - factory: user
    count: 3
"""

SPEC_TOML = """\
version = 1

[settings]
seed = 42

[factories.user]
table = "users"
key = ["email"]

[factories.user.fields]
email = { faker = "email", unique = true }

[[seed]]
factory = "user"
count = 3
"""


# ---------------------------------------------------------------- YAML and TOML documents


def test_yaml_loads_to_plain_python_data(write: WriteSpec) -> None:
    spec = load(write("spec.yaml", SPEC_YAML))
    assert spec.document == {
        "version": 1,
        "settings": {"seed": 42, "now": dt.date(2025, 6, 1)},
        "factories": {
            "user": {
                "table": "users",
                "key": ["email"],
                "fields": {"email": {"faker": "email", "unique": True}, "active": True},
            }
        },
        "seed": [{"factory": "user", "count": 3}],
    }
    assert spec.files == (spec.path,)


def test_yaml_source_map_locates_keys_values_and_list_items(write: WriteSpec) -> None:
    smap = load(write("spec.yaml", SPEC_YAML)).source_map
    assert where(smap, "/settings/seed") == ("spec.yaml", 3, 3)
    assert where(smap, "/settings/seed", value=True) == ("spec.yaml", 3, 9)
    assert where(smap, "/factories/user/key/0") == ("spec.yaml", 8, 11)
    assert where(smap, "/factories/user/fields/email/faker") == ("spec.yaml", 10, 15)
    assert where(smap, "/factories/user/fields/email/unique", value=True) == ("spec.yaml", 10, 37)
    assert where(smap, "/seed/0") == ("spec.yaml", 13, 5)
    assert where(smap, "/seed/0/count", value=True) == ("spec.yaml", 14, 12)


def test_source_map_falls_back_to_the_nearest_located_ancestor(write: WriteSpec) -> None:
    smap = load(write("spec.yaml", SPEC_YAML)).source_map
    assert where(smap, "/factories/user/fields/nope/deeper") == ("spec.yaml", 9, 5)
    assert where(smap, "/unknown") == ("spec.yaml", 1, 1)


def test_toml_gives_the_same_document_as_yaml(write: WriteSpec) -> None:
    from_toml = load(write("spec.toml", SPEC_TOML)).document
    from_yaml = load(write("spec.yaml", SPEC_YAML)).document
    from_yaml["settings"].pop("now")
    from_yaml["factories"]["user"]["fields"].pop("active")
    assert from_toml == from_yaml


def test_toml_source_map_locates_tables_keys_and_array_tables(write: WriteSpec) -> None:
    smap = load(write("spec.toml", SPEC_TOML)).source_map
    assert where(smap, "/settings/seed") == ("spec.toml", 4, 1)
    assert where(smap, "/settings/seed", value=True) == ("spec.toml", 4, 8)
    assert where(smap, "/factories/user") == ("spec.toml", 6, 12)
    assert where(smap, "/factories/user/fields/email/unique") == ("spec.toml", 11, 28)
    assert where(smap, "/seed/0") == ("spec.toml", 13, 1)
    assert where(smap, "/seed/0/count") == ("spec.toml", 15, 1)


def test_yml_suffix_is_yaml(write: WriteSpec) -> None:
    assert load(write("spec.yml", "version: 1\n")).document == {"version": 1}


def test_empty_yaml_file_is_an_empty_document(write: WriteSpec) -> None:
    spec = load(write("spec.yaml", "# nothing yet\n"))
    assert spec.document == {}
    assert where(spec.source_map, "/version") == ("spec.yaml", 1, 1)


def test_scalar_keys_become_strings(write: WriteSpec) -> None:
    spec = load(write("spec.yaml", "version: 1\n1: a\ntrue: b\n2.5: c\n"))
    assert spec.document == {"version": 1, "1": "a", "true": "b", "2.5": "c"}


def test_null_key_becomes_the_yaml_spelling(write: WriteSpec) -> None:
    spec = load(write("spec.yaml", "version: 1\nnull: c\n"))
    assert spec.document == {"version": 1, "null": "c"}


def test_aliases_within_limits_are_expanded(write: WriteSpec) -> None:
    spec = load(
        write(
            "spec.yaml",
            """\
            version: 1
            factories:
              a: &common {table: t, fields: {x: 1}}
              b: *common
            """,
        )
    )
    assert spec.document["factories"]["b"] == {"table": "t", "fields": {"x": 1}}


def test_merge_keys_are_supported(write: WriteSpec) -> None:
    spec = load(
        write(
            "spec.yaml",
            """\
            version: 1
            base: &base {x: 1, y: 2}
            derived:
              <<: *base
              z: 3
            """,
        )
    )
    assert spec.document["derived"] == {"x": 1, "y": 2, "z": 3}


def test_merge_key_values_can_be_overridden(write: WriteSpec) -> None:
    spec = load(
        write(
            "spec.yaml",
            """\
            version: 1
            base: &base {x: 1, y: 2}
            derived:
              <<: *base
              y: 3
            """,
        )
    )
    assert spec.document["derived"] == {"x": 1, "y": 3}


# ---------------------------------------------------------------- malformed files: E100, E101, E201


def test_yaml_syntax_error_is_e100_at_the_problem(write: WriteSpec) -> None:
    d = failure(write("spec.yaml", "version: 1\nfactories: [1, 2\n"))
    assert d.code == "E100"
    assert d.message.startswith("invalid YAML: ")
    assert d.location is not None
    assert (d.location.line, d.location.column) == (2, 12)  # the '[' never closed, not the end of file


def test_toml_syntax_error_is_e100_with_line_and_column(write: WriteSpec) -> None:
    d = failure(write("spec.toml", "version = 1\n[settings]\nseed = = 3\n"))
    assert d.code == "E100"
    assert d.message.startswith("invalid TOML: ")
    assert d.location is not None
    assert (Path(d.location.file).name, d.location.line, d.location.column) == ("spec.toml", 3, 8)


def test_unknown_suffix_is_e100(write: WriteSpec) -> None:
    d = failure(write("spec.json", "{}"))
    assert d.code == "E100"
    assert "'.json'" in d.message
    assert "*.toml" in d.hint


def test_missing_file_is_e100(tmp_path: Path) -> None:
    d = failure(tmp_path / "nope.yaml")
    assert d.code == "E100"
    assert "cannot read" in d.message


def test_non_utf8_file_is_e100(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(b"version: 1\nname: \xff\xfe\n")
    assert failure(path).code == "E100"


def test_top_level_must_be_a_mapping(write: WriteSpec) -> None:
    d = failure(write("spec.yaml", "- version: 1\n"))
    assert d.code == "E201"


def test_complex_keys_are_rejected(write: WriteSpec) -> None:
    d = failure(write("spec.yaml", "version: 1\n? [a, b]\n: c\n"))
    assert d.code == "E201"
    assert d.location is not None
    assert d.location.line == 2


def test_duplicate_key_is_e101_at_the_second_occurrence(write: WriteSpec) -> None:
    d = failure(
        write(
            "spec.yaml",
            """\
            version: 1
            settings:
              seed: 1
              locale: en_US
              seed: 2
            """,
        )
    )
    assert d.code == "E101"
    assert d.message == "duplicate key 'seed'"
    assert d.pointer == "/settings/seed"
    assert d.location is not None
    assert (d.location.line, d.location.column) == (5, 3)
    assert "line 3" in d.hint


def test_duplicate_key_in_a_flow_mapping_inside_a_list(write: WriteSpec) -> None:
    d = failure(write("spec.yaml", "version: 1\nseed:\n  - {factory: a, count: 1, count: 2}\n"))
    assert d.code == "E101"
    assert d.pointer == "/seed/0/count"
    assert d.location is not None
    assert (d.location.line, d.location.column) == (3, 28)


def test_same_key_in_different_mappings_is_fine(write: WriteSpec) -> None:
    spec = load(write("spec.yaml", "version: 1\na: {x: 1}\nb: {x: 2}\n"))
    assert spec.document == {"version": 1, "a": {"x": 1}, "b": {"x": 2}}


def test_toml_duplicate_key_is_e101(write: WriteSpec) -> None:
    d = failure(write("spec.toml", 'version = 1\n[settings]\nlocale = "en_US"\nlocale = "fr_FR"\n'))
    assert d.code == "E101"
    assert "locale" in d.message


# ---------------------------------------------------------------- include


def test_include_paths_are_relative_to_the_including_file(write: WriteSpec, tmp_path: Path) -> None:
    write("seeds/dev.yaml", "version: 1\ninclude: [shared/base.yaml]\n")
    write("seeds/shared/base.yaml", "version: 1\ninclude: [more/settings.yaml]\n")
    write("seeds/shared/more/settings.yaml", "version: 1\nsettings: {seed: 9}\n")
    spec = load(tmp_path / "seeds/dev.yaml")
    assert spec.document == {"version": 1, "settings": {"seed": 9}}
    assert [p.relative_to(tmp_path).as_posix() for p in spec.files] == [
        "seeds/dev.yaml",
        "seeds/shared/base.yaml",
        "seeds/shared/more/settings.yaml",
    ]


def test_include_accepts_a_single_string(write: WriteSpec) -> None:
    write("base.yaml", "version: 1\nsettings: {seed: 3}\n")
    spec = load(write("spec.yaml", "version: 1\ninclude: base.yaml\n"))
    assert spec.document == {"version": 1, "settings": {"seed": 3}}
    assert "include" not in spec.document


INCLUDED = """\
version: 1
settings:
  seed: 1
  batch_size: 10
factories:
  user:
    table: users
    fields:
      name: {faker: name}
      role: member
seed:
  - factory: user
    count: 2
  - factory: user
    count: 3
"""

INCLUDER = """\
version: 1
include: [base.yaml]
settings:
  seed: 42
factories:
  user:
    fields:
      role: admin
  tag:
    table: tags
    fields:
      name: {faker: word}
seed:
  - factory: tag
    count: 5
"""


def test_include_deep_merges_mappings_with_the_includer_winning(write: WriteSpec) -> None:
    write("base.yaml", INCLUDED)
    doc = load(write("spec.yaml", INCLUDER)).document
    assert doc["settings"] == {"seed": 42, "batch_size": 10}
    assert doc["factories"]["user"] == {
        "table": "users",
        "fields": {"name": {"faker": "name"}, "role": "admin"},
    }
    assert doc["factories"]["tag"]["table"] == "tags"


def test_included_seed_steps_come_first(write: WriteSpec) -> None:
    write("base.yaml", INCLUDED)
    doc = load(write("spec.yaml", INCLUDER)).document
    assert doc["seed"] == [
        {"factory": "user", "count": 2},
        {"factory": "user", "count": 3},
        {"factory": "tag", "count": 5},
    ]


def test_source_map_points_into_the_file_each_node_came_from(write: WriteSpec) -> None:
    write("base.yaml", INCLUDED)
    smap = load(write("spec.yaml", INCLUDER)).source_map
    assert where(smap, "/settings/seed") == ("spec.yaml", 4, 3)
    assert where(smap, "/settings/batch_size") == ("base.yaml", 4, 3)
    assert where(smap, "/factories/user/fields/name") == ("base.yaml", 9, 7)
    assert where(smap, "/factories/user/fields/role", value=True) == ("spec.yaml", 8, 13)


def test_source_map_of_the_includers_steps_is_shifted_past_the_included_ones(write: WriteSpec) -> None:
    write("base.yaml", INCLUDED)
    smap = load(write("spec.yaml", INCLUDER)).source_map
    assert where(smap, "/seed/0/count") == ("base.yaml", 13, 5)
    assert where(smap, "/seed/1") == ("base.yaml", 14, 5)
    assert where(smap, "/seed/2") == ("spec.yaml", 14, 5)
    assert where(smap, "/seed/2/count", value=True) == ("spec.yaml", 15, 12)


def test_value_locations_of_steps_are_shifted_too(write: WriteSpec) -> None:
    write("base.yaml", INCLUDED)
    smap = load(write("spec.yaml", INCLUDER)).source_map
    assert where(smap, "/seed/0", value=True) == ("base.yaml", 12, 5)
    assert where(smap, "/seed/2", value=True) == ("spec.yaml", 14, 5)


def test_later_includes_win_over_earlier_ones_and_steps_keep_their_order(write: WriteSpec) -> None:
    write("a.yaml", "version: 1\nsettings: {seed: 1, locale: de_DE}\nseed: [{factory: a}]\n")
    write("b.yaml", "version: 1\nsettings: {seed: 2}\nseed: [{factory: b}]\n")
    spec = load(write("spec.yaml", "version: 1\ninclude: [a.yaml, b.yaml]\nseed: [{factory: c}]\n"))
    assert spec.document["settings"] == {"seed": 2, "locale": "de_DE"}
    assert [s["factory"] for s in spec.document["seed"]] == ["a", "b", "c"]
    assert where(spec.source_map, "/seed/1") == ("b.yaml", 3, 8)
    assert where(spec.source_map, "/seed/2") == ("spec.yaml", 3, 8)


def test_the_same_file_included_twice_on_different_branches_is_no_cycle(write: WriteSpec) -> None:
    write("common.yaml", "version: 1\nsettings: {seed: 5}\n")
    write("a.yaml", "version: 1\ninclude: [common.yaml]\n")
    write("b.yaml", "version: 1\ninclude: [common.yaml]\n")
    spec = load(write("spec.yaml", "version: 1\ninclude: [a.yaml, b.yaml]\n"))
    assert spec.document["settings"] == {"seed": 5}


def test_an_includer_can_replace_a_generator(write: WriteSpec) -> None:
    write("base.yaml", INCLUDED)
    spec = load(
        write(
            "spec.yaml",
            """\
            version: 1
            include: [base.yaml]
            factories:
              user:
                fields:
                  name: {sequence: "user{n}"}
            """,
        )
    )
    assert spec.document["factories"]["user"]["fields"]["name"] == {"sequence": "user{n}"}


def test_missing_include_is_e102_at_the_include_entry(write: WriteSpec) -> None:
    write("base.yaml", "version: 1\n")
    d = failure(write("spec.yaml", "version: 1\ninclude:\n  - base.yaml\n  - nope.yaml\n"))
    assert d.code == "E102"
    assert d.message == "included file not found: nope.yaml"
    assert d.pointer == "/include/1"
    assert d.location is not None
    assert (Path(d.location.file).name, d.location.line, d.location.column) == ("spec.yaml", 4, 5)


def test_missing_nested_include_names_the_directory_it_was_looked_up_in(write: WriteSpec) -> None:
    write("sub/base.yaml", "version: 1\ninclude: [gone.yaml]\n")
    d = failure(write("spec.yaml", "version: 1\ninclude: [sub/base.yaml]\n"))
    assert d.code == "E102"
    assert d.location is not None
    assert Path(d.location.file).name == "base.yaml"
    assert "sub/" in d.hint


def test_missing_include_written_as_a_string_points_at_the_name(write: WriteSpec) -> None:
    d = failure(write("spec.yaml", "version: 1\ninclude: nope.yaml\n"))
    assert d.location is not None
    assert (d.location.line, d.location.column) == (2, 10)


def test_include_cycle_is_e103_where_the_cycle_closes(write: WriteSpec) -> None:
    write("b.yaml", "version: 1\ninclude: [a.yaml]\n")
    write("a.yaml", "version: 1\ninclude: [b.yaml]\n")
    d = failure(write("spec.yaml", "version: 1\ninclude: [a.yaml]\n"))
    assert d.code == "E103"
    assert d.pointer == "/include/0"
    assert d.location is not None
    assert (Path(d.location.file).name, d.location.line) == ("b.yaml", 2)
    assert d.message.startswith("include cycle: ")
    assert "a.yaml -> " in d.message


def test_including_itself_is_e103(write: WriteSpec) -> None:
    assert failure(write("spec.toml", 'version = 1\ninclude = ["spec.toml"]\n')).code == "E103"


def test_include_cycle_message_uses_the_paths_as_written(
    write: WriteSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write("sub/a.yaml", "version: 1\ninclude: [../spec.yaml]\n")
    write("spec.yaml", "version: 1\ninclude: [sub/a.yaml]\n")
    monkeypatch.chdir(tmp_path)
    d = failure(Path("spec.yaml"))
    assert d.message == "include cycle: spec.yaml -> sub/a.yaml -> sub/../spec.yaml"


def test_include_of_the_wrong_type_is_kept_for_the_schema(write: WriteSpec) -> None:
    assert load(write("spec.yaml", "version: 1\ninclude: 5\n")).document["include"] == 5


# ---------------------------------------------------------------- ${VAR} interpolation

ENV_SPEC = """\
version: 1
settings:
  seed: ${SEED}
  locale: ${LOCALE:-en_US}
database:
  url: postgresql://${USER}@${HOST:-localhost}:5432/app
literal: $${NOT_A_VAR} and $${ALSO:-not}
list: ["${HOST:-h}", "${SEED}x"]
"""


def test_interpolation_from_env_and_defaults(write: WriteSpec) -> None:
    doc = load(write("spec.yaml", ENV_SPEC), {"SEED": "7", "USER": "app"}).document
    assert doc["settings"] == {"seed": 7, "locale": "en_US"}
    assert doc["database"]["url"] == "postgresql://app@localhost:5432/app"
    assert doc["literal"] == "${NOT_A_VAR} and ${ALSO:-not}"
    assert doc["list"] == ["h", "7x"]


def test_the_environment_wins_over_the_default(write: WriteSpec) -> None:
    doc = load(write("spec.yaml", ENV_SPEC), {"SEED": "1", "USER": "u", "HOST": "db"}).document
    assert doc["database"]["url"] == "postgresql://u@db:5432/app"
    assert doc["list"] == ["db", "1x"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("-3", -3),
        ("2.5", 2.5),
        ("true", True),
        ("false", False),
        ("null", None),
        ("", ""),
        ("hello", "hello"),
        ("[1, 2]", "[1, 2]"),
        ("{a: 1}", "{a: 1}"),
        ("2024-01-01", "2024-01-01"),
    ],
)
def test_a_whole_value_variable_takes_the_type_of_its_text(
    write: WriteSpec, text: str, expected: object
) -> None:
    doc = load(write("spec.yaml", "version: 1\nx: ${V}\n"), {"V": text}).document
    assert doc["x"] == expected
    assert type(doc["x"]) is type(expected)


def test_typed_defaults_and_embedded_variables_stay_text(write: WriteSpec) -> None:
    doc = load(write("spec.yaml", "version: 1\na: ${A:-10}\nb: v${A:-10}\nc: ${A:-}\n")).document
    assert doc == {"version": 1, "a": 10, "b": "v10", "c": ""}


def test_an_escaped_whole_value_is_not_typed(write: WriteSpec) -> None:
    doc = load(write("spec.yaml", "version: 1\nx: $${V}\n"), {"V": "3"}).document
    assert doc["x"] == "${V}"


def test_interpolation_in_toml_strings_is_typed_too(write: WriteSpec) -> None:
    doc = load(write("spec.toml", 'version = 1\n[settings]\nseed = "${SEED:-5}"\n')).document
    assert doc["settings"]["seed"] == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01234", "01234"),
        ("1:30", "1:30"),
        ("0x1F", "0x1F"),
        ("1_000", "1_000"),
        (" 7 ", " 7 "),
        ("\u0663", "\u0663"),  # Arabic-Indic three: int() would read 3
        ("1e999", "1e999"),  # not finite
        ("yes", "yes"),
        ("NO", "NO"),
    ],
)
def test_typed_interpolation_keeps_text_that_is_no_plain_number(
    write: WriteSpec, text: str, expected: str
) -> None:
    doc = load(write("spec.yaml", "version: 1\nx: ${V}\n"), {"V": text}).document
    assert doc["x"] == expected


def test_unset_variable_without_default_is_e105_at_the_value(write: WriteSpec) -> None:
    d = failure(write("spec.yaml", ENV_SPEC), {"SEED": "1"})
    assert d.code == "E105"
    assert d.message == "environment variable USER is not set"
    assert d.pointer == "/database/url"
    assert d.location is not None
    assert (d.location.line, d.location.column) == (6, 8)
    assert "${USER:-value}" in d.hint


def test_unset_variable_in_toml_is_e105(write: WriteSpec) -> None:
    d = failure(write("spec.toml", 'version = 1\n[settings]\nlocale = "${LANG_X}"\n'))
    assert d.code == "E105"
    assert d.pointer == "/settings/locale"
    assert d.location is not None
    assert (d.location.line, d.location.column) == (3, 10)


def test_unset_variable_in_an_included_file_is_located_there(write: WriteSpec) -> None:
    write("base.yaml", "version: 1\nsettings:\n  seed: ${MISSING}\n")
    d = failure(write("spec.yaml", "version: 1\ninclude: [base.yaml]\n"))
    assert d.code == "E105"
    assert d.location is not None
    assert (Path(d.location.file).name, d.location.line) == ("base.yaml", 3)


# ---------------------------------------------------------------- safety: E104


@pytest.mark.parametrize(
    "value",
    ["!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!custom thing"],
)
def test_non_plain_tags_are_e104(write: WriteSpec, value: str) -> None:
    d = failure(write("spec.yaml", f"version: 1\nsettings:\n  seed: {value}\n"))
    assert d.code == "E104"
    assert d.pointer == "/settings/seed"
    assert d.location is not None
    assert (d.location.line, d.location.column) == (3, 9)


def test_standard_tags_are_allowed(write: WriteSpec) -> None:
    doc = load(write("spec.yaml", "version: 1\na: !!binary aGVsbG8=\nb: !!str 12\nc: !!int '7'\n")).document
    assert doc == {"version": 1, "a": b"hello", "b": "12", "c": 7}


def alias_bomb(levels: int = 9) -> str:
    lines = ["version: 1", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, cur in itertools.pairwise("abcdefghijklmnop"[:levels]):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_e104_before_any_expansion(write: WriteSpec) -> None:
    # 9**16 nodes once expanded: this test only finishes because the size is measured on the
    # shared (unexpanded) node graph before anything is built.
    d = failure(write("spec.yaml", alias_bomb(levels=16)))
    assert d.code == "E104"
    assert str(MAX_NODES) in d.message


def test_many_aliases_under_the_limit_load(write: WriteSpec) -> None:
    doc = load(write("spec.yaml", alias_bomb(levels=4))).document
    assert len(doc["d"]) == 9
    assert doc["d"][8][8][8] == ["x"] * 9


@pytest.mark.parametrize(
    "value",
    [
        "[" * 2000 + "]" * 2000,
        "{a: " * 2000 + "1" + "}" * 2000,
        "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5),
    ],
    ids=["lists", "mappings", "just-over-the-limit"],
)
def test_deep_nesting_is_e104(write: WriteSpec, value: str) -> None:
    d = failure(write("spec.yaml", f"version: 1\nx: {value}\n"))
    assert d.code == "E104"
    assert "nested too deeply" in d.message


def test_libyaml_nesting_limit_is_e104_where_it_is_hit(write: WriteSpec) -> None:
    d = failure(write("spec.yaml", "version: 1\nx: " + "[" * 2000 + "]" * 2000 + "\n"))
    assert (d.code, d.message) == ("E104", "the document is nested too deeply")
    assert d.location is not None
    assert d.location.line == 2
    assert d.location.column > 1


def test_nesting_under_the_limit_loads(write: WriteSpec) -> None:
    depth = MAX_DEPTH - 2
    doc = load(write("spec.yaml", "version: 1\nx: " + "[" * depth + "]" * depth + "\n")).document
    assert isinstance(doc["x"], list)


def test_very_deep_yaml_nesting_does_not_crash_the_process(tmp_path: Path) -> None:
    depth = 50_000
    path = tmp_path / "spec.yaml"
    path.write_text("version: 1\nx: " + "[" * depth + "]" * depth + "\n")
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from seedspec.errors import SpecInvalid
        from seedspec.spec.loader import load_spec
        try:
            load_spec(Path({str(path)!r}), {{}})
        except SpecInvalid as exc:
            print(exc.diagnostics[0].code)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.strip() == "E104"


def test_deep_toml_nesting_is_e104(write: WriteSpec) -> None:
    path = write("spec.toml", "version = 1\nx = " + "[" * 1000 + "]" * 1000 + "\n")
    assert failure(path).code == "E104"


# ---------------------------------------------------------------- version: E110


def test_newer_version_is_e110_at_the_value_before_anything_else(write: WriteSpec) -> None:
    d = failure(write("spec.yaml", "version: 2\nfactorys: {}\nx: ${UNSET}\n"))
    assert d.code == "E110"
    assert d.pointer == "/version"
    assert d.location is not None
    assert (d.location.line, d.location.column) == (1, 10)
    assert "version 2" in d.message


def test_newer_version_in_toml_is_e110(write: WriteSpec) -> None:
    d = failure(write("spec.toml", "version = 5\n"))
    assert d.code == "E110"
    assert d.location is not None
    assert (d.location.line, d.location.column) == (1, 11)


def test_newer_version_in_an_included_file_is_e110_there(write: WriteSpec) -> None:
    write("next.yaml", "version: 2\n")
    d = failure(write("spec.yaml", "version: 1\ninclude: [next.yaml]\n"))
    assert d.code == "E110"
    assert d.location is not None
    assert Path(d.location.file).name == "next.yaml"


@pytest.mark.parametrize("version", ["1", "0", "true", '"2"', "null"])
def test_other_versions_are_left_to_the_schema(write: WriteSpec, version: str) -> None:
    spec = load(write("spec.yaml", f"version: {version}\n"))
    assert "version" in spec.document


# ---------------------------------------------------------------- hostile input


def test_a_huge_integer_in_toml_is_e209_at_its_line(write: WriteSpec) -> None:
    d = failure(write("spec.toml", "version = 1\n[settings]\nseed = " + "9" * 4301 + "\n"))
    assert d.code == "E209"
    assert d.location is not None
    assert (d.location.line, d.location.column) == (3, 8)


def test_a_huge_integer_from_the_environment_is_e209_at_the_variable(write: WriteSpec) -> None:
    d = failure(write("spec.yaml", "version: 1\nsettings:\n  seed: ${SEED}\n"), {"SEED": "9" * 5000})
    assert (d.code, d.pointer) == ("E209", "/settings/seed")
    assert "SEED" in d.message


@pytest.mark.parametrize("name", ["a" * 300 + ".yaml", "a\x00b.yaml", "/dev/zero/x.yaml"])
def test_an_include_that_cannot_be_a_file_is_e102(write: WriteSpec, name: str) -> None:
    d = failure(write("spec.yaml", f'version: 1\ninclude: "{name.replace(chr(0), chr(92) + "0")}"\n'))
    assert (d.code, d.pointer) == ("E102", "/include/0")


def test_a_spec_that_is_not_a_regular_file_is_e100(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    assert failure(fifo).code == "E100"
