"""Row generation: every generator kind, determinism, stability, frequencies, uniqueness, errors."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from seedspec.catalog import Catalog
from seedspec.compiler.steps import compile_spec, derive_seed
from seedspec.database.tables import catalog_from_metadata
from seedspec.errors import Diagnostic, SeedspecError
from seedspec.generation.generrors import GenerationError
from seedspec.generation.pools import Pool, PoolRow, jump_hash
from seedspec.generation.rowmaker import RowMaker
from seedspec.generation.slots import RunState, row_slots, slot_count
from seedspec.ir import Plan
from seedspec.language.convert import convert

Doc = dict[str, Any]
Rows = dict[str, list[dict[str, Any]]]


def metadata() -> sa.MetaData:
    md = sa.MetaData()
    sa.Table(
        "users",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(100)),
        sa.Column("name", sa.String(100)),
        sa.Column("role", sa.String(20)),
        sa.Column("age", sa.Integer),
        sa.Column("height", sa.Float),
        sa.Column("balance", sa.Numeric(10, 2)),
        sa.Column("born", sa.Date),
        sa.Column("seen", sa.DateTime),
        sa.Column("active", sa.Boolean),
        sa.Column("prefs", sa.String(200)),
        sa.Column("bio", sa.Text),
        sa.Column("manager_id", sa.ForeignKey("users.id")),
    )
    sa.Table("tags", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))
    sa.Table(
        "posts",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.ForeignKey("users.id")),
        sa.Column("title", sa.String(200)),
        sa.Column("slug", sa.String(220)),
        sa.Column("rank", sa.Integer),
    )
    sa.Table(
        "post_tags",
        md,
        sa.Column("post_id", sa.ForeignKey("posts.id"), primary_key=True),
        sa.Column("tag_id", sa.ForeignKey("tags.id"), primary_key=True),
    )
    return md


CATALOG: Catalog = catalog_from_metadata(metadata())


def spec(fields: Doc, count: int = 10, **settings: Any) -> Doc:
    """A one-factory document over ``users``."""
    return {
        "version": 1,
        "settings": {"seed": 7, **settings},
        "factories": {"user": {"table": "users", "fields": fields}},
        "seed": [{"factory": "user", "count": count}],
    }


def blog(users: int = 4, posts: int = 2, tags: int = 5, per_post: int = 3) -> Doc:
    return {
        "version": 1,
        "settings": {"seed": 1},
        "factories": {
            "user": {
                "table": "users",
                "fields": {"email": {"sequence": "user{n}@example.com"}, "name": {"faker": "name"}},
            },
            "tag": {"table": "tags", "fields": {"name": {"sequence": "tag{n}"}}},
            "post": {
                "table": "posts",
                "fields": {
                    "user_id": {"ref": "user"},
                    "title": {"faker": "sentence", "args": {"nb_words": 4}},
                    "slug": "{{ title | slugify }}-{{ n }}",
                },
            },
            "post_tag": {
                "table": "post_tags",
                "fields": {
                    "post_id": {"ref": "post"},
                    "tag_id": {"ref": "tag", "distinct_per": "post_id"},
                },
            },
        },
        "seed": [
            {"factory": "user", "records": {"admin": {"email": "admin@example.com"}}},
            {"factory": "user", "count": users},
            {"factory": "tag", "count": tags},
            {"factory": "post", "for_each": "user", "count": posts},
            {"factory": "post_tag", "for_each": "post", "count": per_post},
        ],
    }


def plan_of(doc: Doc, spec_name: str = "spec.yaml") -> Plan:
    return compile_spec(doc, CATALOG, spec_name)


def simulate(plan: Plan, state: RunState | None = None) -> Rows:
    """Generate every step as apply does, with ids the database would assign (1, 2, ...)."""
    state = state if state is not None else RunState()
    out: Rows = {}
    next_id: dict[str, int] = {}
    for step in plan.steps:
        maker = RowMaker(plan, step, state)
        rows, pool = [], []
        for slot in row_slots(step, state):
            row = maker.make(slot)
            if "id" in dict(step.kinds) and "id" not in row:
                next_id[step.table] = next_id.get(step.table, 0) + 1
                row = {"id": next_id[step.table], **row}
            rows.append(row)
            pool.append(PoolRow(f"{step.id}:{slot.local_id}", row, step.id))
            if slot.record is not None:
                state.named.setdefault(step.factory, {})[slot.record] = row
        state.pools.setdefault(step.factory, Pool()).extend(pool)
        out[step.id] = rows
    return out


def values(doc: Doc, column: str, step_id: str = "user") -> list[Any]:
    return [row[column] for row in simulate(plan_of(doc))[step_id]]


def failure(doc: Doc) -> Diagnostic:
    with pytest.raises(GenerationError) as info:
        simulate(plan_of(doc))
    (d,) = info.value.diagnostics
    return d


# ---------------------------------------------------------------- each generator kind


def test_literals() -> None:
    assert values(spec({"role": "member", "age": 30}, 3), "role") == ["member"] * 3
    assert values(spec({"prefs": {"value": {"theme": "dark"}}}, 1), "prefs") == ['{"theme": "dark"}']
    assert values(spec({"bio": None}, 2), "bio") == [None, None]


def test_templates_see_fields_n_and_fake() -> None:
    doc = spec({"name": "Ann", "email": "{{ name | lower }}.{{ n }}@example.com"}, 3)
    assert values(doc, "email") == ["ann.0@example.com", "ann.1@example.com", "ann.2@example.com"]
    doc = spec({"bio": "{{ fake.word() }}"}, 20)
    words = values(doc, "bio")
    assert all(w.isalpha() for w in words)
    assert len(set(words)) > 5


def test_templates_see_named_records() -> None:
    doc = blog()
    doc["factories"]["tag"]["fields"]["name"] = "{{ user.admin.email }}#{{ n }}"
    doc["seed"] = [*doc["seed"][:2], {"factory": "tag", "count": 2}]
    tags = simulate(plan_of(doc))["tag"]
    assert [t["name"] for t in tags] == ["admin@example.com#0", "admin@example.com#1"]


def test_faker_calls_with_args_and_locale() -> None:
    emails = values(spec({"email": {"faker": "email"}}, 20), "email")
    assert all("@" in e for e in emails)
    assert len(set(emails)) > 15
    ages = values(spec({"age": {"faker": "random_int", "args": {"min": 18, "max": 21}}}, 50), "age")
    assert set(ages) <= {18, 19, 20, 21}
    assert len(set(ages)) > 1
    positional = values(spec({"age": {"faker": "random_int", "args": [5, 5]}}, 3), "age")
    assert positional == [5, 5, 5]


def test_faker_locale_changes_the_data() -> None:
    us = values(spec({"name": {"faker": "name"}}, 5), "name")
    jp = values(spec({"name": {"faker": "name", "locale": "ja_JP"}}, 5), "name")
    assert us != jp
    assert all(any(ord(ch) > 0x3000 for ch in name) for name in jp)


def test_faker_relative_date_args_follow_settings_now() -> None:
    doc = spec({"seen": {"faker": "date_time_between", "args": {"start_date": "-30d"}}}, 30, now="2020-05-01")
    seen = values(doc, "seen")
    assert all(dt.datetime(2020, 4, 1) <= s <= dt.datetime(2020, 5, 1) for s in seen)


def test_sequences() -> None:
    assert values(spec({"email": {"sequence": "user{n:03d}@x.org"}}, 3), "email") == [
        "user000@x.org",
        "user001@x.org",
        "user002@x.org",
    ]
    assert values(spec({"age": {"sequence": 100, "step": 10}}, 3), "age") == [100, 110, 120]


def test_sequences_continue_across_steps_of_a_factory() -> None:
    doc = spec({"email": {"sequence": "u{n}"}}, 2)
    doc["seed"].append({"factory": "user", "count": 2, "id": "more"})
    rows = simulate(plan_of(doc))
    assert [r["email"] for r in rows["user"] + rows["more"]] == ["u0", "u1", "u2", "u3"]


def test_choices() -> None:
    picked = values(spec({"role": {"choice": ["a", "b", "c"]}}, 60), "role")
    assert set(picked) == {"a", "b", "c"}
    assert values(spec({"role": {"choice": {"only": 1, "never": 0}}}, 20), "role") == ["only"] * 20


def test_weighted_choice_frequencies() -> None:
    picked = Counter(values(spec({"role": {"choice": {"member": 9, "admin": 1}}}, 3000), "role"))
    assert picked.keys() == {"member", "admin"}
    assert 0.07 < picked["admin"] / 3000 < 0.13


def test_unweighted_choice_is_uniform() -> None:
    picked = Counter(values(spec({"role": {"choice": ["a", "b", "c", "d"]}}, 4000), "role"))
    assert all(850 < picked[v] < 1150 for v in "abcd")


@pytest.mark.parametrize(
    ("raw", "check"),
    [
        ({"range": [18, 20]}, lambda v: isinstance(v, int) and 18 <= v <= 20),
        ({"range": [0, 100], "step": 25}, lambda v: v in (0, 25, 50, 75, 100)),
    ],
)
def test_integer_ranges(raw: Doc, check: Any) -> None:
    got = values(spec({"age": raw}, 60), "age")
    assert all(check(v) for v in got)
    assert len(set(got)) > 2


def test_float_and_decimal_ranges() -> None:
    heights = values(spec({"height": {"range": [1.5, 2.0]}}, 30), "height")
    assert all(isinstance(h, float) and 1.5 <= h <= 2.0 for h in heights)
    balances = values(spec({"balance": {"range": [0.0, 10.0], "decimals": 2}}, 30), "balance")
    assert all(isinstance(b, decimal.Decimal) and b == round(b, 2) and 0 <= b <= 10 for b in balances)


def test_date_and_datetime_ranges() -> None:
    born = values(spec({"born": {"range": ["2000-01-01", "2000-01-10"]}}, 40), "born")
    assert all(dt.date(2000, 1, 1) <= b <= dt.date(2000, 1, 10) for b in born)
    assert len(set(born)) > 5
    seen = values(spec({"seen": {"range": ["-1d", "now"]}}, 40, now="2024-03-01T12:00:00"), "seen")
    assert all(dt.datetime(2024, 2, 29, 12) <= s <= dt.datetime(2024, 3, 1, 12) for s in seen)


def test_distributions() -> None:
    ages = values(
        spec({"age": {"distribution": "normal", "mean": 40, "stddev": 5, "decimals": 0}}, 2000), "age"
    )
    mean = sum(ages) / len(ages)
    assert 39 < mean < 41
    assert all(isinstance(a, int) for a in ages)
    clamped = values(
        spec({"height": {"distribution": "lognormal", "mu": 0, "sigma": 2, "min": 0.5, "max": 3}}, 500),
        "height",
    )
    assert min(clamped) == 0.5
    assert max(clamped) == 3
    ranks = Counter(values(spec({"age": {"distribution": "zipf", "a": 2, "n": 10}}, 3000), "age"))
    assert set(ranks) <= set(range(1, 11))
    assert ranks[1] > ranks[2] > ranks[4]


def test_python_generators(tmp_path: Path) -> None:
    (tmp_path / "seedgens.py").write_text(
        textwrap.dedent(
            """
            def label(row, n, random, fake, prefix):
                return f"{prefix}-{n}-{row['name']}-{random.randint(0, 0)}"
            """
        )
    )
    doc = spec({"name": "ann", "bio": {"python": "seedgens:label", "args": {"prefix": "x"}}}, 2)
    rows = simulate(plan_of(doc, str(tmp_path / "spec.yaml")))["user"]
    assert [r["bio"] for r in rows] == ["x-0-ann-0", "x-1-ann-0"]


def test_python_generator_that_cannot_be_imported_is_e506(tmp_path: Path) -> None:
    doc = spec({"bio": {"python": "no_such_module_here:fn"}}, 1)
    with pytest.raises(GenerationError) as info:
        simulate(plan_of(doc, str(tmp_path / "spec.yaml")))
    (d,) = info.value.diagnostics
    assert (d.code, d.pointer) == ("E506", "/factories/user/fields/bio")


# ---------------------------------------------------------------- refs


def test_refs_pick_from_the_pool_and_for_each_takes_the_parent() -> None:
    rows = simulate(plan_of(blog()))
    users = rows["user:records"] + rows["user"]
    posts = rows["post<user"]
    assert len(posts) == 2 * len(users)
    assert [p["user_id"] for p in posts] == [u["id"] for u in users for _ in range(2)]


def test_ref_without_for_each_picks_at_random_from_the_pool() -> None:
    doc = blog()
    doc["seed"][3] = {"factory": "post", "count": 200}
    posts = simulate(plan_of(doc))["post"]
    counts = Counter(p["user_id"] for p in posts)
    assert set(counts) == {1, 2, 3, 4, 5}


def test_round_robin_ref_cycles_through_the_pool() -> None:
    doc = blog()
    doc["factories"]["post"]["fields"]["user_id"] = {"ref": "user", "pick": "round_robin"}
    doc["seed"][3] = {"factory": "post", "count": 7}
    assert [p["user_id"] for p in simulate(plan_of(doc))["post"]] == [1, 2, 3, 4, 5, 1, 2]


def test_ref_to_a_named_record() -> None:
    doc = blog()
    doc["factories"]["post"]["fields"]["user_id"] = {"ref": "user.admin"}
    doc["seed"][3] = {"factory": "post", "count": 3}
    assert [p["user_id"] for p in simulate(plan_of(doc))["post"]] == [1, 1, 1]


def test_ref_to_an_empty_pool_is_e501() -> None:
    doc = blog()
    doc["seed"] = [{"factory": "post", "count": 1}]
    d = failure(doc)
    assert (d.code, d.pointer) == ("E501", "/factories/post/fields/user_id")
    assert d.message == "step 'post', row 0: ref to 'user' but its pool is empty"


def test_distinct_per_never_repeats_a_pair() -> None:
    rows = simulate(plan_of(blog(users=6, tags=4, per_post=4)))
    pairs = [(r["post_id"], r["tag_id"]) for r in rows["post_tag<post"]]
    assert len(pairs) == 14 * 4
    assert len(set(pairs)) == len(pairs)
    for post_id in {p for p, _ in pairs}:
        assert sorted(t for p, t in pairs if p == post_id) == [1, 2, 3, 4]


def test_distinct_per_with_too_few_targets_is_e502() -> None:
    d = failure(blog(users=1, tags=2, per_post=3))
    assert (d.code, d.pointer) == ("E502", "/factories/post_tag/fields/tag_id")
    assert "all 2 'tag' rows are already used" in d.message
    assert d.message.startswith("step 'post_tag<post', row 2: ")


# ---------------------------------------------------------------- null_rate and unique


def test_null_rate_frequency_is_within_tolerance() -> None:
    got = values(spec({"bio": {"faker": "word", "null_rate": 0.3}}, 3000), "bio")
    assert 0.26 < got.count(None) / 3000 < 0.34


def test_null_rate_extremes() -> None:
    assert None not in values(spec({"bio": {"faker": "word", "null_rate": 0}}, 200), "bio")
    assert values(spec({"bio": {"faker": "word", "null_rate": 1}}, 50), "bio") == [None] * 50


def test_unique_retries_until_the_value_is_new() -> None:
    raw = {"faker": "random_int", "args": {"min": 1, "max": 30}}
    plain = values(spec({"age": raw}, 20), "age")
    assert len(set(plain)) < 20  # without unique, 20 draws from 30 values collide
    unique = values(spec({"age": {**raw, "unique": True}}, 20), "age")
    assert len(set(unique)) == 20
    assert set(unique) <= set(range(1, 31))


def test_unique_values_stay_unique_across_steps_of_the_table() -> None:
    doc = spec({"age": {"faker": "random_int", "args": {"min": 1, "max": 40}, "unique": True}}, 10)
    doc["seed"].append({"factory": "user", "count": 10, "id": "more"})
    rows = simulate(plan_of(doc))
    ages = [r["age"] for r in rows["user"] + rows["more"]]
    assert len(set(ages)) == 20


def test_no_unique_value_left_is_e503() -> None:
    d = failure(spec({"role": {"choice": ["a", "b"], "unique": True}}, 3))
    assert (d.code, d.pointer) == ("E503", "/factories/user/fields/role")
    assert d.message == "step 'user', row 2: no unique value for 'role' after 100 tries"


def _retried(fields: Doc, key: list[str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """A row, and the same row after its unique 'name' moved on from a value another stored row holds."""
    doc = spec(fields, 1)
    if key is not None:
        doc["factories"]["user"]["key"] = key
    plan = plan_of(doc)
    maker = RowMaker(plan, plan.steps[0], RunState())
    slot = next(row_slots(plan.steps[0], maker.state))
    row = maker.make(slot)
    before = dict(row)
    maker.retry_unique("name", slot, row, lambda value: value == before["name"])
    return before, row


def test_a_unique_value_that_moves_on_takes_the_fields_made_from_it_along() -> None:
    before, after = _retried(
        {
            "name": {"choice": ["ann", "bob", "cy"], "unique": True},
            "email": "{{ name }}@example.com",
            "prefs": "{{ email | upper }}",  # reads it through email
            "role": "r{{ n }}",  # reads nothing of it
        },
        key=["role"],
    )
    assert after["name"] != before["name"]
    assert after["email"] == f"{after['name']}@example.com"
    assert after["prefs"] == after["email"].upper()
    assert after["role"] == before["role"]


def test_a_key_made_from_a_unique_value_that_must_move_on_is_e503() -> None:
    fields = {"name": {"choice": ["ann", "bob", "cy"], "unique": True}, "email": "{{ name }}@example.com"}
    with pytest.raises(GenerationError) as info:
        _retried(fields, key=["email"])
    (d,) = info.value.diagnostics
    assert (d.code, d.pointer) == ("E503", "/factories/user/fields/name")
    assert "key column 'email' is made from it" in d.message


# ---------------------------------------------------------------- conversion to the column's type


@pytest.mark.parametrize(
    ("column", "template", "expected"),
    [
        ("age", "{{ 40 + 2 }}", 42),
        ("age", " 7 ", 7),
        ("height", "{{ 3 / 2 }}", 1.5),
        ("balance", "12.50", decimal.Decimal("12.50")),
        ("born", "2024-02-{{ '%02d' % 29 }}", dt.date(2024, 2, 29)),
        ("seen", "2024-02-29T10:11:12.345", dt.datetime(2024, 2, 29, 10, 11, 12)),
        ("active", "{{ n == 0 }}", True),
        ("active", "no", False),
        ("active", " YES ", True),
        ("name", "{{ 5 }}", "5"),
    ],
)
def test_template_output_is_converted_to_the_column_type(column: str, template: str, expected: Any) -> None:
    (value,) = values(spec({column: {"template": template}}, 1), column)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("column", "template", "kind"),
    [
        ("age", "forty", "int"),
        ("age", "{{ 2.5 }}", "int"),
        ("born", "someday", "date"),
        ("active", "maybe", "bool"),
    ],
)
def test_unconvertible_values_are_e504(column: str, template: str, kind: str) -> None:
    d = failure(spec({column: {"template": template}}, 1))
    assert (d.code, d.pointer) == ("E504", f"/factories/user/fields/{column}")
    assert f"as {kind} for column '{column}'" in d.message


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (None, "int", None),
        (3.0, "int", 3),
        (True, "int", 1),
        ("2", "float", 2.0),
        (1.1, "decimal", decimal.Decimal("1.1")),
        (dt.datetime(2024, 1, 2, 3, 4), "date", dt.date(2024, 1, 2)),
        (dt.date(2024, 1, 2), "datetime", dt.datetime(2024, 1, 2)),
        (dt.datetime(2024, 1, 2, 3, 4, 5, 678), "datetime", dt.datetime(2024, 1, 2, 3, 4, 5)),
        ("10:30", "time", dt.time(10, 30)),
        ({"b": 1, "a": [2]}, "str", '{"a": [2], "b": 1}'),
        (12, "str", "12"),
        ("abc", "bytes", b"abc"),
        (1, "bool", True),
        ("off", "bool", False),
        ({"a": 1}, "json", {"a": 1}),
        ("anything", "other", "anything"),
    ],
)
def test_convert(value: Any, kind: str, expected: Any) -> None:
    assert convert(value, kind) == expected
    assert type(convert(value, kind)) is type(expected)


# ---------------------------------------------------------------- determinism and stability


def test_same_seed_gives_the_same_rows() -> None:
    assert simulate(plan_of(blog())) == simulate(plan_of(blog()))


def test_another_seed_gives_other_rows() -> None:
    other = blog()
    other["settings"]["seed"] = 2
    assert simulate(plan_of(other))["post<user"] != simulate(plan_of(blog()))["post<user"]


def test_same_rows_in_another_process_with_another_hash_seed(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_rowmaker import blog, plan_of, simulate
        print(json.dumps(simulate(plan_of(blog())), default=str, sort_keys=True))
        """
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    here = json.dumps(simulate(plan_of(blog())), default=str, sort_keys=True)
    assert json.loads(result.stdout) == json.loads(here)


