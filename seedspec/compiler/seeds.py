"""The seed of every value: a stable 64-bit hash of the path that names it. Pure."""

from __future__ import annotations

import hashlib


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from a stable path such as (spec seed, step id, row id, column)."""
    digest = hashlib.blake2b("/".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")
