"""The registry: covered methods give a provider, the rest None (the per-value Faker fallback)."""

from seedspec.language import vectorfaker
from seedspec.language.counterhash import row_keys


def test_a_covered_method_gives_values_that_are_pure_functions_of_the_keys() -> None:
    uuid4 = vectorfaker.lookup("uuid4", "en_US")
    assert uuid4 is not None
    keys = row_keys(3, range(100))
    assert list(uuid4(keys)) == list(uuid4(keys))
    assert list(uuid4(keys[50:])) == list(uuid4(keys))[50:]
    assert all(value[14] == "4" for value in uuid4(keys))


def test_unknown_methods_and_unsupported_arguments_fall_back() -> None:
    assert vectorfaker.lookup("no_such_method", "en_US") is None
    assert vectorfaker.lookup("uuid4", "en_US", (), {"cast_to": None}) is None
    assert "boolean" in vectorfaker.covered()
