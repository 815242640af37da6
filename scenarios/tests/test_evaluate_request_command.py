import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

FACTS = {"kind": "friend_request", "platform": "facebook", "relationship": "client_family",
         "client_status": "current", "received_at": "2026-03-10T21:05"}


def run(tmp_path, document, *args) -> dict:
    path = tmp_path / "request.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    out = StringIO()
    call_command("evaluate_request", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_guidance_as_json(tmp_path):
    guidance = run(tmp_path, {"facts": FACTS}, "--now", "2026-03-11T09:00")
    assert guidance["recommended"] == ["discuss", "decline"]
    assert guidance["options"]["accept"]["verdict"] == "not_allowed"
    assert set(guidance["options"]) == {"accept", "ignore", "discuss", "decline"}
    assert {"supervisor_review", "follow_ups", "summary"} <= set(guidance)


def test_the_same_document_and_now_give_the_same_answer(tmp_path):
    first = run(tmp_path, {"facts": FACTS}, "--now", "2026-03-11T09:00")
    assert run(tmp_path, {"facts": FACTS}, "--now", "2026-03-11T09:00") == first


@pytest.mark.parametrize("document, message", [
    ("{not json", "not valid JSON (line 1, column 2"),
    ({"facts": {**FACTS, "platform": "myspace"}}, "facts.platform: Unknown value 'myspace'"),
    ({"facts": FACTS, "policy": {"schema": "nope"}}, "policy.schema"),
    ({"fact": FACTS}, "facts: This field is required."),
])
def test_bad_documents_name_the_file_and_the_problem(tmp_path, document, message):
    with pytest.raises(CommandError) as error:
        run(tmp_path, document, "--now", "2026-03-11T09:00")
    assert str(tmp_path / "request.json") in str(error.value) and message in str(error.value)


def test_a_missing_file_or_bad_now_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="missing.json: can't read the file"):
        call_command("evaluate_request", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="--now 'soon' is not an ISO date-time"):
        run(tmp_path, {"facts": FACTS}, "--now", "soon")
