"""The Content-Security-Policy and the other headers, on a sample of pages and downloads."""

from __future__ import annotations

import json
from html import unescape

import pytest
from django.urls import reverse

from .sweep import Persona


def directives(header: str) -> dict[str, list[str]]:
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def sampled(world) -> list[tuple[str, object]]:
    a = world.a
    as_practitioner = Persona.sign_in("practitioner", a.practitioner.user)
    as_supervisor = Persona.sign_in("supervisor", a.supervisor.user)
    as_admin = Persona.sign_in("admin", a.admin.user)
    anonymous = Persona.sign_in("anonymous")
    step = reverse("scenarios:step", args=[a.request.pk, a.step_key])
    return [
        ("sign-in page", anonymous.send("GET", reverse("login")).response),
        ("home", as_practitioner.send("GET", reverse("home")).response),
        ("a request", as_practitioner.send("GET", reverse("scenarios:detail", args=[a.request.pk])).response),
        ("an htmx step", as_practitioner.send("POST", step, {"value": "Noted."}, headers={"HX-Request": "true"}).response),
        ("the policy editor", as_supervisor.send("GET", reverse("policies:edit", args=[a.draft.number])).response),
        ("a policy download", as_supervisor.send("GET", reverse("policies:export", args=[a.published.number])).response),
        ("the audit trail", as_admin.send("GET", reverse("audit:event_list")).response),
        ("an audit download", as_admin.send("POST", reverse("audit:export", args=["csv"])).response),
        ("a missing page", as_admin.send("GET", "/no-such-page/").response),
    ]


def test_sampled_pages_carry_a_strict_content_security_policy(world):
    for name, response in sampled(world):
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], name
        assert policy["default-src"] == ["'self'"] and policy["style-src"] == ["'self'"], name
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"], name
        assert "unsafe" not in response["Content-Security-Policy"], name


def test_sampled_pages_and_downloads_are_never_stored(world):
    for name, response in sampled(world):
        assert "no-store" in response["Cache-Control"], name
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
        assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name


def test_htmx_is_told_to_need_no_eval_and_inject_no_style(client_for, practitioner):
    body = client_for(practitioner).get(reverse("home")).content.decode()
    meta = body.split('<meta name="htmx-config" content=\'')[1].split("'>")[0]
    config = json.loads(unescape(meta))
    assert config == {"allowEval": False, "includeIndicatorStyles": False, "allowScriptTags": False}
    assert body.index('name="htmx-config"') < body.index("/static/django_htmx/htmx")


@pytest.mark.parametrize("path", ["/static/boundaries/css/app.css", "/static/boundaries/js/app.js"])
def test_static_files_may_be_cached(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
