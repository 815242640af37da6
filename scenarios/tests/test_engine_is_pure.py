"""The engine stays plain Python: no Django, no I/O, no clock, and the same answer every time."""

import ast
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from scenarios.engine.policy import STARTER_TEMPLATES
from scenarios.engine.vocabulary import ClientStatus, Platform, Relationship, RequestKind

ENGINE = Path(__file__).resolve().parents[1] / "engine"
MODULES = sorted(ENGINE.glob("*.py"))
FORBIDDEN_MODULES = {"django", "os", "io", "pathlib", "time", "random", "socket", "subprocess", "shutil"}
FORBIDDEN_CALLS = {"now", "today", "utcnow", "open", "print", "input", "deepcopy"}


def imported_roots(tree: ast.AST) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def called_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_the_engine_has_modules_to_check() -> None:
    assert {"evaluate.py", "policy.py", "vocabulary.py"} <= {path.name for path in MODULES}


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_the_engine_module_imports_no_django(path: Path) -> None:
    assert "django" not in imported_roots(ast.parse(path.read_text(), filename=str(path)))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_the_engine_module_does_no_io_and_reads_no_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(), filename=str(path))
    assert not imported_roots(tree) & FORBIDDEN_MODULES
    assert not called_names(tree) & FORBIDDEN_CALLS


FACTS = [
    Facts(RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.CLIENT_FAMILY, ClientStatus.CURRENT, None,
          dt.datetime(2026, 3, 13, 23, 5)),
    Facts(RequestKind.TEXT_MESSAGE, Platform.PERSONAL_PHONE, Relationship.CURRENT_CLIENT, ClientStatus.CURRENT, None,
          dt.datetime(2026, 3, 13, 23, 5), small_community=True),
    Facts(RequestKind.CONNECTION_REQUEST, Platform.LINKEDIN, Relationship.FORMER_CLIENT, ClientStatus.DISCHARGED,
          dt.date(2020, 2, 29), dt.datetime(2026, 3, 12, 9, 0)),
    Facts(RequestKind.FRIEND_REQUEST, Platform.INSTAGRAM, Relationship.OWN_SUPERVISEE, None, None,
          dt.datetime(2026, 3, 12, 9, 0)),
]


@pytest.mark.parametrize("facts", FACTS)
@pytest.mark.parametrize("slug", [None, *STARTER_TEMPLATES])
def test_the_same_request_gives_the_same_guidance(facts: Facts, slug: str | None) -> None:
    policy = STARTER_TEMPLATES[slug].policy if slug else None
    now = dt.datetime(2026, 3, 14, 12, 0)
    first, second = evaluate(facts, policy, now), evaluate(dataclasses.replace(facts), policy, now)
    assert first == second
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())


def test_the_static_texts_are_shared_not_copied() -> None:
    now = dt.datetime(2026, 3, 14, 12, 0)
    first, second = evaluate(FACTS[0], None, now), evaluate(FACTS[0], None, now)
    assert first.option("discuss").steps is second.option("discuss").steps
