"""Every boundaries.policy/1 document still imports, upgraded on the way in.

data/policy_v1_examples.json holds the /1 documents as they were published: the complete example of
docs/policy-schema.md, the policy of docs/engine.md example 2, and the default and every starter
template as exported before /2.
"""

import json
from pathlib import Path

import pytest

from policies.document import SCHEMA, SCHEMA_V1, PolicyDocumentError, parse_document, to_document
from policies.document.policy import NO_CONDUCT
from policies.services import policy_import
from policies.tests.test_policy_schema import schema_errors

EXAMPLES = json.loads((Path(__file__).parent / "data" / "policy_v1_examples.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example["source"])
def test_an_old_document_reads_with_the_new_settings_at_their_defaults(example) -> None:
    document = example["document"]
    assert document["schema"] == SCHEMA_V1
    policy = parse_document(document)
    assert policy.conduct == NO_CONDUCT
    assert all(rule.relationships == () for rule in policy.channels)
    # Written back as /1 it is the same document; as /2 it is a valid current document.
    assert json.dumps(to_document(policy, schema=SCHEMA_V1)) == json.dumps(document)
    upgraded = to_document(policy)
    assert upgraded["schema"] == SCHEMA and schema_errors(upgraded) == []


@pytest.mark.parametrize("example", EXAMPLES[:2], ids=lambda example: example["source"])
def test_an_old_document_imports_as_a_current_draft(agency_a, supervisor, example) -> None:
    version = policy_import(agency=agency_a, document=example["document"], actor=supervisor.user)
    version.refresh_from_db()
    assert version.document["schema"] == SCHEMA
    assert version.policy == parse_document(example["document"])
    assert version.export() == version.document


def test_an_old_document_may_not_carry_the_new_fields() -> None:
    document = json.loads(json.dumps(EXAMPLES[0]["document"]))
    document["conduct"] = {}
    document["channels"][0]["relationships"] = ["client_family"]
    with pytest.raises(PolicyDocumentError) as error:
        parse_document(document)
    assert [path for path, _ in error.value.errors] == ["conduct", "channels[0].relationships"]


def test_a_policy_with_new_settings_is_never_written_as_v1() -> None:
    document = json.loads(json.dumps(EXAMPLES[0]["document"]))
    document["schema"] = SCHEMA
    document["conduct"] = to_document(parse_document(EXAMPLES[2]["document"]))["conduct"]
    document["conduct"]["online_reviews"]["on"] = True
    with pytest.raises(ValueError, match="can't hold"):
        to_document(parse_document(document), schema=SCHEMA_V1)