def test_the_simulation_here_matches_what_apply_writes() -> None:
    from seedspec.database.writer import apply_plan

    md = metadata()
    engine = sa.create_engine("sqlite://")
    plan = plan_of(blog())
    with engine.begin() as conn:
        md.create_all(conn)
        apply_plan(plan, conn, md)
        stored = {
            name: [
                dict(r)
                for r in conn.execute(
                    sa.select(md.tables[name]).order_by(*md.tables[name].primary_key)
                ).mappings()
            ]
            for name in ("users", "posts", "post_tags")
        }
    rows = simulate(plan)
    users = rows["user:records"] + rows["user"]
    assert [(u["id"], u["email"], u["name"]) for u in users] == [
        (u["id"], u["email"], u["name"]) for u in stored["users"]
    ]
    assert [(p["user_id"], p["slug"]) for p in rows["post<user"]] == [
        (p["user_id"], p["slug"]) for p in stored["posts"]
    ]
    assert sorted((r["post_id"], r["tag_id"]) for r in rows["post_tag<post"]) == [
        (r["post_id"], r["tag_id"]) for r in stored["post_tags"]
    ]


def test_adding_a_field_does_not_change_the_other_fields() -> None:
    fields: Doc = {"name": {"faker": "name"}, "age": {"range": [1, 99]}, "role": {"choice": ["a", "b", "c"]}}
    before = simulate(plan_of(spec(fields, 20)))["user"]
    after = simulate(plan_of(spec({"email": {"faker": "email"}, **fields, "bio": {"faker": "text"}}, 20)))[
        "user"
    ]
    for old, new in zip(before, after, strict=True):
        assert {k: new[k] for k in old} == old


