"""The client address that lockouts and reset limits count: X-Forwarded-For only as far as our proxies."""

import pytest
from django.test import RequestFactory

from accounts.client import client_ip

CASES = [
    # (trusted proxies, REMOTE_ADDR, X-Forwarded-For, expected client)
    (0, "192.0.2.10", "203.0.113.5", "192.0.2.10"),  # no proxy: the header is the client's own words
    (1, "10.0.0.1", "203.0.113.5", "203.0.113.5"),  # one proxy: the entry it appended
    (1, "10.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged entry to its left is ignored
    (2, "10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.1", "203.0.113.5"),  # two proxies: second from the right
    (2, "10.0.0.2", "203.0.113.5", "203.0.113.5"),  # fewer entries than proxies: the leftmost
    (1, "10.0.0.1", "", "10.0.0.1"),  # no header at all
    (1, "10.0.0.1", "not-an-address", "10.0.0.1"),  # garbage never becomes a key
    (1, "10.0.0.1", " 2001:db8::1 ", "2001:db8::1"),
]


@pytest.mark.parametrize("proxies, remote, forwarded, expected", CASES)
def test_it_takes_the_address_our_own_proxies_saw(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
