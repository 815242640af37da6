"""Each membership records the practitioner's profession: admins set it, the staff list and account page show it."""

from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, Membership, Role
from audit.models import AuditAction, AuditEvent


def test_an_admin_adds_a_counsellor(client_for, admin):
    client_for(admin).post(reverse("accounts:staff_add"), {
        "full_name": "Cora Counsellor", "email": "cora@riverside.example", "role": Role.PRACTITIONER,
        "profession": "counselor",
    })
    membership = Membership.objects.get(user__email="cora@riverside.example")
    assert membership.profession == "counselor"
    event = AuditEvent.objects.get(action=AuditAction.STAFF_ADDED)
    assert event.data == {"role": "practitioner", "profession": "counselor"}


def test_an_unknown_profession_is_refused_next_to_the_field_keeping_what_was_typed(client_for, admin):
    response = client_for(admin).post(reverse("accounts:staff_add"), {
        "full_name": "Dee Dentist", "email": "dee@riverside.example", "role": Role.PRACTITIONER,
        "profession": "dentist",
    })
    body = response.content.decode()
    assert response.status_code == 400
    field = body.split('id="div_id_profession"')[1].split("</select>")[1]
    assert "Select a valid choice. dentist is not one of the available choices." in field
    assert 'value="Dee Dentist"' in body and 'value="dee@riverside.example"' in body
    assert not Membership.objects.filter(user__email="dee@riverside.example").exists()
    assert len(mail.outbox) == 0


def test_an_invitation_carries_the_profession_into_the_membership(client_for, admin, outsider):
    client_for(admin).post(reverse("accounts:staff_add"), {
        "full_name": "Olive", "email": outsider.user.email, "role": Role.PRACTITIONER, "profession": "nurse",
    })
    invitation = Invitation.objects.get()
    assert invitation.profession == "nurse"
    assert AuditEvent.objects.get(action=AuditAction.STAFF_INVITED).data == {
        "role": "practitioner", "profession": "nurse"}
    staff = client_for(admin).get(reverse("accounts:staff_list")).content.decode()
    assert '<td data-label="Profession">Nurse</td>' in staff.split("Invitations waiting for an answer")[1]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/join/" in line).strip()
    client_for(outsider).post(link[link.index("/join/"):])
    assert Membership.objects.get(agency=admin.agency, user=outsider.user).profession == "nurse"


def test_an_admin_changes_a_profession_and_it_is_an_audit_event(client_for, admin, practitioner):
    url = reverse("accounts:staff_role", args=[practitioner.pk])
    page = client_for(admin).get(url).content.decode()
    assert '<option value="other" selected>Other</option>' in page
    response = client_for(admin).post(url, {"role": Role.PRACTITIONER, "profession": "speech_language_pathologist"},
                                      follow=True)
    assert ("Pat Practitioner is now practitioner. Profession: speech-language pathologist."
            in response.content.decode())
    practitioner.refresh_from_db()
    assert practitioner.profession == "speech_language_pathologist"
    event = AuditEvent.objects.get(action=AuditAction.PROFESSION_CHANGED)
    assert (event.actor, event.target_id, event.data) == (
        admin.user, str(practitioner.pk), {"from": "other", "to": "speech_language_pathologist"})
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()


def test_saving_the_same_profession_records_nothing(client_for, admin, practitioner):
    client_for(admin).post(reverse("accounts:staff_role", args=[practitioner.pk]),
                           {"role": Role.PRACTITIONER, "profession": "other"})
    assert not AuditEvent.objects.filter(action=AuditAction.PROFESSION_CHANGED).exists()


def test_an_unknown_profession_on_the_edit_page_changes_nothing(client_for, admin, practitioner):
    response = client_for(admin).post(reverse("accounts:staff_role", args=[practitioner.pk]),
                                      {"role": Role.SUPERVISOR, "profession": "dentist"})
    assert response.status_code == 400
    assert "Select a valid choice. dentist is not one of the available choices." in response.content.decode()
    practitioner.refresh_from_db()
    assert (practitioner.role, practitioner.profession) == (Role.PRACTITIONER, "other")


def test_when_the_role_change_is_refused_the_profession_is_not_saved_either(client_for, admin):
    response = client_for(admin).post(reverse("accounts:staff_role", args=[admin.pk]),
                                      {"role": Role.PRACTITIONER, "profession": "nurse"})
    assert response.status_code == 400
    assert "The agency needs at least one active admin." in response.content.decode()
    admin.refresh_from_db()
    assert (admin.role, admin.profession) == (Role.ADMIN, "other")
    assert not AuditEvent.objects.filter(action=AuditAction.PROFESSION_CHANGED).exists()


def test_the_staff_list_shows_each_profession(client_for, admin, practitioner):
    practitioner.profession = "early_intervention_provider"
    practitioner.save(update_fields=["profession"])
    body = client_for(admin).get(reverse("accounts:staff_list")).content.decode()
    assert '<th scope="col">Profession</th>' in body
    assert '<td data-label="Profession">Early-intervention provider</td>' in body


def test_practitioners_see_their_own_profession_on_their_account_page(client_for, practitioner):
    practitioner.profession = "occupational_therapist"
    practitioner.save(update_fields=["profession"])
    body = client_for(practitioner).get(reverse("account")).content.decode()
    assert "Riverside Early Intervention (practitioner; profession: occupational therapist)" in body
