"""A Faker provider defined next to the spec."""

from faker.providers import BaseProvider


class VehicleProvider(BaseProvider):
    def vehicle_make(self) -> str:
        return str(self.random_element(("Fiat", "Volvo")))

    def vehicle_model(self) -> str:
        return str(self.random_element(("Panda", "V70")))
