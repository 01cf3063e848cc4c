"""The registry: covered methods give a provider, the rest None (the per-value Faker fallback)."""

import pytest
from vectordraws import LOCALES, fallback_cause

from seedspec.language import vectorfaker
from seedspec.language.counterhash import row_keys
from seedspec.language.vectorfaker.providers import ZERO_ARGUMENT


def test_a_covered_method_gives_values_that_are_pure_functions_of_the_keys() -> None:
    uuid4 = vectorfaker.lookup("uuid4", "en_US")
    assert uuid4 is not None
    keys = row_keys(3, range(100))
    assert list(uuid4(keys)) == list(uuid4(keys))
    assert list(uuid4(keys[50:])) == list(uuid4(keys))[50:]
    assert all(value[14] == "4" for value in uuid4(keys))


def test_unknown_methods_and_unsupported_arguments_fall_back() -> None:
    assert vectorfaker.lookup("no_such_method", "en_US") is None
    assert vectorfaker.lookup("uuid4", "en_US", (), {"cast_to": None}) is None
    assert "boolean" in vectorfaker.covered()


# Locales (of the 110 Faker 40.6 has, fr_QC aside) each method is vectorised for, read on Faker 40.6.
# A Faker release may rewrite a locale's method in a shape we do not recognise, hence a margin; a
# drop beyond it, or any fallback whose cause is not in Faker's code, is a regression of ours.
COVERAGE = {
    "first_name": 109, "last_name": 108, "name": 105, "first_name_male": 109, "first_name_female": 109,
    "first_name_nonbinary": 109, "last_name_male": 107, "last_name_female": 107, "last_name_nonbinary": 108,
    "name_male": 104, "name_female": 104, "name_nonbinary": 106, "prefix": 110, "prefix_male": 110,
    "prefix_female": 110, "prefix_nonbinary": 110, "suffix": 109, "suffix_male": 109, "suffix_female": 109,
    "suffix_nonbinary": 109, "language_name": 110, "address": 76, "street_address": 90, "street_name": 96,
    "street_suffix": 109, "street_prefix": 23, "building_number": 100, "secondary_address": 62, "city": 102,
    "city_prefix": 63, "city_suffix": 110, "state": 67, "state_abbr": 49, "country": 110, "postcode": 86,
    "zipcode": 45, "administrative_unit": 92, "region": 6, "province": 14, "phone_number": 92, "msisdn": 106,
    "country_calling_code": 107, "company": 102, "company_suffix": 110, "company_prefix": 13,
    "catch_phrase": 106, "bs": 110, "job": 110, "job_male": 110, "job_female": 110, "user_name": 103,
    "safe_email": 103, "free_email": 103, "company_email": 95, "free_email_domain": 110,
    "safe_domain_name": 110, "domain_word": 99, "tld": 110, "color_name": 110, "safe_color_name": 110,
    "email": 103, "domain_name": 99, "url": 99, "word": 110, "sentence": 110, "paragraph": 110, "text": 110,
}  # fmt: skip
MARGIN = 2


def test_every_zero_argument_method_has_a_pinned_coverage() -> None:
    assert set(ZERO_ARGUMENT) <= set(COVERAGE)
    assert set(COVERAGE) <= vectorfaker.covered()


@pytest.mark.parametrize("method", sorted(COVERAGE))
def test_coverage_cannot_silently_shrink(method: str) -> None:
    """Each method stays vectorised for (about) as many locales as it was, and every locale that
    falls back does so for a cause in Faker's code: the locale overrides the method (or one it is
    built on) with a body ``vectorfaker.data`` does not recognise, or has no such method."""
    unexplained, served = [], 0
    for locale in LOCALES:
        if vectorfaker.lookup(method, locale) is not None:
            served += 1
        elif fallback_cause(locale, method) is None:
            unexplained.append(locale)
    assert unexplained == []
    assert served >= min(COVERAGE[method] - MARGIN, len(LOCALES)), served
