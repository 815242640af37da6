import datetime as dt
import json
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Agency
from policies.models import PolicyVersion
from scenarios.demo import HISTORY_DAYS
from scenarios.models import ContactRequest, RequestStatus


def test_seed_demo_adds_the_demo_requests_once(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    requests = ContactRequest.objects.filter(practitioner__email="practitioner@riverside.example",
                                             received_at__date__gte=timezone.localdate() - dt.timedelta(days=1))
    assert requests.count() == 4
    facebook = requests.get(medium="facebook")
    assert facebook.recommended == ["discuss", "decline"] and facebook.client_reference == "DEMO-FB1"
    assert all(request.policy_version is not None for request in requests), "decided by Riverside's own policy"
    photo = requests.get(kind="post_photo")
    assert photo.recommended == ["hold_off"] and photo.medium == "instagram" and photo.relationship == ""


def test_seed_demo_adds_a_year_of_closed_requests_that_the_draft_judges_differently(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    history = ContactRequest.objects.filter(received_at__date__lt=timezone.localdate() - dt.timedelta(days=7))
    assert history.count() == len(HISTORY_DAYS) == 24
    assert all(row.status == RequestStatus.CLOSED and not row.needs_review for row in history)
    riverside = Agency.objects.get(slug="riverside")
    out = StringIO()
    call_command("policy_whatif", "--agency", "riverside", stdout=out)
    figures = json.loads(out.getvalue())
    # The "Before I do it" check of today is not compared: 24 closed requests and today's three.
    assert (figures["requests"], figures["changed"], figures["stricter"], figures["looser"]) == (27, 10, 5, 5)
    assert PolicyVersion.objects.for_agency(riverside).drafts().get().number == 2
