"""Names: the gendered variants of ``faker.providers.person.Provider`` (their ``hasattr``
fallbacks; the job provider's ``job_male`` / ``job_female`` have the same shape), prefixes and
suffixes; plain ``first_name`` / ``last_name`` / ``name`` resolve by shape."""

from __future__ import annotations

from typing import Any

from faker.providers.job import Provider as Job
from faker.providers.person import Provider as Person
from faker.utils.datasets import add_ordereddicts

from seedspec.language.counterhash import below, mix
from seedspec.language.vectorfaker import data
from seedspec.language.vectorfaker.expand import Col, constant, pick, switch
from seedspec.language.vectorfaker.resolve import column, formats, pick_attr, special

_GENDERED = {  # method -> (the attribute it picks from when present, the method it falls back to)
    Person.first_name_male: ("first_names_male", "first_name"),
    Person.first_name_female: ("first_names_female", "first_name"),
    Person.first_name_nonbinary: ("first_names_nonbinary", "first_name"),
    Person.last_name_male: ("last_names_male", "last_name"),
    Person.last_name_female: ("last_names_female", "last_name"),
    Person.last_name_nonbinary: ("last_names_nonbinary", "last_name"),
    Person.prefix_male: ("prefixes_male", "prefix"),
    Person.prefix_female: ("prefixes_female", "prefix"),
    Person.prefix_nonbinary: ("prefixes_nonbinary", "prefix"),
    Person.suffix_male: ("suffixes_male", "suffix"),
    Person.suffix_female: ("suffixes_female", "suffix"),
    Person.suffix_nonbinary: ("suffixes_nonbinary", "suffix"),
    Job.job_male: ("jobs_male", "job"),
    Job.job_female: ("jobs_female", "job"),
}
_NAMES = {
    Person.name_male: "formats_male",
    Person.name_female: "formats_female",
    Person.name_nonbinary: "formats_nonbinary",
}


def _gendered(function: Any) -> Any:
    attr, fallback = _GENDERED[function]

    def build(locale: str, owner: Any) -> Col | None:
        return pick_attr(owner, attr) if hasattr(owner, attr) else column(locale, fallback)

    return build


for _function in _GENDERED:
    special(_function)(_gendered(_function))


def _name(function: Any) -> Any:
    attr = _NAMES[function]

    def build(locale: str, owner: Any) -> Col | None:
        items = data.elements(getattr(owner, attr, owner.formats))
        return None if items is None or not items.strings() else formats(locale, items)

    return build


for _function in _NAMES:
    special(_function)(_name(_function))


def _affix(plain: str) -> Any:
    """``prefix`` / ``suffix``: one list, the three gendered dicts summed, or male or female
    (chosen evenly) then an entry of that one; ``""`` when the locale has none."""

    def build(_locale: str, owner: Any) -> Col | None:
        male, female, nonbinary = (f"{plain}_male", f"{plain}_female", f"{plain}_nonbinary")
        if hasattr(owner, plain):
            return pick_attr(owner, plain)
        if all(hasattr(owner, a) for a in (male, female, nonbinary)):
            merged = add_ordereddicts(getattr(owner, male), getattr(owner, female), getattr(owner, nonbinary))
            items = data.elements(merged)
            return None if items is None or not items.strings() else pick(items)
        if hasattr(owner, male) and hasattr(owner, female):
            sides = [pick_attr(owner, male), pick_attr(owner, female)]
            if sides[0] is None or sides[1] is None:
                return None
            return switch(lambda keys: below(mix(keys, 1), 2), [s for s in sides if s is not None])
        return constant("")

    return build


special(Person.prefix)(_affix("prefixes"))
special(Person.suffix)(_affix("suffixes"))
