"""The worked examples in docs/engine.md are the engine's real output."""

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from scenarios.engine.document import evaluate_document
from policies.document import parse_document, to_document

DOC = Path(__file__).resolve().parents[2] / "docs" / "engine.md"
NOW = dt.datetime(2026, 3, 14, 12, 0)


def example(number: int, part: str) -> Any:
    found = re.search(rf"<!-- example:{number}:{part} -->\s*```json\n(.*?)\n```", DOC.read_text(), re.S)
    assert found, f"example {number} {part} is missing from {DOC}"
    return json.loads(found.group(1))


@pytest.mark.parametrize("number", [1, 2, 3])
def test_the_documented_example_matches_the_engine(number: int) -> None:
    assert evaluate_document(example(number, "input"), NOW) == example(number, "output")


def test_the_complete_policy_example_round_trips() -> None:
    text = (DOC.parent / "policy-schema.md").read_text()
    block = text.split("## A complete example", 1)[1]
    found = re.search(r"```json\n(.*?)\n```", block, re.S)
    assert found
    exported = json.dumps(to_document(parse_document(json.loads(found.group(1)))), indent=2)
    assert exported == found.group(1)