def test_raising_a_count_keeps_the_rows_already_generated() -> None:
    fields: Doc = {
        "name": {"faker": "name"},
        "age": {"range": [1, 99]},
        "bio": {"faker": "word", "null_rate": 0.5},
    }
    before = simulate(plan_of(spec(fields, 10)))["user"]
    after = simulate(plan_of(spec(fields, 25)))["user"]
    assert after[:10] == before


def test_adding_a_step_of_another_factory_keeps_the_other_steps() -> None:
    before = simulate(plan_of(blog()))
    doc = blog()
    doc["factories"]["extra"] = {"table": "tags", "fields": {"name": {"faker": "word"}}}
    doc["seed"].insert(1, {"factory": "extra", "count": 3})
    after = simulate(plan_of(doc))
    for step_id in ("user:records", "user", "post<user"):
        assert after[step_id] == before[step_id]
    assert [t["name"] for t in after["tag"]] == [t["name"] for t in before["tag"]]  # ids differ


def test_more_parents_keep_the_children_of_existing_parents() -> None:
    before = simulate(plan_of(blog(users=3)))["post<user"]
    after = simulate(plan_of(blog(users=5)))["post<user"]
    assert [p["title"] for p in after[: len(before)]] == [p["title"] for p in before]


def test_a_step_with_its_own_sequence_keeps_its_numbers_when_an_earlier_step_grows() -> None:
    def doc(first: int) -> Doc:
        d = spec({"email": {"sequence": "user{n}@example.com"}}, first)
        own = {"email": {"sequence": "staff{n}@x.org"}}
        d["seed"].append({"factory": "user", "id": "staff", "count": 2, "values": own})
        return d

    before = simulate(plan_of(doc(3)))
    after = simulate(plan_of(doc(5)))
    assert [r["email"] for r in after["staff"]] == [r["email"] for r in before["staff"]]
    assert [r["email"] for r in after["staff"]] == ["staff0@x.org", "staff1@x.org"]
    assert [r["email"] for r in after["user"]][:3] == [r["email"] for r in before["user"]]


