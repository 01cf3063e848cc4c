"""Faker generators with the providers a spec registers, here and in worker processes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from seedspec.compiler.steps import derive_seed
from seedspec.generation import prefetch as parallel
from seedspec.ir import FakerCall, Field
from seedspec.language.fakers import TemplateFaker, create_faker, oversized_args, provider_class
from seedspec.language.usercode import ImportTargetError

PROVIDER = """
from faker.providers import BaseProvider


class PlanetProvider(BaseProvider):
    def planet(self) -> str:
        return self.random_element(("Mercury", "Venus", "Mars", "Jupiter"))


def not_a_provider() -> str:
    return "Pluto"
"""


@pytest.fixture
def folder(tmp_path: Path) -> str:
    (tmp_path / "unit_planets.py").write_text(textwrap.dedent(PROVIDER), encoding="utf-8")
    return str(tmp_path)


def test_a_registered_provider_adds_its_methods_and_draws_from_the_seed(folder: str) -> None:
    fake = create_faker("en_US", (("unit_planets:PlanetProvider", folder),))
    fake.seed_instance(3)
    first = [fake.planet() for _ in range(5)]
    fake.seed_instance(3)
    assert [fake.planet() for _ in range(5)] == first
    assert set(first) <= {"Mercury", "Venus", "Mars", "Jupiter"}
    assert not hasattr(create_faker("en_US"), "planet")


def test_what_is_not_a_provider_class_is_refused(folder: str) -> None:
    with pytest.raises(ImportTargetError, match="is not a Faker provider class"):
        provider_class("unit_planets:not_a_provider", folder)
    with pytest.raises(ImportTargetError) as info:
        provider_class("unit_planets_missing:PlanetProvider", folder)
    assert isinstance(info.value.__cause__, ModuleNotFoundError)


def test_workers_register_the_providers_and_draw_what_this_process_draws(folder: str) -> None:
    providers = (("unit_planets:PlanetProvider", folder),)
    field = Field(column="home", pointer="/f", generator=FakerCall(method="planet", providers=providers))
    spec = parallel._spec(field)
    drawn = parallel.draw((42, (spec,), ["0", "1", "2"]))
    fake = create_faker("en_US", providers)
    expected = []
    for local_id in ("0", "1", "2"):
        fake.seed_instance(derive_seed(42, local_id, "home"))
        expected.append(fake.planet())
    assert drawn == {"home": expected}


def test_a_forked_worker_pool_draws_provider_methods(folder: str) -> None:
    providers = (("unit_planets:PlanetProvider", folder),)
    field = Field(column="home", pointer="/f", generator=FakerCall(method="planet", providers=providers))
    prefetcher = parallel.Prefetcher(1)
    try:
        drawn = prefetcher.submit(42, (field,), ["0", "1"]).get()
    finally:
        prefetcher.close()
    here = parallel.draw((42, (parallel._spec(field),), ["0", "1"]))
    assert drawn == {"home": dict(zip(["0", "1"], here["home"], strict=True))}
    assert parallel.FAILED not in drawn["home"].values()


def test_a_draw_that_raised_in_a_worker_is_still_failed_here() -> None:
    # it crosses the process boundary by pickling: a plain object() would arrive as a new object,
    # be taken for a value and end up converted, or written as "<object object at ...>"
    field = Field(
        column="n",
        pointer="/f",
        generator=FakerCall(method="pyint", kwargs=(("min_value", 5), ("max_value", 1))),
    )
    prefetcher = parallel.Prefetcher(1)
    try:
        drawn = prefetcher.submit(42, (field,), ["0"]).get()
    finally:
        prefetcher.close()
    assert drawn["n"]["0"] is parallel.FAILED


# ---------------------------------------------------------------- what templates see as fake


def _fake() -> TemplateFaker:
    generator = create_faker("en_US")
    generator.seed_instance(1)
    return TemplateFaker(generator)


def test_a_template_calls_provider_methods() -> None:
    fake = _fake()
    assert isinstance(fake.name(), str)
    assert 1 <= fake.random_int(1, 5) <= 5
    assert len(fake.pystr(max_chars=5)) <= 5


@pytest.mark.parametrize(
    "name",
    [
        "format",
        "seed_instance",
        "seed",
        "parse",
        "add_provider",
        "providers",
        "random",
        "generator",
    ],
)
def test_a_template_cannot_reach_the_generator_behind_fake(name: str) -> None:
    with pytest.raises(AttributeError):
        getattr(_fake(), name)


def test_the_sandbox_refuses_format_with_a_dunder_and_reseeding() -> None:
    from seedspec.language import templates

    generator = create_faker("en_US")
    sources = ["{{ fake.format('__setattr__', 'locale', 'x') }}", "{{ fake.seed_instance(3) }}"]
    sources += ["{{ fake._generator }}", "{{ fake.__setattr__('x', 1) }}"]
    for source in sources:
        with pytest.raises(templates.TemplateError):
            templates.render(source, fake=TemplateFaker(generator))
    assert not hasattr(generator, "locale") or generator.locale != "x"


def test_a_size_argument_past_the_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        _fake().pystr(max_chars=10**9)
    assert oversized_args({"max_chars": 10**9}) == "max_chars"
    assert oversized_args({"max_chars": float("nan")}) == "max_chars"
    assert oversized_args({"max_value": 10**12, "max_chars": 5}) is None
