"""``word`` / ``words`` / ``sentence`` / ``sentences`` / ``paragraph`` / ``paragraphs`` of
``faker.providers.lorem.Provider``, over the locale's ``word_list``.

Counts follow ``randomize_nb_elements(n, min=1)``: ``int(n * randint(60, 140) / 100)``, at least 1.
Words are drawn a column per position (``random.choices``: uniform), then joined per row with the
locale's ``word_connector`` and ``sentence_punctuation``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from faker.providers.lorem import Provider as Lorem

from seedspec.language.counterhash import Keys, below, mix
from seedspec.language.vectorfaker import VectorProvider, data, provider

_MAX = 1000  # words or sentences per value vectorised (past it, the per-value fallback)
_HELPERS = ("get_words_list", "words", "sentence", "sentences", "paragraph", "randomize_nb_elements")


class Words:
    """A locale's words and glue, when its lorem provider is the base one in every helper."""

    def __init__(self, owner: Any) -> None:
        self.words = np.array(list(owner.word_list), dtype=object)
        self.titled = np.array([w.title() for w in self.words.tolist()], dtype=object)
        self.glue: str = owner.word_connector
        self.end: str = owner.sentence_punctuation

    def column(self, keys: Keys, salt: int) -> Any:
        return self.words[below(mix(keys, salt), len(self.words))]

    def sentences(self, keys: Keys, nb: int, variable: bool) -> list[str]:
        """``sentence(nb, variable)`` per key."""
        counts = _counts(keys, nb) if variable else np.full(len(keys), nb)
        widest = int(counts.max(initial=1))
        matrix = np.empty((len(keys), widest), dtype=object)
        matrix[:, 0] = self.titled[below(mix(keys, 2), len(self.words))]
        for i in range(1, widest):
            matrix[:, i] = self.column(keys, 2 + i)
        glue, end = self.glue, self.end
        return [glue.join(row[:c]) + end for row, c in zip(matrix.tolist(), counts.tolist(), strict=True)]

    def paragraphs(self, keys: Keys, nb: int, variable: bool) -> list[str]:
        """``paragraph(nb, variable)`` per key: that many default sentences (6 words, variable)."""
        counts = _counts(keys, nb) if variable else np.full(len(keys), nb)
        widest = int(counts.max(initial=1))
        columns = [self.sentences(mix(keys, 500 + j), 6, True) for j in range(widest)]
        glue = self.glue
        return [
            glue.join(row[:c]) for row, c in zip(zip(*columns, strict=True), counts.tolist(), strict=True)
        ]


