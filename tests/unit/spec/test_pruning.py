"""Pruning the schema-invalid parts of a document so the semantic checks see the rest."""

from __future__ import annotations

import copy
from typing import Any

from seedspec.spec.pruning import prune

DOC: dict[str, Any] = {
    "version": 1,
    "settings": {"seed": "x"},
    "factories": {
        "user": {"table": "users", "fields": {"name": {"faker": 1}, "email": "a@b"}, "key": 3},
        "post": {"table": "posts"},
    },
    "seed": [{"factory": "user"}, {"factory": "post", "count": -1}],
}


def test_a_valid_document_is_returned_as_it_is() -> None:
    assert prune(DOC, []) is DOC


def test_a_bad_field_goes_and_its_siblings_stay() -> None:
    pruned = prune(DOC, [["factories", "user", "fields", "name", "faker"]])
    assert pruned is not None
    assert pruned["factories"]["user"]["fields"] == {"email": "a@b"}
    assert DOC["factories"]["user"]["fields"]["name"] == {"faker": 1}  # the original is untouched


def test_a_bad_factory_key_goes_and_the_factory_keeps_what_checks_need() -> None:
    document = copy.deepcopy(DOC)
    del document["factories"]["post"]["table"]
    pruned = prune(document, [["factories", "user", "key"], ["factories", "post"]])
    assert pruned is not None
    assert "key" not in pruned["factories"]["user"]
    assert pruned["factories"]["post"] == {"fields": {}, "table": ""}


def test_a_bad_step_becomes_none_so_the_indices_stay() -> None:
    pruned = prune(DOC, [["seed", 1, "count"]])
    assert pruned is not None
    assert pruned["seed"] == [{"factory": "user"}, None]


def test_a_bad_settings_section_is_dropped_whole() -> None:
    pruned = prune(DOC, [["settings", "seed"]])
    assert pruned is not None
    assert "settings" not in pruned
    assert pruned["factories"] == DOC["factories"]


def test_damage_at_the_root_leaves_nothing_to_check() -> None:
    assert prune(DOC, [[]]) is None
    assert prune(DOC, [["version"]]) is None
    assert prune(DOC, [["seed", 7]]) is None  # no such step
    assert prune(DOC, [["factories"]]) is None