def test_a_state_with_its_own_sequence_counts_its_own_rows() -> None:
    doc = spec({"email": {"sequence": "user{n}"}}, 2)
    doc["factories"]["user"]["states"] = {"vip": {"email": {"sequence": "vip{n}"}}}
    doc["seed"].append({"factory": "user", "count": 2, "states": ["vip"]})
    doc["seed"].append({"factory": "user", "id": "more", "count": 1})
    rows = simulate(plan_of(doc))
    assert [r["email"] for r in rows["user"] + rows["user[vip]"] + rows["more"]] == [
        "user0",
        "user1",
        "vip0",
        "vip1",
        "user2",
    ]


def test_growing_a_pool_moves_few_random_refs_and_only_to_the_new_rows() -> None:
    def doc(users: int) -> Doc:
        d = blog(users=users)
        d["seed"][3] = {"factory": "post", "count": 400}
        return d

    before = [p["user_id"] for p in simulate(plan_of(doc(10)))["post"]]
    after = [p["user_id"] for p in simulate(plan_of(doc(15)))["post"]]
    moved = [(b, a) for b, a in zip(before, after, strict=True) if a != b]
    assert all(a > 11 for _, a in moved)  # users 1..11 existed before (the admin and 10)
    assert 0.15 < len(moved) / len(before) < 0.45  # jump hash: (16 - 11) / 16 = 31 % expected


