"""Gendered names fall back as Faker's hasattr checks do; prefixes and suffixes by locale."""

import pytest
from vectordraws import LOCALES, assert_explained, keys

from seedspec.language.vectorfaker import data, lookup


@pytest.mark.parametrize("locale", LOCALES)
def test_gendered_first_names_come_from_the_gendered_list_or_the_plain_one(locale: str) -> None:
    draw = lookup("first_name_female", locale)
    found = data.method(locale, "first_name_female")
    if draw is None or found is None:
        assert_explained(locale, "first_name_female")
        return
    owner = found[0]
    allowed = set(getattr(owner, "first_names_female", None) or owner.first_names)
    assert set(draw(keys(300))) <= allowed


@pytest.mark.parametrize("method", ["job_male", "job_female"])
def test_gendered_jobs_come_from_the_gendered_list_or_the_plain_one(method: str) -> None:
    for locale, own_list in (("de_AT", True), ("fr_FR", method == "job_female"), ("en_US", False)):
        draw, found = lookup(method, locale), data.method(locale, method)
        assert draw is not None
        assert found is not None
        owner, gendered = found[0], method.replace("job_", "jobs_")
        allowed = set(getattr(owner, gendered, None) or owner.jobs)
        assert set(draw(keys(500))) <= allowed, (locale, method)
        assert hasattr(owner, gendered) == own_list  # both of Faker's branches are exercised


@pytest.mark.parametrize("method", ["prefix", "prefix_male", "suffix", "suffix_female"])
def test_affixes_are_the_locales(method: str) -> None:
    for locale in ("en_US", "de_DE", "fr_FR", "es_ES"):
        draw, found = lookup(method, locale), data.method(locale, method)
        assert draw is not None
        assert found is not None
        owner, plain = found[0], method.split("_")[0] + "es"
        lists = [
            getattr(owner, a, ()) for a in (plain, f"{plain}_male", f"{plain}_female", f"{plain}_nonbinary")
        ]
        allowed = {v for lst in lists for v in lst} | {""}
        assert set(draw(keys(500))) <= allowed, (locale, method)


def test_male_names_use_the_male_formats() -> None:
    draw = lookup("name_male", "en_US")
    found = data.method("en_US", "first_name_male")
    assert draw is not None
    assert found is not None
    male = set(found[0].first_names_male)
    prefixes = {"Mr.", "Dr."}
    firsts = [n.split(" ")[1] if n.split(" ")[0] in prefixes else n.split(" ")[0] for n in draw(keys(2000))]
    assert sum(f in male for f in firsts) / len(firsts) > 0.99
