"""en_US ZIP codes and state abbreviations, as Faker draws them."""

from vectordraws import keys

from seedspec.language.vectorfaker import data, lookup


def test_zip_codes_are_five_digits_within_fakers_range() -> None:
    draw = lookup("postcode", "en_US")
    assert draw is not None
    values = list(draw(keys(20_000)))
    assert all(len(v) == 5 and 501 <= int(v) <= 99950 for v in values)
    assert min(int(v) for v in values) < 2000


def test_state_abbreviations_include_territories_by_default() -> None:
    draw = lookup("state_abbr", "en_US")
    found = data.method("en_US", "state_abbr")
    assert draw is not None
    assert found is not None
    owner = found[0]
    allowed = set(owner.states_abbr) | set(owner.territories_abbr) | set(owner.freely_associated_states_abbr)
    drawn = set(draw(keys(20_000)))
    assert drawn == allowed
    assert lookup("state_abbr", "en_US", (False,)) is None


def test_addresses_are_multi_line_with_a_zip() -> None:
    draw = lookup("address", "en_US")
    assert draw is not None
    assert all("\n" in a and a[-5:].isdigit() for a in draw(keys(1000)))
