"""Shared draws and bounds for the vectorfaker tests (tests/unit/language/vectorfaker/)."""

import re
from collections import OrderedDict
from functools import cache

import faker.config
import numpy as np

from seedspec.language.counterhash import row_keys

LOCALES = tuple(loc for loc in faker.config.AVAILABLE_LOCALES if loc != "fr_QC")  # fr_QC: deprecated, warns
SAMPLED = ("en_US", "de_DE", "fr_FR", "es_ES", "pt_BR", "ru_RU")  # the 100,000-draw frequency tests
CHI2_20 = 45.31  # 20 degrees of freedom, p = 0.001


def keys(n: int, seed: int = 11) -> np.ndarray:
    return row_keys(seed, range(n))


def chi_square_top(drawn: list, values: tuple, weights: np.ndarray | None) -> float:
    """Chi-square of the 20 likeliest values and "the rest" against the expected shares."""
    probs = np.ones(len(values)) if weights is None else np.diff(np.concatenate([[0.0], weights]))
    probs = probs / probs.sum()
    share: dict = {}
    for v, p in zip(values, probs, strict=True):
        share[v] = share.get(v, 0.0) + p
    top = sorted(share, key=lambda v: -share[v])[:20]
    counts = dict.fromkeys(top, 0)
    for v in drawn:
        if v in counts:
            counts[v] += 1
    n = len(drawn)
    observed = [counts[v] for v in top] + [n - sum(counts.values())]
    expected = [share[v] * n for v in top] + [n * (1 - sum(share[v] for v in top))]
    return float(sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True) if e > 0))


_PLACES = {"#": "[0-9]", "%": "[1-9]", "$": "[2-9]", "!": "[0-9]?", "@": "[1-9]?", "?": "[A-Za-z]"}


def placeholders(text: str, letters: bool, upper: bool = False) -> str:
    """A regex of what numerify (and lexify) make of ``text``."""
    table = dict(_PLACES) if letters else {k: v for k, v in _PLACES.items() if k != "?"}
    if upper:
        table["?"] = "[A-Z]"
    return "".join(table.get(c, re.escape(c)) for c in text)


@cache
def method_regex(locale: str, method: str, depth: int = 0) -> str:
    """A regex of every value ``generator.<method>()`` can give, read from Faker's data the way
    Faker's code does (independently of the columns under test): picks, parsed formats, patterns."""
    from seedspec.language.vectorfaker import data

    found = data.method(locale, method)
    shape = None if found is None else data.shape(found[1])
    if shape is None and found is not None:
        shape = _gendered(found[0], method)
    if shape is None or depth > 6:
        return ".*"
    kind, attr = shape
    if kind == "affix":
        lists = [
            getattr(found[0], a, ()) for a in (attr, f"{attr}_male", f"{attr}_female", f"{attr}_nonbinary")
        ]
        return "(?:" + "|".join(re.escape(str(v)) for lst in lists for v in lst) + "|)"  # type: ignore[attr-defined]
    if kind == "alias":
        return method_regex(locale, attr, depth + 1)
    value = getattr(found[0], attr)  # type: ignore[index]
    values = [value] if kind.endswith("_one") else list(value)
    if kind == "element":  # a long list is checked by the pick tests; here, its characters only
        if len(values) > 200:
            return "[" + "".join(re.escape(c) for c in sorted(set("".join(map(str, values))))) + "]+"
        return "(?:" + "|".join(re.escape(str(v)) for v in sorted(values, key=len, reverse=True)) + ")"
    if kind.startswith("parse"):
        return "(?:" + "|".join(format_regex(locale, str(v), depth + 1) for v in values) + ")"
    letters = kind != "numerified" and kind != "numerified_one"
    upper = kind == "bothified_upper"
    return (
        "(?:"
        + "|".join(placeholders(str(v).upper() if upper else str(v), letters, upper) for v in values)
        + ")"
    )


def _gendered(owner: object, method: str) -> tuple[str, str] | None:
    """person.Provider's hasattr fallbacks, read from Faker's code: ``name_female`` parses
    ``formats_female`` if present else ``formats``; ``first_name_female`` picks ``first_names_female``
    if present else calls ``first_name``; prefixes and suffixes: any of their lists, or ``""``."""
    base, _, gender = method.partition("_")
    if method.startswith(("name_", "first_name_", "last_name_")):
        plural = {"name": "formats", "first": "first_names", "last": "last_names"}[base]
        gender = method.rsplit("_", 1)[1]
        attr = f"{plural}_{gender}"
        if hasattr(owner, attr):
            return ("parse" if base == "name" else "element"), attr
        return ("parse", "formats") if base == "name" else ("alias", f"{base}_name")
    if base in ("prefix", "suffix"):
        return "affix", base + "es"
    return None


def format_regex(locale: str, text: str, depth: int = 0) -> str:
    out, at = [], 0
    for match in _TOKEN.finditer(text):
        out += [re.escape(text[at : match.start()]), method_regex(locale, match.group(1), depth)]
        at = match.end()
    return "".join([*out, re.escape(text[at:])])


_TOKEN = re.compile(r"\{\{\s*(\w+)(:\s*\w+?)?\s*\}\}")


