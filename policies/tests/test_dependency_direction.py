"""Dependencies run one way: scenarios uses policies, and no module of policies imports scenarios."""

import ast
from pathlib import Path

POLICIES = Path(__file__).resolve().parents[1]
# Every module of the app: code, migrations, commands and these tests alike.
MODULES = sorted(POLICIES.rglob("*.py"))


def imported_modules(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and _called(node) in {"__import__", "import_module"}:
            names.update(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return names


def _called(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def scenarios_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return sorted(name for name in imported_modules(tree) if name.split(".")[0] == "scenarios")


def test_there_are_policies_modules_to_check() -> None:
    names = {str(path.relative_to(POLICIES)) for path in MODULES}
    assert {"models.py", "services.py", "views.py", "forms.py", "presentation.py", "document/policy.py"} <= names


def test_no_module_of_policies_imports_scenarios() -> None:
    found = {str(path.relative_to(POLICIES)): scenarios_imports(path) for path in MODULES}
    assert {path: names for path, names in found.items() if names} == {}


def test_the_check_sees_every_form_of_import() -> None:
    source = "import scenarios.models\nfrom scenarios.engine import evaluate\nimportlib.import_module('scenarios.views')\n"
    assert imported_modules(ast.parse(source)) >= {"scenarios.models", "scenarios.engine", "scenarios.views"}
