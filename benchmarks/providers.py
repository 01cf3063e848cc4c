"""Values per second: the vectorised providers (generator version 3) against Faker per call.

    PYTHONPATH=. python benchmarks/providers.py [N]

One batch of N keys per provider (after a warm-up batch); Faker: N // 20 calls on a seeded instance
(its clock not pinned: the date rows compare a draw over the same span).
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import faker

from seedspec.language import vectorfaker
from seedspec.language.counterhash import row_keys

CASES = [
    ("first_name", (), {}),
    ("last_name", (), {}),
    ("name", (), {}),
    ("user_name", (), {}),
    ("email", (), {}),
    ("free_email", (), {}),
    ("company_email", (), {}),
    ("phone_number", (), {}),
    ("address", (), {}),
    ("city", (), {}),
    ("company", (), {}),
    ("job", (), {}),
    ("word", (), {}),
    ("sentence", (), {}),
    ("random_int", (), {}),
    ("bothify", ("??-####",), {}),
    ("hex_color", (), {}),
    ("mac_address", (), {}),
    ("ipv4", (), {}),
    ("ipv6", (), {}),
    ("iban", (), {}),
    ("credit_card_number", (), {}),
    ("date_of_birth", (), {}),
    ("date_time_between", (), {"start_date": dt.datetime(1995, 1, 1), "end_date": dt.datetime(2025, 1, 1)}),
    ("pyfloat", (), {}),
    ("paragraph", (), {}),
    ("uuid4", (), {}),
]
NOW = dt.datetime(2025, 1, 1)


def main(n: int = 200_000, locale: str = "en_US") -> None:
    fake = faker.Faker(locale)
    fake.seed_instance(1)
    print(f"| provider | vectorised values/s | Faker values/s | ratio |   (N = {n:,}, {locale})")
    print("|---|---:|---:|---:|")
    for method, args, kwargs in CASES:
        draw = vectorfaker.lookup(method, locale, args, kwargs, now=NOW)
        assert draw is not None, method
        draw(row_keys(0, range(1000)))
        keys = row_keys(1, range(n))
        start = time.perf_counter()
        draw(keys)
        ours = n / (time.perf_counter() - start)
        call, calls = getattr(fake, method), max(1, n // 20)
        start = time.perf_counter()
        for _ in range(calls):
            call(*args, **kwargs)
        theirs = calls / (time.perf_counter() - start)
        print(f"| {method} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:,.0f}x |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
