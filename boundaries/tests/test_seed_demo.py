from io import StringIO

from django.core.management import call_command

from accounts.models import Agency, Membership, User


def test_seed_demo_is_idempotent_and_prints_every_login(db):
    first, second = StringIO(), StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    assert Agency.objects.count() == 2
    assert User.objects.count() == 6 and Membership.objects.count() == 6
    for email in ["practitioner@riverside.example", "supervisor@riverside.example", "admin@riverside.example",
                  "admin@hilltop.example"]:
        assert email in second.getvalue()
        assert User.objects.get(email=email).check_password("boundaries-demo")
    assert "password: boundaries-demo" in second.getvalue()
