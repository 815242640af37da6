"""CSRF, swept: every URL pattern, every unsafe method, sent the way a forged cross-site form
would arrive: as someone allowed to use the page, with their session and CSRF cookies, but
without the token only our own pages hold. Every one must be refused, and nothing may change."""

from __future__ import annotations

from django.middleware.csrf import _get_new_csrf_string

from .registry import Target, coverage, expected_cell
from .sweep import UNSAFE_METHODS, Persona, project_patterns
from .test_isolation import record_figures
from .world import PERSONAS, World, snapshot

REFUSED = "For your safety we only accept a form sent from a page of Boundaries that is still fresh"


def sender(world: World, pattern, target: Target, matrix: dict) -> Persona:
    """Someone the page would act for, so only the missing token stands in the way."""
    allowed = [name for name in PERSONAS if expected_cell(pattern, name, matrix) == "allow"]
    if allowed:
        name = allowed[0]
        user = getattr(world.a, name).user if name != "anonymous" else None
    elif target.actor is not None:
        name, user = "its actor", target.actor(world.a)
    else:
        name, user = "practitioner", world.a.practitioner.user
    persona = Persona.sign_in(name, user, enforce_csrf_checks=True)
    persona.cookies["csrftoken"] = _get_new_csrf_string()
    return persona


def sweep_csrf(world: World, found) -> tuple[int, list[str]]:
    watch = {"agency A's rows": lambda: snapshot(world.a.agency), "agency B's rows": lambda: snapshot(world.b.agency)}
    tried, problems = 0, []
    for pattern, target in found.targets.items():
        persona = sender(world, pattern, target, found.matrix)
        path, data = pattern.path(target.kwargs(world.a)), target.data(world.a)
        for method in UNSAFE_METHODS:
            sent = persona.send(method, path, data, watch=watch, session=target.session(world.a))
            tried += 1
            where = f"{method} {path} as {persona.name}"
            if target.api:
                # No session is an API credential: the forged request is refused before any view runs.
                if sent.response.status_code not in (401, 405):
                    problems.append(f"{where} took a session cookie as an API credential "
                                    f"({sent.response.status_code}).")
            elif sent.response.status_code != 403 or REFUSED not in sent.body.decode():
                problems.append(f"{where} was not refused for its missing CSRF token "
                                f"({sent.response.status_code}).")
            problems += [f"{where} changed {label} without a CSRF token." for label in sent.changed]
    return tried, problems


def test_every_unsafe_request_without_a_csrf_token_is_refused(world):
    found = coverage(project_patterns())
    tried, problems = sweep_csrf(world, found)
    assert problems == [], f"{len(problems)} of {tried} not refused:\n" + "\n".join(problems[:60])
    record_figures("csrf", patterns=len(found.targets), methods=len(UNSAFE_METHODS), requests=tried,
                   refused=tried - len(problems))
