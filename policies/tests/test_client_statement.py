"""The client statement: ten sections from the policy in force, plain English, and Spanish from our own catalogue."""

import dataclasses
import datetime as dt
from pathlib import Path

import polib
import pytest
import textstat
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from policies.document import DEFAULT_POLICY, STARTER_TEMPLATES, Exceptions, Expectation, Period
from policies.document.vocabulary import Conduct, PeriodUnit
from policies.statement import statement_sections
from tests.factories import PolicyVersionFactory

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
ALL_SECTIONS = ["connections", "following", "agency_pages", "messages", "emergencies", "searching", "reviews",
                "tags", "community", "changes"]


def keys(policy, **kwargs):
    return [section.key for section in statement_sections(policy, **kwargs)]


def with_conduct(policy, conduct, on):
    return dataclasses.replace(policy, conduct=tuple(
        dataclasses.replace(expectation, on=on) if expectation.conduct is conduct else expectation
        for expectation in policy.conduct))


def test_the_conservative_default_gives_all_ten_sections_and_names_911_and_988():
    sections = statement_sections(DEFAULT_POLICY)
    assert [section.key for section in sections] == ALL_SECTIONS
    emergencies = next(section for section in sections if section.key == "emergencies")
    assert "call 911" in emergencies.paragraphs[1] and "988" in emergencies.paragraphs[1]


def test_searching_and_reviews_appear_only_when_the_policy_states_them():
    policy = with_conduct(with_conduct(DEFAULT_POLICY, Conduct.NO_SEARCHING_FOR_CLIENTS, False),
                          Conduct.ONLINE_REVIEWS, False)
    assert "searching" not in keys(policy) and "reviews" not in keys(policy)
    assert "reviews" in keys(with_conduct(policy, Conduct.ONLINE_REVIEWS, True))


def test_meeting_in_the_community_appears_only_with_the_small_community_exception():
    silent = dataclasses.replace(DEFAULT_POLICY, exceptions=Exceptions(small_community_guidance=""))
    assert "community" not in keys(silent) and "community" in keys(DEFAULT_POLICY)


def test_the_photo_promise_follows_the_policy():
    def tags(policy):
        return " ".join(next(s for s in statement_sections(policy) if s.key == "tags").paragraphs)
    assert "written consent" in tags(DEFAULT_POLICY)
    assert "written consent" not in tags(with_conduct(DEFAULT_POLICY, Conduct.CLIENT_PHOTOS_WITH_CONSENT, False))


def test_the_cooling_off_period_reads_in_words_in_both_languages():
    policy = dataclasses.replace(DEFAULT_POLICY, cooling_off_after_discharge=Period(5, PeriodUnit.YEARS))
    english = " ".join(statement_sections(policy)[0].paragraphs)
    assert "for five years after our work together ends" in english
    with translation.override("es"):
        spanish = " ".join(statement_sections(policy)[0].paragraphs)
    assert "durante cinco años después de que termine nuestro trabajo juntos" in spanish
    assert "after our work together ends" not in " ".join(statement_sections(DEFAULT_POLICY)[0].paragraphs[:2])


@pytest.mark.parametrize("template", sorted(STARTER_TEMPLATES))
def test_every_section_reads_at_us_grade_8_or_below(template):
    for policy in (STARTER_TEMPLATES[template].policy, DEFAULT_POLICY):
        for section in statement_sections(policy, version_number=4, effective="March 2, 2026"):
            text = " ".join(section.paragraphs + tuple(f"{item}." for item in section.items))
            assert textstat.flesch_kincaid_grade(text) <= 8, (section.key, text)


# Where the statement's words are marked. The catalogue records each entry's files (makemessages
# --add-location file), so the rest of the interface may be marked before it is translated.
STATEMENT_SOURCES = {"policies/statement.py", "policies/presentation.py", "templates/policies/statement.html"}


def statement_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete
            and any(path in STATEMENT_SOURCES for path, _ in entry.occurrences)]


def test_the_spanish_catalogue_is_complete_for_the_statement_and_the_compiled_file_matches_it():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    entries = statement_entries(po)
    assert len(entries) > 100, "the catalogue lost its file references: run makemessages with --add-location file"
    assert [entry.msgid for entry in entries if not entry.translated() or entry.fuzzy] == []
    assert not po.metadata_is_fuzzy
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    compiled = {(entry.msgid, entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))) for entry in mo}
    source = {(entry.msgid, entry.msgstr or tuple(sorted(entry.msgstr_plural.items())))
              for entry in po.translated_entries()}
    # The .mo is committed (a fresh machine need not have gettext's msgfmt); it must be the .po compiled.
    assert compiled - {("", mo.metadata_as_entry().msgstr)} == source


def test_a_changed_rule_in_a_new_version_changes_the_statement(client_for, practitioner, published, supervisor):
    before = client_for(practitioner).get(reverse("policies:statement")).content.decode()
    assert "Looking you up online" in before and "version 1" in before
    policy = with_conduct(published.policy, Conduct.NO_SEARCHING_FOR_CLIENTS, False)
    PolicyVersionFactory(agency=published.agency, number=2, published=True, template="strict",
                         effective_from=dt.date(2026, 2, 2), published_by=supervisor.user)
    newer = published.__class__.objects.get(number=2, agency=published.agency)
    newer.policy = policy
    newer.save()
    after = client_for(practitioner).get(reverse("policies:statement")).content.decode()
    assert "Looking you up online" not in after and "version 2" in after


def test_the_page_in_spanish_is_marked_spanish_and_says_it_in_spanish(client_for, practitioner, published):
    client = client_for(practitioner)
    spanish = client.get(reverse("policies:statement"), {"lang": "es"}).content.decode()
    assert '<html lang="es">' in spanish
    assert "Solicitudes de amistad y de seguimiento" in spanish and "llame al 911" in spanish
    assert "versión 1, vigente desde el 5 de enero de 2026" in spanish
    assert '<header lang="en">' in spanish  # the menus stay English, and say so
    english = client.get(reverse("policies:statement"), {"lang": "en"}).content.decode()
    assert '<html lang="en">' in english and "Friend and follow requests" in english
    unknown = client.get(reverse("policies:statement"), {"lang": "xx"}).content.decode()
    assert '<html lang="en">' in unknown


def test_the_large_print_option_marks_the_statement_large(client_for, practitioner, published):
    page = client_for(practitioner).get(reverse("policies:statement"), {"lang": "es", "size": "large"})
    body = page.content.decode()
    assert 'class="client-statement large-print"' in body and "Letra normal" in body
