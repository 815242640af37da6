"""Property test over the agency's time-zone form (issue 8, item 15): whatever is typed, never a 500,
and a refused name writes nothing; an accepted one is a real zone, recorded once."""

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Agency, known_time_zones, suggested_time_zones
from audit.models import AuditEvent

from .test_staff_properties import SETTINGS, TEXT, rolled_back

# Real names as listed and as people type them, near misses, and anything at all.
ZONES = st.sampled_from(suggested_time_zones())
TYPED = st.one_of(ZONES, ZONES.map(str.lower), ZONES.map(lambda zone: zone.replace("_", " ")),
                  ZONES.map(lambda zone: zone + "x"), st.sampled_from(["localtime", "Factory", "/", "UTC "]), TEXT)


@SETTINGS
@given(typed=TYPED)
def test_any_typed_zone_is_saved_as_a_real_zone_or_refused_without_a_write(client_for, admin, agency_a, typed):
    with rolled_back():
        client = client_for(admin)
        before = (Agency.objects.get(pk=agency_a.pk).time_zone, AuditEvent.objects.count())
        response = client.post(reverse("accounts:agency_settings"), {"time_zone": typed})
        after = (Agency.objects.get(pk=agency_a.pk).time_zone, AuditEvent.objects.count())
        assert response.status_code in (302, 400)
        if response.status_code == 400:
            assert after == before
            assert 'class="invalid-feedback' in response.content.decode(), "the reason shows next to the field"
        else:
            assert after[0] in known_time_zones()
            assert after[1] == before[1] + (after[0] != before[0]), "one event for a change, none otherwise"
