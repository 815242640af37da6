"""Property tests over the staff forms, the invitation link and the switcher (issue 8, item 15).

Whatever is typed: never a 500 or a traceback (the test client re-raises a view's exception),
and a refused input writes nothing (row counts before and after).
"""

from contextlib import contextmanager
from urllib.parse import quote

from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Invitation, Membership, Role, User
from audit.models import AuditEvent

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# Any text a browser could send: no lone surrogates (they can't be encoded in a request).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
ROLES = st.one_of(st.sampled_from([role.value for role in Role]), TEXT)
KNOWN = ["pat@riverside.example", "olive@hilltop.example", "alex@riverside.example"]
EMAILS = st.one_of(st.emails(), st.sampled_from(KNOWN), TEXT, TEXT.map(lambda text: f"{text}@example.org"))


@contextmanager
def rolled_back():
    """Each example starts from the fixtures' rows: what one example wrote is undone before the next."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _rows() -> tuple[int, ...]:
    return (User.objects.count(), Membership.objects.count(), Invitation.objects.count(),
            AuditEvent.objects.count(), Membership.objects.filter(is_active=True).count(),
            Membership.objects.filter(role=Role.ADMIN).count())


@SETTINGS
@given(full_name=TEXT, email=EMAILS, role=ROLES)
def test_adding_staff_never_fails_and_a_refusal_writes_nothing(client_for, admin, practitioner, outsider,
                                                              full_name, email, role):
    with rolled_back():
        client = client_for(admin)
        before = _rows()
        response = client.post(reverse("accounts:staff_add"), {"full_name": full_name, "email": email, "role": role})
        after = _rows()
        assert response.status_code in (302, 400)
        if response.status_code == 400:
            assert after == before
            assert 'class="invalid-feedback' in response.content.decode(), "the reason shows next to a field"
        else:
            added_member = after[:3] == (before[0] + 1, before[1] + 1, before[2])
            invited = after[:3] == (before[0], before[1], before[2] + 1)
            assert added_member or invited
            assert after[3] == before[3] + 1, "exactly one audit event for one addition"


@SETTINGS
@given(role=ROLES, target=st.sampled_from(["admin", "practitioner", "outsider", "missing"]))
def test_changing_a_role_never_fails_and_a_refusal_writes_nothing(client_for, admin, practitioner, outsider,
                                                                  role, target):
    with rolled_back():
        pk = {"admin": admin.pk, "practitioner": practitioner.pk, "outsider": outsider.pk, "missing": 10**9}[target]
        client = client_for(admin)
        before = _rows()
        roles_before = dict(Membership.objects.values_list("pk", "role"))
        response = client.post(reverse("accounts:staff_role", args=[pk]), {"role": role})
        assert response.status_code in (302, 400, 404)
        if response.status_code != 302:
            assert _rows() == before
            assert dict(Membership.objects.values_list("pk", "role")) == roles_before
        assert Membership.objects.filter(agency=admin.agency, role=Role.ADMIN, is_active=True).exists()


@SETTINGS
@given(target=st.sampled_from(["admin", "practitioner", "outsider", "missing"]), junk=TEXT)
def test_deactivating_never_fails_and_a_refusal_writes_nothing(client_for, admin, practitioner, outsider,
                                                               target, junk):
    with rolled_back():
        pk = {"admin": admin.pk, "practitioner": practitioner.pk, "outsider": outsider.pk, "missing": 10**9}[target]
        client = client_for(admin)
        before = _rows()
        response = client.post(reverse("accounts:staff_deactivate", args=[pk]), {"anything": junk})
        assert response.status_code in (302, 400, 404)
        if response.status_code != 302:
            assert _rows() == before
        assert Membership.objects.filter(agency=admin.agency, role=Role.ADMIN, is_active=True).exists()


@SETTINGS
@given(agency=TEXT, token=TEXT, method=st.sampled_from(["get", "post"]))
def test_any_invitation_link_is_answered_without_an_error_and_joins_no_one(client_for, outsider, agency_a,
                                                                          agency, token, method):
    with rolled_back():
        client = client_for(outsider)
        before = _rows()
        path = f"/join/{quote(agency, safe='')}/{quote(token, safe='')}/"
        response = getattr(client, method)(path)
        assert response.status_code in (403, 404)
        assert _rows() == before


@SETTINGS
@given(value=st.one_of(TEXT, st.integers().map(str)))
def test_any_switcher_value_is_answered_without_an_error(client_for, practitioner, pat_at_both, value):
    with rolled_back():
        client = client_for(practitioner)
        before = _rows()
        response = client.post(reverse("agency_switch"), {"agency": value})
        assert response.status_code == 302
        assert _rows()[:3] == before[:3]
