"""The seed of every value: a stable hash of its path (steps re-exports it)."""

from __future__ import annotations

from seedspec.compiler import steps
from seedspec.compiler.seeds import derive_seed


def test_a_seed_is_a_stable_64_bit_hash_of_its_path() -> None:
    assert derive_seed(42, "user:records") == 0xC6A4FD5B0D759153
    assert derive_seed(42, "user", "0") != derive_seed(42, "user", "1")
    assert steps.derive_seed is derive_seed
