import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from policies.models import PolicyStatus, PolicyVersion
from policies.services import policy_export, policy_import, policy_start_draft
from policies.document.errors import PolicyDocumentError
from policies.document import STARTER_TEMPLATES, to_document
from tests.factories import PolicyVersionFactory


def _fresh(version):
    return PolicyVersion.objects.get(pk=version.pk)


# Strict has no cooling-off periods, early intervention has both: the two ways a period is stored.
@pytest.mark.parametrize("template", ["strict", "early_intervention"])
def test_export_import_export_gives_the_same_document(agency_a, agency_b, supervisor, outsider, template):
    original = PolicyVersionFactory(agency=agency_a, published=True, template=template)
    exported = policy_export(_fresh(original), actor=supervisor.user)
    assert exported == to_document(STARTER_TEMPLATES[template].policy)
    imported = policy_import(agency=agency_b, document=json.loads(json.dumps(exported)), actor=outsider.user)
    assert (imported.status, imported.based_on, imported.number) == (PolicyStatus.DRAFT, "import", 1)
    assert json.dumps(policy_export(_fresh(imported))) == json.dumps(exported)


def test_an_import_keeps_platform_rules_and_their_order(agency_a, supervisor):
    document = to_document(STARTER_TEMPLATES["strict"].policy)
    document["connection_rules"].insert(0, {"relationship": "former_client", "scope": "linkedin",
                                            "decision": "needs_approval", "rationale": "Ask first."})
    version = policy_import(agency=agency_a, document=document, actor=supervisor.user)
    assert policy_export(_fresh(version)) == document


def test_a_bad_document_names_each_path_and_writes_nothing(agency_a, supervisor):
    document = to_document(STARTER_TEMPLATES["strict"].policy)
    document["cooling_off"]["after_discharge"] = {"amount": -5, "unit": "years"}
    document["connection_rules"].append(dict(document["connection_rules"][0]))
    document["channels"][0]["uses"] = ["emergencies"]
    document["working_hours"]["end"] = "07:00"
    with pytest.raises(PolicyDocumentError) as error:
        policy_import(agency=agency_a, document=document, actor=supervisor.user)
    paths = [path for path, _ in error.value.errors]
    assert "cooling_off.after_discharge.amount" in paths
    assert "connection_rules[21]" in paths
    assert "channels[0].uses[0]" in paths
    assert "working_hours.start" in paths
    assert not PolicyVersion.objects.exists() and not AuditEvent.objects.exists()


def test_the_commands_export_and_import(agency_a, agency_b, supervisor, tmp_path):
    PolicyVersionFactory(agency=agency_a, published=True, number=1)
    out = StringIO()
    call_command("policy_export", "--agency", "riverside", stdout=out)
    path = tmp_path / "policy.json"
    path.write_text(out.getvalue())
    call_command("policy_import", "--agency", "hilltop", str(path), stdout=StringIO())
    again = StringIO()
    call_command("policy_export", "--agency", "hilltop", "--version", "1", stdout=again)
    assert json.loads(again.getvalue()) == json.loads(out.getvalue())
    assert PolicyVersion.objects.for_agency(agency_b).get().status == PolicyStatus.DRAFT
    exported = AuditEvent.objects.filter(action=AuditAction.POLICY_EXPORTED).count()
    assert exported == 2 and AuditEvent.objects.filter(action=AuditAction.POLICY_IMPORTED).count() == 1


def test_the_import_command_lists_each_problem_and_writes_nothing(agency_a, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"schema": "boundaries.policy/1", "title": "", "connection_rules": "no"}))
    with pytest.raises(CommandError) as error:
        call_command("policy_import", "--agency", "riverside", str(path))
    message = str(error.value)
    assert "nothing was written" in message
    assert "title: This must not be empty." in message and "connection_rules: Expected a list." in message
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("policy_import", "--agency", "riverside", str(path))
    assert not PolicyVersion.objects.exists()


def test_the_export_command_explains_what_is_missing(agency_a, supervisor):
    with pytest.raises(CommandError, match="no policy in force"):
        call_command("policy_export", "--agency", "riverside")
    with pytest.raises(CommandError, match="no policy version 4"):
        call_command("policy_export", "--agency", "riverside", "--version", "4")
    with pytest.raises(CommandError, match="No agency"):
        call_command("policy_export", "--agency", "nowhere")
    policy_start_draft(agency=agency_a, actor=supervisor.user, template="strict")
    out = StringIO()
    call_command("policy_export", "--agency", "riverside", "--version", "1", stdout=out)
    assert json.loads(out.getvalue())["title"] == STARTER_TEMPLATES["strict"].policy.title


def test_a_deeply_nested_upload_is_refused_with_a_message(client_for, supervisor):
    nested = SimpleUploadedFile("deep.json", b"[" * 100_000 + b"]" * 100_000, content_type="application/json")
    response = client_for(supervisor).post(reverse("policies:import"), {"document": nested})
    assert "nests too deeply" in response.content.decode()
    assert not PolicyVersion.objects.exists()
