"""The built-in scenarios as data: pure Python, readable by the engine, citing only known sections."""

import ast
import datetime as dt
from pathlib import Path

import pytest

from policies.document import STARTER_TEMPLATES
from scenarios.engine import parse_facts
from training.builtin import BUILT_IN, BY_KEY, YES, AnswerKind, facts_document, months_before, received_at
from training.judging import judge

PURE = ("builtin.py", "judging.py")
TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize("name", PURE)
def test_the_scenario_modules_import_nothing_of_django(name):
    tree = ast.parse((Path(__file__).resolve().parents[1] / name).read_text())
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert not [module for module in imported if module.startswith("django")]


def test_there_are_the_seven_scenarios_of_the_issue_each_with_two_or_three_questions():
    assert [scenario.key for scenario in BUILT_IN] == [
        "client-facebook", "colleague-instagram", "late-night-text", "former-client", "accepted-by-accident",
        "public-follow", "small-community"]
    for scenario in BUILT_IN:
        assert 2 <= len(scenario.reflective_questions) <= 3, scenario.key
        assert scenario.considerations and scenario.citation_keys, scenario.key
        parse_facts(facts_document(scenario, TODAY))  # the engine reads every one


def test_dates_are_relative_to_the_day():
    former = BY_KEY["former-client"]
    assert facts_document(former, TODAY)["discharged_on"] == "2024-11-30"
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    late = received_at(BY_KEY["late-night-text"], TODAY)  # a Monday: the Tuesday before, late
    assert (late.date(), late.hour, late.minute) == (dt.date(2026, 11, 24), 23, 40)


def test_the_policys_answer_comes_from_the_engine_and_follows_the_policy():
    text = BY_KEY["late-night-text"]
    strict = judge(text, STARTER_TEMPLATES["strict"].policy, TODAY)
    early = judge(text, STARTER_TEMPLATES["early_intervention"].policy, TODAY)
    assert strict.expected == ("discuss",) and early.expected == ("accept",)
    assert strict.signature != early.signature
    assert strict.label_of("accept") == "Reply"  # the engine's word for accepting a message


def test_a_yes_or_no_scenario_says_yes_only_where_accepting_is_allowed():
    colleague = BY_KEY["colleague-instagram"]
    assert colleague.answer_kind is AnswerKind.YES_NO
    judged = judge(colleague, None, TODAY)  # the default asks for approval first: not a yes
    assert judged.guidance.option("accept").verdict == "needs_approval"
    assert judged.expected == ("no",) and not judged.agrees(YES)
    assert judged.default_policy
