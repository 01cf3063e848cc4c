"""Compiling: step order by dependencies, step ids, lookup keys, derived seeds, typed generators."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from samples import CATALOG, Doc, compiled, document

from seedspec.compiler.steps import compile_spec, derive_seed, document_digest
from seedspec.ir import (
    Choice,
    Distribution,
    FakerCall,
    Literal,
    Plan,
    PythonCall,
    Range,
    Ref,
    Sequence,
    Step,
    Template,
)


def step(plan: Plan, step_id: str) -> Step:
    return next(s for s in plan.steps if s.id == step_id)


def generator_of(s: Step, column: str) -> Any:
    return next(f.generator for f in s.fields if f.column == column)


# ---------------------------------------------------------------- order and ids


def test_steps_wait_for_the_factories_they_depend_on() -> None:
    plan = compiled()
    assert [s.id for s in plan.steps] == [
        "tag:records",
        "user:records",
        "user",
        "post<user",
        "post_tag<post",
    ]


def test_dependencies_are_listed_per_step() -> None:
    plan = compiled()
    assert step(plan, "post_tag<post").depends_on == ("post", "tag")
    assert step(plan, "post<user").depends_on == ("user",)
    assert step(plan, "user").depends_on == ()


def test_independent_steps_keep_the_spec_order() -> None:
    doc = document()
    doc["seed"] = [{"factory": "user", "count": 1}, {"factory": "tag", "count": 1}]
    assert [s.id for s in compiled(doc).steps] == ["user", "tag"]
    doc["seed"].reverse()
    assert [s.id for s in compiled(doc).steps] == ["tag", "user"]


def test_a_ref_in_a_record_is_a_dependency_too() -> None:
    doc = document()
    doc["seed"] = [
        {"factory": "post", "records": [{"author_id": {"ref": "user.admin"}, "title": "Hi"}]},
        {"factory": "user", "records": {"admin": {"email": "a@x.org"}}},
    ]
    doc["factories"]["post"]["fields"]["author_id"] = 1
    assert [s.id for s in compiled(doc).steps] == ["user:records", "post:records"]


def test_a_self_reference_is_no_dependency() -> None:
    doc = document()
    doc["factories"]["user"]["fields"]["manager_id"] = {"ref": "user.admin"}
    plan = compiled(doc)
    assert step(plan, "user").depends_on == ()
    assert [s.id for s in plan.steps][:3] == ["tag:records", "user:records", "user"]


def test_a_template_reading_a_named_record_waits_for_its_factory() -> None:
    doc = document()
    doc["factories"]["tag"]["fields"]["label"] = "by {{ user.admin.email }}"
    doc["seed"] = [{"factory": "tag", "count": 1}, *document()["seed"][3:]]
    assert [s.id for s in compiled(doc).steps] == ["user:records", "user", "tag"]


def test_step_ids_come_from_factory_states_for_each_and_records() -> None:
    doc = document()
    doc["seed"] = [
        {"factory": "user", "count": 1},
        {"factory": "user", "count": 2, "states": ["admin"]},
        {"factory": "user", "count": 3},
        {"factory": "user", "records": [{"email": "a@x.org"}]},
        {"factory": "user", "count": 1, "id": "extra-users"},
        {"factory": "post", "for_each": "user", "count": 1, "id": "user"},
    ]
    assert [s.id for s in compiled(doc).steps] == [
        "user",
        "user[admin]",
        "user#2",
        "user:records",
        "extra-users",
        "user#3",
    ]


def test_a_step_id_keeps_its_seed_when_other_steps_are_added() -> None:
    before = compiled()
    doc = document()
    doc["seed"].append({"factory": "tag", "count": 5, "states": []})
    doc["seed"].insert(0, {"factory": "user", "count": 1, "states": ["admin"]})
    after = compiled(doc)
    for s in before.steps:
        assert step(after, s.id).seed == s.seed


# ---------------------------------------------------------------- seeds


def test_derive_seed_is_a_stable_64_bit_number() -> None:
    assert derive_seed(42, "user:records") == 0xC6A4FD5B0D759153
    assert derive_seed(42, "user") != derive_seed(43, "user")
    assert 0 <= derive_seed("x") < 2**64


def test_step_seeds_derive_from_the_spec_seed_and_the_step_id() -> None:
    plan = compiled()
    assert step(plan, "user").seed == derive_seed(42, "user")
    doc = document()
    doc["settings"]["seed"] = 7
    assert step(compiled(doc), "user").seed == derive_seed(7, "user")


def test_a_missing_seed_is_zero() -> None:
    doc = document()
    del doc["settings"]
    plan = compiled(doc)
    assert plan.seed == 0
    assert step(plan, "user").seed == derive_seed(0, "user")


def test_changing_a_count_keeps_every_seed() -> None:
    doc = document()
    doc["seed"][4]["count"] = 500
    assert [s.seed for s in compiled(doc).steps] == [s.seed for s in compiled().steps]


def test_compiling_is_deterministic_and_pure() -> None:
    doc = document()
    before = copy.deepcopy(doc)
    assert compiled(doc) == compiled(doc)
    assert doc == before


def test_digest_follows_the_document() -> None:
    doc = document()
    assert compiled(doc).digest == document_digest(doc)
    changed = document()
    changed["seed"][4]["count"] = 11
    assert document_digest(changed) != document_digest(doc)
    assert document_digest(doc) == document_digest(copy.deepcopy(doc))


def test_plan_settings() -> None:
    doc = document()
    doc["settings"].update(
        {"locale": "fr_FR", "now": dt.date(2024, 3, 1), "batch_size": 7, "generator_version": 1}
    )
    plan = compiled(doc)
    assert (plan.spec, plan.seed, plan.locale, plan.now, plan.batch_size, plan.generator_version) == (
        "seeds/dev.yaml",
        42,
        "fr_FR",
        "2024-03-01",
        7,
        1,
    )
    assert dict(plan.versions).keys() == {"faker"}


def test_default_settings() -> None:
    doc = document()
    del doc["settings"]
    plan = compiled(doc)
    assert (plan.locale, plan.now, plan.batch_size) == ("en_US", "2025-01-01T00:00:00", 1000)
    assert plan.generator_version == 3  # the newest


# ---------------------------------------------------------------- keys


def test_explicit_key_wins() -> None:
    doc = document()
    doc["factories"]["user"]["key"] = ["name", "role"]
    assert step(compiled(doc), "user").key == ("name", "role")


def test_default_key_is_a_unique_constraint_the_fields_cover() -> None:
    assert CATALOG.tables["users"].unique == (("email",), ("username",))
    assert step(compiled(), "user").key == ("email",)
    doc = document()
    del doc["factories"]["user"]["fields"]["email"]
    assert step(compiled(doc), "user").key == ("username",)


def test_default_key_of_records_uses_the_columns_every_record_sets() -> None:
    doc = document()
    del doc["factories"]["user"]["fields"]["email"]
    doc["seed"] = [{"factory": "user", "records": [{"email": "a@x.org"}, {"name": "B"}]}]
    assert step(compiled(doc), "user:records").key == ("username",)
    doc["seed"] = [{"factory": "user", "records": [{"email": "a@x.org"}, {"email": "b@x.org"}]}]
    assert step(compiled(doc), "user:records").key == ("email",)


def test_default_key_is_the_primary_key_when_no_unique_constraint_is_covered() -> None:
    assert step(compiled(), "post_tag<post").key == ("post_id", "tag_id")


def test_default_key_is_every_field_as_a_last_resort() -> None:
    assert step(compiled(), "tag:records").key == ("name", "label")
    doc = document()
    doc["factories"]["note"] = {"table": "notes", "fields": {"kind": "memo", "body": {"faker": "text"}}}
    doc["seed"] = [{"factory": "note", "count": 2}]
    assert step(compiled(doc), "note").key == ("kind", "body")


# ---------------------------------------------------------------- fields and generators


def test_fields_are_ordered_so_templates_come_after_what_they_read() -> None:
    doc = document()
    doc["factories"]["post"]["fields"] = {
        "slug": "{{ title | slugify }}",
        "title": "{{ author_id }}: {{ fake.sentence() }}",
        "author_id": {"ref": "user"},
    }
    columns = [f.column for f in step(compiled(doc), "post<user").fields]
    assert columns == ["author_id", "title", "slug"]


def test_states_and_step_values_overlay_the_fields_in_order() -> None:
    doc = document()
    doc["factories"]["user"]["states"]["senior"] = {"role": "senior", "age": 60}
    doc["seed"] = [
        {"factory": "user", "count": 1, "states": ["admin", "senior"], "values": {"age": 70}},
    ]
    s = compiled(doc).steps[0]
    assert generator_of(s, "role") == Literal(value="senior")
    assert generator_of(s, "age") == Literal(value=70)
    pointers = {f.column: f.pointer for f in s.fields}
    assert pointers["role"] == "/factories/user/states/senior/role"
    assert pointers["age"] == "/seed/0/values/age"
    assert pointers["email"] == "/factories/user/fields/email"


def test_records_overlay_their_states_then_their_values() -> None:
    s = step(compiled(), "user:records")
    (record,) = s.records
    assert record.name == "admin"
    assert record.pointer == "/seed/3/records/admin"
    by_column = {f.column: f for f in record.fields}
    assert by_column["email"].generator == Literal(value="admin@example.com")
    assert by_column["role"].generator == Literal(value="admin")
    assert by_column["name"].generator == FakerCall(method="name")
    assert s.fields == ()
    assert s.count == 0


def test_records_in_a_list_have_no_name() -> None:
    s = step(compiled(), "tag:records")
    assert [(r.name, r.index) for r in s.records] == [(None, 0), (None, 1)]


def test_records_plus_count_generate_both() -> None:
    doc = document()
    doc["seed"] = [{"factory": "user", "records": {"root": {"email": "r@x.org"}}, "count": 4}]
    s = compiled(doc).steps[0]
    assert (len(s.records), s.count, bool(s.fields)) == (1, 4, True)


def test_count_defaults_to_one_and_accepts_a_range() -> None:
    doc = document()
    doc["seed"] = [{"factory": "tag"}, {"factory": "user", "count": {"min": 2, "max": 5}}]
    plan = compiled(doc)
    assert (plan.steps[0].count, plan.steps[0].count_max) == (1, None)
    assert (plan.steps[1].count, plan.steps[1].count_max) == (2, 5)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("active", Literal(value="active")),
        (12, Literal(value=12)),
        (None, Literal(value=None)),
        ({"value": {"a": [1]}}, Literal(value={"a": [1]})),
        ("{{ email }}", Template(source="{{ email }}", names=("email",))),
        ({"template": "{{ n }}-{{ email }}"}, Template(source="{{ n }}-{{ email }}", names=("email", "n"))),
        ({"sequence": "u{n}"}, Sequence(format="u{n}")),
        ({"sequence": 100, "step": 5}, Sequence(start=100, step=5)),
        ({"sequence": 1}, Sequence(start=1, step=1)),
        ({"choice": ["a", "b"]}, Choice(values=("a", "b"))),
        ({"choice": {"a": 3, "b": 1}}, Choice(values=("a", "b"), weights=(3.0, 1.0))),
        (
            {"faker": "word", "args": {"ext_word_list": ["x"]}},
            FakerCall(method="word", kwargs=(("ext_word_list", ["x"]),)),
        ),
        ({"faker": "random_int", "args": [1, 9]}, FakerCall(method="random_int", args=(1, 9))),
        ({"faker": "name", "locale": "de_DE"}, FakerCall(method="name", locale="de_DE")),
        ({"range": [1, 9]}, Range(kind="int", low=1, high=9)),
        ({"range": [0, 1], "step": 0.25}, Range(kind="int", low=0, high=1, step=0.25)),
        ({"range": [0.0, 1.0], "decimals": 2}, Range(kind="decimal", low=0.0, high=1.0, decimals=2)),
        (
            {"distribution": "normal", "mean": 40, "stddev": 5, "min": 18, "decimals": 0},
            Distribution(name="normal", params=(("mean", 40.0), ("stddev", 5.0)), low=18, decimals=0),
        ),
        (
            {"python": "gens:score", "args": {"b": 2, "a": 1}},
            PythonCall(
                target="gens:score", base_dir=str(Path("seeds").resolve()), kwargs=(("a", 1), ("b", 2))
            ),
        ),
    ],
)
def test_generator_kinds(raw: Any, expected: Any) -> None:
    doc = document()
    doc["factories"]["user"]["fields"]["age"] = raw
    doc["seed"] = [{"factory": "user", "count": 1}]
    assert generator_of(compiled(doc).steps[0], "age") == expected


def test_relative_dates_in_faker_args_and_defaults_are_pinned_to_now() -> None:
    doc = document()
    doc["settings"]["now"] = "2024-06-30T00:00:00"
    doc["factories"]["user"]["fields"]["joined"] = {"faker": "date_between", "args": {"start_date": "-1y"}}
    doc["seed"] = [{"factory": "user", "count": 1}]
    gen = generator_of(compiled(doc).steps[0], "joined")
    assert dict(gen.kwargs) == {
        "start_date": dt.datetime(2023, 6, 30),
        "end_date": dt.date(2024, 6, 30),
    }


def test_relative_range_bounds_are_pinned_to_now() -> None:
    doc = document()
    doc["settings"]["now"] = "2024-06-30T00:00:00"
    doc["factories"]["user"]["fields"]["joined"] = {"range": ["-1M", "today"]}
    doc["seed"] = [{"factory": "user", "count": 1}]
    gen = generator_of(compiled(doc).steps[0], "joined")
    assert gen == Range(kind="datetime", low=dt.datetime(2024, 5, 30), high=dt.datetime(2024, 6, 30))


def test_null_rate_and_unique_options() -> None:
    doc = document()
    doc["factories"]["user"]["fields"]["name"] = {"faker": "name", "null_rate": 0.25, "unique": True}
    fields = {f.column: f for f in step(compiled(doc), "user").fields}
    assert (fields["name"].null_rate, fields["name"].unique) == (0.25, True)
    assert (fields["role"].null_rate, fields["role"].unique) == (0.0, False)


def test_unique_columns_of_the_table_generate_unique_values() -> None:
    fields = {f.column: f for f in step(compiled(), "user").fields}
    assert fields["email"].unique
    assert fields["username"].unique
    assert not fields["name"].unique


def test_column_kinds_come_from_the_table() -> None:
    kinds = dict(step(compiled(), "user").kinds)
    assert kinds == {
        "id": "int",
        "email": "str",
        "username": "str",
        "name": "str",
        "role": "str",
        "age": "int",
        "joined": "date",
        "score": "decimal",
        "manager_id": "int",
    }


# ---------------------------------------------------------------- refs


def test_ref_column_defaults_to_the_foreign_key_target() -> None:
    assert generator_of(step(compiled(), "post<user"), "author_id") == Ref(
        factory="user", column="id", parent=True
    )


def test_refs_under_for_each_to_the_parent_factory_take_the_parent() -> None:
    plan = compiled()
    ptag = step(plan, "post_tag<post")
    assert generator_of(ptag, "post_id") == Ref(factory="post", column="id", parent=True)
    assert generator_of(ptag, "tag_id") == Ref(factory="tag", column="id", distinct_per="post_id")


def test_refs_without_for_each_pick_from_the_pool() -> None:
    doc = document()
    doc["seed"] = [{"factory": "user", "count": 2}, {"factory": "post", "count": 5}]
    gen = generator_of(step(compiled(doc), "post"), "author_id")
    assert gen == Ref(factory="user", column="id", pick="random", parent=False)


def test_a_named_record_ref_under_for_each_is_not_the_parent() -> None:
    doc = document()
    doc["factories"]["post"]["fields"]["author_id"] = {"ref": "user.admin", "column": "id"}
    gen = generator_of(step(compiled(doc), "post<user"), "author_id")
    assert gen == Ref(factory="user", column="id", record="admin", parent=False)


def test_explicit_ref_column_and_pick() -> None:
    doc = document()
    doc["factories"]["tag"]["fields"]["label"] = {"ref": "user", "column": "email", "pick": "round_robin"}
    doc["seed"] = [{"factory": "user", "count": 1}, {"factory": "tag", "count": 1}]
    plan = compiled(doc)
    assert generator_of(step(plan, "tag"), "label") == Ref(factory="user", column="email", pick="round_robin")
    assert plan.columns_kept_for("user") == ("email",)


def test_pool_columns_list_what_refs_read() -> None:
    assert dict(compiled().pool_columns) == {"post": ("id",), "tag": ("id",), "user": ("id",)}
    assert compiled().columns_kept_for("post_tag") == ()


def test_a_relationship_name_fills_the_foreign_key_column() -> None:
    doc = document()
    doc["factories"]["post"]["fields"]["author"] = doc["factories"]["post"]["fields"].pop("author_id")
    gen = generator_of(step(compiled(doc), "post<user"), "author_id")
    assert gen == Ref(factory="user", column="id", parent=True)


# ---------------------------------------------------------------- trees, filtered refs, Faker providers


def tree_document(**tree: Any) -> Doc:
    doc = document()
    doc["seed"][4] = {"factory": "user", "id": "org", "count": 2, "tree": {"field": "manager_id", **tree}}
    return doc


def test_a_tree_step_compiles_to_one_step_per_level() -> None:
    plan = compiled(tree_document(depth=3, children={"min": 0, "max": 4}))
    levels = [s for s in plan.steps if s.id.startswith("org")]
    assert [(s.id, s.for_each, s.parents, s.count, s.count_max) for s in levels] == [
        ("org", None, None, 2, None),
        ("org/2", "user", "org", 0, 4),
        ("org/3", "user", "org/2", 0, 4),
    ]
    link = generator_of(levels[1], "manager_id")
    assert (link.factory, link.column, link.parent) == ("user", "id", True)
    assert generator_of(levels[0], "email") == generator_of(levels[2], "email")  # one shared sequence
    assert len({s.seed for s in levels}) == 3
    assert plan.needs_pool("user")


def test_a_filtered_ref_keeps_its_columns_in_the_pool_as_the_column_types() -> None:
    doc = document()
    doc["factories"]["post"]["fields"]["author_id"] = {
        "ref": "user",
        "where": {"role": "admin", "age": [30, "40"]},
    }
    plan = compiled(doc)
    ref = generator_of(step(plan, "post<user"), "author_id")
    assert ref.where == (("age", (30, 40)), ("role", ("admin",)))
    assert not ref.parent  # a filtered ref to the for_each factory picks: it is not the parent
    assert set(plan.columns_kept_for("user")) >= {"id", "age", "role"}


def test_faker_providers_are_recorded_with_the_spec_folder(tmp_path: Path) -> None:
    (tmp_path / "unit_compile_planets.py").write_text(
        "from faker.providers import BaseProvider\n\n\nclass P(BaseProvider):\n"
        "    def planet(self, moons: int = 0) -> str:\n        return 'Mars'\n",
        encoding="utf-8",
    )
    doc = document()
    doc["settings"]["faker_providers"] = ["unit_compile_planets:P"]
    doc["factories"]["user"]["fields"]["name"] = {"faker": "planet"}
    plan = compile_spec(doc, CATALOG, str(tmp_path / "spec.yaml"))
    providers = (("unit_compile_planets:P", str(tmp_path.resolve())),)
    assert plan.faker_providers == providers
    assert generator_of(step(plan, "user"), "name").providers == providers


def _relationship_doc() -> Doc:
    doc = document()
    doc["factories"]["post"]["fields"]["author"] = doc["factories"]["post"]["fields"].pop("author_id")
    doc["factories"]["post"]["states"] = {"mine": {"author_id": 7}}
    doc["seed"] = [
        {"factory": "user", "count": 2},
        {"factory": "post", "count": 2, "values": {"author_id": 2}},
        {"factory": "post", "count": 1, "states": ["mine"]},
        {"factory": "post", "records": {"first": {"author_id": 1, "title": "t"}}},
        {"factory": "post", "count": 1, "states": ["mine"], "values": {"author": {"ref": "user"}}},
    ]
    return doc


def _fills(fields: tuple[Any, ...], column: str) -> list[Any]:
    return [f.generator for f in fields if f.column == column]


@pytest.mark.parametrize(
    ("step_id", "expected"),
    [
        ("post", Literal(value=2)),  # a step's values
        ("post[mine]", Literal(value=7)),  # a state
        ("post[mine]#2", Ref(factory="user", column="id")),  # a relationship ref overriding back
    ],
)
def test_an_override_of_a_relationships_column_replaces_its_ref(step_id: str, expected: Any) -> None:
    plan = compiled(_relationship_doc())
    assert _fills(step(plan, step_id).fields, "author_id") == [expected]


def test_a_records_override_of_a_relationships_column_replaces_its_ref() -> None:
    [record] = next(s for s in compiled(_relationship_doc()).steps if s.records).records
    assert _fills(record.fields, "author_id") == [Literal(value=1)]


# ---------------------------------------------------------------- filtered parents, a tree per parent


def _thread_plan(**step: Any) -> Plan:
    import sqlalchemy as sa

    from seedspec.database.tables import catalog_from_metadata

    md = sa.MetaData()
    sa.Table(
        "posts",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(9)),
        sa.Column("published_at", sa.DateTime),
    )
    sa.Table(
        "comments",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("post_id", sa.ForeignKey("posts.id")),
        sa.Column("reply_to_id", sa.ForeignKey("comments.id")),
        sa.Column("created_at", sa.DateTime),
    )
    doc: Doc = {
        "version": 1,
        "factories": {
            "post": {"table": "posts", "fields": {"status": {"choice": ["draft", "published"]}}},
            "comment": {
                "table": "comments",
                "fields": {
                    "reply_to_id": None,
                    "created_at": {
                        "when": "reply_to_id is none",
                        "then": {"range": ["{{ post.published_at }}", "now"]},
                        "else": {"range": ["{{ comment.created_at }}", "now"]},
                    },
                    "post_id": {"ref": "post"},
                },
            },
        },
        "seed": [
            {"factory": "post", "count": 3},
            {"factory": "comment", "id": "t", "for_each": "post", **step},
        ],
    }
    return compile_spec(doc, catalog_from_metadata(md), "blog.yaml")


def test_a_where_on_the_parents_compiles_as_the_column_types_and_keeps_them_in_the_pool() -> None:
    plan = _thread_plan(where={"status": ["published"]})
    assert step(plan, "t").parent_where == (("status", ("published",)),)
    assert "status" in plan.columns_kept_for("post")


def test_a_tree_per_parent_keeps_each_level_under_its_tree_parents_parent() -> None:
    plan = _thread_plan(where={"status": "published"}, tree={"field": "reply_to_id", "depth": 3})
    roots, level = step(plan, "t"), step(plan, "t/2")
    assert (level.for_each, level.parents, level.parent_where) == ("comment", "t", ())
    assert generator_of(roots, "post_id") == Ref(factory="post", column="id", parent=True)
    # below the roots, the post is the tree parent's, and it comes first: it reads nothing
    assert level.fields[0].column == "post_id"
    assert generator_of(level, "post_id") == Ref(factory="comment", column="post_id", parent=True)
    created = generator_of(level, "created_at")
    then, otherwise = created.then.low_template, created.otherwise.low_template
    assert then.related == (("post", "post_id", "id", ("published_at",)),)  # through post_id
    assert otherwise.related == (("comment", "", "", ("created_at",)),)  # the row one level up
    # the roots read the post as their parent, and have no row one level up
    root_created = generator_of(roots, "created_at")
    assert root_created.then.low_template.related == (("post", "", "", ("published_at",)),)
    assert root_created.otherwise.low_template.related == (("comment", "<tree>", "", ("created_at",)),)
    assert {"post_id", "created_at"} <= set(plan.columns_kept_for("comment"))