@pytest.mark.parametrize("buckets", [1, 2, 7, 100, 1000])
def test_jump_hash_is_uniform_and_in_range(buckets: int) -> None:
    picks = Counter(jump_hash(derive_seed("k", i), buckets) for i in range(20 * buckets))
    assert set(picks) == set(range(buckets))
    assert max(picks.values()) < 3 * 20


def test_raising_a_parent_count_keeps_the_children_of_later_parents() -> None:
    def doc(users: int) -> Doc:
        d = blog(users=users)
        d["factories"]["user"]["states"] = {"vip": {"name": "VIP"}}
        d["seed"].insert(2, {"factory": "user", "count": 1, "states": ["vip"]})
        return d

    before = simulate(plan_of(doc(2)))["post<user"][-2:]
    after = simulate(plan_of(doc(3)))["post<user"][-2:]
    assert [p["slug"] for p in after] == [p["slug"] for p in before]


def test_count_ranges_draw_per_parent_within_bounds_and_repeatably() -> None:
    doc = blog(users=20)
    doc["seed"][3]["count"] = {"min": 1, "max": 3}
    plan = plan_of(doc)
    state = RunState()
    rows = simulate(plan, state)
    per_user = Counter(p["user_id"] for p in rows["post<user"])
    assert set(per_user.values()) == {1, 2, 3}
    assert len(per_user) == 21
    post_step = next(s for s in plan.steps if s.id == "post<user")
    assert slot_count(post_step, state) == len(rows["post<user"])
    assert simulate(plan_of(doc))["post<user"] == rows["post<user"]


