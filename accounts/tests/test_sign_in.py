import re

from django.core import mail
from django.urls import reverse

from accounts.models import User
from audit.models import AuditAction, AuditEvent
from tests.factories import PASSWORD

WRONG = "That email and password don&#x27;t match an active account."


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password}, follow=True)


def test_it_signs_in_by_email_and_lands_on_the_role_page(client, practitioner):
    response = sign_in(client, "PAT@riverside.example", PASSWORD)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Hello, Pat" in response.content.decode()
    assert AuditEvent.objects.filter(actor=practitioner.user, action=AuditAction.SIGN_IN).count() == 1


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(client, practitioner):
    wrong_password = sign_in(client, "pat@riverside.example", "not-it").content.decode()
    unknown_email = sign_in(client, "nobody@riverside.example", "not-it").content.decode()
    assert WRONG in wrong_password and WRONG in unknown_email
    assert 'value="pat@riverside.example"' in wrong_password, "the typed email is kept"
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 1


def test_a_deactivated_user_cannot_sign_in(client, practitioner):
    practitioner.user.is_active = False
    practitioner.user.save()
    response = sign_in(client, "pat@riverside.example", PASSWORD)
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post_and_is_recorded(client_for, practitioner):
    client = client_for(practitioner)
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert AuditEvent.objects.filter(actor=practitioner.user, action=AuditAction.SIGN_OUT).count() == 1


def test_pages_need_a_signed_in_user(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_mails_a_link_that_sets_a_new_password(client, practitioner):
    response = client.post(reverse("password_reset"), {"email": "pat@riverside.example"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/password/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(form_page.redirect_chain[-1][0],
                           {"new_password1": "brand-new-pass-2026", "new_password2": "brand-new-pass-2026"},
                           follow=True)
    assert "Your password is saved" in response.content.decode()
    assert User.objects.get(pk=practitioner.user.pk).check_password("brand-new-pass-2026")


def test_password_reset_says_the_same_for_an_unknown_address(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_password_change_keeps_the_user_signed_in(client_for, practitioner):
    client = client_for(practitioner)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "another-pass-2026", "new_password2": "another-pass-2026",
    }, follow=True)
    assert "Your password was changed." in response.content.decode()
    assert User.objects.get(pk=practitioner.user.pk).check_password("another-pass-2026")
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).count() == 1


def test_password_change_shows_errors_next_to_the_field(client_for, practitioner):
    response = client_for(practitioner).post(reverse("password_change"), {
        "old_password": "wrong", "new_password1": "x", "new_password2": "y",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in body
    assert User.objects.get(pk=practitioner.user.pk).check_password(PASSWORD)
