"""A practitioner prints the statement in Spanish (two sides at most) and records that a family received it."""

import datetime as dt
import re

from playwright.sync_api import expect

from policies.models import StatementReceipt
from tests.factories import PolicyVersionFactory

from .conftest import check_accessibility, screenshot

PDF_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


def printed_pages(page) -> int:
    """How many sheets sides Chromium prints the page on (Letter, as a US agency prints it)."""
    return len(PDF_PAGE.findall(page.pdf(format="Letter", print_background=False)))


def test_a_practitioner_prints_the_spanish_statement_and_records_receipt(page, sign_in, live_server, practitioner,
                                                                        supervisor):
    PolicyVersionFactory(agency=practitioner.agency, number=1, published=True, template="early_intervention",
                         effective_from=dt.date(2026, 1, 5), published_by=supervisor.user)
    sign_in(practitioner.user.email)
    page.goto(f"{live_server.url}/policy/statement/")
    expect(page.get_by_role("heading", name="Friend and follow requests")).to_be_visible()
    check_accessibility(page)
    assert printed_pages(page) <= 2

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Solicitudes de amistad y de seguimiento")).to_be_visible()
    expect(page.get_by_text("En una emergencia, llame al 911.")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "client-statement-es")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Imprimir")).to_be_hidden()
    expect(page.get_by_role("heading", name="Record that a client or family received it")).to_be_hidden()
    screenshot(page, "client-statement-es-print")
    assert printed_pages(page) <= 2
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Letra grande").click()
    expect(page.locator("article.large-print")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "client-statement-es-large")

    page.get_by_label("Client reference").fill("Maria Lopez")
    page.get_by_role("button", name="Record that they received it").click()
    expect(page.get_by_text("This looks like a name.")).to_be_visible()
    expect(page.get_by_label("Client reference")).to_have_value("Maria Lopez")
    check_accessibility(page)
    page.get_by_label("Client reference").fill("RB-1042")
    page.get_by_label("Language they received it in").select_option("es")
    page.get_by_role("button", name="Record that they received it").click()
    expect(page.get_by_role("alert")).to_contain_text("Recorded: RB-1042 went through version 1 of the statement.")
    check_accessibility(page)
    receipt = StatementReceipt.objects.get()
    assert (receipt.client_reference, receipt.language, receipt.version.number) == ("RB-1042", "es", 1)


SPANISH_PARAGRAPH = "Nuestra oficina abre de lunes a viernes. <b>Llámenos</b> si tiene dudas."


def test_a_supervisor_sets_a_crisis_line_and_a_spanish_paragraph_that_families_see(page, sign_in, live_server,
                                                                                   supervisor):
    sign_in(supervisor.user.email)
    page.goto(f"{live_server.url}/policy/statement/")
    page.get_by_role("link", name="Change the crisis numbers or your agency's own paragraph").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Crisis numbers and your own words on the client statement")
    expect(page.get_by_label("Emergency number")).to_have_value("911")
    check_accessibility(page)

    page.get_by_label("Crisis line", exact=True).fill("call the county")
    page.get_by_label("The crisis line takes text messages").uncheck()
    page.get_by_label("Your paragraph in Spanish").fill(SPANISH_PARAGRAPH)
    page.get_by_role("button", name="Save the statement settings").click()
    expect(page.get_by_text("Give a phone number to call")).to_be_visible()
    expect(page.get_by_label("Your paragraph in Spanish")).to_have_value(SPANISH_PARAGRAPH)
    check_accessibility(page)
    screenshot(page, "statement-settings-error")

    page.get_by_label("Crisis line", exact=True).fill("(555) 010-0199")
    page.get_by_role("button", name="Save the statement settings").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved. The client statement shows these numbers")
    check_accessibility(page)

    page.get_by_role("link", name="in Spanish").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_text("En una crisis de salud mental, llame al (555) 010-0199.")).to_be_visible()
    section = page.get_by_role("region", name="Unas palabras de nuestra agencia")
    expect(section).to_have_text(re.compile(re.escape(SPANISH_PARAGRAPH)))  # shown as typed, never as markup
    expect(section.locator("b")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "client-statement-es-agency-words")

    page.get_by_role("link", name="English", exact=True).click()
    expect(page.get_by_text("In a mental health crisis, call (555) 010-0199.")).to_be_visible()
    expect(page.get_by_role("heading", name="A word from our agency")).to_have_count(0)
    check_accessibility(page)