def _counts(keys: Keys, nb: int) -> Any:
    return np.maximum(1, (nb * (60 + below(mix(keys, 1), 81))) // 100)


def _words(locale: str, method: str) -> Words | None:
    found = data.method(locale, method)
    if found is None or found[1] is not getattr(Lorem, method):
        return None
    owner = found[0]
    if any(getattr(type(owner), h) is not getattr(Lorem, h) for h in _HELPERS):
        return None
    items = data.elements(list(getattr(owner, "word_list", ())))
    glue, end = getattr(owner, "word_connector", None), getattr(owner, "sentence_punctuation", None)
    if items is None or not items.strings() or not isinstance(glue, str) or not isinstance(end, str):
        return None
    return Words(owner)


def _count(value: Any) -> int | None:
    return value if type(value) is int and 0 < value <= _MAX else None


@provider("word")
def _word(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    words = None if args or kwargs else _words(locale, "word")
    return None if words is None else lambda keys: words.column(keys, 1).tolist()


@provider("words")
def _words_list(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    bound = data.bind(("nb",), args, kwargs)
    words = None if bound is None else _words(locale, "words")
    nb = None if bound is None else _count(bound.get("nb", 3))
    if words is None or nb is None:
        return None
    return lambda keys: [list(r) for r in zip(*(words.column(keys, 1 + i) for i in range(nb)), strict=True)]


@provider("sentence")
def _sentence(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    bound = data.bind(("nb_words", "variable_nb_words"), args, kwargs)
    words = None if bound is None else _words(locale, "sentence")
    if words is None or bound is None:
        return None
    nb, variable = _count(bound.get("nb_words", 6)), bound.get("variable_nb_words", True)
    if nb is None or not isinstance(variable, bool):
        return None
    return lambda keys: words.sentences(keys, nb, variable)


@provider("paragraph")
def _paragraph(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    bound = data.bind(("nb_sentences", "variable_nb_sentences"), args, kwargs)
    words = None if bound is None else _words(locale, "paragraph")
    if words is None or bound is None:
        return None
    nb, variable = _count(bound.get("nb_sentences", 3)), bound.get("variable_nb_sentences", True)
    if nb is None or not isinstance(variable, bool):
        return None
    return lambda keys: words.paragraphs(keys, nb, variable)


def _listing(method: str, paragraphs: bool) -> Any:
    def make(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
        bound = data.bind(("nb",), args, kwargs)
        words = None if bound is None else _words(locale, method)
        nb = None if bound is None else _count(bound.get("nb", 3))
        if words is None or nb is None:
            return None

        def draw(keys: Keys) -> Sequence[Any]:
            make_one = words.paragraphs if paragraphs else words.sentences
            columns = [make_one(mix(keys, 700 + j), 3 if paragraphs else 6, True) for j in range(nb)]
            return [list(r) for r in zip(*columns, strict=True)]

        return draw

    return make


provider("sentences")(_listing("sentences", False))
provider("paragraphs")(_listing("paragraphs", True))


@provider("text")
def _text(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    """``text(max_nb_chars)``: words (under 25 characters), sentences (under 100) or paragraphs
    (joined by newlines) added while the text is shorter than the limit, the last one dropped;
    Faker starts over when nothing is left (each row here takes its next units instead)."""
    bound = data.bind(("max_nb_chars",), args, kwargs)
    words = None if bound is None else _words(locale, "text")
    limit = None if bound is None else bound.get("max_nb_chars", 200)
    if words is None or type(limit) is not int or not 5 <= limit <= 100_000:
        return None
    if limit < 25 and min(len(w) for w in words.words.tolist()) >= limit:
        return None  # Faker would loop for ever
    return lambda keys: _texts(words, keys, limit)


def _texts(words: Words, keys: Keys, limit: int) -> list[str]:
    glue = "\n" if limit >= 100 else words.glue
    typical = 6 if limit < 25 else 40 if limit < 100 else 120  # characters a unit adds, about

    def units(batch: Keys) -> list[str]:
        if limit < 25:
            return words.column(batch, 1).tolist()  # type: ignore[no-any-return]
        return words.sentences(batch, 6, True) if limit < 100 else words.paragraphs(batch, 3, True)

    texts: list[list[str]] = [[] for _ in range(len(keys))]
    sizes, done = [0] * len(keys), [""] * len(keys)
    pending, salt, per = list(range(len(keys))), 900, limit // typical + 2
    while pending:
        rows = keys[np.array(pending)]
        drawn = list(zip(*(units(mix(rows, salt + j)) for j in range(per)), strict=True))
        salt += per
        still = []
        for row, row_units in zip(pending, drawn, strict=True):
            for unit in row_units:
                piece = (glue if sizes[row] else "") + unit
                texts[row].append(piece)
                sizes[row] += len(piece)
                if sizes[row] < limit:
                    continue
                texts[row].pop()
                if not texts[row]:  # start over
                    sizes[row] = 0
                    continue
                if limit < 25:
                    first, last = texts[row][0], len(texts[row]) - 1
                    texts[row][0] = first[0].upper() + first[1:]
                    texts[row][last] += words.end
                done[row] = "".join(texts[row])
                break
            else:
                still.append(row)
        pending = still
    return done
