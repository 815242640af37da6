"""Two admins at once, on PostgreSQL with real threads and connections: a clear answer, never a 500.

Each test holds both requests at the same point (a barrier) so they really overlap: after the
checks a request makes and before it writes. The barrier gives up after a few seconds, which is
what happens when a row lock makes the second request wait for the first.
"""

import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, Membership, Role, User, UserManager
from tests.factories import InvitationFactory, MembershipFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

WAIT = 3  # seconds a request waits at the barrier for the other one


def _hold_both_at(target, name: str):
    """Patch `target.name` so both threads meet before running it (or go on alone after WAIT)."""
    barrier = threading.Barrier(2, timeout=WAIT)
    original = getattr(target, name)

    def held(*args, **kwargs):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the other request is waiting for a lock we hold: go on alone
        return original(*args, **kwargs)

    return mock.patch.object(target, name, held)


def _signed_in(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def _at_once(*calls) -> list:
    """Run each call in its own thread (its own database connection); return their responses."""
    results, failures = [None] * len(calls), []

    def run(index, call):
        try:
            results[index] = call()
        except Exception as error:  # a 500 surfaces here as the view's exception
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    return results


def _post(client, url, data):
    return lambda: client.post(url, data)


def test_two_admins_adding_the_same_new_address_at_once(agency_a):
    first, second = (MembershipFactory(agency=agency_a, role=Role.ADMIN) for _ in range(2))
    data = {"full_name": "Nina New", "email": "nina@riverside.example", "role": Role.PRACTITIONER}
    url = reverse("accounts:staff_add")
    with _hold_both_at(UserManager, "create_user"):
        responses = _at_once(_post(_signed_in(first), url, data), _post(_signed_in(second), url, data))
    assert sorted(response.status_code for response in responses) == [302, 400]
    refused = next(response for response in responses if response.status_code == 400).content.decode()
    assert "This person is already on your staff." in refused and 'value="Nina New"' in refused
    assert User.objects.filter(email="nina@riverside.example").count() == 1
    assert Membership.objects.filter(agency=agency_a, user__email="nina@riverside.example").count() == 1
    assert not Invitation.objects.exists()


def test_two_agencies_adding_the_same_new_address_at_once_both_hear_the_same(agency_a, agency_b):
    riverside, hilltop = (MembershipFactory(agency=agency, role=Role.ADMIN) for agency in (agency_a, agency_b))
    data = {"full_name": "Nina New", "email": "nina@example.org", "role": Role.PRACTITIONER}
    url = reverse("accounts:staff_add")
    with _hold_both_at(UserManager, "create_user"):
        responses = _at_once(_post(_signed_in(riverside), url, data), _post(_signed_in(hilltop), url, data))
    assert [response.status_code for response in responses] == [302, 302]
    nina = User.objects.get(email="nina@example.org")
    # One agency has her on its staff; the other has sent her an invitation.
    assert Membership.objects.filter(user=nina).count() == 1
    assert Invitation.objects.filter(user=nina).count() == 1
    member_of = Membership.objects.get(user=nina).agency
    assert Invitation.objects.get(user=nina).agency != member_of


def _admins_left(agency) -> int:
    return Membership.objects.filter(agency=agency, role=Role.ADMIN, is_active=True).count()


def test_two_admins_demoting_each_other_at_once_leave_one_admin(agency_a):
    alex, blake = (MembershipFactory(agency=agency_a, role=Role.ADMIN) for _ in range(2))
    data = {"role": Role.PRACTITIONER}
    with _hold_both_at(Membership, "save"):
        responses = _at_once(
            _post(_signed_in(alex), reverse("accounts:staff_role", args=[blake.pk]), data),
            _post(_signed_in(blake), reverse("accounts:staff_role", args=[alex.pk]), data),
        )
    assert sorted(response.status_code for response in responses) == [302, 400]
    refused = next(response for response in responses if response.status_code == 400).content.decode()
    assert "You are no longer an admin of this agency, so nothing was changed." in refused
    assert _admins_left(agency_a) == 1


def test_two_admins_deactivating_each_other_at_once_leave_one_admin(agency_a):
    alex, blake = (MembershipFactory(agency=agency_a, role=Role.ADMIN) for _ in range(2))
    with _hold_both_at(Membership, "save"):
        responses = _at_once(
            _post(_signed_in(alex), reverse("accounts:staff_deactivate", args=[blake.pk]), {}),
            _post(_signed_in(blake), reverse("accounts:staff_deactivate", args=[alex.pk]), {}),
        )
    assert sorted(response.status_code for response in responses) == [302, 400]
    refused = next(response for response in responses if response.status_code == 400).content.decode()
    assert "You are no longer an admin of this agency, so nothing was changed." in refused
    assert _admins_left(agency_a) == 1


def test_an_accept_racing_a_cancel_ends_in_one_of_them(agency_a, agency_b):
    admin = MembershipFactory(agency=agency_a, role=Role.ADMIN)
    olive = MembershipFactory(agency=agency_b, role=Role.PRACTITIONER)
    invitation = InvitationFactory(agency=agency_a, user=olive.user, invited_by=admin.user)
    with _hold_both_at(Invitation, "save"):
        responses = _at_once(
            _post(_signed_in(admin), reverse("accounts:invitation_cancel", args=[invitation.pk]), {}),
            _post(_signed_in(olive), reverse("invitation_accept", args=[agency_a.slug, invitation.token]), {}),
        )
    assert all(response.status_code in (302, 400, 404) for response in responses)
    invitation.refresh_from_db()
    joined = Membership.objects.filter(agency=agency_a, user=olive.user).exists()
    assert (invitation.accepted_at is not None) == joined
    assert (invitation.accepted_at is None) != (invitation.cancelled_at is None)


def test_two_admins_changing_a_profession_at_once_leave_a_trail_that_chains(agency_a):
    from audit.models import AuditAction, AuditEvent

    alex, blake = (MembershipFactory(agency=agency_a, role=Role.ADMIN) for _ in range(2))
    pat = MembershipFactory(agency=agency_a, role=Role.PRACTITIONER)
    url = reverse("accounts:staff_role", args=[pat.pk])
    with _hold_both_at(Membership, "save"):
        responses = _at_once(
            _post(_signed_in(alex), url, {"role": Role.PRACTITIONER, "profession": "nurse"}),
            _post(_signed_in(blake), url, {"role": Role.PRACTITIONER, "profession": "counselor"}),
        )
    assert [response.status_code for response in responses] == [302, 302]
    first, second = (event.data for event in AuditEvent.objects.filter(action=AuditAction.PROFESSION_CHANGED)
                     .order_by("pk"))
    # The second change waited for the first and saw its result: no lost update.
    assert first["from"] == "other" and second["from"] == first["to"]
    pat.refresh_from_db()
    assert pat.profession == second["to"]
