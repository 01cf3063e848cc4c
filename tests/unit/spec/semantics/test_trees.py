"""Validation of tree steps: the field, for_each, children, and the rows a tree can make."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from seedspec.database.tables import catalog_from_metadata
from seedspec.source import SourceMap
from seedspec.spec.semantics import most_rows
from seedspec.spec.validation import validate_document


def doc(tree: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "factories": {"node": {"table": "nodes", "fields": {"name": {"sequence": "n{n}"}, **fields}}},
        "seed": [{"factory": "node", "count": 2, "tree": tree}],
    }


def codes(document: dict[str, Any], catalog: Any = None) -> list[tuple[str, str]]:
    return [(d.code, d.pointer) for d in validate_document(document, SourceMap({}), catalog)]


def test_a_tree_over_a_field_of_the_factory_is_valid() -> None:
    assert codes(doc({"field": "parent_id", "depth": 3}, parent_id=None)) == []
    assert codes(doc({"field": "parent", "depth": 3}, parent_id=None)) == [("E337", "/seed/0/tree/field")]


def test_with_tables_known_the_tree_field_is_a_column() -> None:
    md = sa.MetaData()
    sa.Table(
        "nodes",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text),
        sa.Column("parent_id", sa.ForeignKey("nodes.id")),
    )
    catalog = catalog_from_metadata(md)
    assert codes(doc({"field": "parent_id", "depth": 2}), catalog) == []  # no field: the roots get NULL
    assert codes(doc({"field": "name_id", "depth": 2}), catalog) == [("E337", "/seed/0/tree/field")]


def test_children_min_is_at_most_max_and_a_tree_may_run_for_each() -> None:
    document = doc({"field": "parent_id", "depth": 2, "children": {"min": 3, "max": 1}}, parent_id=None)
    assert codes(document) == [("E319", "/seed/0/tree/children")]
    document["seed"][0].update(for_each="node", tree={"field": "parent_id", "depth": 2})
    assert codes(document) == [("E316", "/seed/0/for_each")]  # its own factory, not E338: a tree per parent


def test_the_rows_a_tree_can_make_count_every_level() -> None:
    document = doc({"field": "parent_id", "depth": 3, "children": {"min": 0, "max": 4}}, parent_id=None)
    assert most_rows(document["factories"], document["seed"]) == {"node": 2 + 8 + 32}
    document["factories"]["node"]["fields"]["kind"] = {"choice": list(range(40)), "unique": True}
    assert codes(document) == [("E322", "/factories/node/fields/kind")]


def test_a_tree_past_the_row_limit_is_e209_at_its_children() -> None:
    huge = doc({"field": "boss_id", "depth": 20, "children": 1.5e308}, boss_id=None)
    assert codes(huge) == [("E209", "/seed/0/tree/children")]
    wide = doc({"field": "boss_id", "depth": 20, "children": {"min": 1, "max": 4}}, boss_id=None)
    assert codes(wide) == [("E209", "/seed/0/tree/children")]
    assert codes(doc({"field": "boss_id", "depth": 10, "children": 4}, boss_id=None)) == []
