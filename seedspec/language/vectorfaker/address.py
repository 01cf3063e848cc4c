"""Places whose locale methods are more than a pick: ``en_US``'s numeric ZIP codes and its state
abbreviations with the territories (the rest resolve by shape, see :mod:`resolve`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from faker.providers.address.en_US import Provider as UnitedStates

from seedspec.language.counterhash import Keys, below, mix
from seedspec.language.vectorfaker import data
from seedspec.language.vectorfaker.expand import Col, Values, pick
from seedspec.language.vectorfaker.resolve import special


def integers(keys: Keys, low: int, high: int) -> np.ndarray[Any, np.dtype[np.int64]]:
    """``random.randint(low, high)`` per key (a span below 2**53)."""
    return low + below(keys, high - low + 1)


@special(UnitedStates.postcode)
def _zip(_locale: str, _owner: Any) -> Col:
    def draw(keys: Keys) -> Values:  # "%05d" % randint(501, 99950)
        codes = integers(mix(keys, 1), 501, 99950)
        return np.char.zfill(codes.astype("U5"), 5).astype(object)

    return Col(draw)


@special(UnitedStates.state_abbr)
def _state_abbr(_locale: str, owner: Any) -> Col | None:  # both inclusions default to True
    items = data.elements(
        tuple(owner.states_abbr) + tuple(owner.territories_abbr) + tuple(owner.freely_associated_states_abbr)
    )
    return None if items is None else pick(items)
