"""A function, not a Faker provider class."""


def make_vehicle() -> str:
    return "Fiat"
