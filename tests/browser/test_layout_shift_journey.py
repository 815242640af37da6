"""Issue 18: "Log a request" does not move as it loads, measured with the browser's own
PerformanceObserver (layout-shift entries, buffered), and works without script.

The form's script is held back, as on a slow phone, so the page is painted before the script runs:
a script that changed the form on start would move what is below it and show here (the form as it
was before issue 18, every field rendered and the client questions hidden by the script, measures
0.13 on the phone-sized page below)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from notifications.models import NoticeKind, Notification
from scenarios import services

from tests.factories import PASSWORD, MembershipFactory

from .conftest import check_accessibility, screenshot

# The sum of the layout shifts not caused by the user's own input, as Lighthouse counts them
# (every shift of the page's life: it loads in well under the session window).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (!entry.hadRecentInput) total += entry.value;
    }
  }).observe({type: "layout-shift", buffered: true});
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => resolve(total), 300)));
})"""


def hold_back_the_form_script(page) -> list:
    """Requests for the form's script wait in the returned list until `paint_then_run_the_script`."""
    held = []
    page.route("**/scenarios/js/request_form.js", lambda route: held.append(route))
    return held


def paint_then_run_the_script(page, held: list) -> None:
    page.wait_for_function("() => performance.getEntriesByType('paint').length > 0")
    page.wait_for_timeout(200)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1, "the page asked for its script once"
    held.pop().continue_()
    page.unroute("**/scenarios/js/request_form.js")


def layout_shift(page) -> float:
    page.wait_for_load_state("load")
    page.wait_for_function("() => document.readyState === 'complete'")
    return page.evaluate(LAYOUT_SHIFT)


def test_log_a_request_does_not_move_as_it_loads(page, live_server, sign_in, practitioner):
    page.set_viewport_size({"width": 412, "height": 823})  # a phone
    sign_in(practitioner.user.email)
    held = hold_back_the_form_script(page)
    page.goto(f"{live_server.url}/requests/new/", wait_until="commit")
    paint_then_run_the_script(page, held)
    assert layout_shift(page) < 0.1
    expect(page.get_by_label("Client reference")).to_be_hidden()
    check_accessibility(page)

    # The script still reacts to changes.
    page.get_by_label("Who sent it").select_option("former_client")
    expect(page.get_by_label("Client reference")).to_be_visible()
    expect(page.get_by_label("Discharge date")).to_be_visible()
    page.get_by_label("Who sent it").select_option("client_family")
    expect(page.get_by_label("Discharge date")).to_be_hidden()
    page.get_by_label("Discharged").check()
    expect(page.get_by_label("Discharge date")).to_be_visible()


def test_with_a_client_relationship_chosen_the_form_comes_back_steady(page, live_server, sign_in, practitioner):
    page.set_viewport_size({"width": 1350, "height": 940})  # Lighthouse's desktop
    sign_in(practitioner.user.email)
    page.goto(f"{live_server.url}/requests/new/")
    page.get_by_label("What kind of request").select_option("friend_request")
    page.get_by_label("Platform or channel").select_option("facebook")
    page.get_by_label("Who sent it").select_option("client_family")
    page.get_by_label("Current").check()
    # No client reference: the form comes back with the client relationship chosen.
    held = hold_back_the_form_script(page)
    page.get_by_role("button", name="Log it and see the guidance").click()
    expect(page.get_by_text("Give a case number or initials")).to_be_visible()
    paint_then_run_the_script(page, held)
    assert layout_shift(page) < 0.1
    expect(page.get_by_label("Client reference")).to_be_visible()
    expect(page.get_by_label("Current")).to_be_checked()
    expect(page.get_by_label("Discharge date")).to_be_hidden()
    check_accessibility(page)
    screenshot(page, "request-log-client-chosen")


def test_without_script_every_client_question_can_be_answered(browser, live_server, practitioner):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email").fill(practitioner.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/requests/new/")
    expect(page.get_by_text("Only for a client, a client's family member or a former client.")).to_be_visible()
    expect(page.get_by_label("Client reference")).to_be_visible()
    expect(page.get_by_label("Discharge date")).to_be_visible()
    screenshot(page, "request-log-without-script")
    context.close()


