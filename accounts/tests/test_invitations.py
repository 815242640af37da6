"""Adding someone who already has an account (at another agency) invites them; the page never says which."""

import datetime as dt
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Membership, Role, User
from audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD, InvitationFactory, MembershipFactory


def _add(client, email: str, role: str = Role.SUPERVISOR, full_name: str = "Someone Typed"):
    return client.post(reverse("accounts:staff_add"), {"full_name": full_name, "email": email, "role": role},
                       follow=True)


def _alert(response) -> str:
    return re.search(r'<div class="alert[^"]*" role="alert">\s*(.*?)\s*<button', response.content.decode(), re.S).group(1)


def _link(message) -> str:
    return re.search(r"https?://[^/]+(/join/\S+)", message.body).group(1)


def test_the_page_says_the_same_whether_or_not_the_address_has_an_account(client_for, admin, outsider):
    client = client_for(admin)
    new = _add(client, "nina@riverside.example")
    known = _add(client, "OLIVE@hilltop.example")
    assert new.redirect_chain == known.redirect_chain == [(reverse("accounts:staff_list"), 302)]
    assert _alert(new).replace("nina@riverside.example", "ADDRESS") == \
        _alert(known).replace("olive@hilltop.example", "ADDRESS")
    assert "Olive" not in known.content.decode() and "Hilltop" not in known.content.decode()
    assert "already has an account" not in known.content.decode()


def test_an_existing_account_is_invited_not_added(client_for, admin, outsider):
    _add(client_for(admin), "olive@hilltop.example", role=Role.SUPERVISOR)
    assert User.objects.filter(email="olive@hilltop.example").count() == 1
    assert not Membership.objects.filter(agency=admin.agency, user=outsider.user).exists()
    invitation = Invitation.objects.get()
    assert (invitation.agency, invitation.user, invitation.role) == (admin.agency, outsider.user, Role.SUPERVISOR)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["olive@hilltop.example"]
    assert mail.outbox[0].subject == "Riverside Early Intervention invites you to join them in Boundaries"
    assert "as a supervisor" in mail.outbox[0].body
    assert _link(mail.outbox[0]).startswith("/join/riverside/")
    assert invitation.token_hash not in mail.outbox[0].body, "only the token travels; the hash stays with us"
    event = AuditEvent.objects.get(action=AuditAction.STAFF_INVITED)
    assert (event.agency, event.actor, event.data) == (admin.agency, admin.user, {"role": "supervisor", "profession": "other"})


def test_the_staff_page_lists_the_invitation_by_address_only(client_for, admin, outsider):
    client = client_for(admin)
    _add(client, "olive@hilltop.example", role=Role.PRACTITIONER)
    body = client.get(reverse("accounts:staff_list")).content.decode()
    waiting = body.split("Invitations waiting for an answer")[1]
    assert "olive@hilltop.example" in waiting and "Practitioner" in waiting
    assert "Olive Outsider" not in body, "the invitee's name would say the address has an account"


def test_the_invitee_accepts_while_signed_in_and_joins_with_the_chosen_role(client_for, admin, outsider):
    _add(client_for(admin), "olive@hilltop.example", role=Role.SUPERVISOR)
    link = _link(mail.outbox[0])
    olive = client_for(outsider)
    page = olive.get(link).content.decode()
    assert "Join Riverside Early Intervention?" in page and "as supervisor" in page
    assert not Membership.objects.filter(agency=admin.agency, user=outsider.user).exists(), "GET changes nothing"
    response = olive.post(link, follow=True)
    assert "Welcome to Riverside Early Intervention." in response.content.decode()
    joined = Membership.objects.get(agency=admin.agency, user=outsider.user)
    assert (joined.role, joined.is_active) == (Role.SUPERVISOR, True)
    assert Invitation.objects.get().accepted_at is not None
    nav = response.content.decode().split('id="main-nav"')[1]
    assert f'<option value="{admin.agency_id}" selected>Riverside Early Intervention' in nav
    event = AuditEvent.objects.get(action=AuditAction.INVITATION_ACCEPTED)
    assert (event.agency, event.actor, event.data) == (admin.agency, outsider.user, {"role": "supervisor"})
    assert Membership.objects.get(agency=outsider.agency, user=outsider.user).role == Role.ADMIN


def test_an_invitation_works_once(client_for, admin, outsider):
    invitation = InvitationFactory(agency=admin.agency, user=outsider.user, invited_by=admin.user)
    link = reverse("invitation_accept", args=[admin.agency.slug, invitation.token])
    olive = client_for(outsider)
    olive.post(link)
    again = olive.post(link)
    assert again.status_code == 404 and "This invitation can't be used" in again.content.decode()
    assert Membership.objects.filter(agency=admin.agency, user=outsider.user).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_ACCEPTED).count() == 1


