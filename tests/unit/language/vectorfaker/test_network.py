"""IPv4 addresses from Faker's own networks, IPv6 and MAC addresses as Faker prints them."""

import ipaddress

import pytest
from vectordraws import keys

from seedspec.language.vectorfaker import data, lookup


def test_ipv4_avoids_the_excluded_networks_and_private_ones_are_private() -> None:
    owner = data.method("en_US", "ipv4")
    assert owner is not None
    networks = owner[0]._get_all_networks_and_weights()[0]
    draw = lookup("ipv4", "en_US")
    assert draw is not None
    for value in draw(keys(5000)):
        address = ipaddress.IPv4Address(value)
        assert any(address in n for n in networks)
    private = lookup("ipv4_private", "en_US")
    assert private is not None
    drawn = [ipaddress.IPv4Address(v) for v in private(keys(6000))]
    assert all(a.is_private for a in drawn)
    tens = sum(a in ipaddress.IPv4Network("10.0.0.0/8") for a in drawn) / len(drawn)
    assert abs(tens - 1 / 3) < 0.03  # class a, b or c first (evenly), then an address of its networks


@pytest.mark.parametrize("kwargs", [{"network": True}, {"address_class": "d"}])
def test_ipv4_arguments_without_a_vectorised_form_fall_back(kwargs: dict) -> None:
    assert lookup("ipv4", "en_US", (), kwargs) is None


def test_ipv6_prints_as_ipaddress_does_and_mac_addresses_are_unicast_by_default() -> None:
    draw = lookup("ipv6", "en_US")
    assert draw is not None
    for value in draw(keys(5000)):
        address = ipaddress.IPv6Address(value)
        assert str(address) == value
        assert int(address) >= 2**32
    macs = lookup("mac_address", "en_US")
    multicast = lookup("mac_address", "en_US", (True,))
    assert macs is not None
    assert multicast is not None
    assert all(len(m) == 17 and int(m[:2], 16) % 2 == 0 for m in macs(keys(2000)))
    assert all(int(m[:2], 16) % 2 == 1 for m in multicast(keys(2000)))
