"""Issue 18: every page declares its icon and a description, /favicon.ico exists, and pages go out
compressed to a browser that accepts gzip."""

import gzip
import re

from django.urls import reverse

DEFAULT_DESCRIPTION = "Boundaries helps practitioners in human services keep professional boundaries online"


def description(body: str) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', body)
    assert len(found) == 1, found
    return found[0]


def test_the_base_template_declares_the_icon_and_a_description(client):
    body = client.get(reverse("password_reset")).content.decode()  # a page that keeps the default
    assert '<link rel="icon" href="/static/boundaries/img/favicon.svg" type="image/svg+xml">' in body
    assert '<link rel="icon" href="/favicon.ico"' in body
    assert description(body).startswith(DEFAULT_DESCRIPTION)


def test_the_main_pages_describe_themselves(client, client_for, practitioner):
    assert description(client.get(reverse("login")).content.decode()).startswith("Sign in to Boundaries")
    log = client_for(practitioner).get(reverse("scenarios:log")).content.decode()
    assert description(log).startswith("Note a contact request from a client")


def test_favicon_ico_is_served_from_the_site_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    icon = b"".join(response.streaming_content)
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")


def test_a_page_is_compressed_when_the_browser_accepts_gzip(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert "<title>Sign in · Boundaries</title>" in page
    assert len(response.content) < len(page.encode()) / 2


def test_a_page_is_sent_plain_to_a_client_that_does_not_accept_gzip(client):
    response = client.get(reverse("login"))
    assert not response.has_header("Content-Encoding")
    assert "<title>Sign in · Boundaries</title>" in response.content.decode()