def test_an_expired_invitation_cannot_be_used(client_for, admin, outsider):
    sent = timezone.now() - dt.timedelta(days=8)
    invitation = InvitationFactory(agency=admin.agency, user=outsider.user, invited_by=admin.user, created_at=sent)
    response = client_for(outsider).post(reverse("invitation_accept", args=[admin.agency.slug, invitation.token]))
    assert response.status_code == 404 and "may have expired" in response.content.decode()
    assert not Membership.objects.filter(agency=admin.agency, user=outsider.user).exists()
    listing = client_for(admin).get(reverse("accounts:staff_list")).content.decode()
    assert "Expired" in listing.split("Invitations waiting for an answer")[1]


def test_a_link_with_another_agencys_name_or_a_wrong_token_finds_nothing(client_for, admin, outsider, agency_b):
    invitation = InvitationFactory(agency=admin.agency, user=outsider.user, invited_by=admin.user)
    olive = client_for(outsider)
    assert olive.get(reverse("invitation_accept", args=[agency_b.slug, invitation.token])).status_code == 404
    assert olive.get(reverse("invitation_accept", args=[admin.agency.slug, "not-the-token"])).status_code == 404
    assert not Membership.objects.filter(agency=admin.agency, user=outsider.user).exists()


def test_a_link_opened_by_another_account_is_refused(client_for, admin, outsider, practitioner):
    invitation = InvitationFactory(agency=admin.agency, user=outsider.user, invited_by=admin.user)
    response = client_for(practitioner).post(reverse("invitation_accept", args=[admin.agency.slug, invitation.token]))
    assert response.status_code == 403
    assert "This invitation is for another account" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None
    assert not Membership.objects.filter(agency=admin.agency, user=outsider.user).exists()


def test_the_link_asks_to_sign_in_first_then_comes_back(client, admin, outsider):
    invitation = InvitationFactory(agency=admin.agency, user=outsider.user, invited_by=admin.user)
    link = reverse("invitation_accept", args=[admin.agency.slug, invitation.token])
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    signed_in = client.post(response["Location"], {"username": "olive@hilltop.example", "password": PASSWORD},
                            follow=True)
    assert signed_in.redirect_chain[-1][0] == link
    assert "Join Riverside Early Intervention?" in signed_in.content.decode()


def test_someone_deactivated_everywhere_can_still_sign_in_to_accept(client, admin, outsider):
    outsider.is_active = False
    outsider.save()
    invitation = InvitationFactory(agency=admin.agency, user=outsider.user, invited_by=admin.user)
    link = reverse("invitation_accept", args=[admin.agency.slug, invitation.token])
    client.post(reverse("login") + f"?next={link}", {"username": "olive@hilltop.example", "password": PASSWORD})
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert Membership.objects.get(agency=admin.agency, user=outsider.user).is_active


def test_an_admin_cancels_an_invitation_after_confirming(client_for, admin, outsider):
    invitation = InvitationFactory(agency=admin.agency, user=outsider.user, invited_by=admin.user)
    client = client_for(admin)
    confirm = client.get(reverse("accounts:invitation_cancel", args=[invitation.pk]))
    assert "Cancel the invitation to olive@hilltop.example?" in confirm.content.decode()
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None, "opening the confirmation changes nothing"
    response = client.post(reverse("accounts:invitation_cancel", args=[invitation.pk]), follow=True)
    assert "The invitation to olive@hilltop.example is cancelled" in response.content.decode()
    assert "Invitations waiting for an answer" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_CANCELLED).count() == 1
    accept = client_for(outsider).post(reverse("invitation_accept", args=[admin.agency.slug, invitation.token]))
    assert accept.status_code == 404
    assert not Membership.objects.filter(agency=admin.agency, user=outsider.user).exists()


def test_another_agencys_admin_cannot_see_or_cancel_an_invitation(client_for, admin, outsider, practitioner):
    invitation = InvitationFactory(agency=admin.agency, user=practitioner.user, invited_by=admin.user)
    client = client_for(outsider)
    assert client.get(reverse("accounts:invitation_cancel", args=[invitation.pk])).status_code == 404
    assert client.post(reverse("accounts:invitation_cancel", args=[invitation.pk])).status_code == 404
    assert "Invitations waiting" not in client.get(reverse("accounts:staff_list")).content.decode()
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


def test_inviting_again_replaces_the_older_link(client_for, admin, outsider):
    client = client_for(admin)
    _add(client, "olive@hilltop.example", role=Role.PRACTITIONER)
    _add(client, "olive@hilltop.example", role=Role.SUPERVISOR)
    first, second = _link(mail.outbox[0]), _link(mail.outbox[1])
    olive = client_for(outsider)
    assert olive.post(first).status_code == 404
    olive.post(second)
    assert Membership.objects.get(agency=admin.agency, user=outsider.user).role == Role.SUPERVISOR
    assert Invitation.objects.filter(cancelled_at__isnull=False).count() == 1


def test_inviting_someone_deactivated_here_points_to_reactivation(client_for, admin, practitioner):
    practitioner.is_active = False
    practitioner.save()
    response = _add(client_for(admin), "pat@riverside.example")
    assert "This person is already on your staff." in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []
