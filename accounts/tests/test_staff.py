import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, Membership, Role, User
from audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD, InvitationFactory, MembershipFactory


def test_an_admin_adds_a_staff_member_who_is_emailed_a_password_link(client_for, admin):
    response = client_for(admin).post(reverse("accounts:staff_add"), {
        "full_name": "Nina New", "email": "Nina@Riverside.example", "role": Role.SUPERVISOR,
    }, follow=True)
    assert ("We emailed nina@riverside.example a link to join Riverside Early Intervention as supervisor."
            in response.content.decode())
    membership = Membership.objects.get(user__email="nina@riverside.example")
    assert (membership.agency, membership.role, membership.user.full_name) == (admin.agency, Role.SUPERVISOR, "Nina New")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@riverside.example"]
    assert "/password/reset/" in mail.outbox[0].body
    assert "Riverside Early Intervention has given you a Boundaries account" in mail.outbox[0].body
    event = AuditEvent.objects.get(action=AuditAction.STAFF_ADDED)
    assert event.actor == admin.user and event.data == {"role": "supervisor", "profession": "other"}


def test_adding_someone_already_on_the_staff_says_so_and_keeps_what_was_typed(client_for, admin, practitioner):
    response = client_for(admin).post(reverse("accounts:staff_add"), {
        "full_name": "Pat Again", "email": "PAT@riverside.example", "role": Role.SUPERVISOR,
    })
    body = response.content.decode()
    assert response.status_code == 400
    assert "This person is already on your staff." in body
    assert 'value="Pat Again"' in body and 'value="PAT@riverside.example"' in body
    assert User.objects.filter(email="pat@riverside.example").count() == 1
    assert (Membership.objects.count(), Invitation.objects.count(), len(mail.outbox)) == (2, 0, 0)


def test_adding_with_a_bad_email_is_refused_and_nothing_is_written(client_for, admin):
    response = client_for(admin).post(reverse("accounts:staff_add"), {
        "full_name": "No Email", "email": "not-an-email", "role": Role.PRACTITIONER,
    })
    assert "Enter a valid email address." in response.content.decode()
    assert not User.objects.filter(full_name="No Email").exists()


def test_an_address_longer_than_the_database_keeps_is_refused_next_to_the_field(client_for, admin):
    long_address = "n" * 64 + "@" + ".".join(["a" * 60] * 3) + ".example"
    response = client_for(admin).post(reverse("accounts:staff_add"), {
        "full_name": "Long Address", "email": long_address, "role": Role.PRACTITIONER,
    })
    assert response.status_code == 400
    assert "Ensure this value has at most 254 characters" in response.content.decode()
    assert not User.objects.filter(full_name="Long Address").exists()


def test_an_admin_changes_a_role(client_for, admin, practitioner):
    response = client_for(admin).post(reverse("accounts:staff_role", args=[practitioner.pk]),
                                      {"role": Role.SUPERVISOR}, follow=True)
    assert "Pat Practitioner is now supervisor." in response.content.decode()
    practitioner.refresh_from_db()
    assert practitioner.role == Role.SUPERVISOR
    assert AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED).data == {"from": "practitioner", "to": "supervisor"}


def test_the_last_admin_cannot_be_demoted(client_for, admin):
    response = client_for(admin).post(reverse("accounts:staff_role", args=[admin.pk]), {"role": Role.PRACTITIONER})
    assert "The agency needs at least one active admin." in response.content.decode()
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_deactivation_asks_first_then_stops_sign_in(client, client_for, admin, practitioner):
    admin_client = client_for(admin)
    confirm = admin_client.get(reverse("accounts:staff_deactivate", args=[practitioner.pk]))
    assert "Deactivate Pat Practitioner?" in confirm.content.decode()
    practitioner.refresh_from_db()
    assert practitioner.is_active
    response = admin_client.post(reverse("accounts:staff_deactivate", args=[practitioner.pk]), follow=True)
    assert "Pat Practitioner can no longer sign in to Riverside Early Intervention." in response.content.decode()
    practitioner.refresh_from_db()
    assert not practitioner.is_active
    assert AuditEvent.objects.filter(action=AuditAction.STAFF_DEACTIVATED, target_id=str(practitioner.pk)).count() == 1
    signed_in = client.post(reverse("login"), {"username": "pat@riverside.example", "password": PASSWORD})
    assert "That email and password don&#x27;t match an active account." in signed_in.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_deactivated_member_already_signed_in_sees_nothing_of_the_agency(client_for, admin, practitioner):
    pat = client_for(practitioner)
    assert pat.get(reverse("scenarios:list")).status_code == 200
    client_for(admin).post(reverse("accounts:staff_deactivate", args=[practitioner.pk]))
    assert pat.get(reverse("scenarios:list")).status_code == 403


def test_an_admin_cannot_deactivate_themselves(client_for, admin):
    response = client_for(admin).post(reverse("accounts:staff_deactivate", args=[admin.pk]))
    assert response.status_code == 400
    assert "You can&#x27;t deactivate your own account." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_an_admin_demoted_meanwhile_can_no_longer_deactivate_anyone(client_for, admin, agency_a):
    other = MembershipFactory(agency=agency_a, role=Role.ADMIN)
    client = client_for(other)
    client_for(admin).post(reverse("accounts:staff_role", args=[other.pk]), {"role": Role.PRACTITIONER})
    # `other` opened the page as an admin; their role changed since, so nothing happens.
    assert client.post(reverse("accounts:staff_deactivate", args=[admin.pk])).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active


def test_a_deactivated_member_can_be_reactivated(client_for, admin, practitioner):
    practitioner.is_active = False
    practitioner.save()
    response = client_for(admin).post(reverse("accounts:staff_reactivate", args=[practitioner.pk]), follow=True)
    assert "Pat Practitioner can sign in to Riverside Early Intervention again." in response.content.decode()
    practitioner.refresh_from_db()
    assert practitioner.is_active
    assert AuditEvent.objects.filter(action=AuditAction.STAFF_REACTIVATED).count() == 1


@pytest.mark.parametrize("persona", ["practitioner", "supervisor"])
def test_only_admins_manage_staff(request, client_for, persona):
    membership = request.getfixturevalue(persona)
    response = client_for(membership).get(reverse("accounts:staff_list"))
    assert response.status_code == 403
    assert "You can't open this page" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, actor=membership.user).count() == 1


def test_the_staff_list_runs_a_fixed_number_of_queries(client_for, admin, django_assert_num_queries):
    client = client_for(admin)
    MembershipFactory.create_batch(3, agency=admin.agency)
    InvitationFactory.create_batch(2, agency=admin.agency, invited_by=admin.user)
    client.get(reverse("accounts:staff_list"))
    # session, user, memberships (middleware); count, page of memberships with users; invitations with users
    with django_assert_num_queries(6):
        client.get(reverse("accounts:staff_list"))
    MembershipFactory.create_batch(10, agency=admin.agency)
    InvitationFactory.create_batch(5, agency=admin.agency, invited_by=admin.user)
    with django_assert_num_queries(6):
        response = client.get(reverse("accounts:staff_list"))
    body = response.content.decode()
    assert body.count("Change role<span") == 14
    assert body.count("Cancel invitation<span") == 7
