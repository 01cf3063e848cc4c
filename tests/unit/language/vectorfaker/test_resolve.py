"""Every zero-argument method, every locale: values Faker can produce, Faker's weights, purity."""

import re

import pytest
from vectordraws import CHI2_20, LOCALES, SAMPLED, assert_explained, chi_square_top, keys, method_regex

from seedspec.language.vectorfaker import data, lookup, resolve
from seedspec.language.vectorfaker.providers import ZERO_ARGUMENT


def _placeholder_regex(text: str, letters: bool) -> str:
    table = {"#": "[0-9]", "%": "[1-9]", "$": "[2-9]", "!": "[0-9]?", "@": "[1-9]?"}
    if letters:
        table["?"] = "[A-Za-z]"
    return "".join(table.get(c, re.escape(c)) for c in text)


@pytest.mark.parametrize("locale", LOCALES)
def test_picks_draw_only_the_locales_own_values(locale: str) -> None:
    drawn = 0
    for method in ZERO_ARGUMENT:
        col = resolve.column(locale, method)
        if col is None or col.values is None:
            continue
        values = set(col.values)
        assert set(col(keys(500)).tolist()) <= values, (locale, method)
        drawn += 1
    assert drawn > 0


@pytest.mark.parametrize("locale", LOCALES)
def test_phone_numbers_match_the_locales_formats(locale: str) -> None:
    found = data.method(locale, "phone_number")
    col = resolve.column(locale, "phone_number")
    if col is None or found is None:
        assert_explained(locale, "phone_number")
        return
    regex = re.compile("|".join(f"(?:{_placeholder_regex(f, False)})" for f in found[0].formats))
    for number in col(keys(2000)).tolist():
        assert regex.fullmatch(number), (locale, number)


@pytest.mark.parametrize("locale", SAMPLED)
@pytest.mark.parametrize("method", ["first_name", "last_name", "city_suffix", "job"])
def test_frequencies_follow_fakers_weights(locale: str, method: str) -> None:
    col = resolve.column(locale, method)
    found = data.method(locale, method)
    assert col is not None
    assert found is not None
    kind, attr = data.shape(found[1]) or ("", "")
    items = data.elements(getattr(found[0], attr))
    assert kind == "element"
    assert items is not None
    drawn = col(keys(100_000)).tolist()
    assert chi_square_top(drawn, items.values, items.cumulative) < CHI2_20


@pytest.mark.parametrize(
    "method", ["name", "address", "company", "phone_number", "street_address", "postcode"]
)
def test_a_value_is_a_pure_function_of_its_key(method: str) -> None:
    draw = lookup(method, "en_US")
    assert draw is not None
    batch = keys(3000)
    whole = list(draw(batch))
    assert whole == list(draw(batch))
    assert list(draw(batch[1000:1700])) == whole[1000:1700]
    assert len(set(whole)) > 100


def test_format_choices_follow_their_weights() -> None:
    """en_US names: 'Dr. ...' prefixed formats have their OrderedDict weight."""
    found = data.method("en_US", "name")
    assert found is not None
    items = data.elements(found[0].formats)
    assert items is not None
    assert items.cumulative is not None
    weights = dict(zip(items.values, items.cumulative - [0.0, *items.cumulative[:-1]], strict=True))
    prefixed = sum(w for f, w in weights.items() if f.startswith("{{prefix")) / items.cumulative[-1]
    draw = lookup("name", "en_US")
    assert draw is not None
    prefixes = {"Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Mx.", "Ind."}
    names = list(draw(keys(100_000)))
    share = sum(n.split(" ")[0] in prefixes for n in names) / len(names)
    assert abs(share - prefixed) < 0.005


def test_methods_with_arguments_or_unknown_shapes_fall_back() -> None:
    assert lookup("first_name", "en_US", ("x",)) is None
    assert resolve.column("en_US", "no_such_method") is None
    assert resolve.parse("en_US", "{{first_name:group}}") is None


@pytest.mark.parametrize("locale", LOCALES)
def test_composed_values_match_the_locales_formats(locale: str) -> None:
    """Names, companies, cities, streets, postcodes: every value matches a regex built from the
    locale's formats and lists (tokens expanded recursively, placeholders as digit classes)."""
    methods = ("name", "name_female", "name_male", "prefix", "suffix_male", "first_name_female", "company",
               "city", "street_name", "street_address", "address", "postcode", "phone_number")  # fmt: skip
    for method in methods:
        col = resolve.column(locale, method)
        if col is None:
            continue
        regex = re.compile(method_regex(locale, method), re.DOTALL)
        for value in col(keys(300)).tolist():
            assert regex.fullmatch(value), (locale, method, value)