# ---------------------------------------------------------------- runtime errors of user input


def test_a_template_failing_at_render_time_is_a_located_error() -> None:
    with pytest.raises(SeedspecError):
        simulate(plan_of(spec({"bio": "{{ 1 // 0 }}"}, 1)))


def test_a_sandbox_violation_is_a_located_error() -> None:
    with pytest.raises(SeedspecError):
        simulate(plan_of(spec({"bio": "{{ ''.__class__ }}"}, 1)))


def test_a_faker_call_failing_is_a_located_error() -> None:
    with pytest.raises(SeedspecError):
        simulate(plan_of(spec({"age": {"faker": "random_int", "args": {"min": 10, "max": 1}}}, 1)))


# ---------------------------------------------------------------- ref filters, trees, FK templates


def users_and_posts(where: Any, roles: Any = None) -> Doc:
    doc = blog(users=30, posts=1)
    doc["factories"]["user"]["fields"]["role"] = roles or {"choice": {"member": 3, "admin": 1, "owner": 1}}
    doc["factories"]["post"]["fields"]["user_id"] = {"ref": "user", "where": where}
    doc["seed"] = [*doc["seed"][:2], {"factory": "post", "count": 40}]
    return doc


def test_a_filtered_ref_picks_only_matching_rows_reproducibly() -> None:
    for where, allowed in (
        ({"role": "admin"}, {"admin"}),
        ({"role": ["admin", "owner"]}, {"admin", "owner"}),
    ):
        rows = simulate(plan_of(users_and_posts(where)))
        role = {u["id"]: u["role"] for u in rows["user:records"] + rows["user"]}
        picked = [p["user_id"] for p in rows["post"]]
        assert {role[i] for i in picked} == allowed
        assert len(set(picked)) > 2
        again = simulate(plan_of(users_and_posts(where)))
        assert [p["user_id"] for p in again["post"]] == picked


