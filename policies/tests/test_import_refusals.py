"""A policy document that can't be stored is refused by the engine's reader, on the page and by the command.

Nothing is ever half-written: the version, rule and audit counts are the same after a refusal.
"""

import json
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given

from audit.models import AuditEvent
from policies.models import PolicyVersion
from policies.services import policy_discard
from policies.document.errors import PolicyDocumentError
from policies.document import STARTER_TEMPLATES, parse_document, to_document
from policies.tests.strategies import PROPERTY, policy_documents

NUL_MESSAGE = "This text contains a NUL character (\\x00), which can't be saved; remove it and try again."


def rows() -> tuple[int, int]:
    return PolicyVersion.objects.count(), AuditEvent.objects.count()


def with_nul() -> dict[str, Any]:
    document = to_document(STARTER_TEMPLATES["strict"].policy)
    document["title"] = "Riverside\x00"
    document["connection_rules"][0]["rationale"] = "\x00"
    return document


def test_the_web_import_shows_a_nul_character_under_the_file_field_and_saves_nothing(client_for, supervisor):
    client = client_for(supervisor)
    before = rows()
    upload = SimpleUploadedFile("policy.json", json.dumps(with_nul()).encode())
    response = client.post(reverse("policies:import"), {"document": upload})
    body = response.content.decode()
    assert response.status_code == 400
    errors = body.split('id="id_document_error"', 1)[1].split("</div>", 1)[0]
    assert f"title: {NUL_MESSAGE}".replace("'", "&#x27;") in errors
    assert f"connection_rules[0].rationale: {NUL_MESSAGE}".replace("'", "&#x27;") in errors
    assert "The document was not imported" in body
    assert rows() == before


def test_the_import_command_refuses_a_nul_character_and_writes_nothing(agency_a, tmp_path):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(with_nul()))
    with pytest.raises(CommandError) as error:
        call_command("policy_import", "--agency", "riverside", str(path))
    assert "nothing was written" in str(error.value)
    assert f"  title: {NUL_MESSAGE}" in str(error.value)
    assert rows() == (0, 0)


@pytest.mark.parametrize(("agency", "file", "message"), [
    ("riverside\x00", "policy.json", "No agency has the slug 'riverside\\x00'."),
    ("riverside", "policy\x00.json", "its name contains a NUL character"),
])
def test_a_nul_character_in_the_command_arguments_is_a_clear_error(agency_a, tmp_path, agency, file, message):
    (tmp_path / "policy.json").write_text(json.dumps(to_document(STARTER_TEMPLATES["strict"].policy)))
    with pytest.raises(CommandError) as error:
        call_command("policy_import", "--agency", agency, str(tmp_path / file))
    assert message in str(error.value) and "\x00" not in str(error.value)
    assert rows() == (0, 0)


def _expect_from_the_reader(document: Any) -> bool:
    try:
        parse_document(document)
    except PolicyDocumentError:
        return False
    return True


def _imported_whole_then_discarded(document: dict[str, Any], before: tuple[int, ...], actor) -> None:
    version = PolicyVersion.objects.order_by("-number").first()
    assert PolicyVersion.objects.count() == before[0] + 1
    # The whole policy was stored, in the current format.
    assert version.document == to_document(parse_document(document))
    # Only one draft at a time: make room for the next example.
    policy_discard(version=version, actor=actor)


@PROPERTY
@given(document=policy_documents())
def test_the_import_command_imports_a_whole_draft_or_writes_nothing(agency_a, supervisor, tmp_path, document):
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(document))
    before = rows()
    if _expect_from_the_reader(document):
        call_command("policy_import", "--agency", "riverside", str(path), stdout=StringIO())
        _imported_whole_then_discarded(document, before, supervisor.user)
    else:
        with pytest.raises(CommandError, match="nothing was written"):
            call_command("policy_import", "--agency", "riverside", str(path))
        assert rows() == before


@PROPERTY
@given(document=policy_documents())
def test_the_web_import_never_fails_and_never_half_writes(client_for, supervisor, document):
    client = client_for(supervisor)
    before = rows()
    upload = SimpleUploadedFile("policy.json", json.dumps(document).encode())
    response = client.post(reverse("policies:import"), {"document": upload})
    if _expect_from_the_reader(document):
        assert response.status_code == 302
        _imported_whole_then_discarded(document, before, supervisor.user)
    else:
        assert response.status_code == 400
        assert 'id="id_document_error"' in response.content.decode()
        assert rows() == before