@pytest.fixture
def unread_notices(db):
    """`unread_notices(membership, n)`: n unread decision notices about one of its requests."""

    def make(membership, count: int) -> None:
        contact_request = services.request_log(
            agency=membership.agency, practitioner=membership.user, kind="friend_request", medium="facebook",
            relationship="community_member", received_at=timezone.now())
        Notification.objects.bulk_create(
            Notification(agency=membership.agency, recipient=membership.user, kind=NoticeKind.DECIDED,
                         request=contact_request, message="Your supervisor decided.", created_at=timezone.now())
            for _ in range(count))

    return make


def hold_back_the_notice_count(page) -> list:
    held = []
    page.route("**/notifications/bell/", lambda route: held.append(route))
    return held


def test_the_notice_count_arriving_moves_nothing_on_a_crowded_bar(page, live_server, sign_in, practitioner,
                                                                  pat_at_both, unread_notices):
    """The count comes after the page (htmx). On Lighthouse's desktop a practitioner in two agencies
    fills the bar; the count once widened the link, squeezed the name's menu to a letter a line and
    moved the whole page (CI measured 0.63). The count now fills a slot the link already holds."""
    unread_notices(practitioner, 3)
    page.set_viewport_size({"width": 1350, "height": 940})  # Lighthouse's desktop
    sign_in(practitioner.user.email)
    held = hold_back_the_notice_count(page)
    page.goto(f"{live_server.url}/policy/", wait_until="commit")
    page.wait_for_function("() => performance.getEntriesByType('paint').length > 0")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Notices", exact=True)).to_be_visible()
    held.pop().continue_()
    expect(nav.get_by_role("link", name="Notices 3 unread")).to_be_visible()
    assert layout_shift(page) < 0.01
    # The name alone on the bar, on one line; role and agency in its menu.
    menu = nav.get_by_role("button", name=practitioner.user.full_name, exact=True)
    expect(menu).to_be_visible()
    assert menu.evaluate("(el) => el.getBoundingClientRect().height < 48")
    menu.click()
    expect(nav.get_by_text("Practitioner, Riverside Early Intervention")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "nav-desktop-crowded")


def test_a_long_list_is_painted_whole_as_it_arrives(page, live_server, sign_in, supervisor, practitioner):
    """A browser paints a long page before all of it has arrived (a slow network) or been read (a
    busy processor). A table painted with its first rows then widens its columns for longer rows that
    come later, and every row moves: CI's Lighthouse measured a layout shift of 0.70 on the review
    list at desktop size. base.html holds painting back until the end of the page's main content has
    been read (`<link rel="expect" blocking="render">`), so the list is painted once, whole. Here the
    page arrives at 1.5 kB a second (over about four seconds) and the last rows are the wider ones,
    so a paint before the end would move every column (0.28 without the hold)."""
    wide = MembershipFactory(agency=supervisor.agency, role=Role.PRACTITIONER,
                             user__full_name="Maximiliana Featherstonehaugh-Worthington")
    received = timezone.now() - timedelta(days=2)
    for number in range(5):  # older, at the foot of the page: a long name
        services.request_log(
            agency=supervisor.agency, practitioner=wide.user, kind="text_message", medium="personal_phone",
            relationship="colleague", received_at=received - timedelta(minutes=number))
    for number in range(20):  # the newest, at the top of the list: short cells
        services.request_log(
            agency=supervisor.agency, practitioner=practitioner.user, kind="text_message", medium="personal_phone",
            relationship="colleague", received_at=received + timedelta(minutes=number))
    page.set_viewport_size({"width": 1350, "height": 940})  # Lighthouse's desktop
    sign_in(supervisor.user.email)
    page.goto(f"{live_server.url}/review/")  # the style sheets and scripts, from the cache after this
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 20, "downloadThroughput": 1_500, "uploadThroughput": 1_500})
    page.goto(f"{live_server.url}/review/")
    assert layout_shift(page) < 0.01
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    caption = f"Requests at {supervisor.agency.name}, those waiting for your decision first"
    table = page.get_by_role("table", name=caption)
    expect(table.get_by_role("row")).to_have_count(1 + 25)
    expect(table.get_by_role("cell", name="Maximiliana Featherstonehaugh-Worthington").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "review-list-long")
