"""The engine and the policy document stay plain Python: no Django, no I/O, no clock, the same answer every time."""

import ast
import datetime as dt
from pathlib import Path

import pytest

from scenarios.engine.evaluate import evaluate
from scenarios.engine.facts import Facts
from scenarios.engine.vocabulary import ClientStatus, Platform, Relationship, RequestKind

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "scenarios" / "engine"
POLICY_DOCUMENT = ROOT / "policies" / "document"
MODULES = sorted(ENGINE.glob("*.py")) + sorted(POLICY_DOCUMENT.glob("*.py"))
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


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_engine_and_the_policy_document_have_modules_to_check() -> None:
    names = {_name(path) for path in MODULES}
    assert {"scenarios/engine/evaluate.py", "scenarios/engine/vocabulary.py", "policies/document/policy.py",
            "policies/document/templates.py", "policies/document/default.py", "policies/document/reading.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_the_engine_module_imports_no_django(path: Path) -> None:
    assert "django" not in imported_roots(ast.parse(path.read_text(), filename=str(path)))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_the_engine_module_does_no_io_and_reads_no_clock(path: Path) -> None:
    tree = ast.parse(path.read_text(), filename=str(path))
    assert not imported_roots(tree) & FORBIDDEN_MODULES
    assert not called_names(tree) & FORBIDDEN_CALLS


# That the same request always gives the same guidance is a property over any input: see
# test_engine_properties.py.
FACTS = Facts(RequestKind.FRIEND_REQUEST, Platform.FACEBOOK, Relationship.CLIENT_FAMILY, ClientStatus.CURRENT, None,
              dt.datetime(2026, 3, 13, 23, 5))


def test_the_static_texts_are_shared_not_copied() -> None:
    now = dt.datetime(2026, 3, 14, 12, 0)
    first, second = evaluate(FACTS, None, now), evaluate(FACTS, None, now)
    assert first.option("discuss").steps is second.option("discuss").steps
