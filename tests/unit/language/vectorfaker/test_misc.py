"""IBANs and card numbers check out; colours, files, slugs and phrases are Faker's."""

import re

from vectordraws import keys

from seedspec.language.vectorfaker import data, lookup


def _iban_ok(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in reversed(number)]
    return sum(d if i % 2 == 0 else (2 * d if d < 5 else 2 * d - 9) for i, d in enumerate(digits)) % 10 == 0


def test_ibans_have_valid_check_digits() -> None:
    for locale in ("en_GB", "de_DE", "fr_FR"):
        draw = lookup("iban", locale)
        if draw is not None:
            assert all(_iban_ok(v) for v in draw(keys(1000))), locale


def test_credit_card_numbers_pass_luhn_and_have_a_known_length() -> None:
    draw, found = lookup("credit_card_number", "en_US"), data.method("en_US", "credit_card_number")
    assert draw is not None
    assert found is not None
    values = list(draw(keys(5000)))
    assert all(_luhn_ok(v) for v in values)
    assert {len(v) for v in values} == {card.length for card in found[0].credit_card_types.values()}


def test_phrases_colours_files_slugs() -> None:
    found = data.method("en_US", "color_name")
    assert found is not None
    colours = lookup("color_name", "en_US")
    assert colours is not None
    assert set(colours(keys(2000))) <= set(found[0].all_colors)
    phrases = lookup("catch_phrase", "en_US")
    assert phrases is not None
    assert all(len(p.split(" ")) >= 3 for p in phrases(keys(100)))
    files = lookup("file_name", "en_US")
    assert files is not None
    assert all(re.fullmatch(r"\w+\.\w+", f) for f in files(keys(500)))
    slugs = lookup("slug", "en_US")
    assert slugs is not None
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", s) and len(s) < 20 for s in slugs(keys(2000)))
