"""Our draws against Faker's own calls: the same distribution of each value's shape (which
format, how many words, which domain...), by a two-sample chi-square at p = 0.001 (100,000 of
ours, 4,000 of Faker's, seeded)."""

import re

import faker
import pytest
from vectordraws import chi_square_critical, keys, two_sample_chi_square

from seedspec.language.vectorfaker import data, lookup


def _phone_format(locale: str):  # type: ignore[no-untyped-def]
    found = data.method(locale, "phone_number")
    assert found is not None
    table = {"#": "[0-9]", "%": "[1-9]", "$": "[2-9]", "!": "[0-9]?", "@": "[1-9]?"}
    formats = [re.compile("".join(table.get(c, re.escape(c)) for c in f)) for f in found[0].formats]
    return lambda v: next(i for i, f in enumerate(formats) if f.fullmatch(v))


CASES = [
    ("en_US", "phone_number", None),
    ("de_DE", "phone_number", None),
    ("en_US", "name", lambda v: (len(v.split(" ")), v.split(" ")[0][-1] == ".")),
    ("fr_FR", "name", lambda v: len(v.split(" "))),
    (
        "en_US",
        "email",
        lambda v: (v.partition("@")[2], any(c.isdigit() for c in v), "." in v.partition("@")[0]),
    ),
    ("en_US", "user_name", lambda v: (len(v) // 4, any(c.isdigit() for c in v))),
    ("de_DE", "free_email", lambda v: v.partition("@")[2]),
    ("en_US", "address", lambda v: (v.count("\n"), len(v.split(" ")), "Apt." in v or "Suite" in v)),
    ("en_US", "company", lambda v: (len(v.split(" ")), "-" in v, "," in v)),
    ("en_US", "sentence", lambda v: len(v.split(" "))),
    ("en_US", "postcode", lambda v: v[0]),
    ("de_DE", "address", lambda v: (v.count("\n"), len(v) // 8)),
    ("en_US", "credit_card_number", lambda v: (len(v), v[0])),
    ("en_US", "ipv4", lambda v: int(v.split(".")[0]) // 32),
    ("en_US", "catch_phrase", lambda v: len(v.split(" "))),
]


@pytest.mark.parametrize(("locale", "method", "feature"), CASES)
def test_the_distribution_of_shapes_matches_fakers(locale: str, method: str, feature) -> None:  # type: ignore[no-untyped-def]
    draw = lookup(method, locale)
    assert draw is not None, (method, locale)
    shape = feature or _phone_format(locale)
    fake = faker.Faker(locale)
    fake.seed_instance(20260)
    call = getattr(fake, method)
    theirs = [shape(call()) for _ in range(4000)]
    ours = [shape(v) for v in draw(keys(100_000))]
    chi, df = two_sample_chi_square(ours, theirs)
    assert chi < chi_square_critical(df), (chi, df)
