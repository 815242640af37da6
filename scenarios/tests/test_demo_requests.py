from io import StringIO

from django.core.management import call_command

from scenarios.models import ContactRequest


def test_seed_demo_adds_the_demo_requests_once(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    requests = ContactRequest.objects.filter(practitioner__email="practitioner@riverside.example")
    assert requests.count() == 4 == ContactRequest.objects.count()
    facebook = requests.get(medium="facebook")
    assert facebook.recommended == ["discuss", "decline"] and facebook.client_reference == "DEMO-FB1"
    assert all(request.policy_version is not None for request in requests), "decided by Riverside's own policy"
    photo = requests.get(kind="post_photo")
    assert photo.recommended == ["hold_off"] and photo.medium == "instagram" and photo.relationship == ""
