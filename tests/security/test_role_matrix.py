"""The role matrix: for every page and every role, allowed or denied, as ROLE_MATRIX_TABLE says.

Every cell is tried with the methods the page's form or link uses, on agency A's own objects. The
same pass checks the headers every response must carry, since it sees every page as it is really
shown: Cache-Control no-store, the Content-Security-Policy, Permissions-Policy, and HTML with no
inline script, no inline event handler and no inline style for that policy to refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from .registry import API_ROLES, api_coverage, api_matrix, coverage, expected_cell
from .sweep import project_patterns, with_query
from .test_isolation import personas_of, record_figures, token_personas
from .world import PERSONAS


@dataclass
class Seen:
    pattern: object
    persona: str
    sent: object


def sweep_matrix(world) -> list[Seen]:
    found = coverage(project_patterns())
    assert found.missing == [], "\n".join(found.missing)
    seen = []
    for persona in personas_of(world):
        for pattern, target in found.targets.items():
            path, data = pattern.path(target.kwargs(world.a)), target.data(world.a)
            for method in target.methods:
                sent = persona.send(method, path, data, session=target.session(world.a))
                seen.append(Seen(pattern, persona.name, sent))
    return seen


def sweep_api_matrix(world) -> list[Seen]:
    """Each role's token on every API endpoint, with the endpoint's methods, on agency A's own objects."""
    found = coverage(project_patterns())
    assert api_coverage(found) == [], "\n".join(api_coverage(found))
    seen = []
    for persona, role in zip(token_personas(world.a), API_ROLES):
        for pattern, target in found.targets.items():
            if not target.api:
                continue
            path = with_query(pattern.path(target.kwargs(world.a)), target.query(world.a))
            for method in target.methods:
                seen.append(Seen(pattern, role, persona.send(method, path, target.body(world.a))))
    return seen


def api_outcome(response) -> str:
    if 200 <= response.status_code < 300:
        return "allow"
    return "deny" if response.status_code in (403, 404) else f"{response.status_code}"


def test_every_cell_of_the_api_token_matrix(world, settings):
    settings.API_RATE = "1000000/min"
    matrix = api_matrix()
    seen = sweep_api_matrix(world)
    wrong = [f"{s.sent.method} {s.sent.path} with the {s.persona}'s token: {api_outcome(s.sent.response)} "
             f"({s.sent.response.status_code}: {s.sent.body[:200]!r}), the matrix says {matrix[s.pattern.key][s.persona]}"
             for s in seen if api_outcome(s.sent.response) != matrix[s.pattern.key][s.persona]]
    assert wrong == [], f"{len(wrong)} cells differ:\n" + "\n".join(wrong)
    for s in seen:  # a refusal is a problem document, never HTML
        assert s.sent.response["Content-Type"].startswith(
            "application/problem+json" if s.sent.response.status_code >= 400 else "application/"), s.sent.path
    cells = {(s.pattern.key, s.persona) for s in seen}
    assert len(cells) == len(matrix) * len(API_ROLES)
    record_figures("api_role_matrix", patterns=len(matrix), roles=len(API_ROLES), cells=len(cells),
                   requests=len(seen))


def _outcome(seen: Seen) -> str:
    from .sweep import outcome

    return outcome(seen.sent.response)


def test_every_cell_of_the_role_matrix(world):
    seen = sweep_matrix(world)
    wrong = [f"{s.sent.method} {s.sent.path} as {s.persona}: {_outcome(s)} ({s.sent.response.status_code}), "
             f"the matrix says {expected_cell(s.pattern, s.persona)}"
             for s in seen if _outcome(s) != expected_cell(s.pattern, s.persona)]
    assert wrong == [], f"{len(wrong)} cells differ:\n" + "\n".join(wrong)
    cells = {(s.pattern.key, s.persona) for s in seen}
    assert len(cells) == len({s.pattern.key for s in seen}) * len(PERSONAS)
    record_figures("role_matrix", patterns=len({s.pattern.key for s in seen}), roles=len(PERSONAS),
                   cells=len(cells), requests=len(seen))


class InlineCode(HTMLParser):
    """Collects what a strict Content-Security-Policy would refuse on the page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script":
            self._in_script = "src" not in names
        if tag == "style":
            self.found.append("<style> element")
        self.found += [f"{name}= on <{tag}>" for name in names if name.startswith("on") or name == "style"]
        if any(name in ("href", "action", "src") and (value or "").strip().lower().startswith("javascript:")
               for name, value in attrs):
            self.found.append(f"javascript: URL on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:40]!r}")


def inline_code(body: bytes) -> list[str]:
    parser = InlineCode()
    parser.feed(body.decode("utf-8", errors="replace"))
    return parser.found


def test_every_response_forbids_caching_and_carries_the_policy_headers(world, settings):
    settings.API_RATE = "1000000/min"
    problems = []
    for s in sweep_matrix(world) + sweep_api_matrix(world):  # the API's answers to tokens too
        response, where = s.sent.response, f"{s.sent.method} {s.sent.path} as {s.persona}"
        if "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"{where}: Cache-Control is {response.get('Cache-Control')!r}")
        if "frame-ancestors 'none'" not in response.get("Content-Security-Policy", ""):
            problems.append(f"{where}: no Content-Security-Policy with frame-ancestors 'none'")
        if "camera=()" not in response.get("Permissions-Policy", ""):
            problems.append(f"{where}: no Permissions-Policy")
        if response.get("Content-Type", "").startswith("text/html"):
            problems += [f"{where}: {found}" for found in inline_code(s.sent.body)]
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems[:60])
