"""Which related row a factory name means in a row: the parent, or the row one ref picked."""

from __future__ import annotations

from seedspec.spec.relations import PARENT, Links, is_follower, is_leader, row_links


def test_a_ref_without_column_picks_a_row_the_row_can_read() -> None:
    links = row_links({"customer_id": {"ref": "customer"}, "note": "x"}, None)
    assert links.via == {"customer": "customer_id"}
    assert links.ambiguous == {}


def test_the_for_each_parent_is_read_by_its_factory_name() -> None:
    links = row_links({"order_id": {"ref": "order"}}, "order")
    assert links.via == {"order": PARENT}


def test_two_fields_picking_one_factory_are_ambiguous() -> None:
    links = row_links({"a": {"ref": "user"}, "b": {"ref": "user"}, "c": {"ref": "tag"}}, None)
    assert links.via == {"tag": "c"}
    assert links.ambiguous == {"user": ("a", "b")}


def test_under_for_each_the_parent_wins_over_two_picks() -> None:
    links = row_links({"a": {"ref": "user"}, "b": {"ref": "user"}}, "user")
    assert links.via == {"user": PARENT}
    assert links.ambiguous == {}


def test_a_named_record_or_a_column_does_not_pick() -> None:
    assert not is_leader({"ref": "user.admin"})
    assert not is_leader({"ref": "user", "column": "email"})
    assert not is_leader("{{ n }}")
    assert is_leader({"ref": "user", "where": {"role": "admin"}})


def test_a_ref_with_column_follows_unless_it_filters_or_picks_its_own_way() -> None:
    links = Links(via={"product": "product_id"})
    assert is_follower({"ref": "product", "column": "price"}, links)
    assert not is_follower({"ref": "product", "column": "price", "where": {"x": 1}}, links)
    assert not is_follower({"ref": "product", "column": "price", "distinct_per": "o"}, links)
    assert not is_follower({"ref": "product", "column": "price", "pick": "round_robin"}, links)
    assert not is_follower({"ref": "product", "column": "price", "pick": "zipf"}, links)
    assert not is_follower({"ref": "product", "column": "price", "max_picks": 2}, links)
    assert not is_follower({"ref": "tag", "column": "name"}, links)
    assert not is_follower({"ref": "product"}, links)
