"""The vectorised providers (registered on import; see the package docstring)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from seedspec.language.counterhash import Keys, mix
from seedspec.language.vectorfaker import VectorProvider, person, provider, resolve  # noqa: F401
from seedspec.language.vectorfaker.expand import Col


@provider("boolean")
def _boolean(_locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    if args or set(kwargs) - {"chance_of_getting_true"}:
        return None
    chance = int(kwargs.get("chance_of_getting_true", 50))

    def draw(keys: Keys) -> Sequence[Any]:  # Faker: random.randint(1, 100) <= chance
        rolls = (mix(keys, 1) % np.uint64(100)).astype(np.int64) + 1
        return [bool(b) for b in rolls <= chance]

    return draw


@provider("uuid4")
def _uuid4(_locale: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> VectorProvider | None:
    if args or set(kwargs) - {"cast_to"} or kwargs.get("cast_to", str) is not str:
        return None

    def draw(keys: Keys) -> Sequence[Any]:  # 128 random bits with the version-4 and variant bits set
        high, low = mix(keys, 1), mix(keys, 2)
        pairs = zip(high.tolist(), low.tolist(), strict=True)
        return [str(uuid.UUID(int=(h << 64) | lo, version=4)) for h, lo in pairs]

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


def _listed(col: Col) -> VectorProvider:
    def draw(keys: Keys) -> Sequence[Any]:
        return col(keys).tolist()  # type: ignore[no-any-return]

    return draw


for _method in ZERO_ARGUMENT:
    provider(_method)(_resolved(_method))
