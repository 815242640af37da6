"""One date and one date-and-time format on every page, in the agency's time zone, from the active locale."""

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from boundaries.dates import show_day, show_moment, show_time
from scenarios.tests.conftest import RECEIVED, facebook_from_parent

ROOT = Path(settings.BASE_DIR)
APPS = ("accounts", "api", "audit", "boundaries", "notifications", "policies", "scenarios", "training")


def test_no_template_writes_a_date_format_of_its_own():
    # |date:'c' is the machine-readable datetime attribute of <time>, not shown to people.
    found = [f"{path.relative_to(ROOT)}: {match}" for path in (ROOT / "templates").rglob("*.*")
             for match in re.findall(r"\|date:(['\"])(.*?)\1", path.read_text()) if match[1] != "c"]
    assert found == []


def test_no_python_code_writes_a_date_in_words_of_its_own():
    # Month and weekday names (%B %b %A %a) are how the five formats crept in; times for data (%H:%M
    # in a policy document) are codes, not words.
    pattern = re.compile(r"%[BbAa]\b|:%[BbAa]")
    found = [str(path.relative_to(ROOT)) for app in APPS for path in (ROOT / app).rglob("*.py")
             if "tests" not in path.parts and "migrations" not in path.parts and pattern.search(path.read_text())]
    assert found == []


def test_the_same_moment_reads_the_same_on_every_page(client_for, practitioner, supervisor, admin):
    from scenarios import services

    contact_request = services.request_log(agency=practitioner.agency, practitioner=practitioner.user,
                                           **facebook_from_parent())
    shown = "10 Mar 2026, 21:05"
    assert show_moment(RECEIVED) == shown
    assert shown in client_for(practitioner).get(reverse("scenarios:list")).content.decode()
    assert shown in client_for(supervisor).get(reverse("scenarios:review")).content.decode()
    assert f"received {shown}" in client_for(practitioner).get(
        reverse("scenarios:detail", args=[contact_request.pk])).content.decode()
    audit = client_for(admin).get(reverse("audit:event_list")).content.decode()
    event = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', audit)
    assert event.group(2) == show_moment(dt.datetime.fromisoformat(event.group(1)))


def test_dates_follow_the_active_locale_and_the_agency_time_zone():
    moment = timezone.make_aware(dt.datetime(2026, 3, 10, 23, 30), dt.timezone.utc)
    with timezone.override("Pacific/Honolulu"):
        assert show_moment(moment) == "10 Mar 2026, 13:30"
        assert show_time(moment) == "13:30"
    with timezone.override("Asia/Tokyo"):
        assert show_day(moment) == "11 Mar 2026", "the day is the agency's local day"
    with translation.override("de"):
        assert show_day(dt.date(2026, 3, 10)) == "10. März 2026"
