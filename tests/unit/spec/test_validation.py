"""Validation: JSON Schema errors as located diagnostics, then semantic checks; ranked, all at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from seedspec.catalog import Catalog, ColumnInfo, TableInfo
from seedspec.errors import Diagnostic, Severity
from seedspec.source import SourceMap
from seedspec.spec.loader import load_spec
from seedspec.spec.validation import spec_schema, validate_document

WriteSpec = Callable[[str, str], Path]
Found = tuple[str, str, int, int]  # code, pointer, line, column

VALID = """\
version: 1
settings:
  seed: 42
  locale: en_US
  now: 2025-01-01T00:00:00
  batch_size: 100
factories:
  user:
    table: users
    key: [email]
    fields:
      email: {sequence: "user{n}@example.com"}
      name: {faker: name}
      bio: {faker: paragraph, args: {nb_sentences: 2}, null_rate: 0.5}
      role: {choice: {member: 9, admin: 1}}
      display: "{{ name }} <{{ email }}>"
    states:
      admin: {role: admin}
  post:
    table: posts
    key: [slug]
    fields:
      user_id: {ref: user}
      title: {faker: sentence}
      slug: {template: "{{ title | slugify }}-{{ n }}"}
seed:
  - factory: user
    records:
      admin: {email: admin@example.com, states: [admin]}
  - factory: user
    count: 10
  - factory: post
    for_each: user
    count: 2
