"""The example's own code: a Faker provider and a custom generator (named in constructs.yaml)."""

from __future__ import annotations

import random
from typing import Any

from faker.providers import BaseProvider


class VehicleProvider(BaseProvider):
    """A tiny stand-in for a provider package such as faker_vehicle."""

    makes = ("Citroen", "Fiat", "Peugeot", "Renault", "Skoda", "Volvo")

    def vehicle_make(self) -> str:
        return str(self.random_element(self.makes))


def member_code(row: dict[str, Any], n: int, rng: random.Random, fake: Any, *, prefix: str) -> str:
    """``U-00042-7``: the row's index and a seeded check digit."""
    return f"{prefix}-{n:05d}-{rng.randint(0, 9)}"
