"""Words, sentences and paragraphs: the locale's words, Faker's counts."""

import pytest
from vectordraws import keys

from seedspec.language.vectorfaker import data, lookup


def _words(locale: str) -> set[str]:
    found = data.method(locale, "word")
    assert found is not None
    return set(found[0].word_list)


@pytest.mark.parametrize("locale", ["en_US", "la", "fr_FR", "ja_JP"])
def test_words_are_the_locales(locale: str) -> None:
    draw = lookup("word", locale)
    assert draw is not None
    assert set(draw(keys(5000))) <= _words(locale)


def test_sentences_have_fakers_lengths_and_words() -> None:
    draw, words = lookup("sentence", "en_US"), _words("en_US")
    assert draw is not None
    lengths, titled = [], {w.title() for w in words}
    for sentence in draw(keys(20_000)):
        assert sentence.endswith(".")
        parts = sentence[:-1].split(" ")
        assert parts[0] in titled
        assert all(p in words for p in parts[1:])
        lengths.append(len(parts))
    # int(6 * randint(60, 140) / 100): 3 .. 8 words, 3 with odds 7/81
    assert min(lengths) == 3
    assert max(lengths) == 8
    assert abs(lengths.count(3) / len(lengths) - 7 / 81) < 0.01


def test_paragraphs_lists_and_purity() -> None:
    paragraph = lookup("paragraph", "en_US")
    assert paragraph is not None
    counts = [p.count(".") for p in paragraph(keys(5000))]
    assert min(counts) == 1
    assert max(counts) == 4
    several = lookup("sentences", "en_US", (4,))
    assert several is not None
    assert all(len(s) == 4 for s in several(keys(100)))
    words = lookup("words", "en_US", (), {"nb": 5})
    assert words is not None
    batch = keys(1000)
    assert list(words(batch))[10:20] == list(words(batch[10:20]))
    assert lookup("words", "en_US", (), {"ext_word_list": ["a"]}) is None


@pytest.mark.parametrize("limit", [20, 60, 300])
def test_texts_stay_under_their_limit_in_fakers_units(limit: int) -> None:
    draw = lookup("text", "en_US", (limit,))
    assert draw is not None
    batch = keys(500)
    values = list(draw(batch))
    assert all(0 < len(t) <= limit for t in values)
    assert all(t.endswith(".") and t[0].isupper() for t in values)
    assert ("\n" in "".join(values)) == (limit >= 100)  # paragraphs are joined by newlines
    assert list(draw(batch[40:45])) == values[40:45]
