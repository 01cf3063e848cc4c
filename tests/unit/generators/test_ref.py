"""``ref``: the target column from the foreign key or the primary key; where values typed."""

from __future__ import annotations

from typing import Any

from seedspec.generators import ref
from seedspec.ir import Ref


def test_the_column_comes_from_the_foreign_key(ctx: Any, site: Any) -> None:
    gen = ref.compile({"ref": "user"}, site("author", "posts"), ctx)
    assert gen == Ref(factory="user", column="id")


def test_a_for_each_ref_to_its_parent_is_the_parent(ctx: Any, site: Any) -> None:
    assert ref.compile({"ref": "user"}, site("author", "posts", "user"), ctx).parent
    assert not ref.compile({"ref": "user.admin"}, site("author", "posts", "user"), ctx).parent


def test_where_values_take_the_column_type(ctx: Any, site: Any) -> None:
    gen = ref.compile(
        {"ref": "user", "where": {"role": "admin", "id": ["1", 2]}}, site("author", "posts"), ctx
    )
    assert gen.where == (("id", (1, 2)), ("role", ("admin",)))
    assert not gen.parent


def test_draw_asks_the_run_for_the_pick(maker: Any, cell: Any) -> None:
    maker.picked = 7
    gen = Ref(factory="user", column="id")
    assert ref.draw(gen, maker, cell(gen), 3, 0) == (7, 3)


def test_describe() -> None:
    gen = Ref(factory="user", column="id", record="admin", distinct_per="post", where=(("role", ("a",)),))
    assert ref.describe(gen) == "ref user.admin.id (random, where role in ['a'], distinct per post)"
    assert ref.describe(Ref(factory="user", column="id", parent=True)) == "ref user.id (parent)"


def test_check_reports_unknown_factories_records_and_distinct_fields(scope: Any) -> None:
    assert list(ref.check({"ref": "user.admin", "distinct_per": "title"}, "/f", scope)) == []
    [factory] = ref.check({"ref": "usr"}, "/f", scope)
    assert (factory.code, factory.pointer) == ("E300", "/f/ref")
    assert factory.hint == "not usr; one of ['post', 'user']"
    [record] = ref.check({"ref": "user.root"}, "/f", scope)
    assert record.code == "E302"
    [per] = ref.check({"ref": "user", "distinct_per": "body"}, "/f", scope)
    assert (per.code, per.pointer) == ("E313", "/f/distinct_per")


def test_a_where_value_written_as_a_template_is_rendered_per_row(
    ctx: Any, site: Any, maker: Any, cell: Any
) -> None:
    from seedspec.generators import ref as ref_kind

    gen = ref_kind.compile(
        {"ref": "user", "where": {"role": "{{ kind }}", "id": 3}}, site("author", "posts"), ctx
    )
    assert gen.where == (("id", (3,)),)
    assert [(c, t.source) for c, t in gen.where_row] == [("role", "{{ kind }}")]
    assert not gen.parent
    assert ref_kind.draw(gen, maker, cell(gen, row={"kind": "admin"}), 7, 0) == (
        None,
        7,
        (("role", "admin"),),
    )


def test_pick_zipf_takes_its_exponent_and_a_without_zipf_is_e373(ctx: Any, site: Any, scope: Any) -> None:
    gen = ref.compile({"ref": "user", "pick": "zipf", "a": 1.5}, site(), ctx)
    assert (gen.pick, gen.skew) == ("zipf", 1.5)
    assert ref.compile({"ref": "user", "pick": "zipf"}, site(), ctx).skew == 1.0
    assert ref.compile({"ref": "user"}, site(), ctx).skew is None
    assert "zipf a=1.5" in ref.describe(gen)
    [d] = ref.check({"ref": "user", "a": 2}, "/f", scope)
    assert (d.code, d.pointer) == ("E393", "/f/a")
    assert list(ref.check({"ref": "user", "pick": "zipf", "a": 2}, "/f", scope)) == []


def test_max_picks_is_compiled_and_refused_on_a_named_record_or_with_distinct_per(
    ctx: Any, site: Any, scope: Any
) -> None:
    assert ref.compile({"ref": "user", "max_picks": 3}, site(), ctx).max_picks == 3
    [record] = ref.check({"ref": "user.admin", "max_picks": 3}, "/f", scope)
    assert (record.code, record.pointer) == ("E395", "/f/max_picks")
    codes = [d.code for d in ref.check({"ref": "user", "max_picks": 3, "distinct_per": "title"}, "/f", scope)]
    assert codes == ["E395"]
