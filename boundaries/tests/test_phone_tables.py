"""On a phone the request, review, staff and audit tables, and the policy grid, become stacked cards.

The layout is CSS only (static/boundaries/css/app.css, `.table-stack`): here we check every value cell
names its column for the card, and that no such table sits in a sideways-scrolling wrapper.
The browser journey (tests/browser/test_phone_journey.py) checks what a 390-px phone shows.
"""

import re

from django.urls import reverse

from scenarios import services
from scenarios.tests.conftest import facebook_from_parent


def stacked_cells(body: str) -> list[str]:
    tables = re.findall(r'<table class="[^"]*table-stack[^"]*">(.*?)</table>', body, flags=re.S)
    assert tables, "the page has a stacked table"
    return [cell for table in tables for cell in re.findall(r"<td[^>]*>", table)]


def assert_every_cell_is_labelled(body: str) -> None:
    assert 'class="table-responsive"><table class="table align-middle table-stack' not in body
    # The row's buttons (aligned to the end) need no column name.
    unlabelled = [cell for cell in stacked_cells(body) if "data-label=" not in cell and "text-end" not in cell]
    assert unlabelled == []


def test_the_four_tables_and_the_policy_grid_label_each_cell(client_for, practitioner, supervisor, admin):
    services.request_log(agency=practitioner.agency, practitioner=practitioner.user, **facebook_from_parent())
    pages = [
        (practitioner, reverse("scenarios:list")),
        (supervisor, reverse("scenarios:review")),
        (admin, reverse("accounts:staff_list")),
        (admin, reverse("audit:event_list")),
        (practitioner, reverse("policies:read")),
    ]
    for membership, url in pages:
        body = client_for(membership).get(url).content.decode()
        assert_every_cell_is_labelled(body)
    review = client_for(supervisor).get(reverse("scenarios:review")).content.decode()
    assert '<td data-label="Status">' in review and '<td data-label="Client">RB-1042</td>' in review


def test_the_stylesheet_stacks_them_below_the_medium_breakpoint():
    from django.contrib.staticfiles import finders

    css = open(finders.find("boundaries/css/app.css")).read()
    block = css[css.index("@media (max-width: 767.98px)"):]
    assert ".table-stack td::before" in block and "content: attr(data-label)" in block
