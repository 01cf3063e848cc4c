"""Faker generators with the providers a spec registers, here and in worker processes."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import cast

import pytest
import time_machine

from seedspec.compiler.steps import derive_seed
from seedspec.generation import prefetch as parallel
from seedspec.ir import FakerCall, Field
from seedspec.language.fakers import (
    TemplateFaker,
    create_faker,
    oversized_args,
    pinned_faker,
    provider_class,
    transliterate,
)
from seedspec.language.usercode import ImportTargetError

NOW = "2025-01-01T00:00:00"
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
    drawn = parallel.draw((42, NOW, (spec,), ["0", "1", "2"]))
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
        drawn = prefetcher.submit(42, NOW, (field,), ["0", "1"]).get()
    finally:
        prefetcher.close()
    here = parallel.draw((42, NOW, (parallel._spec(field),), ["0", "1"]))
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
        drawn = prefetcher.submit(42, NOW, (field,), ["0"]).get()
    finally:
        prefetcher.close()
    assert drawn["n"]["0"] is parallel.FAILED


def test_transliterate_spells_letters_in_ascii() -> None:
    assert transliterate("Ærøskøbing Straße") == "AEroskobing Strasse"
    assert transliterate("Привет") == "Privet"


DATE_METHODS = (
    "date_of_birth",
    "date_this_year",
    "date_this_month",
    "date_this_decade",
    "date_this_century",
    "past_date",
    "past_datetime",
    "date_between",
    "date_time_between",
    "date_time_this_decade",
    "date_time",
    "unix_time",
    "iso8601",
)


def _draws(locale: str, wall_clock: dt.datetime) -> dict[str, object]:
    with time_machine.travel(wall_clock, tick=False):
        fake = pinned_faker(locale, (), "2000-06-15T12:00:00")
        fake.seed_instance(5)
        return {m: getattr(fake, m)() for m in (*DATE_METHODS, "ssn", "future_date", "passport_dates")}


@pytest.mark.parametrize("locale", ["en_US", "fi_FI", "sv_SE", "no_NO", "zh_CN", "th_TH"])
def test_a_pinned_fakers_dates_are_settings_now_s_whatever_the_wall_clock(locale: str) -> None:
    earlier, later = _draws(locale, dt.datetime(1999, 1, 2)), _draws(locale, dt.datetime(2033, 9, 9))
    assert earlier == later
    for method in DATE_METHODS[:8]:
        value = later[method]
        assert isinstance(value, dt.date)
        assert value <= (
            dt.datetime(2000, 6, 15, 12) if isinstance(value, dt.datetime) else dt.date(2000, 6, 15)
        )
    assert dt.date(2000, 6, 15) < cast(dt.date, later["future_date"])


def test_passport_dates_birthday_read_at_import_is_pinned_but_a_given_one_wins() -> None:
    fake = pinned_faker("en_US", (), "2000-06-15T00:00:00")
    assert fake.passport_dates()[0] == "15 Jun 2000"
    assert fake.passport_dates(dt.date(1990, 1, 2))[0] == "02 Jan 1990"
    assert fake.passport_dates(birthday=dt.date(1990, 1, 2))[0] == "02 Jan 1990"


def test_a_pinned_faker_leaves_the_wall_clock_to_other_faker_users() -> None:
    import faker

    pinned_faker("en_US", (), "2000-06-15T00:00:00").date_this_year()
    with time_machine.travel(dt.datetime(2031, 3, 4), tick=False):
        assert faker.Faker().date_this_year().year == 2031


def test_a_registered_provider_that_reads_the_clock_reads_settings_now(tmp_path: Path) -> None:
    (tmp_path / "unit_clock_provider.py").write_text(
        "from datetime import date\nfrom faker.providers import BaseProvider\n\n\n"
        "class ClockProvider(BaseProvider):\n"
        "    def today_here(self) -> date:\n"
        "        return date.today()\n",
        encoding="utf-8",
    )
    fake = pinned_faker(
        "en_US", (("unit_clock_provider:ClockProvider", str(tmp_path)),), "2000-06-15T00:00:00"
    )
    with time_machine.travel(dt.datetime(2031, 3, 4), tick=False):
        assert fake.today_here() == dt.date(2000, 6, 15)


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
