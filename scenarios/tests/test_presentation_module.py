"""The services keep the writes; the words and shapes the request pages show live in presentation.py."""

import ast
from pathlib import Path

SCENARIOS = Path(__file__).resolve().parents[1]
PRESENTATION_NAMES = {"OptionCard", "WalkStep", "option_cards", "walk_for", "clause_label", "citation_label"}


def defined_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return {node.name for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))}


def test_the_cards_the_walk_and_the_labels_are_defined_in_presentation_not_in_services() -> None:
    assert PRESENTATION_NAMES <= defined_names(SCENARIOS / "presentation.py")
    assert not PRESENTATION_NAMES & defined_names(SCENARIOS / "services.py")


def test_a_reason_from_a_conduct_expectation_names_it() -> None:
    from scenarios.presentation import clause_label

    assert clause_label("conduct.no_searching_for_clients") == "Policy: no searching for clients online"
    assert clause_label("conduct.client_photos_with_consent") == "Policy: photos of clients only with written consent"
