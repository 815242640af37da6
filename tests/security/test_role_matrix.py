"""The role matrix: for every page and every role, allowed or denied, as ROLE_MATRIX_TABLE says.

Every cell is tried with the methods the page's form or link uses, on agency A's own objects. The
same pass checks the headers every response must carry, since it sees every page as it is really
shown: Cache-Control no-store, the Content-Security-Policy, Permissions-Policy, and HTML with no
inline script, no inline event handler and no inline style for that policy to refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from .registry import coverage, expected_cell
from .sweep import project_patterns
from .test_isolation import personas_of, record_figures
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


def test_every_response_forbids_caching_and_carries_the_policy_headers(world):
    problems = []
    for s in sweep_matrix(world):
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
