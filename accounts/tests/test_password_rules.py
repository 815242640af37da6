"""Passwords: at least 12 characters, not a common one, not like the person's own name or email."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD

REFUSED = [
    ("Short-pw-26", "at least 12 characters"),
    ("password1234", "too common"),
    ("pat.practitioner", "too similar to the"),
]


@pytest.mark.parametrize("new_password, message", REFUSED)
def test_a_weak_new_password_is_refused_next_to_the_field(client_for, practitioner, new_password, message):
    response = client_for(practitioner).post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password})
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert 'id="error_1_id_new_password2"' in body, "shown by the confirmation field"
    assert User.objects.get(pk=practitioner.user.pk).check_password(PASSWORD), "nothing changed"


def test_a_twelve_character_password_is_accepted(client_for, practitioner):
    client_for(practitioner).post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Cedar-lake-7", "new_password2": "Cedar-lake-7"})
    assert User.objects.get(pk=practitioner.user.pk).check_password("Cedar-lake-7")


def test_changing_the_password_signs_out_every_other_session(client_for, practitioner):
    here, elsewhere = client_for(practitioner), client_for(practitioner)
    here.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Cedar-lake-77", "new_password2": "Cedar-lake-77"})
    assert here.get(reverse("home")).status_code == 200, "the person who changed it stays signed in"
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
