"""Semantic checks on schema-valid documents: names, templates, Faker, cycles, pools, columns."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from seedspec.catalog import Catalog, ColumnInfo, ForeignKeyInfo, TableInfo
from seedspec.errors import Diagnostic, Severity
from seedspec.spec.semantics import (
    check_semantics,
    factory_dependencies,
    faker_methods,
    find_cycle,
    most_rows,
    template_dependencies,
)

Doc = dict[str, Any]


def base() -> Doc:
    """A valid document to break one thing of per test."""
    return {
        "version": 1,
        "factories": {
            "user": {
                "table": "users",
                "key": ["email"],
                "fields": {
                    "email": {"sequence": "user{n}@example.com"},
                    "name": {"faker": "name"},
                    "status": "active",
                },
                "states": {"suspended": {"status": "suspended"}, "admin": {"role": "admin"}},
            },
            "post": {
                "table": "posts",
                "fields": {
                    "user_id": {"ref": "user"},
                    "title": {"faker": "sentence", "args": {"nb_words": 4}},
                    "slug": "{{ title | slugify }}-{{ n }}",
                },
            },
        },
        "seed": [
            {"factory": "user", "records": {"admin": {"email": "admin@example.com", "states": ["admin"]}}},
            {"factory": "user", "count": 5, "states": ["suspended"]},
            {"factory": "post", "for_each": "user", "count": 2},
        ],
    }


def check(doc: Doc, catalog: Catalog | None = None) -> list[Diagnostic]:
    return list(check_semantics(doc, catalog))


def codes(doc: Doc, catalog: Catalog | None = None) -> list[tuple[str, str]]:
    return [(d.code, d.pointer) for d in check(doc, catalog)]


def only(doc: Doc, catalog: Catalog | None = None) -> Diagnostic:
    found = check(doc, catalog)
    assert len(found) == 1, found
    return found[0]


def test_the_base_document_is_clean() -> None:
    assert check(base()) == []


def test_checks_do_not_change_the_document() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["name"] = {"faker": "nmae"}
    before = copy.deepcopy(doc)
    check(doc)
    assert doc == before


# ---------------------------------------------------------------- names: E300, E301, E302, E207, E316


def test_step_with_unknown_factory_is_e300() -> None:
    doc = base()
    doc["seed"].append({"factory": "usr"})
    d = only(doc)
    assert (d.code, d.pointer) == ("E300", "/seed/3/factory")
    assert d.message == "step uses unknown factory 'usr'"
    assert d.hint == "did you mean 'user'?"


def test_for_each_with_unknown_factory_is_e300() -> None:
    doc = base()
    doc["seed"][2]["for_each"] = "users"
    found = check(doc)
    assert [(d.code, d.pointer, d.message) for d in found] == [
        ("E300", "/seed/2/for_each", "for_each names unknown factory 'users'")
    ]


def test_ref_to_unknown_factory_is_e300() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["user_id"] = {"ref": "person"}
    d = only(doc)
    assert (d.code, d.pointer) == ("E300", "/factories/post/fields/user_id/ref")
    assert d.hint == "known: post, user"


def test_unknown_state_of_a_step_is_e301() -> None:
    doc = base()
    doc["seed"][1]["states"] = ["suspended", "banned"]
    d = only(doc)
    assert (d.code, d.pointer) == ("E301", "/seed/1/states/1")
    assert d.message == "factory 'user' has no state 'banned'"


def test_unknown_state_of_a_record_is_e301() -> None:
    doc = base()
    doc["seed"][0]["records"]["admin"]["states"] = ["admn"]
    d = only(doc)
    assert (d.code, d.pointer) == ("E301", "/seed/0/records/admin/states/0")
    assert d.hint == "did you mean 'admin'?"


def test_unknown_state_of_a_record_in_a_list() -> None:
    doc = base()
    doc["seed"][0]["records"] = [{"email": "a@x.org", "states": ["gone"]}]
    assert codes(doc) == [("E301", "/seed/0/records/0/states/0")]


def test_state_of_a_factory_without_states_says_none_are_defined() -> None:
    doc = base()
    doc["seed"][2]["states"] = ["draft"]
    assert only(doc).hint == "none are defined"


def test_ref_to_unknown_named_record_is_e302() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["user_id"] = {"ref": "user.admn"}
    d = only(doc)
    assert (d.code, d.pointer) == ("E302", "/factories/post/fields/user_id/ref")
    assert d.message == "unknown named record 'user.admn'"
    assert d.hint == "did you mean 'admin'?"


def test_ref_to_a_named_record_is_fine() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["user_id"] = {"ref": "user.admin"}
    assert check(doc) == []


def test_records_in_a_list_are_not_named() -> None:
    doc = base()
    doc["seed"][0]["records"] = [{"email": "a@x.org"}]
    doc["factories"]["post"]["fields"]["user_id"] = {"ref": "user.admin"}
    assert codes(doc) == [("E302", "/factories/post/fields/user_id/ref")]


def test_for_each_and_records_together_is_e207() -> None:
    doc = base()
    doc["seed"][2]["records"] = [{"title": "x"}]
    assert codes(doc) == [("E207", "/seed/2/records")]


def test_for_each_on_its_own_factory_is_e316() -> None:
    doc = base()
    doc["seed"].append({"factory": "post", "for_each": "post"})
    assert codes(doc) == [("E316", "/seed/3/for_each")]


def test_count_range_backwards_is_e319() -> None:
    doc = base()
    doc["seed"][2]["count"] = {"min": 3, "max": 1}
    assert codes(doc) == [("E319", "/seed/2/count")]


# ---------------------------------------------------------------- templates: E304, E305, E306


def test_template_syntax_error_is_e304_with_the_template_line() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["slug"] = "{{ title }\n{{ n }}"
    d = only(doc)
    assert (d.code, d.pointer) == ("E304", "/factories/post/fields/slug")
    assert d.message.startswith("template syntax error: ")
    assert d.message.endswith("(template line 1)")


def test_template_syntax_error_in_a_template_mapping_points_at_the_template() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["slug"] = {"template": "{% if title %}x"}
    assert codes(doc) == [("E304", "/factories/post/fields/slug/template")]


POSTS = TableInfo(
    name="posts",
    columns=(
        ColumnInfo(name="id", kind="int", nullable=False, primary_key=True, has_default=True),
        ColumnInfo(name="user_id", kind="int", nullable=False),
        ColumnInfo(name="title", kind="str", nullable=False),
        ColumnInfo(name="slug", kind="str", nullable=False),
    ),
    primary_key=("id",),
    foreign_keys=(ForeignKeyInfo(columns=("user_id",), target_table="users", target_columns=("id",)),),
)


def _misspelt_title() -> Doc:
    doc = base()
    fields = doc["factories"]["post"]["fields"]
    fields["titel"] = fields.pop("title")
    return doc


def test_a_misspelt_column_is_one_e311_suggesting_the_real_column() -> None:
    catalog = Catalog(tables={"posts": POSTS})
    doc = _misspelt_title()
    doc["factories"] = {"post": doc["factories"]["post"]}
    doc["seed"] = [{"factory": "post", "count": 2}]
    doc["factories"]["post"]["fields"]["user_id"] = 1
    d = only(doc, catalog)  # not also E314 'title' missing, nor E305 for the slug's {{ title }}
    assert (d.code, d.pointer, d.hint) == ("E311", "/factories/post/fields/titel", "did you mean 'title'?")


def test_without_the_tables_a_misspelt_field_is_e305_naming_both_readings() -> None:
    d = only(_misspelt_title())
    assert (d.code, d.pointer) == ("E305", "/factories/post/fields/slug")
    assert d.hint == "did you mean 'titel'? (or is the field 'titel' the misspelt one?)"


def test_template_reading_an_unknown_name_is_e305() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["slug"] = "{{ titel | slugify }}"
    d = only(doc)
    assert (d.code, d.pointer) == ("E305", "/factories/post/fields/slug")
    assert d.message == "template reads undefined name 'titel'"
    assert d.hint.startswith("did you mean 'title'?")


def test_templates_see_fields_n_fake_and_factory_names() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["slug"] = (
        "{{ title }}-{{ n }}-{{ fake.word() }}-{{ user.admin.email }}-{{ user_id }}"
    )
    assert check(doc) == []


def test_template_locals_are_not_free_names() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["slug"] = "{% set x = 2 %}{% for i in range(x) %}{{ i }}{% endfor %}"
    assert check(doc) == []


def test_a_template_cannot_read_its_own_field() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["slug"] = "{{ slug }}"
    assert codes(doc) == [("E305", "/factories/post/fields/slug"), ("E306", "/factories/post/fields/slug")]


def test_fields_reading_each_other_in_a_cycle_is_e306() -> None:
    doc = base()
    fields = doc["factories"]["user"]["fields"]
    fields["a"] = "{{ b }}"
    fields["b"] = "{{ c }}"
    fields["c"] = {"template": "{{ a }}"}
    d = only(doc)
    assert (d.code, d.pointer) == ("E306", "/factories/user/fields/a")
    assert d.message == "fields depend on each other in a cycle: a -> b -> c -> a"


def test_a_chain_of_templates_is_no_cycle() -> None:
    doc = base()
    doc["factories"]["user"]["fields"].update({"a": "{{ b }}", "b": "{{ name }}"})
    assert check(doc) == []


def test_a_cycle_closed_by_a_state_is_e306_at_the_state() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["display"] = "{{ name }}"
    doc["factories"]["user"]["states"]["nick"] = {"name": "{{ display }}"}
    d = only(doc)
    assert (d.code, d.pointer) == ("E306", "/factories/user/states/nick/display")
    assert d.message == "fields depend on each other in a cycle: display -> name -> display"


def test_a_template_reading_a_field_only_a_state_sets_is_e305() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["display"] = "{{ name }} ({{ role }})"
    d = only(doc)
    assert (d.code, d.pointer) == ("E305", "/factories/user/fields/display")
    assert d.hint == "only state 'admin' sets 'role'; give it a base field too (the state still overrides it)"


def test_a_state_template_may_read_the_fields_and_the_states_own_columns() -> None:
    doc = base()
    doc["factories"]["user"]["states"]["admin"]["title"] = "{{ role }} {{ name }}"
    assert check(doc) == []


# ---------------------------------------------------------------- Faker: E303, E308, E309


def test_unknown_faker_method_is_e303_at_the_method() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["name"] = {"faker": "nmae"}
    d = only(doc)
    assert (d.code, d.pointer) == ("E303", "/factories/user/fields/name/faker")
    assert d.hint == "did you mean 'name'?"


@pytest.mark.parametrize("method", ["seed", "seed_instance", "add_provider", "unique", "format"])
def test_faker_machinery_is_not_a_generator(method: str) -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["name"] = {"faker": method}
    assert codes(doc) == [("E303", "/factories/user/fields/name/faker")]


def test_faker_methods_of_a_locale_are_found() -> None:
    methods = faker_methods("fr_FR")
    assert {"name", "email", "sentence", "date_time_between"} <= set(methods)
    assert "seed_instance" not in methods


def test_unknown_keyword_argument_is_e308_listing_the_parameters() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["title"] = {"faker": "sentence", "args": {"words": 3}}
    d = only(doc)
    assert (d.code, d.pointer) == ("E308", "/factories/post/fields/title/args")
    assert "'words'" in d.message
    assert d.hint.startswith("its parameters: nb_words")


def test_too_many_positional_arguments_is_e308() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["title"] = {"faker": "random_int", "args": [1, 2, 3, 4, 5]}
    assert codes(doc) == [("E308", "/factories/post/fields/title/args")]


def test_positional_arguments_that_fit_are_fine() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["title"] = {"faker": "random_int", "args": [1, 9]}
    assert check(doc) == []


def test_unknown_locale_of_a_field_is_e309() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["name"] = {"faker": "name", "locale": "xx_XX"}
    d = only(doc)
    assert (d.code, d.pointer) == ("E309", "/factories/user/fields/name/locale")
    assert d.message == "unknown Faker locale 'xx_XX'"


def test_a_field_locale_overrides_the_default() -> None:
    doc = base()
    doc["settings"] = {"locale": "de_DE"}
    doc["factories"]["user"]["fields"]["name"] = {"faker": "name", "locale": "ja_JP"}
    assert check(doc) == []


def test_unknown_default_locale_is_e309_once_at_the_setting() -> None:
    doc = base()
    doc["settings"] = {"locale": "xx_XX"}
    assert codes(doc) == [("E309", "/settings/locale")]
    doc["factories"]["user"]["fields"]["name"] = {"faker": "name", "locale": "de_DE"}
    assert codes(doc) == [("E309", "/settings/locale")]


# ---------------------------------------------------------------- refs and cycles: E307, E313, E315


def test_factories_referring_to_each_other_can_be_broken_at_a_ref() -> None:
    doc = base()  # posts run for_each user: users cannot wait for posts, but their ref can
    doc["factories"]["user"]["fields"]["last_post_id"] = {"ref": "post"}
    assert check(doc) == []


def test_a_cycle_no_ref_can_break_is_e307() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["bio"] = "{{ post.first.title }}"
    found = check(doc)
    # 'first' is no named record of post here: the row also reads a post row it has none of (E361)
    assert sorted(x.code for x in found) == ["E307", "E361"]
    d = next(x for x in found if x.code == "E307")
    assert (d.code, d.pointer) == ("E307", "/factories/post")
    assert d.message == "factories depend on each other in a cycle no ref can break: post -> user -> post"


def test_a_cycle_through_a_state_is_a_cycle_too() -> None:
    doc = base()
    doc["factories"]["user"]["states"]["author"] = {"bio": "{{ post.first.title }}"}
    assert codes(doc) == [("E307", "/factories/post")]


def test_a_factory_referring_to_itself_builds_a_tree() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["manager_id"] = {"ref": "user.admin"}
    assert check(doc) == []


def test_distinct_per_an_unknown_field_is_e313() -> None:
    doc = base()
    doc["factories"]["post"]["fields"]["tag_id"] = {"ref": "user", "distinct_per": "post"}
    d = only(doc)
    assert (d.code, d.pointer) == ("E313", "/factories/post/fields/tag_id/distinct_per")
    assert d.hint == "known: slug, title, user_id"


def test_ref_to_a_factory_no_step_seeds_is_e315() -> None:
    doc = base()
    doc["factories"]["tag"] = {"table": "tags", "fields": {"name": {"faker": "word"}}}
    doc["factories"]["post"]["fields"]["tag_id"] = {"ref": "tag"}
    d = only(doc)
    assert (d.code, d.pointer) == ("E315", "/factories/post/fields/tag_id/ref")


def test_unseeded_factories_may_refer_to_anything() -> None:
    doc = base()
    doc["factories"]["tag"] = {"table": "tags", "fields": {"name": {"faker": "word"}}}
    doc["factories"]["draft"] = {"table": "drafts", "fields": {"tag_id": {"ref": "tag"}}}
    assert check(doc) == []


# ---------------------------------------------------------------- keys: E312, W401


def test_key_column_without_a_field_is_e312() -> None:
    doc = base()
    doc["factories"]["user"]["key"] = ["email", "emial"]
    d = only(doc)
    assert (d.code, d.pointer) == ("E312", "/factories/user/key/1")
    assert d.hint == "add a field for 'emial', or did you mean 'email'?"


def test_key_built_only_from_faker_is_w401() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["email"] = {"faker": "email", "unique": True}
    d = only(doc)
    assert (d.code, d.pointer, d.severity) == ("W401", "/factories/user/key", Severity.WARNING)


def test_key_with_one_declared_part_is_no_warning() -> None:
    doc = base()
    doc["factories"]["user"]["key"] = ["email", "name"]
    doc["factories"]["user"]["fields"]["email"] = {"faker": "email"}
    doc["factories"]["user"]["fields"]["name"] = "fixed"
    assert check(doc) == []


def test_key_sequence_shared_by_two_steps_is_w403() -> None:
    doc = base()
    doc["seed"].insert(2, {"factory": "user", "id": "more", "count": 3})
    d = only(doc)
    assert (d.code, d.pointer, d.severity) == ("W403", "/factories/user/fields/email", Severity.WARNING)
    assert "steps 1, 2" in d.message


def test_a_record_without_the_key_field_draws_the_shared_sequence_too() -> None:
    doc = base()
    doc["seed"][0]["records"]["plain"] = {"name": "Plain"}
    assert [c for c, _ in codes(doc)] == ["W403"]


@pytest.mark.parametrize(
    "own_numbering",
    [
        {"values": {"email": {"sequence": "more{n}@example.com"}}},
        {"states": ["numbered"]},
    ],
    ids=["values", "state"],
)
def test_a_step_with_its_own_key_numbering_is_no_warning(own_numbering: Doc) -> None:
    doc = base()
    doc["factories"]["user"]["states"]["numbered"] = {"email": {"sequence": "n{n}@example.com"}}
    doc["seed"].insert(2, {"factory": "user", "id": "more", "count": 3, **own_numbering})
    assert check(doc) == []


# ---------------------------------------------------------------- generator parameters: E317, E318


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ([10, 1], "range low 10 is above high 1"),
        (["2025-01-01", "2024-01-01"], "range low 2025-01-01 is above high 2024-01-01"),
        (["soon", "later"], "range bounds ['soon', 'later'] are not two numbers, dates or datetimes"),
    ],
)
def test_bad_range_is_e317(bounds: list[Any], message: str) -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["age"] = {"range": bounds}
    d = only(doc)
    assert (d.code, d.pointer, d.message) == ("E317", "/factories/user/fields/age/range", message)


@pytest.mark.parametrize("bounds", [[1, 10], [1.5, 2], ["2024-01-01", "2024-12-31"], ["-1y", "now"]])
def test_good_ranges_pass(bounds: list[Any]) -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["age"] = {"range": bounds}
    assert check(doc) == []


def test_distribution_without_its_parameters_is_e318() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["age"] = {"distribution": "normal", "mean": 40}
    d = only(doc)
    assert (d.code, d.pointer) == ("E318", "/factories/user/fields/age")
    assert d.hint == "add stddev: ..."


def test_distribution_clamp_backwards_is_e318() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["age"] = {"distribution": "zipf", "a": 2, "n": 9, "min": 5, "max": 1}
    assert codes(doc) == [("E318", "/factories/user/fields/age/min")]


def test_choice_with_only_zero_weights_is_e324() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["status"] = {"choice": {"a": 0, "b": 0}}
    assert codes(doc) == [("E324", "/factories/user/fields/status/choice")]
    doc["factories"]["user"]["fields"]["status"] = {"choice": {"a": 0, "b": 1}}
    assert check(doc) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("user{i}@example.com", "sequence format 'user{i}@example.com' uses {i}; only {n} is defined"),
        ("user{}", "sequence format 'user{}' uses {}; only {n} is defined"),
        ("user{n", "invalid sequence format 'user{n': expected '}' before end of string"),
        (
            "user{n:q}",
            "invalid sequence format 'user{n:q}': Unknown format code 'q' for object of type 'int'",
        ),
    ],
)
def test_bad_sequence_format_is_e325(text: str, message: str) -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["email"] = {"sequence": text}
    d = only(doc)
    assert (d.code, d.pointer, d.message) == ("E325", "/factories/user/fields/email/sequence", message)


@pytest.mark.parametrize("text", ["user{n}", "user{n:04d}", "{n}-{{literal}}", "no placeholder"])
def test_good_sequence_formats_pass(text: str) -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["email"] = {"sequence": text}
    assert check(doc) == []


# ---------------------------------------------------------------- pools: E322, E323


def test_unique_choice_smaller_than_the_rows_is_e322() -> None:
    doc = base()
    doc["factories"]["user"]["fields"]["status"] = {"choice": ["a", "b", "c"], "unique": True}
    d = only(doc)
    assert (d.code, d.pointer) == ("E322", "/factories/user/fields/status")
    assert d.message == "'status' must be unique but its choice has 3 values for up to 6 rows"


def test_distinct_per_with_more_rows_per_parent_than_targets_is_e323() -> None:
    doc = base()
    doc["factories"]["tag"] = {"table": "tags", "fields": {"name": {"sequence": "t{n}"}}}
    doc["factories"]["post_tag"] = {
        "table": "post_tags",
        "fields": {"post_id": {"ref": "post"}, "tag_id": {"ref": "tag", "distinct_per": "post_id"}},
    }
    doc["seed"] += [{"factory": "tag", "count": 3}, {"factory": "post_tag", "for_each": "post", "count": 4}]
    d = only(doc)
    assert (d.code, d.pointer) == ("E323", "/seed/4/count")
    assert d.message == "each 'post' gets 4 rows with a distinct 'tag_id', but at most 3 'tag' rows exist"


def test_most_rows_multiplies_through_for_each() -> None:
    doc = base()
    doc["seed"][2]["count"] = {"min": 1, "max": 3}
    assert most_rows(doc["factories"], doc["seed"]) == {"user": 6, "post": 18}


# ---------------------------------------------------------------- with a catalog: E310, E311, E314

CATALOG = Catalog(
    tables={
        "users": TableInfo(
            name="users",
            columns=(
                ColumnInfo(name="id", kind="int", nullable=False, primary_key=True, has_default=True),
                ColumnInfo(name="email", kind="str", nullable=False),
                ColumnInfo(name="name", kind="str", nullable=False),
                ColumnInfo(name="status", kind="str", nullable=False, has_default=True),
                ColumnInfo(name="role", kind="str"),
            ),
            primary_key=("id",),
            unique=(("email",),),
        ),
        "posts": TableInfo(
            name="posts",
            columns=(
                ColumnInfo(name="id", kind="int", nullable=False, primary_key=True, has_default=True),
                ColumnInfo(name="author_id", kind="int", nullable=False),
                ColumnInfo(name="title", kind="str"),
                ColumnInfo(name="slug", kind="str"),
            ),
            primary_key=("id",),
            foreign_keys=(
                ForeignKeyInfo(columns=("author_id",), target_table="users", target_columns=("id",)),
            ),
        ),
    }
)


def catalog_doc() -> Doc:
    doc = base()
    doc["factories"]["post"]["fields"]["author"] = doc["factories"]["post"]["fields"].pop("user_id")
    return doc


def test_the_catalog_document_is_clean() -> None:
    assert check(catalog_doc(), CATALOG) == []


def test_unknown_table_is_e310() -> None:
    doc = catalog_doc()
    doc["factories"]["post"]["table"] = "post"
    d = only(doc, CATALOG)
    assert (d.code, d.pointer, d.hint) == ("E310", "/factories/post/table", "did you mean 'posts'?")


def test_unknown_columns_are_e311_wherever_they_are_written() -> None:
    doc = catalog_doc()
    doc["factories"]["user"]["fields"]["nick"] = "x"
    doc["factories"]["user"]["states"]["admin"]["rank"] = 1
    doc["factories"]["user"]["key"] = ["email", "mail"]
    doc["factories"]["user"]["fields"]["mail"] = "m"
    doc["seed"][0]["records"]["admin"]["nmae"] = "Admin"
    doc["seed"][1]["values"] = {"stat": "x"}
    assert sorted(codes(doc, CATALOG)) == [
        ("E311", "/factories/user/fields/mail"),
        ("E311", "/factories/user/fields/nick"),
        ("E311", "/factories/user/key/1"),
        ("E311", "/factories/user/states/admin/rank"),
        ("E311", "/seed/0/records/admin/nmae"),
        ("E311", "/seed/1/values/stat"),
    ]


def test_a_relationship_name_is_not_an_unknown_column() -> None:
    doc = catalog_doc()
    assert "author" not in CATALOG.tables["posts"].column_names
    assert check(doc, CATALOG) == []
    doc["factories"]["post"]["fields"]["parent"] = {"ref": "post"}  # posts has no FK to posts
    assert codes(doc, CATALOG) == [("E311", "/factories/post/fields/parent")]


def test_not_null_column_without_field_is_e314() -> None:
    doc = catalog_doc()
    del doc["factories"]["user"]["fields"]["name"]
    d = only(doc, CATALOG)
    assert (d.code, d.pointer) == ("E314", "/factories/user/fields")
    assert d.hint == "add a field 'name' to factory 'user'"


def test_not_null_column_given_by_every_step_is_fine() -> None:
    doc = catalog_doc()
    del doc["factories"]["user"]["fields"]["name"]
    doc["seed"][0]["records"]["admin"]["name"] = "Admin"
    doc["seed"][1]["values"] = {"name": "Suspended"}
    assert check(doc, CATALOG) == []


# ---------------------------------------------------------------- helpers


def test_find_cycle() -> None:
    assert find_cycle({}) == ()
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == ()
    assert find_cycle({"a": {"a"}}) == ("a",)
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"b"}}) == ("b", "c")
    assert find_cycle({"x": {"y"}, "y": {"x"}, "a": {"b"}, "b": {"a"}}) == ("a", "b")


def test_template_dependencies() -> None:
    assert template_dependencies("{{ a }}-{{ b | upper }}") == {"a", "b"}
    assert template_dependencies({"template": "{{ c }}"}) == {"c"}
    assert template_dependencies("plain text") == set()
    assert template_dependencies({"faker": "name"}) == set()
    assert template_dependencies(5) == set()
    assert template_dependencies("{{ broken") == set()


def test_factory_dependencies_cover_fields_and_states() -> None:
    factory = {
        "fields": {"a": {"ref": "user"}, "b": {"ref": "tag.python"}, "c": "{{ user }}"},
        "states": {"s": {"d": {"ref": "org"}}},
    }
    assert factory_dependencies(factory) == {"user", "tag", "org"}


def test_severity_of_semantic_errors_is_error() -> None:
    doc = base()
    doc["seed"].append({"factory": "ghost"})
    assert [d.severity for d in check(doc)] == [Severity.ERROR]
