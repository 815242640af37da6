"""Tenant isolation, swept: every URL pattern, every method, every role of agency A and anonymous,
against agency B's objects. Nothing of B's may show, nothing of B's may change, and an object of
B's must be exactly as absent as an object that does not exist.

This supersedes the hand-picked "another agency's X is 404" tests that each app used to carry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .registry import API_ROLES, Coverage, Target, api_coverage, api_matrix, coverage
from .sweep import ALL_METHODS, Pattern, Persona, outcome, project_patterns, with_query
from .world import PERSONAS, World, leaks, snapshot

FIGURES = Path(__file__).resolve().parents[2] / "artefacts" / "security-sweeps.json"
MISSING = 999_999_999
SIGNED_IN_OUTCOMES = {"deny", "method-refused", "admin-sign-in"}
ANONYMOUS_OUTCOMES = {"sign-in", "admin-sign-in", "method-refused"}


@dataclass
class Tally:
    patterns: int = 0
    requests: int = 0
    problems: list[str] = field(default_factory=list)


def _missing_twin(kwargs: dict) -> dict:
    """The same address with every number replaced by one no agency has."""
    return {key: MISSING if isinstance(value, int) else value for key, value in kwargs.items()}


def personas_of(world: World, furnished=None) -> list[Persona]:
    furnished = furnished or world.a
    return [Persona.sign_in(name, getattr(furnished, name).user if name != "anonymous" else None)
            for name in PERSONAS]


def token_personas(furnished) -> list[Persona]:
    """API clients holding a token of each role of the agency, with every scope the role may give."""
    return [Persona.with_token(name, getattr(furnished, name)) for name in API_ROLES]


def sweep_api_isolation(world: World, found: Coverage, matrix: dict | None = None) -> Tally:
    """Each role's token against agency B's ids, every method: where the token may use the endpoint,
    B's object is exactly a 404, as a missing one is; nothing of B's shows or changes."""
    matrix = api_matrix() if matrix is None else matrix
    targets = {pattern: target for pattern, target in found.targets.items() if target.api}
    tally = Tally(patterns=len(targets))
    personas = token_personas(world.a)
    watch = {"agency B's rows": lambda: snapshot(world.b.agency)}
    for pattern, target in targets.items():
        kwargs, query = target.kwargs(world.b), target.query(world.b)
        path, body = with_query(pattern.path(kwargs), query), target.body(world.b)
        twin = with_query(pattern.path(_missing_twin(kwargs)), _missing_twin(query)) if target.names_object else None
        own = set(target.methods) | ({"HEAD"} if "GET" in target.methods else set())
        for persona, role in zip(personas, API_ROLES):
            for method in ALL_METHODS:
                sent = persona.send(method, path, body, watch=watch)
                where = f"{method} {path} as {persona.name}"
                tally.problems += [f"{where} changed {label}." for label in sent.changed]
                if found_canaries := leaks(sent.body):
                    tally.problems.append(f"{where} showed agency B's {found_canaries} ({sent.response.status_code}).")
                status = sent.response.status_code
                if status >= 500:
                    tally.problems.append(f"{where} failed with {status}.")
                if twin is None:
                    continue
                if method in own and matrix[pattern.key][role] == "allow" and status != 404:
                    tally.problems.append(f"{where} answered {status} for agency B's object; expected 404.")
                # OPTIONS describes the endpoint (DRF's metadata: its name and formats), the same for any
                # id; the twin below holds it to that.
                elif status not in (403, 404, 405) and not (method == "OPTIONS" and status == 200):
                    tally.problems.append(f"{where} answered {status} for agency B's object; "
                                          "expected 403, 404 or 405.")
                absent = persona.send(method, twin, body)
                if absent.response.status_code != status:
                    tally.problems.append(f"{where}: {status} for agency B's object but "
                                          f"{absent.response.status_code} for a missing one, which tells B's exists.")
        tally.requests = sum(p.counter[0] for p in personas)
    return tally


def sweep_isolation(world: World, found: Coverage) -> Tally:
    tally = Tally(patterns=len(found.targets))
    personas = personas_of(world)
    watch = {"agency B's rows": lambda: snapshot(world.b.agency)}
    for pattern, target in found.targets.items():
        kwargs = target.kwargs(world.b)
        path, data = pattern.path(kwargs), target.data(world.b)
        twin = pattern.path(_missing_twin(kwargs)) if target.names_object else None
        for persona in personas:
            for method in ALL_METHODS:
                # The session is the persona's own (agency A's), as in every other request.
                session = target.session(world.a)
                sent = persona.send(method, path, data, watch=watch, session=session)
                tally.problems += _judge(pattern, target, persona.name, sent)
                if twin is not None and not target.also:
                    absent = persona.send(method, twin, data, session=session)
                    if absent.response.status_code != sent.response.status_code:
                        tally.problems.append(
                            f"{method} {path} as {persona.name}: {sent.response.status_code} for agency B's object "
                            f"but {absent.response.status_code} for a missing one, which tells B's exists.")
        tally.requests = personas[0].counter[0] + sum(p.counter[0] for p in personas[1:])
    return tally


def _judge(pattern: Pattern, target: Target, persona: str, sent) -> list[str]:
    where = f"{sent.method} {sent.path} as {persona}"
    problems = [f"{where} changed {label}." for label in sent.changed]
    found = leaks(sent.body)
    if found:
        problems.append(f"{where} showed agency B's {found} ({sent.response.status_code}).")
    result = outcome(sent.response)
    if result == "error":
        problems.append(f"{where} failed with {sent.response.status_code}.")
    elif target.names_object:
        allowed = (ANONYMOUS_OUTCOMES if persona == "anonymous" else SIGNED_IN_OUTCOMES | target.also)
        if target.api:
            allowed = allowed | {"token"}
        if result not in allowed:
            problems.append(f"{where} answered {sent.response.status_code} ({result}) for agency B's object; "
                            f"expected one of {sorted(allowed)}.")
    return problems


def test_every_url_pattern_has_a_sweep_entry(db):
    found = coverage(project_patterns())
    assert found.missing == [], "\n".join(found.missing)
    assert found.stale == [], "\n".join(found.stale)


def test_no_url_reaches_another_agencys_objects(world):
    found = coverage(project_patterns())
    tally = sweep_isolation(world, found)
    assert tally.problems == [], f"{len(tally.problems)} problems:\n" + "\n".join(tally.problems[:60])
    record_figures("isolation", patterns=tally.patterns, roles=len(PERSONAS), methods=len(ALL_METHODS),
                   requests=tally.requests, objects=sum(t.names_object for t in found.targets.values()))


def test_no_api_token_reaches_another_agencys_objects(world, settings):
    settings.API_RATE = "1000000/min"  # a sweep, not a client: the limit has its own test (api/tests)
    found = coverage(project_patterns())
    assert api_coverage(found) == [], "\n".join(api_coverage(found))
    tally = sweep_api_isolation(world, found)
    assert tally.problems == [], f"{len(tally.problems)} problems:\n" + "\n".join(tally.problems[:60])
    record_figures("api_isolation", patterns=tally.patterns, roles=len(API_ROLES), methods=len(ALL_METHODS),
                   requests=tally.requests)


def record_figures(sweep: str, **figures) -> None:
    """Kept in artefacts/ for the README's Security section (the numbers change as pages are added)."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    known = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    known[sweep] = figures
    FIGURES.write_text(json.dumps(known, indent=2, sort_keys=True) + "\n")