"""


def diagnose(
    write: WriteSpec, text: str, catalog: Catalog | None = None, name: str = "spec.yaml"
) -> list[Diagnostic]:
    spec = load_spec(write(name, text), {})
    return list(validate_document(spec.document, spec.source_map, catalog))


def found(diagnostics: list[Diagnostic]) -> list[Found]:
    out = []
    for d in diagnostics:
        assert d.location is not None, d
        out.append((d.code, d.pointer, d.location.line, d.location.column))
    return out


def only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


def test_a_valid_spec_has_no_diagnostics(write: WriteSpec) -> None:
    assert diagnose(write, VALID) == []


def test_the_same_spec_in_toml_is_valid(write: WriteSpec) -> None:
    text = """\
    version = 1
    [settings]
    seed = 42
    now = 2025-01-01T00:00:00
    [factories.user]
    table = "users"
    key = ["email"]
    [factories.user.fields]
    email = { sequence = "user{n}@example.com" }
    role = { choice = ["member", "admin"] }
    [factories.user.states.admin]
    role = "admin"
    [[seed]]
    factory = "user"
    count = 3
    states = ["admin"]
    """
    assert diagnose(write, text, name="spec.toml") == []


def test_the_shipped_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(spec_schema())


def test_the_schema_in_schemas_is_the_one_in_the_package() -> None:
    shipped = Path(__file__).parents[3] / "schemas" / "seedspec.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == spec_schema()


# ---------------------------------------------------------------- schema errors


def test_unknown_key_is_e200_at_the_key_with_did_you_mean(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\nsettings:\n  sed: 1\n"))
    assert found([d]) == [("E200", "/settings/sed", 3, 3)]
    assert d.message == "unknown key 'sed' in settings"
    assert d.hint == "did you mean 'seed'?"


@pytest.mark.parametrize(
    "text",
    [
        "version: 1\nfactories:\n  user:\n    table: users\n    fields:\n      '': {ref: user}\n",
        "version: 1\nfactories:\n  user: {table: users, fields: {a: 1}}\n"
        "seed:\n  - {factory: user, count: 1, values: {'': 1}}\n",
    ],
)
def test_an_empty_field_name_is_e205_never_a_relationship_to_any_column(write: WriteSpec, text: str) -> None:
    # '' starts every column name: read as a relationship it matched any foreign key (found by fuzzing)
    assert [d.code for d in diagnose(write, text)] == ["E205"]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\nsettings:\n  zzzzzz: 1\n"))
    assert d.code == "E200"
    assert d.hint.startswith("allowed keys: ")
    assert "batch_size" in d.hint
    assert "seed" in d.hint


def test_unknown_top_level_key_names_the_spec(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\nfactorys: {}\n"))
    assert d.message == "unknown key 'factorys' in the spec"
    assert d.hint == "did you mean 'factories'?"


def test_wrong_type_is_e201_at_the_value(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\nsettings:\n  locale: 5\n"))
    assert found([d]) == [("E201", "/settings/locale", 3, 11)]
    assert d.message == "settings/locale: expected string, got int 5"
    assert d.hint.startswith("Default Faker locale.")


def test_wrong_version_is_e201(write: WriteSpec) -> None:
    d = only(diagnose(write, 'version: "1"\n'))
    assert d.code == "E201"
    assert d.message == "version: expected 1, got str '1'"


def test_missing_version_is_e202_with_a_hint(write: WriteSpec) -> None:
    d = only(diagnose(write, "settings: {seed: 1}\n"))
    assert d.code == "E202"
    assert d.message == "missing required key 'version'"
    assert d.hint == "start the spec with 'version: 1'"
    assert d.location is not None
    assert (d.location.line, d.location.column) == (1, 1)


def test_missing_required_key_of_a_factory_is_e202_at_the_factory(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\nfactories:\n  user:\n    fields: {}\n"))
    assert found([d]) == [("E202", "/factories/user", 3, 3)]
    assert d.message == "missing required key 'table'"
    assert d.hint == "add 'table:' here"


def test_out_of_range_value_is_e203_at_the_value(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\nsettings:\n  batch_size: 0\n"))
    assert found([d]) == [("E203", "/settings/batch_size", 3, 15)]
    assert "minimum of 1" in d.message


def test_generator_mapping_without_a_kind_is_e204_with_a_typo_hint(write: WriteSpec) -> None:
    d = only(
        diagnose(write, "version: 1\nfactories:\n  u:\n    table: t\n    fields:\n      x: {fakr: name}\n")
    )
    assert found([d]) == [("E204", "/factories/u/fields/x", 6, 10)]
    assert d.message.startswith("factories/u/fields/x: a generator mapping needs one of: value, template")
    assert d.hint == "did you mean 'faker' instead of 'fakr'?"


def test_literal_mapping_is_e204_with_a_hint_to_wrap_it(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\nfactories:\n  u:\n    table: t\n    fields:\n      x: {a: 1}\n"))
    assert d.code == "E204"
    assert d.hint == "wrap a literal mapping (a JSON value) as {value: {...}}"


def test_a_literal_mapping_wrapped_in_value_is_valid(write: WriteSpec) -> None:
    text = "version: 1\nfactories:\n  u:\n    table: t\n    fields:\n      x: {value: {a: 1}}\n"
    assert diagnose(write, text) == []


def test_yaml_dates_count_as_strings_for_the_schema(write: WriteSpec) -> None:
    assert diagnose(write, "version: 1\nsettings:\n  now: 2025-01-01\n") == []


def test_invalid_factory_name_is_e205_at_the_name(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\nfactories:\n  blog-post:\n    table: t\n    fields: {}\n"))
    assert found([d]) == [("E205", "/factories/blog-post", 3, 3)]
    assert d.message == "factories: invalid name 'blog-post'"
    assert d.hint == "names are identifiers: letters, digits and _, not starting with a digit"


def test_invalid_state_name_is_e205(write: WriteSpec) -> None:
    text = "version: 1\nfactories:\n  u:\n    table: t\n    fields: {a: 1}\n    states: {9lives: {a: 2}}\n"
    d = only(diagnose(write, text))
    assert found([d]) == [("E205", "/factories/u/states/9lives", 6, 14)]
    assert d.message == "factories/u/states: invalid name '9lives'"


def test_invalid_record_name_is_e205(write: WriteSpec) -> None:
    text = (
        "version: 1\nfactories:\n  u: {table: t, fields: {a: 1}}\n"
        "seed:\n  - factory: u\n    records: {bad-name: {a: 3}}\n"
    )
    d = only(diagnose(write, text))
    assert found([d]) == [("E205", "/seed/0/records/bad-name", 6, 15)]
    assert d.message == "seed/0/records: invalid name 'bad-name'"


def test_include_of_the_wrong_type_is_reported(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\ninclude: 5\n"))
    assert (d.code, d.pointer) == ("E201", "/include")
    assert d.message == "include: expected a string or a list, got int 5"


def test_wrong_count_names_what_is_expected(write: WriteSpec) -> None:
    text = "version: 1\nfactories:\n  u: {table: t, fields: {a: 1}}\nseed:\n  - factory: u\n    count: ten\n"
    d = only(diagnose(write, text))
    assert found([d]) == [("E201", "/seed/0/count", 6, 12)]
    assert d.message == (
        "seed/0/count: expected an integer or a template such as '{{ params.users }}' or a mapping "
        "with min, max, got str 'ten'"
    )


# ---------------------------------------------------------------- collecting, pruning, ranking

MIXED = """\
version: 1
factories:
  user:
    table: users
    key: [email]
    fields:
      email: {faker: email}
      name: {faker: nam}
      display: "{{ nickname }}"