def test_a_filtered_ref_with_no_matching_row_is_e512_at_the_filter() -> None:
    d = failure(users_and_posts({"role": "admin"}, roles="{{ 'mem' ~ 'ber' }}"))
    assert d.code == "E512"
    assert d.pointer == "/factories/post/fields/user_id/where"
    assert "none of its 31 rows matches" in d.message


def test_a_filtered_ref_to_the_for_each_factory_picks_instead_of_the_parent() -> None:
    doc = users_and_posts({"role": "admin"})
    doc["seed"][2] = {"factory": "post", "for_each": "user", "count": 1}
    rows = simulate(plan_of(doc))
    role = {u["id"]: u["role"] for u in rows["user:records"] + rows["user"]}
    assert {role[p["user_id"]] for p in rows["post<user"]} == {"admin"}


def test_a_template_reads_the_fk_column_a_ref_fills() -> None:
    doc = blog(users=3, posts=2)
    doc["factories"]["post"]["fields"]["slug"] = "u{{ user_id }}-{{ n }}"
    posts = simulate(plan_of(doc))["post<user"]
    assert [p["slug"] for p in posts] == [f"u{p['user_id']}-{p['slug'][-1]}" for p in posts]
    assert posts[0]["slug"] == "u1-0"
    assert posts[-1]["slug"] == "u4-1"


