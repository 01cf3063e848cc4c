"""Faker generators with the providers a spec registers (``settings.faker_providers``).

A provider is named ``package.module:Class`` and imported like a custom generator, with the
spec's folder first on ``sys.path`` (this runs that module's code).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from seedspec.language.usercode import ImportTargetError, import_object

Providers = tuple[tuple[str, str], ...]  # (module:Class, the folder it is imported from)


@cache
def provider_class(target: str, base_dir: str) -> type:
    """The Faker provider class ``target``, imported from ``base_dir``.

    Raises:
        ImportTargetError: it cannot be imported, or is not a Faker provider class.
    """
    from faker.providers import BaseProvider

    obj = import_object(target, Path(base_dir))
    if not (isinstance(obj, type) and issubclass(obj, BaseProvider)):
        raise ImportTargetError(
            f"'{target}' is not a Faker provider class",
            "point at a subclass of faker.providers.BaseProvider, such as 'faker_vehicle:VehicleProvider'",
        )
    return obj


def create_faker(locale: str, providers: Providers = ()) -> Any:
    """A new Faker generator for ``locale`` with ``providers`` added."""
    import faker

    generator = faker.Factory.create(locale)
    for target, base_dir in providers:
        generator.add_provider(provider_class(target, base_dir))
    return generator


def transliterate(text: str) -> str:
    """``text`` in ASCII letters by Faker's table: ``"Ærøskøbing Straße"`` -> ``"AEroskobing Strasse"``,
    ``"Привет"`` -> ``"Privet"`` (``slugify``, generator version 2)."""
    from faker.decode import unidecode

    return str(unidecode(text))
