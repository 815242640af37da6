"""An upload larger than REQUEST_BODY_MAX_BYTES is refused from its Content-Length, unread."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse

from policies.models import PolicyVersion

TWO_HUNDRED_MB = 200 * 1024 * 1024


class CountingBody(io.RawIOBase):
    """A request body of `length` bytes that only exists as far as it is read."""

    def __init__(self, length: int):
        self.length, self.read_so_far = length, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = self.length - self.read_so_far if size is None or size < 0 else min(size, self.length - self.read_so_far)
        self.read_so_far += size
        return b"x" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(min(size, 64 * 1024) if size and size > 0 else 64 * 1024)


def send_import(client: Client, body: CountingBody):
    return client.generic("POST", reverse("policies:import"), b"", content_type="multipart/form-data; boundary=xyz",
                          CONTENT_LENGTH=str(body.length), **{"wsgi.input": body})


def test_a_200_mb_import_is_refused_before_a_byte_is_read(client_for, supervisor):
    body = CountingBody(TWO_HUNDRED_MB)
    response = send_import(client_for(supervisor), body)
    assert response.status_code == 413
    assert "That was too large to send" in response.content.decode()
    assert "at most 2.0\xa0MB in one go" in response.content.decode()
    assert body.read_so_far == 0
    assert not PolicyVersion.objects.exists()


def test_the_refusal_comes_before_the_csrf_check_reads_the_form(supervisor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor.user)
    body = CountingBody(TWO_HUNDRED_MB)
    response = send_import(client, body)
    assert response.status_code == 413 and body.read_so_far == 0


def test_the_limit_comes_from_the_environment(settings, client_for, supervisor):
    settings.REQUEST_BODY_MAX_BYTES = 1024
    body = CountingBody(2048)
    response = send_import(client_for(supervisor), body)
    assert response.status_code == 413 and body.read_so_far == 0
    assert "at most 1.0\xa0KB in one go" in response.content.decode()


def test_a_form_within_the_limit_is_read_as_usual(client_for, practitioner):
    response = client_for(practitioner).post(reverse("scenarios:log"), {"kind": "friend_request"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
