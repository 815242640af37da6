import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.hashing import canonical_json, canonical_time, hasher


@pytest.mark.parametrize("moment", [
    datetime(2026, 1, 31, 9, 5, 0, 0, tzinfo=timezone.utc),
    datetime(2026, 1, 31, 9, 5, 0, 7, tzinfo=timezone.utc),
    datetime(2026, 3, 8, 3, 30, 0, 123456, tzinfo=ZoneInfo("America/New_York")),
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
])
def test_canonical_time_is_utc_with_six_digits_of_microseconds(moment):
    assert canonical_time(moment) == moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert canonical_time(moment).endswith("Z") and len(canonical_time(moment)) == 27


# The body's definition: these fields in a JSON object, keys sorted, no spaces, UTF-8 as it is.
# canonical_json writes the same bytes field by field (faster); every stored hash depends on it.
def _defined(key_id, **fields) -> bytes:
    body = {"agency": fields["agency_id"], "sequence": fields["sequence"],
            "occurred_at": canonical_time(fields["occurred_at"]), "actor": fields["actor_id"],
            "action": fields["action"], "target_type": fields["target_type"], "target_id": fields["target_id"],
            "data": fields["data"], "prev_hash": fields["prev_hash"]}
    if key_id:
        body["key_id"] = key_id
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)  # any text JSON can hold
_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | _TEXT,
                       lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                       max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(agency_id=st.integers(1, 2**31), sequence=st.integers(1, 2**62), actor_id=st.none() | st.integers(1, 2**31),
       action=_TEXT, target_type=_TEXT, target_id=_TEXT, data=st.dictionaries(_TEXT, _VALUES, max_size=4),
       prev_hash=_TEXT, key_id=_TEXT,
       occurred_at=st.datetimes(timezones=st.just(timezone.utc), min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_the_body_is_written_exactly_as_its_definition(key_id, **fields):
    assert canonical_json(key_id=key_id, **fields) == _defined(key_id, **fields)


@settings(max_examples=200, deadline=None)
@given(key=st.binary(min_size=1, max_size=200), body=st.binary(max_size=500))
def test_the_event_mac_is_hmac_sha256_for_keys_of_every_length(key, body):
    assert hasher(key)(body) == hmac.new(key, body, hashlib.sha256).hexdigest()
    assert hasher(None)(body) == hashlib.sha256(body).hexdigest()
