"""The agency's own time zone: the settings page, its checks, its audit event and the stored default."""

import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts import services
from accounts.models import Agency, Role, canonical_time_zone, known_time_zones
from audit.models import AuditAction, AuditEvent
from tests.factories import MembershipFactory

from .test_races import _at_once, _hold_both_at, _signed_in

SETTINGS = reverse("accounts:agency_settings")


def zone_events(agency) -> list[dict]:
    return list(AuditEvent.objects.filter(agency=agency, action=AuditAction.TIME_ZONE_CHANGED)
                .order_by("sequence").values_list("data", flat=True))


def test_a_new_agency_starts_in_the_sites_time_zone(db, settings):
    settings.TIME_ZONE = "Europe/Madrid"
    assert Agency.objects.create(name="Northside", slug="northside").time_zone == "Europe/Madrid"


def test_the_page_shows_the_zone_its_local_time_and_a_list_of_zones(client_for, admin):
    body = client_for(admin).get(SETTINGS).content.decode()
    assert "Settings of Riverside Early Intervention" in body
    assert re.search(r'<input type="text" name="time_zone" value="America/New_York"[^>]* list="id_time_zone-options"',
                     body)
    datalist = re.search(r'<datalist id="id_time_zone-options">(.*?)</datalist>', body).group(1)
    assert '<option value="Europe/Madrid"></option>' in datalist and '<option value="UTC"></option>' in datalist
    assert "EST5EDT" not in datalist, "old aliases still work when typed, but aren't offered"
    assert "in America/New_York." in body
    staff_page = client_for(admin).get(reverse("accounts:staff_list")).content.decode()
    assert f'href="{SETTINGS}">Agency settings</a>' in staff_page


def test_an_admin_moves_the_agency_to_another_zone_and_it_is_recorded(client_for, admin, agency_a):
    client = client_for(admin)
    response = client.post(SETTINGS, {"time_zone": "  europe/madrid "}, follow=True)
    agency_a.refresh_from_db()
    assert agency_a.time_zone == "Europe/Madrid", "case and spaces forgiven, the exact name stored"
    body = response.content.decode()
    assert "Saved. Riverside Early Intervention works in Europe/Madrid time" in body
    assert zone_events(agency_a) == [{"from": "America/New_York", "to": "Europe/Madrid"}]
    assert AuditEvent.objects.get(action=AuditAction.TIME_ZONE_CHANGED).actor == admin.user
    # The very next page already runs on Madrid time.
    assert "in Europe/Madrid." in client.get(SETTINGS).content.decode()
    client.post(SETTINGS, {"time_zone": "Europe/Madrid"})
    assert len(zone_events(agency_a)) == 1, "saving the same zone again records nothing"


@pytest.mark.parametrize("typed", ["Mars/Olympus_Mons", "localtime", "Factory", "../../etc/passwd", "New York", ""])
def test_an_unknown_zone_is_explained_next_to_the_field_and_kept(client_for, admin, agency_a, typed):
    response = client_for(admin).post(SETTINGS, {"time_zone": typed})
    assert response.status_code == 400
    errors = response.context["form"].errors["time_zone"]
    body = response.content.decode()
    if typed:
        assert errors == ["That isn't a time zone we know. Choose one from the list: a region and a city, such as "
                          "America/Chicago or Europe/Madrid."]
        assert 'id="error_1_id_time_zone"' in body
        assert f'value="{typed}"' in body, "what was typed stays in the box"
    else:
        assert errors == ["This field is required."]
    agency_a.refresh_from_db()
    assert agency_a.time_zone == "America/New_York" and zone_events(agency_a) == []


def test_a_nul_character_is_refused_by_the_form(client_for, admin, agency_a):
    response = client_for(admin).post(SETTINGS, {"time_zone": "Europe/\x00Madrid"})
    assert response.status_code == 400 and "Null characters are not allowed." in response.content.decode()
    agency_a.refresh_from_db()
    assert agency_a.time_zone == "America/New_York"


def test_only_the_agencys_admins_may_change_it(client_for, practitioner, supervisor, agency_a):
    for member in (practitioner, supervisor):
        assert client_for(member).post(SETTINGS, {"time_zone": "Europe/Madrid"}).status_code == 403
    agency_a.refresh_from_db()
    assert agency_a.time_zone == "America/New_York"


def test_it_changes_the_signed_in_agency_only(client_for, admin, outsider, agency_a, agency_b):
    client_for(outsider).post(SETTINGS, {"time_zone": "Pacific/Honolulu"})
    agency_a.refresh_from_db(), agency_b.refresh_from_db()
    assert (agency_a.time_zone, agency_b.time_zone) == ("America/New_York", "Pacific/Honolulu")


def test_the_service_refuses_an_unknown_zone_and_writes_nothing(admin, agency_a):
    with pytest.raises(ValidationError) as caught:
        services.agency_set_time_zone(agency=agency_a, actor=admin.user, time_zone="Atlantis/Capital")
    assert caught.value.code == "unknown_time_zone"
    agency_a.refresh_from_db()
    assert agency_a.time_zone == "America/New_York" and zone_events(agency_a) == []


def test_typed_names_are_matched_forgivingly_but_only_to_real_zones():
    assert canonical_time_zone("america/new york") == "America/New_York"
    assert canonical_time_zone(" PACIFIC/HONOLULU ") == "Pacific/Honolulu"
    assert canonical_time_zone("Honolulu") is None
    assert "localtime" not in known_time_zones() and "America/Chicago" in known_time_zones()


def test_a_zone_gone_from_the_tz_database_falls_back_to_the_sites_until_the_admin_chooses(
        client_for, admin, agency_a, settings):
    Agency.objects.filter(pk=agency_a.pk).update(time_zone="Gone/Away")
    agency_a.refresh_from_db()
    assert agency_a.zone == zoneinfo.ZoneInfo(settings.TIME_ZONE)
    client = client_for(admin)
    assert "in America/New_York." in client.get(SETTINGS).content.decode(), "the page still opens"
    assert client.post(SETTINGS, {"time_zone": "America/Chicago"}).status_code == 302
    assert zone_events(agency_a) == [{"from": "", "to": "America/Chicago"}]


@pytest.mark.django_db(transaction=True)
def test_agencies_there_before_the_setting_keep_the_zone_they_were_judged_in(settings):
    settings.TIME_ZONE = "America/Denver"
    before, after = [("accounts", "0004_signin_security")], [("accounts", "0005_agency_time_zone")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("accounts", "Agency").objects.create(name="Riverside", slug="riverside")
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    assert new.get_model("accounts", "Agency").objects.get(slug="riverside").time_zone == "America/Denver"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_admins_saving_at_once_leave_a_consistent_trail(admin, agency_a):
    """Both requests meet just before saving: the row lock makes the second wait for the first and read
    what it wrote, so its event's "from" is the first one's "to" (without it, both would say New York)."""
    other = MembershipFactory(agency=agency_a, role=Role.ADMIN)
    clients = [_signed_in(admin), _signed_in(other)]
    with _hold_both_at(Agency, "save"):
        responses = _at_once(*(lambda client=client, zone=zone: client.post(SETTINGS, {"time_zone": zone})
                               for client, zone in zip(clients, ("Europe/Madrid", "Pacific/Honolulu"))))
    assert [response.status_code for response in responses] == [302, 302]
    first, second = zone_events(agency_a)
    assert first["from"] == "America/New_York" and second["from"] == first["to"]
    agency_a.refresh_from_db()
    assert agency_a.time_zone == second["to"]
