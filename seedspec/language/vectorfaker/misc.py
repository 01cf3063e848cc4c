"""``catch_phrase`` / ``bs``, ``color_name``, ``iban``, ``credit_card_number``, ``file_name``
and ``slug``: each only where the locale uses the base provider's own function."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np
from faker.providers.bank import Provider as Bank
from faker.providers.color import Provider as Color
from faker.providers.company import Provider as Company
from faker.providers.credit_card import Provider as CreditCard
from faker.providers.file import Provider as File
from faker.providers.internet import Provider as Internet
from faker.providers.lorem.en_US import Provider as EnglishLorem
from faker.utils.text import slugify

from seedspec.language.counterhash import Keys, below, mix
from seedspec.language.vectorfaker import VectorProvider, data, provider
from seedspec.language.vectorfaker.expand import Col, concat, index_of, pattern, pick, switch
from seedspec.language.vectorfaker.resolve import special


def _joined(attr: str) -> Any:
    """``" ".join(random_element(words) for words in self.<attr>)``."""

    def build(_locale: str, owner: Any) -> Col | None:
        lists = [data.elements(words) for words in getattr(owner, attr, ())]
        if not lists or any(w is None or not w.strings() for w in lists):
            return None
        parts: list[Col | str] = []
        for i, words in enumerate(lists):
            parts += [" "] if i else []
            parts.append(pick(words))  # type: ignore[arg-type]
        return concat(parts)

    return build


special(Company.catch_phrase)(_joined("catch_phrase_words"))
special(Company.bs)(_joined("bsWords"))


@special(Color.color_name)
def _color_name(_locale: str, owner: Any) -> Col | None:
    items = data.elements(tuple(owner.all_colors.keys()))  # random_element(dict.keys()): uniform
    return None if items is None or not items.strings() else pick(items)


@provider("iban")
def _iban(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    owner = data.base_owner(locale, "iban", Bank.iban)
    if args or kwargs or owner is None or type(owner).bban is not Bank.bban:
        return None
    code, shape, alpha = owner.country_code, owner.bban_format, owner.ALPHA
    if not isinstance(code, str) or not isinstance(shape, str) or "\0" in shape:
        return None
    bban = pattern(shape, True, string.ascii_uppercase)  # lexify '?' (A-Z), then numerify

    def draw(keys: Keys) -> Sequence[Any]:
        out = []
        for b in bban(keys).tolist():  # the ISO 7064 check digits, as Faker computes them
            check = int("".join(alpha.get(c, c) for c in b + code + "00"))
            out.append(f"{code}{98 - check % 97:02d}{b}")
        return out

    return draw


@provider("credit_card_number")
def _credit_card_number(
    locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> VectorProvider | None:
    owner = data.base_owner(locale, "credit_card_number", CreditCard.credit_card_number)
    if args or kwargs or owner is None:
        return None
    if any(
        getattr(type(owner), n) is not getattr(CreditCard, n)
        for n in ("_credit_card_type", "_generate_number")
    ):
        return None
    cards = list(owner.credit_card_types.values())  # a type picked evenly, then a prefix evenly
    branches = []
    for card in cards:
        prefixes = data.elements(tuple(card.prefixes))
        if prefixes is None or not prefixes.strings() or any(set(p) & set("!@\0") for p in card.prefixes):
            return None
        texts = [p + "#" * (card.length - len(p) - 1) for p in prefixes.values]
        numbers = [pattern(t) for t in texts]
        branches.append(switch(partial(index_of, prefixes), numbers))
    body = switch(lambda keys: below(mix(keys, 1), len(cards)), branches)
    lookup = {str(k): int(v) for k, v in CreditCard.luhn_lookup.items()}

    def draw(keys: Keys) -> Sequence[Any]:
        return [n + str(_luhn(n, lookup)) for n in body(keys).tolist()]

    return draw


def _luhn(number: str, lookup: dict[str, int]) -> int:
    """Faker's ``_generate_number`` check digit for the digits so far."""
    length, reverse, total, pos = len(number) + 1, number[::-1], 0, 0
    while pos < length - 1:
        total += lookup[reverse[pos]]
        if pos != length - 2:
            total += int(reverse[pos + 1])
        pos += 2
    return (10 - total % 10) % 10


@provider("file_name")
def _file_name(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    from seedspec.language.vectorfaker import lookup

    owner = data.base_owner(locale, "file_name", File.file_name)
    word = lookup("word", locale)
    if (
        args
        or kwargs
        or owner is None
        or word is None
        or type(owner).file_extension is not File.file_extension
    ):
        return None
    groups = [data.elements(tuple(v)) for v in owner.file_extensions.values()]
    if not groups or any(g is None or not g.strings() for g in groups):
        return None
    extension = switch(
        lambda keys: below(mix(keys, 1), len(groups)), [pick(g) for g in groups if g is not None]
    )

    def draw(keys: Keys) -> Sequence[Any]:  # f"{word}.{extension}" ("" never occurs in Faker's lists)
        words, extensions = word(mix(keys, 1)), extension(mix(keys, 2)).tolist()
        return [f"{w}.{e}" if e else str(w) for w, e in zip(words, extensions, strict=True)]

    return draw


@provider("slug")
def _slug(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    """``slugify(text(20, ext_word_list=en_US lorem words))``: words joined while under 20 characters
    (the one that reaches 20 dropped), the first capitalised, a period after; then slugified."""
    owner = data.base_owner(locale, "slug", Internet.slug)
    found = data.method(locale, "text")
    if args or kwargs or owner is None or found is None:
        return None
    from faker.providers.lorem import Provider as Lorem

    lorem = found[0]
    if (
        found[1] is not Lorem.text
        or type(lorem).word is not Lorem.word
        or type(lorem).words is not Lorem.words
    ):
        return None
    words = list(EnglishLorem.word_list)
    if max(map(len, words)) >= 20:  # then Faker's loop could start over: not vectorised
        return None
    table = np.array(words, dtype=object)
    glue, end = lorem.word_connector, lorem.sentence_punctuation

    def draw(keys: Keys) -> Sequence[Any]:
        columns = [table[below(mix(keys, 1 + i), len(words))].tolist() for i in range(20)]
        out = []
        for row in zip(*columns, strict=True):
            text, size = [], 0
            for word in row:
                piece = (glue if size else "") + word
                if size >= 20:
                    break
                text.append(piece)
                size += len(piece)
            text.pop()
            text[0] = text[0][0].upper() + text[0][1:]
            out.append(slugify("".join(text) + end))
        return out

    return draw
