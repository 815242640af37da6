import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given

from scenarios.engine.document import evaluate_document
from policies.document import STARTER_TEMPLATES, to_document
from scenarios.tests.strategies import JSON, PROPERTY, mutated

FACTS = {"kind": "friend_request", "platform": "facebook", "relationship": "client_family",
         "client_status": "current", "received_at": "2026-03-10T21:05"}


def run(tmp_path, document, *args) -> dict:
    path = tmp_path / "request.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    out = StringIO()
    call_command("evaluate_request", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_the_guidance_for_the_given_now_as_json(tmp_path):
    guidance = run(tmp_path, {"facts": FACTS}, "--now", "2026-03-11T09:00")
    assert guidance["recommended"] == ["discuss", "decline"]
    assert guidance["options"]["accept"]["verdict"] == "not_allowed"
    # Exactly the engine's answer for that moment, so the output is repeatable.
    assert guidance == evaluate_document({"facts": FACTS}, dt.datetime(2026, 3, 11, 9, 0))


@pytest.mark.parametrize("document, message", [
    ("{not json", "not valid JSON (line 1, column 2"),
    ({"facts": {**FACTS, "platform": "myspace"}}, "facts.platform: Unknown value 'myspace'"),
    ({"facts": FACTS, "policy": {"schema": "nope"}}, "policy.schema"),
    ({"fact": FACTS}, "facts: This field is required."),
    ({"facts": {**FACTS, "context": "Parent\u0000"}},
     "facts.context: This text contains a NUL character (\\x00), which can't be saved; remove it and try again."),
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


@pytest.mark.parametrize(("now", "date"), [
    ("9999-12-31T23:59", "9999-12-31"),
    ("0001-01-01T00:00", "0001-01-01"),
    ("9999-12-31T23:59:59.999999+00:00", "9999-12-31"),  # still inside the calendar in New York
])
def test_now_may_be_any_moment_the_calendar_holds(tmp_path, now, date):
    discharged = {**FACTS, "relationship": "former_client", "client_status": "discharged", "discharged_on": "9999-12-31"}
    policy = to_document(STARTER_TEMPLATES["early_intervention"].policy)
    guidance = run(tmp_path, {"policy": policy, "facts": discharged}, "--now", now)
    assert guidance["options"]["accept"]["verdict"] == "not_allowed"


@pytest.mark.parametrize("now", ["0001-01-01T00:00+14:00", "9999-12-31T23:59-12:00"])
def test_a_now_that_local_time_cant_show_is_a_clear_error(tmp_path, now):
    with pytest.raises(CommandError, match="falls outside the calendar in local time"):
        run(tmp_path, {"facts": FACTS}, "--now", now)


def test_a_file_name_with_a_nul_character_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("evaluate_request", str(tmp_path / "request\x00.json"))
    assert "its name contains a NUL character" in str(error.value) and "\x00" not in str(error.value)


REQUEST = {"policy": to_document(STARTER_TEMPLATES["professional_after_discharge"].policy),
           "facts": {**FACTS, "kind": "text_message", "platform": "work_text", "received_at": "2026-03-15T00:30"}}


@PROPERTY
@given(document=JSON | mutated(REQUEST))
def test_any_json_document_gives_guidance_or_a_command_error(tmp_path, document):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(document))
    out = StringIO()
    try:
        call_command("evaluate_request", str(path), "--now", "2026-03-14T12:00", stdout=out)
    except CommandError as error:
        assert str(error).startswith(f"{path}: ")
    else:
        assert json.loads(out.getvalue())["options"]
