"""The agency's crisis numbers and its own paragraph, per language, on the client statement."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from policies.document import DEFAULT_POLICY
from policies.forms import StatementSettingsForm
from policies.models import StatementSettings, validate_phone_text
from policies.services import statement_additions, statement_settings_for, statement_settings_save
from policies.statement import agency_paragraphs, crisis_lines, statement_sections

URL = reverse("policies:statement_settings")
STATEMENT = reverse("policies:statement")
GOOD = {"emergency_number": "911", "crisis_number": "(555) 010-0199", "crisis_texts": "",
        "paragraph_en": "Call the front desk at 555-0100 with any question.",
        "paragraph_es": "Llame a la recepción al 555-0100 si tiene preguntas."}


def sections_with(row, language):
    with translation.override(language):
        return {section.key: section for section in statement_sections(
            DEFAULT_POLICY, **statement_additions(row, language))}


# The model and the statement --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["911", "988", "(555) 010-0199", "+1 555.010.0199", "1-800-273-8255"])
def test_a_phone_number_may_have_spaces_dashes_dots_brackets_and_a_leading_plus(number):
    validate_phone_text(number)


@pytest.mark.parametrize("text", ["call us", "91", "555-0100 ext 4", "1-800-SUICIDE", "+", "5+55", "1234567890123456",
                                  "<b>911</b>"])
def test_anything_else_is_not_a_phone_number(text):
    with pytest.raises(ValidationError) as caught:
        validate_phone_text(text)
    assert caught.value.code == "invalid_phone"


def test_without_settings_the_statement_names_911_and_988(agency_a):
    row = statement_settings_for(agency_a)
    assert row.pk is None
    emergencies = sections_with(row, "en")["emergencies"]
    assert emergencies.paragraphs[1] == "In an emergency, call 911. In a mental health crisis, call or text 988."
    assert "agency" not in sections_with(row, "en")


def test_the_agencys_numbers_replace_the_default_in_both_languages():
    row = StatementSettings(emergency_number="112", crisis_number="(555) 010-0199", crisis_texts=False)
    assert sections_with(row, "en")["emergencies"].paragraphs[1] == (
        "In an emergency, call 112. In a mental health crisis, call (555) 010-0199.")
    assert sections_with(row, "es")["emergencies"].paragraphs[1] == (
        "En una emergencia, llame al 112. En una crisis de salud mental, llame al (555) 010-0199.")
    with translation.override("es"):
        assert crisis_lines("911", "988", True) == (
            "En una emergencia, llame al 911. En una crisis de salud mental, llame o envíe un mensaje de texto al 988.")


def test_without_a_crisis_line_only_the_emergency_number_is_named():
    assert crisis_lines("911", "", True) == "In an emergency, call 911."


def test_the_agency_paragraph_shows_in_its_own_language_and_never_in_the_other():
    row = StatementSettings(paragraph_en="Our front desk is open from 8.", paragraph_es="")
    english, spanish = sections_with(row, "en"), sections_with(row, "es")
    assert english["agency"].heading == "A word from our agency"
    assert english["agency"].paragraphs == ("Our front desk is open from 8.",)
    assert "agency" not in spanish
    assert list(english)[-2:] == ["agency", "changes"]
    row.paragraph_es = "La recepción abre a las 8."
    assert sections_with(row, "es")["agency"].heading == "Unas palabras de nuestra agencia"
    assert sections_with(row, "es")["agency"].paragraphs == ("La recepción abre a las 8.",)


def test_blank_lines_start_paragraphs_and_single_line_breaks_read_as_spaces():
    assert agency_paragraphs("First line\r\nstill first.\r\n\r\n  \r\nSecond.\n") == ("First line still first.",
                                                                                    "Second.")
    assert agency_paragraphs(" \n \n") == ()


# Saving -----------------------------------------------------------------------------------------------------


def test_saving_records_one_event_with_the_changed_field_names_only(supervisor):
    agency = supervisor.agency
    row, changed = statement_settings_save(agency=agency, actor=supervisor.user, emergency_number="911",
                                           crisis_number="(555) 010-0199", crisis_texts=False,
                                           paragraph_en="Private words.", paragraph_es="")
    assert changed == ["crisis_number", "crisis_texts", "paragraph_en"]
    assert StatementSettings.objects.get() == row and row.updated_by == supervisor.user
    event = AuditEvent.objects.get(action=AuditAction.STATEMENT_SETTINGS_CHANGED)
    assert event.data == {"changed": ["crisis_number", "crisis_texts", "paragraph_en"]}
    assert "Private" not in json.dumps(event.data) and "555" not in json.dumps(event.data)
    _, again = statement_settings_save(agency=agency, actor=supervisor.user, emergency_number="911",
                                       crisis_number="(555) 010-0199", crisis_texts=False,
                                       paragraph_en="Private words.", paragraph_es="")
    assert again == [] and AuditEvent.objects.filter(action=AuditAction.STATEMENT_SETTINGS_CHANGED).count() == 1
    assert StatementSettings.objects.count() == 1


def test_the_service_refuses_what_the_model_refuses(supervisor):
    with pytest.raises(ValidationError):
        statement_settings_save(agency=supervisor.agency, actor=supervisor.user, emergency_number="call us",
                                crisis_number="", crisis_texts=True, paragraph_en="", paragraph_es="")
    assert not StatementSettings.objects.exists() and not AuditEvent.objects.filter(
        action=AuditAction.STATEMENT_SETTINGS_CHANGED).exists()


def test_a_line_break_counts_as_one_character_as_the_browser_counts_it():
    form = StatementSettingsForm({**GOOD, "paragraph_en": ("a" * 299 + "\r\n") * 2})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["paragraph_en"].count("\n") == 2 - 1  # the trailing one is stripped


# The page ---------------------------------------------------------------------------------------------------


def test_a_supervisor_sets_numbers_and_paragraphs_and_the_statement_shows_them(client_for, supervisor, practitioner):
    client = client_for(supervisor)
    page = client.get(URL)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert 'value="911"' in page.content.decode() and 'value="988"' in page.content.decode()
    response = client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == URL
    assert "Saved." in client.get(URL).content.decode()

    reader = client_for(practitioner)
    english = reader.get(STATEMENT, {"lang": "en"}).content.decode()
    assert "In an emergency, call 911. In a mental health crisis, call (555) 010-0199." in english
    assert "A word from our agency" in english and "Call the front desk at 555-0100 with any question." in english
    assert "Llame a la recepción" not in english
    spanish = reader.get(STATEMENT, {"lang": "es"}).content.decode()
    assert "En una crisis de salud mental, llame al (555) 010-0199." in spanish
    assert "Unas palabras de nuestra agencia" in spanish and "Llame a la recepción al 555-0100" in spanish
    assert "Call the front desk" not in spanish


def test_the_agency_paragraph_is_escaped(client_for, supervisor):
    client = client_for(supervisor)
    client.post(URL, {**GOOD, "paragraph_es": '<script>alert(1)</script> <a href="x">aquí</a>'})
    body = client.get(STATEMENT, {"lang": "es"}).content.decode()
    assert "<script>alert(1)</script>" not in body and '<a href="x">' not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;a href=&quot;x&quot;&gt;aquí&lt;/a&gt;" in body


@pytest.mark.parametrize("field, value, message", [
    ("emergency_number", "call us", "Give a phone number to call"),
    ("emergency_number", "", "This field is required."),
    ("crisis_number", "988\x00", "Null characters are not allowed."),
    ("paragraph_en", "Hello\x00there", "Null characters are not allowed."),
    ("paragraph_es", "x" * 601, "Ensure this value has at most 600 characters (it has 601)."),
    ("paragraph_en", "Pasted\x07text", "invisible control characters"),
])
def test_bad_input_is_refused_next_to_its_field_and_nothing_typed_is_lost(client_for, admin, field, value, message):
    client = client_for(admin)
    data = {**GOOD, field: value}
    response = client.post(URL, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    body = response.content.decode()
    for name in ("paragraph_en", "paragraph_es", "crisis_number"):
        if name != field:
            assert form[name].value() == GOOD[name]
    assert "Llame a la recepción al 555-0100 si tiene preguntas." in body or field == "paragraph_es"
    assert not StatementSettings.objects.exists()


def test_an_over_long_paragraph_keeps_what_was_typed(client_for, admin):
    typed = "Nuestro equipo " * 50
    response = client_for(admin).post(URL, {**GOOD, "paragraph_es": typed})
    assert response.status_code == 400 and typed.strip() in response.content.decode()


def test_practitioners_may_not_see_or_change_the_settings(client_for, practitioner):
    client = client_for(practitioner)
    assert client.get(URL).status_code == 403
    assert client.post(URL, GOOD).status_code == 403
    assert not StatementSettings.objects.exists()
    statement = client.get(STATEMENT).content.decode()
    assert URL not in statement


def test_supervisors_and_admins_find_the_page_from_the_statement(client_for, supervisor, admin):
    for member in (supervisor, admin):
        assert URL in client_for(member).get(STATEMENT).content.decode()
    assert URL in client_for(admin).get(reverse("accounts:agency_settings")).content.decode()


def test_another_agencys_settings_are_invisible(client_for, supervisor, outsider):
    statement_settings_save(agency=outsider.agency, actor=outsider.user, emergency_number="999",
                            crisis_number="", crisis_texts=True, paragraph_en="Hilltop words.", paragraph_es="")
    page = client_for(supervisor).get(URL).content.decode()
    assert 'value="999"' not in page and "Hilltop words." not in page and 'value="911"' in page
    statement = client_for(supervisor).get(STATEMENT).content.decode()
    assert "999" not in statement and "Hilltop words." not in statement
    client_for(supervisor).post(URL, GOOD)
    assert StatementSettings.objects.get(agency=outsider.agency).emergency_number == "999"
    assert StatementSettings.objects.get(agency=supervisor.agency).emergency_number == "911"
