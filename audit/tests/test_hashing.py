from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from audit.hashing import canonical_time


@pytest.mark.parametrize("moment", [
    datetime(2026, 1, 31, 9, 5, 0, 0, tzinfo=timezone.utc),
    datetime(2026, 1, 31, 9, 5, 0, 7, tzinfo=timezone.utc),
    datetime(2026, 3, 8, 3, 30, 0, 123456, tzinfo=ZoneInfo("America/New_York")),
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
])
def test_canonical_time_is_utc_with_six_digits_of_microseconds(moment):
    assert canonical_time(moment) == moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert canonical_time(moment).endswith("Z") and len(canonical_time(moment)) == 27
