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
    table = _charwise(whole, lambda c: owner._to_ascii(c.lower()), alphabet, owner)
    if table is not None and not all(_no_hyphen_runs(table, lits, toks) for lits, toks in pieces):
        table = None
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


def _charwise(whole: Any, before: Any, alphabet: set[str], owner: Any) -> dict[str, str] | None:
    """The transform as a per-character table, when it provably is one over ``alphabet``: each
    character maps alone (no context: no final-sigma lowering, single-character replacements) to
    ASCII text, and no character is, or becomes before slugify (``before``), whitespace, which
    slugify strips or turns into a hyphen depending on its neighbours. Hyphen runs are the
    callers' to check (:func:`_no_hyphen_runs`)."""
    if "Σ" in alphabet or any(len(search) != 1 for search, _ in owner.replacements):
        return None
    if any(ch.isspace() for c in alphabet for ch in c + before(c)):
        return None
    table = {c: whole(c) for c in alphabet}
    if any(_PLACEHOLDERS & set(t) or any(ch.isspace() for ch in t) for t in table.values()):
        return None
    if any(not c.isascii() for c in table.values()):
        return None
    return table


def _no_hyphen_runs(
    table: dict[str, str], literals: list[str], tokens: list[Col], expand: bool = True
) -> bool:
    """Joined pieces never hold ``--`` (which slugify would collapse): no piece does, and no token
    value is empty or starts or ends with a hyphen (a literal's neighbours are token values; a
    literal that may lose a character, ``!`` or ``@``, holds no hyphen)."""

    def mapped_text(text: str) -> str:
        return "".join(c if expand and c in _PLACEHOLDERS else table[c] for c in text)

    for literal in literals:
        shown = mapped_text(literal)
        if "--" in shown or (expand and "-" in shown and set(literal) & set("!@")):
            return False
    for token in tokens:
        for value in token.values or ():
            shown = mapped_text(str(value))
            if not shown or shown[0] == "-" or shown[-1] == "-" or "--" in shown:
                return False
    return True


def _bothified(
    literals: list[str], tokens: list[Col], table: dict[str, str] | None, expand: bool = True
) -> Col:
    """``bothify`` of a parsed format (no expansion when not ``expand``), the per-character
    transform (if any) applied to each piece: to token values once, to literals before expansion
    (a placeholder stays, a letter drawn by ``?`` is lower-cased: the 52 letters fold evenly onto 26)."""
    parts: list[Col | str] = []
    for i, literal in enumerate(literals):
        if not expand:  # as resolve.parse lays out a format (no empty literals): the same keys
            assert table is not None
            if literal:
                parts.append("".join(table[c] for c in literal))
        else:
            letters = LETTERS if table is None else "".join(table[c] for c in LETTERS)
            text = (
                literal if table is None else "".join(c if c in _PLACEHOLDERS else table[c] for c in literal)
            )
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
    """The company's first word, transformed: per piece when the transform provably is
    per-character (see :func:`_first_words`), else per value."""
    company = column(locale, "company")
    if company is None or not _own(owner, "_to_ascii"):
        return None

    def whole(text: str) -> str:
        return str(slugify(owner._to_ascii(text), allow_unicode=True)).lower()

    fast = _first_words(locale, owner, whole)
    return fast if fast is not None else mapped(company, lambda c: whole(c.split(" ")[0]))


def _first_words(locale: str, owner: Any, whole: Any) -> Col | None:
    """``company().split(" ")[0]`` transformed, built from the company formats' leading pieces
    (up to the first space of a literal; a token whose values hold a space gives None)."""
    found = data.method(locale, "company")
    kind = None if found is None else data.shape(found[1])
    if found is None or kind is None or kind[0] not in ("parse", "parse_inline"):
        return None
    items = data.elements(getattr(found[0], kind[1], None))
    if items is None or not items.strings():
        return None
    heads = []
    for text in items.values:
        split = _split(locale, str(text))
        if split is None:
            return None
        literals, tokens = split
        head_literals, head_tokens = [literals[0].split(" ")[0]], []
        if " " not in literals[0]:
            for token, literal in zip(tokens, literals[1:], strict=True):
                if any(" " in str(v) for v in token.values or ()):
                    return None
                head_tokens.append(token)
                head_literals.append(literal.split(" ")[0])
                if " " in literal:
                    break
        heads.append((head_literals, head_tokens))
    alphabet = {c for lits, toks in heads for text in [*lits, *(str(v) for t in toks for v in t.values or ())]
                for c in text}  # fmt: skip
    table = _charwise(whole, owner._to_ascii, alphabet, owner)
    if table is None or not all(_no_hyphen_runs(table, lits, toks, expand=False) for lits, toks in heads):
        return None
    branches = [_bothified(lits, toks, table, expand=False) for lits, toks in heads]
    return switch(lambda keys: index_of(items, keys), branches)


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
