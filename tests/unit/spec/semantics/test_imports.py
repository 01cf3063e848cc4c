"""Code a spec names, imported from its folder: Faker providers (E339), python generators (E340)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seedspec.spec.semantics.imports import check_custom_generators, faker_providers

MODULE = """\
from faker.providers import BaseProvider


class ShipProvider(BaseProvider):
    def ship(self) -> str:
        return "Argo"


def sku(row, n, random, fake, **args):
    return f"SKU{n}"


NOT_CALLABLE = 3
"""


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    name = f"specmod_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(MODULE, encoding="utf-8")
    yield tmp_path
    sys.modules.pop(name, None)


def _module(folder: Path) -> str:
    return f"specmod_{folder.name.replace('-', '_')}"


def test_a_provider_that_imports_is_kept_with_its_folder(folder: Path) -> None:
    target = f"{_module(folder)}:ShipProvider"
    providers, problems = faker_providers({"faker_providers": [target]}, folder)
    assert problems == []
    assert providers == ((target, str(folder.resolve())),)


def test_a_provider_that_does_not_import_or_is_no_provider_is_e339(folder: Path) -> None:
    settings = {"faker_providers": ["nowhere_at_all:X", f"{_module(folder)}:sku"]}
    providers, problems = faker_providers(settings, folder)
    assert providers == ()
    assert [(d.code, d.pointer) for d in problems] == [
        ("E339", "/settings/faker_providers/0"),
        ("E339", "/settings/faker_providers/1"),
    ]
    assert "spec's folder" in problems[0].hint  # it did not import: where it was looked for
    assert "BaseProvider" in problems[1].hint  # it imported, but is not a provider


def test_python_generators_that_import_and_call_pass(folder: Path) -> None:
    factories: dict[str, Any] = {"p": {"fields": {"sku": {"python": f"{_module(folder)}:sku"}}}}
    assert list(check_custom_generators(factories, [{"factory": "p"}], folder)) == []


def test_a_python_generator_missing_or_not_callable_is_e340(folder: Path) -> None:
    factories: dict[str, Any] = {
        "p": {
            "fields": {
                "a": {"python": f"{_module(folder)}:nope"},
                "b": {"python": f"{_module(folder)}:NOT_CALLABLE"},
            }
        }
    }
    problems = list(check_custom_generators(factories, [{"factory": "p"}], folder))
    assert [(d.code, d.pointer) for d in problems] == [
        ("E340", "/factories/p/fields/a/python"),
        ("E340", "/factories/p/fields/b/python"),
    ]
    assert "is not callable" in problems[1].message
