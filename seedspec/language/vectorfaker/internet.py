"""User names, e-mail addresses, domains and URLs of ``faker.providers.internet.Provider``.

Faker builds a user name as ``slugify_unicode(_to_ascii(bothify(parse(format)).lower()))``: the
format is parsed and its placeholders expanded a format group at a time, then that transform runs
per distinct string (it is Faker's own code: ``_to_ascii`` and ``faker.utils.text.slugify``).
A locale that overrides any of these methods (or ``_to_ascii``) keeps the per-value fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from faker.providers.internet import Provider as Internet
from faker.utils.text import slugify

from seedspec.language.counterhash import Keys
from seedspec.language.vectorfaker import data
from seedspec.language.vectorfaker.expand import (
    LETTERS,
    Col,
    Values,
    concat,
    index_of,
    mapped,
    mapped_pick,
    pattern,
    pick,
    switch,
)
from seedspec.language.vectorfaker.resolve import TOKEN, column, formats, special

_PLACEHOLDERS = set("#%$!@?")


def _own(owner: Any, *names: str) -> bool:
    """``owner`` uses the base implementation of each of ``names``."""
    return all(getattr(type(owner), n, None) is getattr(Internet, n) for n in names)


@special(Internet.user_name)
def user_name(locale: str, owner: Any) -> Col | None:
    items = data.elements(owner.user_name_formats)
    if items is None or not items.strings() or not _own(owner, "_to_ascii"):
        return None
    split = [_split(locale, str(text)) for text in items.values]
    if any(s is None for s in split):
        return None
    pieces = [s for s in split if s is not None]

    def whole(s: str) -> str:
        return slugify(owner._to_ascii(s.lower()), allow_unicode=True)

    alphabet = set(LETTERS + "0123456789")
    for literals, tokens in pieces:
        alphabet.update(*literals, *(str(v) for t in tokens for v in t.values or ()))
    table = _charwise(whole, alphabet, owner)
    branches = [_bothified(literals, tokens, table) for literals, tokens in pieces]
    raw = switch(lambda keys: index_of(items, keys), branches)
    return raw if table is not None else mapped(raw, whole)


def _split(locale: str, text: str) -> tuple[list[str], list[Col]] | None:
    """A format's literals and token columns, when every token is a pick whose values hold no
    placeholder (``bothify`` then only touches the literals)."""
    literals, tokens, at = [], [], 0
    for match in TOKEN.finditer(text):
        token = None if match.group(2) else column(locale, match.group(1))
        if token is None or token.values is None:
            return None
        if any(not isinstance(v, str) or _PLACEHOLDERS & set(v) for v in token.values):
            return None
        literals.append(text[at : match.start()])
        tokens.append(token)
        at = match.end()
    literals.append(text[at:])
    return literals, tokens


def _charwise(whole: Any, alphabet: set[str], owner: Any) -> dict[str, str] | None:
    """The transform as a per-character table, when it provably is one over ``alphabet``: each
    character maps alone (no context: no final-sigma lowering, single-character replacements) to
    text without whitespace or hyphens (slugify strips and collapses those across characters)."""
    if "Σ" in alphabet or any(len(search) != 1 for search, _ in owner.replacements):
        return None
    table = {c: whole(c) for c in alphabet}
    if any(_PLACEHOLDERS & set(t) or any(ch.isspace() or ch == "-" for ch in t) for t in table.values()):
        return None
    if any(not c.isascii() for c in table.values()):
        return None
    return table


def _bothified(literals: list[str], tokens: list[Col], table: dict[str, str] | None) -> Col:
    """``bothify`` of a parsed format, the per-character transform (if any) applied to each piece:
    to token values once, to literals before expansion (a placeholder stays, a letter drawn by
    ``?`` is lower-cased: the 52 letters fold evenly onto 26)."""
    letters = LETTERS if table is None else "".join(table[c] for c in LETTERS)
    parts: list[Col | str] = []
    for i, literal in enumerate(literals):
        text = literal if table is None else "".join(c if c in _PLACEHOLDERS else table[c] for c in literal)
        parts.append(pattern(text, True, letters))
        if i < len(tokens):
            token = tokens[i]
            parts.append(
                token if table is None else mapped_pick(token, lambda v: "".join(table[c] for c in v))
            )
    return concat(parts)


def _lower(col: Col | None) -> Col | None:
    return None if col is None else mapped_pick(col, str.lower)


@special(Internet.safe_domain_name)
def _safe_domain_name(_locale: str, owner: Any) -> Col | None:
    items = data.elements(owner.safe_domain_names)
    return None if items is None or not items.strings() else _lower(pick(items))


@special(Internet.free_email_domain)
def _free_email_domain(_locale: str, owner: Any) -> Col | None:
    items = data.elements(owner.free_email_domains)
    return None if items is None or not items.strings() else _lower(pick(items))


@special(Internet.domain_word)
def _domain_word(locale: str, owner: Any) -> Col | None:
    company = column(locale, "company")
    if company is None or not _own(owner, "_to_ascii"):
        return None
    return mapped(company, lambda c: slugify(owner._to_ascii(c.split(" ")[0]), allow_unicode=True).lower())


def domain_name(locale: str, owner: Any, levels: int = 1) -> Col | None:
    """``domain_word() + "." + domain_name(levels - 1)`` down to the ``tld()``, lower-cased."""
    word, tld = column(locale, "domain_word"), column(locale, "tld")
    if word is None or tld is None or levels < 1 or levels > 8:
        return None
    tail = _lower(tld)
    for _ in range(levels - 1):
        tail = concat([word, ".", tail]) if tail is not None else None
    return None if tail is None else concat([word, ".", tail])


@special(Internet.domain_name)
def _domain_name(locale: str, owner: Any) -> Col | None:
    return domain_name(locale, owner)


def at(locale: str, domain: str | Col | None) -> Col | None:
    """``user_name() + "@" + domain``, lower-cased (the domain picks are already lower case)."""
    user = column(locale, "user_name")
    if user is None or domain is None:
        return None
    return concat([user, "@", domain.lower() if isinstance(domain, str) else domain])


@special(Internet.safe_email)
def _safe_email(locale: str, _owner: Any) -> Col | None:
    return at(locale, column(locale, "safe_domain_name"))


@special(Internet.free_email)
def _free_email(locale: str, _owner: Any) -> Col | None:
    return at(locale, column(locale, "free_email_domain"))


@special(Internet.company_email)
def _company_email(locale: str, _owner: Any) -> Col | None:
    return at(locale, column(locale, "domain_name"))


def email(locale: str, owner: Any, safe: bool = True, domain: str | None = None) -> Col | None:
    """``email(safe, domain)``: a given domain, a safe one, or a parsed ``email_formats`` entry."""
    if domain:
        return at(locale, domain)
    if safe:
        return at(locale, column(locale, "safe_domain_name"))
    items = data.elements(owner.email_formats)
    parsed = None if items is None or not items.strings() else formats(locale, items)
    return None if parsed is None else mapped(parsed, lambda s: "".join(s.split(" ")).lower())


def url(locale: str, owner: Any, schemes: Sequence[str] | None = None) -> Col | None:
    """``f"{scheme}://{format}"`` parsed: a scheme picked evenly (none when ``schemes`` is empty)."""
    items = data.elements(owner.url_formats)
    schemes = ["http", "https"] if schemes is None else list(schemes)
    if items is None or not items.strings() or not all(isinstance(s, str) for s in schemes):
        return None
    rest = formats(locale, items)
    if rest is None:
        return None
    if not schemes:
        return concat(["://", rest])
    scheme = data.elements(tuple(schemes))
    return None if scheme is None else concat([pick(scheme), "://", rest])


def unique_suffix(col: Col, keys: Keys, rows: Sequence[int] | np.ndarray[Any, Any], at_sign: bool) -> Values:
    """``col``'s values with ``.<row>`` embedded before the ``@`` (or at the end): a user name
    never holds a ``.`` (slugify drops it), so distinct rows give distinct values, at any count."""
    values = col(keys).tolist()
    out = np.empty(len(values), dtype=object)
    if at_sign:
        out[:] = [
            f"{u}.{r}@{d}" for (u, _, d), r in zip((v.partition("@") for v in values), rows, strict=True)
        ]
    else:
        out[:] = [f"{v}.{r}" for v, r in zip(values, rows, strict=True)]
    return out
