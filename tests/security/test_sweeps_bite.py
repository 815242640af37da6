"""The sweeps are only worth their green if they go red: each is run here on pages with the very
mistake it exists to catch (tests/security/leaky_urls.py)."""

import pytest

from .registry import Target, coverage, role_matrix
from .sweep import project_patterns
from .test_isolation import sweep_isolation

LEAKY = {
    "leaky_detail": Target(kwargs=lambda f: {"pk": f.request.pk}, names_object=True, methods=("GET",)),
    "leaky_close": Target(kwargs=lambda f: {"pk": f.request.pk}, names_object=True, methods=("POST",)),
    "leaky_forget_authenticator": Target(kwargs=lambda f: {"pk": f.admin.user.pk}, names_object=True,
                                         methods=("POST",)),
}
ALL_ALLOWED = {"practitioner": "allow", "supervisor": "allow", "admin": "allow", "anonymous": "sign-in"}


def leaky_patterns(*keys: str):
    return [pattern for pattern in project_patterns() if pattern.key in keys]


@pytest.mark.urls("tests.security.leaky_urls")
def test_a_new_page_without_an_entry_fails_and_says_what_to_add(db):
    found = coverage(project_patterns())
    assert len(found.missing) == 6
    message = next(line for line in found.missing if "'leaky_detail'" in line)
    assert "Add TARGETS['leaky_detail'] = Target(kwargs=lambda f: {...})" in message
    assert "['pk']" in message and "ROLE_MATRIX_TABLE row" in message


@pytest.mark.urls("tests.security.leaky_urls")
def test_the_isolation_sweep_catches_an_unscoped_page(world):
    found = coverage(leaky_patterns(*LEAKY), targets=LEAKY, matrix={key: ALL_ALLOWED for key in LEAKY})
    problems = sweep_isolation(world, found).problems
    detail = f"/leaky/{world.b.request.pk}/"
    assert f"GET {detail} as practitioner showed agency B's ['hilltop', 'ht-7731'] (200)." in problems
    assert (f"GET {detail} as practitioner: 200 for agency B's object but 404 for a missing one, "
            "which tells B's exists.") in problems
    assert f"POST {detail}close/ as supervisor changed agency B's rows." in problems
    # B's people's two-factor devices count as B's rows.
    forget = f"/leaky/people/{world.b.admin.user.pk}/forget-authenticator/"
    assert f"POST {forget} as practitioner changed agency B's rows." in problems
    assert role_matrix()  # the real table still parses


@pytest.mark.urls("tests.security.leaky_urls")
def test_the_api_token_sweep_catches_an_endpoint_that_forgets_the_agency(world, settings):
    from .test_isolation import sweep_api_isolation

    settings.API_RATE = "1000000/min"
    targets = {"leaky_api_request": Target(api=True, kwargs=lambda f: {"pk": f.request.pk}, names_object=True,
                                           methods=("GET",))}
    found = coverage(leaky_patterns("leaky_api_request"), targets=targets, matrix={"leaky_api_request": ALL_ALLOWED})
    matrix = {"leaky_api_request": {"practitioner": "allow", "supervisor": "allow", "admin": "deny"}}
    problems = sweep_api_isolation(world, found, matrix).problems
    path = f"/leaky/api/{world.b.request.pk}"
    assert f"GET {path} as practitioner token showed agency B's ['hilltop', 'ht-7731'] (200)." in problems
    assert f"GET {path} as supervisor token answered 200 for agency B's object; expected 404." in problems
    assert (f"GET {path} as practitioner token: 200 for agency B's object but 404 for a missing one, "
            "which tells B's exists.") in problems
    # The admin's token holds no requests scope: refused before the view runs, so nothing to catch.
    assert not [line for line in problems if "admin token" in line]


@pytest.mark.urls("tests.security.leaky_urls")
def test_the_csrf_sweep_catches_an_exempt_view(world):
    from .test_csrf import sweep_csrf

    targets = {"leaky_exempt": Target(kwargs=lambda f: {"pk": f.request.pk}, names_object=True)}
    found = coverage(leaky_patterns("leaky_exempt"), targets=targets, matrix={"leaky_exempt": ALL_ALLOWED})
    tried, problems = sweep_csrf(world, found)
    path = f"/leaky/{world.a.request.pk}/exempt/"
    assert tried == 4
    assert f"POST {path} as practitioner was not refused for its missing CSRF token (302)." in problems
    assert f"POST {path} as practitioner changed agency A's rows without a CSRF token." in problems


@pytest.mark.urls("tests.security.leaky_urls")
def test_the_xss_scan_catches_a_field_marked_safe(world):
    from .sweep import Persona
    from .test_xss import Scan, store_payloads

    numbered = store_payloads(world)
    context = next(n for n, label in numbered.items() if label == "scenarios.ContactRequest.context")
    persona = Persona.sign_in("practitioner", world.a.practitioner.user)
    path = f"/leaky/{world.a.request.pk}/unescaped/"
    sent = persona.send("GET", path)
    scan = Scan()
    scan.check(f"GET {path}", sent.response, sent.body)
    assert scan.problems == [f"GET {path}: payload {context} is markup on the page"]
