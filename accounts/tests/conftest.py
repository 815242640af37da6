import time
from binascii import unhexlify

import pytest
from django_otp.oath import TOTP

from accounts import two_factor


def code_for(key: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows for this key (`steps_ahead` 30-second steps from now)."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


@pytest.fixture
def enrol():
    """Turn on two-factor sign-in for a membership's person; returns (key, recovery codes)."""

    def make(membership) -> tuple[str, list[str]]:
        key = two_factor.new_totp_key()
        _device, codes = two_factor.two_factor_enrol(user=membership.user, key=key, token=code_for(key))
        membership.user.refresh_from_db()
        return key, codes

    return make