def tree_doc(depth: int, children: Any, roots: int = 2) -> Doc:
    doc = spec({"email": {"sequence": "e{n}"}, "manager_id": None}, roots)
    doc["seed"][0]["tree"] = {"field": "manager_id", "depth": depth, "children": children}
    return doc


def test_a_tree_step_builds_levels_of_children_under_the_level_above() -> None:
    rows = simulate(plan_of(tree_doc(4, {"min": 0, "max": 3})))
    assert list(rows) == ["user", "user/2", "user/3", "user/4"]
    parent = {r["id"]: r["manager_id"] for level in rows.values() for r in level}
    assert [r["manager_id"] for r in rows["user"]] == [None, None]
    for upper, lower in zip(list(rows.values()), list(rows.values())[1:], strict=False):
        ids = {r["id"] for r in upper}
        assert {r["manager_id"] for r in lower} <= ids  # every child hangs under the level above
        fan_out = Counter(r["manager_id"] for r in lower)
        assert max(fan_out.values(), default=0) <= 3
    assert all(child > parent[child] for child in parent if parent[child] is not None)
    assert len({r["email"] for level in rows.values() for r in level}) == len(parent)


def test_a_tree_level_count_is_exact_with_a_fixed_fan_out() -> None:
    rows = simulate(plan_of(tree_doc(3, 2, roots=3)))
    assert [len(level) for level in rows.values()] == [3, 6, 12]
