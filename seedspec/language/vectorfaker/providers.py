"""The vectorised providers (registered on import; see the package docstring).

What is covered, by module: ``resolve`` (any zero-argument method whose body is a template shape
of ``data``: picks, parsed formats, numerify / bothify / lexify patterns; every locale), ``person``
(gendered names, prefixes, suffixes), ``address`` (en_US ZIP codes and state abbreviations),
``internet`` (user names, e-mails, domains, URLs), ``lorem``, ``dates`` (relative to the caller's
``now``), ``numbers`` (integers, patterns with a text, colours, ``pyfloat``, ``pydecimal``),
``network`` (IPv4, IPv6, MAC), ``misc`` (phrases, colour names, IBAN, card numbers, file names,
slugs); here: booleans, UUIDs, the zero-argument bridge, e-mail / domain / URL arguments and
:func:`unique_for`. The family modules are imported for their registrations."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from faker.providers.internet import Provider as Internet

from seedspec.language.counterhash import Keys, mix
from seedspec.language.vectorfaker import (
    VectorProvider,
    address,
    data,
    dates,
    internet,
    lookup,
    lorem,
    misc,
    network,
    numbers,
    person,
    provider,
    resolve,
)
from seedspec.language.vectorfaker.expand import HEX, Col, hex_digits, strings

REGISTERING = (
    address,
    dates,
    lorem,
    misc,
    network,
    numbers,
    person,
)  # imported for their registrations (keeps the imports used)


@provider("boolean")
def _boolean(_locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    if args or set(kwargs) - {"chance_of_getting_true"}:
        return None
    chance = int(kwargs.get("chance_of_getting_true", 50))

    def draw(keys: Keys) -> Sequence[Any]:  # Faker: random.randint(1, 100) <= chance
        rolls = (mix(keys, 1) % np.uint64(100)).astype(np.int64) + 1
        return [bool(b) for b in rolls <= chance]

    return draw


_UUID_DIGITS = [i for i in range(36) if i not in (8, 13, 18, 23)]  # 8-4-4-4-12


@provider("uuid4")
def _uuid4(_locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    if args or set(kwargs) - {"cast_to"} or kwargs.get("cast_to", str) is not str:
        return None

    def draw(keys: Keys) -> Sequence[Any]:  # 128 random bits with the version-4 and variant bits set
        high, low = mix(keys, 1), mix(keys, 2)
        digits = np.concatenate([hex_digits(high, 16), hex_digits(low, 16)], axis=1)
        digits[:, 12] = ord("4")  # uuid.UUID(int=..., version=4): the version nibble
        digits[:, 16] = HEX[8 | ((low >> np.uint64(60)) & np.uint64(3)).astype(np.int64)]  # variant 10xx
        matrix = np.full((len(keys), 36), ord("-"), dtype=np.uint32)
        matrix[:, _UUID_DIGITS] = digits
        return strings(matrix, 36).tolist()  # type: ignore[no-any-return]

    return draw


# Zero-argument methods resolved from the locale's own data (see resolve.column): names, places,
# phone numbers, companies, jobs. Any argument -> None (the per-value Faker fallback).
ZERO_ARGUMENT = (
    "first_name", "last_name", "name", "first_name_male", "first_name_female", "first_name_nonbinary",
    "last_name_male", "last_name_female", "last_name_nonbinary", "name_male", "name_female",
    "name_nonbinary", "prefix", "prefix_male", "prefix_female", "prefix_nonbinary", "suffix",
    "suffix_male", "suffix_female", "suffix_nonbinary", "language_name",
    "address", "street_address", "street_name", "street_suffix", "street_prefix", "building_number",
    "secondary_address", "city", "city_prefix", "city_suffix", "state", "state_abbr", "country",
    "postcode", "zipcode", "administrative_unit", "region", "province",
    "phone_number", "msisdn", "country_calling_code",
    "company", "company_suffix", "company_prefix", "catch_phrase", "bs", "job", "job_male", "job_female",
    "user_name", "safe_email", "free_email", "company_email", "free_email_domain", "safe_domain_name",
    "domain_word", "tld", "color_name", "safe_color_name",
)  # fmt: skip


def _resolved(method: str) -> Any:
    def make(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
        col = None if args or kwargs else resolve.column(locale, method)
        return None if col is None else _listed(col)

    return make


class _Listed:
    """A column as a VectorProvider (a list of values); ``col`` stays reachable for ``unique_for``."""

    def __init__(self, col: Col) -> None:
        self.col = col

    def __call__(self, keys: Keys) -> Sequence[Any]:
        return self.col(keys).tolist()  # type: ignore[no-any-return]


def _listed(col: Col) -> VectorProvider:
    return _Listed(col)


for _method in ZERO_ARGUMENT:
    provider(_method)(_resolved(_method))


@provider("email")
def _email(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    owner = data.base_owner(locale, "email", Internet.email)
    if owner is None or len(args) > 2 or set(kwargs) - {"safe", "domain"}:
        return None
    bound = dict(zip(("safe", "domain"), args, strict=False)) | dict(kwargs)
    domain = bound.get("domain")
    if not isinstance(bound.get("safe", True), bool) or not (domain is None or isinstance(domain, str)):
        return None
    col = internet.email(locale, owner, bound.get("safe", True), domain)
    return None if col is None else _listed(col)


@provider("domain_name")
def _domain_name(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    owner = data.base_owner(locale, "domain_name", Internet.domain_name)
    levels = [*args, kwargs.get("levels", 1)][0] if len(args) + len(kwargs) <= 1 else None
    if owner is None or set(kwargs) - {"levels"} or type(levels) is not int:
        return None
    col = internet.domain_name(locale, owner, levels)
    return None if col is None else _listed(col)


@provider("url")
def _url(locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    owner = data.base_owner(locale, "url", Internet.url)
    schemes = [*args, kwargs.get("schemes")][0] if len(args) + len(kwargs) <= 1 else ()
    if owner is None or set(kwargs) - {"schemes"} or not (schemes is None or isinstance(schemes, list)):
        return None
    col = internet.url(locale, owner, schemes)
    return None if col is None else _listed(col)


RowProvider = Callable[[Keys, Sequence[int]], Sequence[Any]]


def unique_for(
    method: str, locale: str, args: tuple[Any, ...] = (), kwargs: Mapping[str, Any] | None = None
) -> RowProvider | None:
    """A variant of ``lookup(method, ...)`` whose values are unique by construction, or None.

    For ``user_name`` and the e-mail methods (``email``, ``safe_email``, ``free_email``,
    ``company_email``): call it as ``draw(keys, rows)`` with each row's number in the step (any
    distinct non-negative ints); the value is the plain one with ``.<row>`` appended to the user
    name (``jsmith.41@example.org``). A Faker user name never holds a ``.``, so distinct rows give
    distinct values at any count: ``unique: true`` needs no retries. Other methods: None.
    """
    if method not in ("user_name", "email", "safe_email", "free_email", "company_email"):
        return None
    plain = lookup(method, locale, args, kwargs)
    col = getattr(plain, "col", None)
    if col is None:
        return None
    at_sign = method != "user_name"

    def draw(keys: Keys, rows: Sequence[int]) -> Sequence[Any]:
        return internet.unique_suffix(col, keys, rows, at_sign).tolist()  # type: ignore[no-any-return]

    return draw