seed:
  - factory: user
    count: -1
  - factory: ghost
settings:
  locale: 12
"""


def test_all_problems_are_reported_at_once_and_ranked_by_position(write: WriteSpec) -> None:
    diagnostics = diagnose(write, MIXED)
    assert found(diagnostics) == [
        ("E303", "/factories/user/fields/name/faker", 8, 14),
        ("E305", "/factories/user/fields/display", 9, 7),
        ("E203", "/seed/0/count", 12, 12),
        ("E300", "/seed/1/factory", 13, 5),
        ("E201", "/settings/locale", 15, 11),
        ("W401", "/factories/user/key", 5, 5),
    ]
    assert [d.severity for d in diagnostics] == [Severity.ERROR] * 5 + [Severity.WARNING]


def test_errors_in_included_files_rank_by_file_then_position(write: WriteSpec) -> None:
    write(
        "a_base.yaml", "version: 1\nfactories:\n  user:\n    table: users\n    fields: {x: {faker: nmae}}\n"
    )
    text = "version: 1\ninclude: [a_base.yaml]\nseed:\n  - factory: usr\n"
    diagnostics = diagnose(write, text)
    assert [(Path(d.location.file).name if d.location else "", d.code) for d in diagnostics] == [
        ("a_base.yaml", "E303"),
        ("spec.yaml", "E300"),
    ]


def test_an_unknown_top_level_key_stops_the_semantic_checks(write: WriteSpec) -> None:
    text = "version: 1\nextra: 1\nseed:\n  - factory: ghost\n"
    assert [d.code for d in diagnose(write, text)] == ["E200"]


def test_schema_errors_inside_a_factory_keep_the_other_factories_checked(write: WriteSpec) -> None:
    text = """\
    version: 1
    factories:
      a:
        table: t
        fields:
          x: {faker: name, null_rate: 2}
          y: {faker: nmae}
      b:
        table: u
        fields:
          z: {faker: emial}
    """
    assert [(d.code, d.pointer) for d in diagnose(write, text)] == [
        ("E203", "/factories/a/fields/x/null_rate"),
        ("E303", "/factories/a/fields/y/faker"),
        ("E303", "/factories/b/fields/z/faker"),
    ]


def test_a_broken_step_does_not_hide_problems_of_the_next_one(write: WriteSpec) -> None:
    text = """\
    version: 1
    factories:
      a: {table: t, fields: {x: 1}}
    seed:
      - {factory: a, count: 1.5}
      - {factory: a, states: [nope]}
    """
    assert [(d.code, d.pointer) for d in diagnose(write, text)] == [
        ("E201", "/seed/0/count"),
        ("E301", "/seed/1/states/0"),
    ]


def test_identical_diagnostics_are_reported_once() -> None:
    document: dict[str, Any] = {
        "version": 1,
        "factories": {"a": {"table": "t", "fields": {"x": 1}}},
        "seed": [{"factory": "a", "states": ["s", "s"]}],
    }
    codes = [(d.code, d.pointer) for d in validate_document(document, SourceMap({}))]
    assert codes == [("E301", "/seed/0/states/0"), ("E301", "/seed/0/states/1")]


def test_validation_is_pure_and_leaves_the_document_alone(write: WriteSpec) -> None:
    spec = load_spec(write("spec.yaml", MIXED), {})
    before = json.dumps(spec.document, default=str, sort_keys=True)
    first = validate_document(spec.document, spec.source_map)
    assert json.dumps(spec.document, default=str, sort_keys=True) == before
    assert validate_document(spec.document, spec.source_map) == first


def test_diagnostics_without_a_source_map_have_no_location() -> None:
    (d,) = validate_document({"version": 1, "nope": 1}, SourceMap({}))
    assert d.location is None
    assert d.pointer == "/nope"


# ---------------------------------------------------------------- with a catalog

CATALOG = Catalog(
    tables={
        "users": TableInfo(
            name="users",
            columns=(
                ColumnInfo(name="id", kind="int", nullable=False, primary_key=True, has_default=True),
                ColumnInfo(name="email", kind="str", nullable=False),
                ColumnInfo(name="name", kind="str"),
            ),
            primary_key=("id",),
            unique=(("email",),),
        )
    }
)


def test_catalog_checks_tables_and_columns(write: WriteSpec) -> None:
    text = """\
    version: 1
    factories:
      user:
        table: users
        fields:
          email: {sequence: "u{n}@x.org"}
          nmae: {faker: name}
      tag:
        table: tags
        fields:
          name: {faker: word}
    seed:
      - factory: user
        records:
          - {email: a@x.org, nick: a}
    """
    diagnostics = diagnose(write, text, CATALOG)
    assert found(diagnostics) == [
        ("E311", "/factories/user/fields/nmae", 7, 7),
        ("E310", "/factories/tag/table", 9, 5),
        ("E311", "/seed/0/records/0/nick", 15, 26),
    ]
    assert diagnostics[0].hint == "did you mean 'name'?"
    assert diagnostics[1].hint == "known: users"


def test_catalog_requires_not_null_columns(write: WriteSpec) -> None:
    text = "version: 1\nfactories:\n  user:\n    table: users\n    fields:\n      name: {faker: name}\n"
    d = only(diagnose(write, text, CATALOG))
    assert found([d]) == [("E314", "/factories/user/fields", 5, 5)]
    assert d.message == (
        "column 'users.email' is NOT NULL without a default, and factory 'user' has no field for it"
    )


def test_without_a_catalog_tables_and_columns_are_not_checked(write: WriteSpec) -> None:
    text = "version: 1\nfactories:\n  user:\n    table: nowhere\n    fields:\n      nothing: 1\n"
    assert diagnose(write, text) == []


def test_negative_count_names_the_minimum(write: WriteSpec) -> None:
    text = "version: 1\nfactories:\n  u: {table: t, fields: {a: 1}}\nseed:\n  - factory: u\n    count: -5\n"
    d = only(diagnose(write, text))
    assert "expected an integer" not in d.message
    assert "minimum" in d.message


def test_settings_now_must_be_an_iso_date(write: WriteSpec) -> None:
    d = only(diagnose(write, "version: 1\nsettings:\n  now: next tuesday\n"))
    assert d.pointer == "/settings/now"


# ---------------------------------------------------------------- dates where text is expected


@pytest.mark.parametrize(
    ("text", "ptr"),
    [
        ("factories:\n  u:\n    table: 2026-01-01 00:00:00\n    fields: {}\n", "/factories/u/table"),
        (
            "factories:\n  u:\n    table: t\n    fields: {a: {faker: 2026-01-01}}\n",
            "/factories/u/fields/a/faker",
        ),
        ("factories:\n  u:\n    table: t\n    fields: {a: {ref: 2026-01-01}}\n", "/factories/u/fields/a/ref"),
        ("include: 2026-01-01 00:00:00\n", "/include"),
        ("database: {url: 2026-01-01}\n", "/database/url"),
        ("protect: 2026-01-01\n", "/protect"),
        ("tables: {ddl: 2026-01-01}\n", "/tables/ddl"),
    ],
)
def test_a_yaml_date_where_text_is_expected_is_e201(write: WriteSpec, text: str, ptr: str) -> None:
    found = [(d.code, d.pointer) for d in diagnose(write, "version: 1\n" + text)]
    assert ("E201", ptr) in found


def test_dates_are_welcome_where_they_mean_one(write: WriteSpec) -> None:
    text = """\
version: 1
settings: {now: 2025-01-01T00:00:00}
params: {since: 2024-01-01}
factories:
  u:
    table: t
    fields:
      born: {range: [1990-01-01, 2000-12-31]}
      joined: 2024-05-01
seed:
  - factory: u
"""
    assert [d.code for d in diagnose(write, text) if d.severity is Severity.ERROR] == []


def test_a_nul_byte_anywhere_is_e209_and_nothing_else_trips_on_it(write: WriteSpec) -> None:
    text = 'version: 1\nfactories:\n  u:\n    table: "t\\0"\n    fields: {a: {faker: name}}\n'
    assert [(d.code, d.pointer) for d in diagnose(write, text)] == [("E209", "/factories/u/table")]


def test_a_record_field_is_checked_like_a_factory_field(write: WriteSpec) -> None:
    text = """\
version: 1
factories:
  u: {table: t, fields: {a: {faker: name}}}
seed:
  - factory: u
    records:
      first: {a: {ref: nobody}, b: {sequence: "{n[0]}"}}
"""
    found = {(d.code, d.pointer) for d in diagnose(write, text)}
    assert ("E300", "/seed/0/records/first/a/ref") in found
    assert ("E325", "/seed/0/records/first/b/sequence") in found
