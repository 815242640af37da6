"""docs/policy.schema.json is generated from the document's one definition and describes what the reader accepts."""

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from hypothesis import given

from policies.document import DEFAULT_POLICY, SCHEMA, STARTER_TEMPLATES, PolicyDocumentError, parse_document, to_document
from policies.management.commands import policy_schema
from policies.tests.strategies import PROPERTY, mutated, policies

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA_FILE = DOCS / "policy.schema.json"


def published_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def schema_errors(document: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(published_schema())
    return [error.message for error in validator.iter_errors(document)]


def docs_example() -> dict[str, Any]:
    block = (DOCS / "policy-schema.md").read_text().split("## A complete example", 1)[1]
    found = re.search(r"```json\n(.*?)\n```", block, re.S)
    assert found
    return json.loads(found.group(1))


def test_the_published_schema_is_up_to_date_and_a_valid_json_schema() -> None:
    call_command("policy_schema", "--check")
    jsonschema.Draft202012Validator.check_schema(published_schema())


def test_the_check_fails_when_the_file_falls_behind(tmp_path, monkeypatch) -> None:
    stale = tmp_path / "policy.schema.json"
    stale.write_text(SCHEMA_FILE.read_text().replace('"maxLength": 2000', '"maxLength": 1000'))
    monkeypatch.setattr(policy_schema, "SCHEMA_FILE", stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("policy_schema", "--check")
    call_command("policy_schema")
    assert stale.read_text() == SCHEMA_FILE.read_text()


@pytest.mark.parametrize("source", ["docs example", "default", *STARTER_TEMPLATES])
def test_the_docs_example_the_default_and_every_starter_template_validate(source: str) -> None:
    if source == "docs example":
        document = docs_example()
        assert document["schema"] == SCHEMA
    elif source == "default":
        document = to_document(DEFAULT_POLICY)
    else:
        document = to_document(STARTER_TEMPLATES[source].policy)
    assert schema_errors(document) == []
    assert to_document(parse_document(document)) == document


# The schema may say less than the reader (a repeated rule, a day that ends before it starts), never
# more: a document the reader accepts is never refused by the schema.
@PROPERTY
@given(policy=policies())
def test_every_document_the_reader_writes_validates(policy) -> None:
    assert schema_errors(to_document(policy)) == []


@PROPERTY
@given(data=policies().flatmap(lambda policy: mutated(to_document(policy))))
def test_a_document_the_schema_refuses_the_reader_refuses_too(data) -> None:
    if schema_errors(data):
        with pytest.raises(PolicyDocumentError):
            parse_document(data)


SHAPE_MISTAKES = [
    (("colour",), "blue"),
    (("conduct", "online_reviews", "on"), "yes"),
    (("conduct", "professional_accounts", "stance"), "sometimes"),
    (("channels", 0, "relationships"), ["colleague"]),
    (("channels", 0, "uses"), ["emergencies"]),
    (("cooling_off", "after_discharge"), {"amount": 31, "unit": "years"}),
    (("working_hours", "start"), "24:00"),
    (("connection_rules", 0, "decision"), "maybe"),
    (("title",), "   "),
    (("title",), "Riverside\x00"),
]


@pytest.mark.parametrize(("where", "value"), SHAPE_MISTAKES)
def test_the_schema_and_the_reader_both_refuse_a_mistake_of_shape(where: tuple[Any, ...], value: Any) -> None:
    document = copy.deepcopy(to_document(STARTER_TEMPLATES["early_intervention"].policy))
    target: Any = document
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    assert schema_errors(document)
    with pytest.raises(PolicyDocumentError):
        parse_document(document)
