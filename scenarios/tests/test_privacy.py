"""The privacy heuristics, one kind at a time: what each catches, and what it must let through."""

import ast
from pathlib import Path

import pytest

from scenarios import privacy

# What practitioners really write, and the demo's contexts: none of it should raise anything.
PLAIN_CONTEXTS = [
    "Child in hospital; parent posts updates there.",
    "Parent of a toddler on the caseload; posts hospital updates there.",
    "Asking to move Thursday's visit.",
    "A peer from the neighbouring team.",
    "Mum's friend request came on Facebook after the March visit.",
    "He said OK. Then the dad asked again on Monday.",
    "Sent at 21:05, about the IFSP meeting on 2026-03-14.",
    "Case 2024-00123 reopened for 2019-2020; visit 14.03.2026 or 3/14/26.",
    "She has hearing aids and posts a lot.",
]


@pytest.mark.parametrize("text", PLAIN_CONTEXTS)
def test_everyday_context_raises_nothing(text):
    assert privacy.contact_details(text) == [] and privacy.identifying_words(text) == []


@pytest.mark.parametrize("text, found", [
    ("write to j.smith+home@mail.example.org please", "j.smith+home@mail.example.org"),
    ("JT@example.com", "JT@example.com"),
])
def test_an_email_address_is_found(text, found):
    assert privacy.contact_details(text) == [privacy.Finding("email", found)]


@pytest.mark.parametrize("text", [
    "555-0134", "555 013 4567", "(555) 013-4567", "+1 555 013 4567", "+44 7700 900123", "07700 900123",
    "06 12 34 56 78", "555.013.4567", "texted from 555-0134 at night",
])
def test_a_phone_number_is_found_as_people_write_one(text):
    assert [finding.kind for finding in privacy.contact_details(text)] == ["phone"]


@pytest.mark.parametrize("text", [
    "RB-1042", "RB-555-0134", "12345678", "2024-00123", "C-2024-117", "2026-03-14", "14.03.2026", "3/14/26",
    "2019-2020", "21:05", "12 345", "1 200 000",
])
def test_case_numbers_dates_and_short_numbers_are_not_phone_numbers(text):
    assert privacy.find_phones(text) == []


@pytest.mark.parametrize("text, names", [
    ("Jennifer Smith's mother", ["Jennifer Smith's"]),
    ("When Jennifer Smith texted", ["Jennifer Smith"]),
    ("Mrs Lopez sent it", ["Mrs Lopez"]),
    ("parent of Jennifer", ["Jennifer"]),
    ("Maria's dad asked", ["Maria's"]),
    ("He said OK. Then Maria called", ["Maria"]),
    ("The Smiths asked", ["Smiths"]),
])
def test_a_name_is_suspected(text, names):
    assert privacy.find_names(text) == names


def test_a_name_in_lower_case_is_not_caught_which_the_docs_say():
    assert privacy.find_names("jennifer smith asked") == []


@pytest.mark.parametrize("text, terms", [
    ("diagnosed with autism", ["diagnosed", "autism"]),
    ("child with Down syndrome", ["Down syndrome"]),
    ("grandmother has Alzheimer's", ["Alzheimer's"]),
    ("the boy's ADHD", ["ADHD"]),
    ("mother's DEPRESSION", ["DEPRESSION"]),
])
def test_a_diagnosis_is_suspected(text, terms):
    assert privacy.find_diagnoses(text) == terms


def test_abbreviations_count_only_in_capitals():
    assert privacy.find_diagnoses("hearing aids, and an ocd joke") == []


def test_a_condition_named_after_a_person_is_reported_once_as_a_diagnosis():
    assert privacy.identifying_words("child with Down syndrome") == [privacy.Finding("diagnosis", "Down syndrome")]


def test_the_issue_example_raises_a_name_and_a_diagnosis():
    findings = privacy.identifying_words("Jennifer Smith's mother, diagnosed with autism")
    assert findings == [privacy.Finding("name", "Jennifer Smith's"), privacy.Finding("diagnosis", "diagnosed"),
                        privacy.Finding("diagnosis", "autism")]


def test_the_module_is_plain_python():
    tree = ast.parse(Path(privacy.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported == {"__future__", "re", "dataclasses"}