def chi_square_critical(df: int, z: float = 3.090) -> float:
    """The chi-square quantile at p = 0.001 (Wilson-Hilferty; z is the normal's 0.999 quantile)."""
    return float(df * (1 - 2 / (9 * df) + z * (2 / (9 * df)) ** 0.5) ** 3)


def two_sample_chi_square(ours: list, theirs: list) -> tuple[float, int]:
    """Chi-square of two samples' category counts (categories seen fewer than 5 times pooled)."""
    from collections import Counter

    a, b = Counter(ours), Counter(theirs)
    na, nb = len(ours), len(theirs)
    rare = {k for k in set(a) | set(b) if (a[k] + b[k]) * min(na, nb) / (na + nb) < 5}
    cats = [k for k in set(a) | set(b) if k not in rare]
    rows = [(a[k], b[k]) for k in cats] + [(sum(a[k] for k in rare), sum(b[k] for k in rare))]
    rows = [r for r in rows if sum(r)]
    chi = 0.0
    for x, y in rows:
        total = x + y
        for observed, n in ((x, na), (y, nb)):
            expected = total * n / (na + nb)
            chi += (observed - expected) ** 2 / expected
    return chi, max(1, len(rows) - 1)


# The hand-written columns (vectorfaker.resolve.special) and the methods each is built on.
_BUILT_ON = {
    "domain_word": ("company",),
    "domain_name": ("domain_word", "tld"),
    "email": ("user_name", "safe_domain_name"),
    "safe_email": ("user_name", "safe_domain_name"),
    "free_email": ("user_name", "free_email_domain"),
    "company_email": ("user_name", "domain_name"),
    "url": ("domain_name",),
}

_PLURAL = {"first_name": "first_names", "last_name": "last_names", "prefix": "prefixes", "suffix": "suffixes"}


def _ingredients(method: str, owner: object, func: object) -> list[str]:
    """The methods ``method``'s column is built from: the tokens of the formats it parses, the
    method it aliases or falls back to (Faker's ``hasattr`` checks), the columns it joins."""
    from seedspec.language.vectorfaker import data

    shape = data.shape(func)  # type: ignore[arg-type]
    if shape is not None and shape[0] == "alias":
        return [shape[1]]
    attr = shape[1] if shape is not None and shape[0].startswith("parse") else None
    gender = method.rsplit("_", 1)[-1]
    if method == "user_name":
        attr = "user_name_formats"
    elif method.startswith("name_"):
        attr = f"formats_{gender}" if hasattr(owner, f"formats_{gender}") else "formats"
    found: list[str] = list(_BUILT_ON.get(method, ()))
    base, _, rest = method.rpartition("_")
    if base in _PLURAL and rest in ("male", "female", "nonbinary"):
        found += [] if hasattr(owner, f"{_PLURAL[base]}_{rest}") else [base]
    items = data.elements(getattr(owner, attr, None)) if attr else None
    for value in items.values if items is not None else ():
        found += [m.group(1) for m in _TOKEN.finditer(str(value))]
    return found


def assert_explained(locale: str, method: str) -> None:
    """``method`` falls back for ``locale`` because of Faker's code (see :func:`fallback_cause`)."""
    assert fallback_cause(locale, method) is not None, f"{method} falls back for {locale}: no cause in Faker"


def fallback_cause(locale: str, method: str, depth: int = 0) -> str | None:
    """Why ``resolve.column(locale, method)`` is None, traced into Faker's code: the locale has no
    such method, or the method (or one it is built on) is a locale's override whose body has none
    of the shapes ``vectorfaker.data`` recognises, or a Faker method with no vectorised form
    (``year``) that we do not claim to vectorise. None when no such cause is found: the fallback is
    a regression, not Faker's."""
    from faker.providers.internet import Provider as Internet

    from seedspec.language.vectorfaker import covered, data, resolve
    from seedspec.language.vectorfaker.resolve import _SPECIAL

    found = data.method(locale, method)
    if found is None:
        return f"Faker has no {method} for {locale}"
    owner, func = found
    shape = data.shape(func)
    if func not in _SPECIAL and shape is None and func not in (Internet.email, Internet.url):
        where = f"{func.__module__}.{func.__qualname__}"
        if func.__module__.count(".") >= 3:  # faker.providers.<family>.<locale>
            return f"{locale} overrides {method} ({where}) with code of no known shape"
        # Faker's own method, not overridden: a cause only for one we do not claim to vectorise
        return None if method in covered() else f"Faker's {where} has no vectorised form"
    read = getattr(owner, shape[1], None) if shape is not None and shape[0] != "alias" else None
    if read is not None and not isinstance(read, list | tuple | str | OrderedDict):
        return f"{locale}'s {shape[1]} is a {type(read).__name__}, which data.elements does not read"  # type: ignore[index]
    if depth > 6:
        return None
    for token in dict.fromkeys(_ingredients(method, owner, func)):
        if resolve.column(locale, token) is None:
            cause = fallback_cause(locale, token, depth + 1)
            if cause is not None:
                return f"{method} is built on {token}: {cause}"
    return None
