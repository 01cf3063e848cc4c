"""The registry's entries: zero-argument methods, booleans, uuids, and what falls back."""

import uuid

from vectordraws import keys

from seedspec.language import vectorfaker
from seedspec.language.vectorfaker.providers import ZERO_ARGUMENT


def test_every_registered_zero_argument_method_resolves_for_en_us_and_is_pure() -> None:
    missing = []
    for method in ZERO_ARGUMENT:
        draw = vectorfaker.lookup(method, "en_US")
        if draw is None:
            missing.append(method)
            continue
        batch = keys(200)
        values = list(draw(batch))
        assert values == list(draw(batch)), method
        assert list(draw(batch[50:60])) == values[50:60], method
    assert set(missing) <= {"street_prefix", "zipcode", "region", "province", "company_prefix", "job_male",
                            "job_female", "msisdn", "country_calling_code", "secondary_address",
                            "administrative_unit", "language_name", "domain_word"}  # fmt: skip


def test_booleans_follow_their_chance_and_uuids_are_version_4() -> None:
    draw = vectorfaker.lookup("boolean", "en_US", (), {"chance_of_getting_true": 25})
    assert draw is not None
    share = sum(draw(keys(100_000))) / 100_000
    assert abs(share - 0.25) < 0.01
    uuids = vectorfaker.lookup("uuid4", "en_US")
    assert uuids is not None
    for value in uuids(keys(5000)):
        parsed = uuid.UUID(value)
        assert str(parsed) == value
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_a_reserved_or_unknown_argument_never_reaches_a_provider() -> None:
    assert vectorfaker.lookup("first_name", "en_US", (), {"__now__": 1}) is None
    assert vectorfaker.lookup("name", "en_US", (), {"nope": 1}) is None
    assert vectorfaker.lookup("name", "xx_XX") is None
