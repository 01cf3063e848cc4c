"""Reading Faker's data: the shapes a method body is recognised by, and what a pick reads."""

from collections import OrderedDict

from seedspec.language.vectorfaker import data


class _Sample:
    states = ("A", "B")

    def random_element(self, x: object) -> object:
        return x

    def state(self) -> object:
        """A docstring does not change the shape."""
        return self.random_element(self.states)

    def other(self) -> object:
        return self.random_element(self.states)[0]  # type: ignore[index]


def test_a_one_line_pick_is_recognised_and_anything_else_is_not() -> None:
    assert data.shape(_Sample.state) == ("element", "states")
    assert data.shape(_Sample.other) is None
    found = data.method("en_US", "first_name")
    assert found is not None
    assert data.shape(found[1]) == ("element", "first_names")


def test_elements_read_weights_from_ordered_dicts_only() -> None:
    weighted = data.elements(OrderedDict([("a", 1.0), ("b", 3.0)]))
    assert weighted is not None
    assert weighted.values == ("a", "b")
    assert list(weighted.cumulative) == [1.0, 4.0]  # type: ignore[arg-type]
    assert data.elements({"a": 1.0}) is None  # Faker refuses a plain dict
    assert data.elements(()) is None
    uniform = data.elements(["x", "y"])
    assert uniform is not None
    assert uniform.cumulative is None
