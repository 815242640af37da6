import datetime as dt
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, User
from audit.models import AuditAction, AuditEvent
from policies.models import Acknowledgement, PolicyStatus, PolicyVersion
from policies.document import STARTER_TEMPLATES
from tests.factories import AcknowledgementFactory, MembershipFactory, PolicyVersionFactory

from .support import form_data, hidden_fields

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+=", re.IGNORECASE)


def test_a_supervisor_starts_a_draft_from_a_template(client_for, supervisor):
    response = client_for(supervisor).post(reverse("policies:new"), {"start_from": "professional_after_discharge"})
    version = PolicyVersion.objects.get()
    assert response.url == reverse("policies:edit", args=[1])
    assert version.title == STARTER_TEMPLATES["professional_after_discharge"].policy.title
    page = client_for(supervisor).get(response.url).content.decode()
    assert "Platforms with their own rule" in page and "Emergencies are never an allowed use" in page


def test_saving_the_edit_form_unchanged_gives_the_same_policy(client_for, supervisor, draft):
    before = draft.policy
    response = client_for(supervisor).post(reverse("policies:edit", args=[1]), form_data(draft))
    assert response.status_code == 302
    draft = PolicyVersion.objects.get(pk=draft.pk)
    assert draft.policy == before and draft.lock_version == 1


def test_an_edit_changes_the_cooling_off_and_adds_a_platform_rule(client_for, supervisor, draft):
    data = form_data(draft, discharge_amount="3", **{
        "override-TOTAL_FORMS": "1", "override-0-relationship": "former_client", "override-0-platform": "linkedin",
        "override-0-decision": "allowed", "override-0-rationale": "Work history only.",
    })
    client_for(supervisor).post(reverse("policies:edit", args=[1]), data)
    policy = PolicyVersion.objects.get(pk=draft.pk).policy
    assert policy.cooling_off_after_discharge.describe() == "3 years"
    from policies.document.vocabulary import Platform, Relationship
    decision, rule = policy.decision_for(Relationship.FORMER_CLIENT, Platform.LINKEDIN)
    assert decision == "allowed" and rule.rationale == "Work history only."
    events = AuditEvent.objects.filter(action=AuditAction.POLICY_EDITED)
    assert events.count() == 1 and events.get().data == {"number": 1, "lock_version": 1}


@pytest.mark.parametrize("changes, field_message", [
    ({"discharge_amount": "-5"}, "Use a whole number from 1 to 30 years."),
    ({"discharge_amount": "500"}, "Use a whole number from 1 to 30 years."),
    ({"discharge_amount": "2", "discharge_unit": ""}, "Choose days, months or years"),
    ({"work_start": "18:00", "work_end": "09:00"}, "The working day must start before it ends."),
    ({"response_within_hours": "0"}, "Use a whole number from 1 to 168 hours."),
    ({"allowed__work_email": "on", "uses__work_email": []}, "List at least one use for an allowed channel."),
    ({"override-TOTAL_FORMS": "2", "override-0-relationship": "former_client", "override-0-platform": "linkedin",
      "override-0-decision": "allowed", "override-1-relationship": "former_client",
      "override-1-platform": "linkedin", "override-1-decision": "not_allowed"}, "This rule repeats"),
])
def test_a_bad_edit_explains_itself_saves_nothing_and_keeps_what_was_typed(client_for, supervisor, draft,
                                                                            changes, field_message):
    data = form_data(draft, title="My typed title", **changes)
    response = client_for(supervisor).post(reverse("policies:edit", args=[1]), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert field_message in body
    assert 'value="My typed title"' in body
    for name, value in changes.items():
        if isinstance(value, str) and value not in ("", "on") and not name.endswith("TOTAL_FORMS"):
            assert f'value="{value}"' in body or f'<option value="{value}" selected' in body
    draft.refresh_from_db()
    assert draft.lock_version == 0 and draft.title != "My typed title"
    assert not AuditEvent.objects.filter(action=AuditAction.POLICY_EDITED).exists()


def test_a_duplicate_platform_rule_is_marked_on_its_row(client_for, supervisor, draft):
    data = form_data(draft, **{
        "override-TOTAL_FORMS": "2", "override-0-relationship": "colleague", "override-0-platform": "facebook",
        "override-0-decision": "allowed", "override-1-relationship": "colleague",
        "override-1-platform": "facebook", "override-1-decision": "not_allowed"})
    body = client_for(supervisor).post(reverse("policies:edit", args=[1]), data).content.decode()
    row = body.split('id="id_override-1-relationship"')[0].rsplit("<tr>", 2)[-2]
    assert "This rule repeats" in row


def test_a_half_filled_platform_rule_is_marked_on_its_row_and_the_edit_is_kept(client_for, supervisor, draft):
    data = form_data(draft, title="Typed title", discharge_amount="4", **{
        "override-TOTAL_FORMS": "3",
        "override-0-relationship": "former_client", "override-0-platform": "linkedin",
        "override-0-decision": "allowed", "override-0-rationale": "Work history only.",
        "override-1-relationship": "colleague",
        "override-2-platform": "tiktok", "override-2-decision": "not_allowed", "override-2-rationale": "Kept reason",
    })
    response = client_for(supervisor).post(reverse("policies:edit", args=[1]), data)
    body = response.content.decode()
    assert response.status_code == 400
    rows = body.split("Platforms with their own rule</legend>")[1].split("</tbody>")[0].split("<tr>")
    complete, half, other_half = (next(row for row in rows if f'id="id_override-{index}-relationship"' in row)
                                  for index in range(3))
    assert "Choose one" not in complete
    assert half.count("Choose one, or clear the whole row to remove it.") == 2  # platform and decision
    assert other_half.count("Choose one, or clear the whole row to remove it.") == 1  # relationship
    assert '<option value="colleague" selected' in half and 'value="Kept reason"' in other_half
    assert 'value="Work history only."' in complete and 'value="Typed title"' in body and 'value="4"' in body
    draft.refresh_from_db()
    assert draft.lock_version == 0 and draft.title != "Typed title"
    assert not AuditEvent.objects.filter(action=AuditAction.POLICY_EDITED).exists()


def test_the_later_of_two_saves_is_refused_and_keeps_its_values(client_for, agency_a, supervisor, draft):
    other = MembershipFactory(agency=agency_a, role="supervisor", user__full_name="Sky Second")
    first, second = client_for(supervisor), client_for(other)
    opened = form_data(draft)
    first.post(reverse("policies:edit", args=[1]), {**opened, "title": "Saved first"})
    response = second.post(reverse("policies:edit", args=[1]), {**opened, "title": "Typed second"})
    body = response.content.decode()
    saved_at = timezone.localtime(PolicyVersion.objects.get().updated_at).strftime("%H:%M")
    assert response.status_code == 409
    assert f"Sam Supervisor saved this draft at {saved_at} after you opened it" in body
    assert 'value="Typed second"' in body
    assert 'name="lock_version" value="1"' in body
    assert PolicyVersion.objects.get().title == "Saved first"
    again = second.post(reverse("policies:edit", args=[1]), {**opened, "title": "Typed second", "lock_version": "1"})
    assert again.status_code == 302 and PolicyVersion.objects.get().title == "Typed second"


def test_publishing_asks_for_a_date_no_earlier_than_the_current_version(client_for, agency_a, supervisor, published):
    PolicyVersionFactory(agency=agency_a, number=2)
    later = timezone.localdate() + dt.timedelta(days=30)
    published.effective_from = later
    published.save(update_fields=["effective_from"])
    url = reverse("policies:publish", args=[2])
    page = client_for(supervisor).get(url).content.decode()
    assert "What changes from version 1" in page and "After discharge" in page
    reviewed = hidden_fields(page)
    day_before = (later - dt.timedelta(days=1)).isoformat()
    response = client_for(supervisor).post(url, {**reviewed, "effective_from": day_before})
    assert response.status_code == 400 and "can&#x27;t start before it" in response.content.decode()
    response = client_for(supervisor).post(url, {**reviewed, "effective_from": later.isoformat()})
    assert response.status_code == 302
    assert list(PolicyVersion.objects.values_list("number", "status")) == [
        (2, PolicyStatus.PUBLISHED), (1, PolicyStatus.PUBLISHED)]


def test_the_diff_lists_changed_settings_in_words(client_for, supervisor, published):
    url = reverse("policies:compare") + "?a=template:early_intervention&b=1"
    body = client_for(supervisor).get(url).content.decode()
    assert "After discharge" in body and "5 years" in body and "Not set" in body
    assert "Former client, personal networks" in body and "Needs supervisor approval" in body
    assert "Current client, personal networks" not in body  # the same in both


def test_import_and_export_through_the_pages(client_for, supervisor, published):
    export = client_for(supervisor).get(reverse("policies:export", args=[1]))
    assert export["Content-Disposition"] == 'attachment; filename="riverside-policy-v1.json"'
    upload = SimpleUploadedFile("policy.json", export.content, content_type="application/json")
    response = client_for(supervisor).post(reverse("policies:import"), {"document": upload})
    assert response.url == reverse("policies:detail", args=[2])
    assert PolicyVersion.objects.get(number=2).status == PolicyStatus.DRAFT


def test_a_bad_upload_lists_each_path_and_imports_nothing(client_for, supervisor):
    upload = SimpleUploadedFile("policy.json", b'{"schema": "boundaries.policy/1", "title": 7}')
    response = client_for(supervisor).post(reverse("policies:import"), {"document": upload})
    body = response.content.decode()
    assert response.status_code == 400
    assert "title: Expected a text string." in body
    assert "working_hours: This field is required." in body
    assert not PolicyVersion.objects.exists()
    bad_json = SimpleUploadedFile("policy.json", b"{nope")
    body = client_for(supervisor).post(reverse("policies:import"), {"document": bad_json}).content.decode()
    assert "not valid JSON" in body


def test_a_practitioner_reads_and_acknowledges_the_version_in_force(client_for, practitioner, published):
    home = client_for(practitioner).get(reverse("home")).content.decode()
    assert "Please read and acknowledge the new policy" in home and "Version 1" in home
    page = client_for(practitioner).get(reverse("policies:read")).content.decode()
    assert STARTER_TEMPLATES["strict"].policy.title in page and "Version 1 needs your acknowledgement" in page
    response = client_for(practitioner).post(reverse("policies:acknowledge", args=[1]))
    assert response.url == reverse("policies:read")
    assert Acknowledgement.objects.get().user == practitioner.user
    assert "Please read and acknowledge" not in client_for(practitioner).get(reverse("home")).content.decode()


def test_without_a_published_policy_staff_see_the_labelled_default(client_for, practitioner):
    page = client_for(practitioner).get(reverse("policies:read")).content.decode()
    assert "Conservative default policy" in page and "has not published a policy yet" in page
    assert "NASW Code of Ethics 1.06(c)" in page and "ACA Code of Ethics A.5.e" in page


def test_supervisors_see_who_has_and_has_not_acknowledged(client_for, supervisor, practitioner, admin, published):
    AcknowledgementFactory(version=published, user=practitioner.user)
    body = client_for(supervisor).get(reverse("policies:detail", args=[1])).content.decode()
    have, have_not = body.split("Have acknowledged")[1].split("Have not acknowledged")
    assert "Pat Practitioner" in have and "Sam Supervisor" not in have
    assert "Sam Supervisor" in have_not and "Alex Admin" in have_not and "Pat Practitioner" not in have_not
    listing = client_for(admin).get(reverse("policies:list")).content.decode()
    assert "1 of 3 active staff" in listing


def test_the_client_statement_is_printable_plain_words(client_for, practitioner, published):
    body = client_for(practitioner).get(reverse("policies:statement")).content.decode()
    assert "don&#x27;t accept friend or follow requests from you." in body and "In an emergency" in body
    assert "Work phone: for" in body and "Work texts" not in body  # the strict template has no texts
    assert "Monday to Friday" in body and "within 24 hours" in body
    assert "data-print" in body and "policies/css/statement.css" in body


@pytest.mark.parametrize("name, args, persona", [
    ("policies:list", [], "supervisor"), ("policies:detail", [1], "supervisor"), ("policies:edit", [2], "supervisor"),
    ("policies:new", [], "supervisor"), ("policies:import", [], "supervisor"), ("policies:publish", [2], "supervisor"),
    ("policies:compare", [], "admin"), ("policies:read", [], "practitioner"), ("policies:statement", [], "practitioner"),
])
def test_pages_render_without_inline_script(request, client_for, agency_a, published, name, args, persona):
    PolicyVersionFactory(agency=agency_a, number=2)
    response = client_for(request.getfixturevalue(persona)).get(reverse(name, args=args))
    assert response.status_code == 200
    assert not INLINE_SCRIPT.search(response.content.decode())


@pytest.mark.parametrize("method, name, args", [
    ("get", "policies:list", []), ("get", "policies:detail", [1]), ("get", "policies:edit", [2]),
    ("post", "policies:edit", [2]), ("get", "policies:new", []), ("post", "policies:publish", [2]),
    ("get", "policies:import", []), ("get", "policies:export", [1]), ("post", "policies:discard", [2]),
])
def test_practitioners_can_not_edit_or_manage_policies(client_for, agency_a, practitioner, published,
                                                         method, name, args):
    PolicyVersionFactory(agency=agency_a, number=2)
    response = getattr(client_for(practitioner), method)(reverse(name, args=args))
    assert response.status_code == 403
    assert PolicyVersion.objects.get(number=2).status == PolicyStatus.DRAFT


@pytest.mark.parametrize("name", ["policies:edit", "policies:publish", "policies:discard", "policies:new",
                                  "policies:import"])
def test_admins_read_but_do_not_edit(client_for, agency_a, admin, published, name):
    PolicyVersionFactory(agency=agency_a, number=2)
    args = [] if name in ("policies:new", "policies:import") else [2]
    assert client_for(admin).get(reverse(name, args=args)).status_code == 403
    assert client_for(admin).get(reverse("policies:detail", args=[2])).status_code == 200


def test_the_list_takes_a_fixed_number_of_queries(client_for, agency_a, supervisor, practitioner,
                                                   django_assert_num_queries):
    for number in (1, 2, 3):
        version = PolicyVersionFactory(agency=agency_a, number=number, published=True,
                                       effective_from=dt.date(2026, number, 5))
        AcknowledgementFactory(version=version, user=practitioner.user)
    PolicyVersionFactory(agency=agency_a, number=4)
    client = client_for(supervisor)
    # session, user, membership; versions page count and rows; active staff count
    with django_assert_num_queries(6):
        response = client.get(reverse("policies:list"))
    assert response.content.decode().count("Version ") >= 4


def test_the_version_page_takes_a_fixed_number_of_queries(client_for, agency_a, supervisor, practitioner,
                                                          published, django_assert_num_queries):
    AcknowledgementFactory(version=published, user=practitioner.user)
    client = client_for(supervisor)
    # session, user, membership; the version (its whole document); acknowledged and awaiting staff
    with django_assert_num_queries(6):
        response = client.get(reverse("policies:detail", args=[1]))
    assert "Pat Practitioner" in response.content.decode()


def test_the_reading_page_takes_a_fixed_number_of_queries(client_for, practitioner, published,
                                                          django_assert_num_queries):
    client = client_for(practitioner)
    # session, user, membership; the policy in force (one row, its whole document); what awaits acknowledgement
    with django_assert_num_queries(5):
        client.get(reverse("policies:read"))


def test_seed_demo_publishes_riverside_and_leaves_hilltop_on_the_default(db):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    riverside, hilltop = Agency.objects.get(slug="riverside"), Agency.objects.get(slug="hilltop")
    version = PolicyVersion.objects.for_agency(riverside).released().get()
    assert version.status == PolicyStatus.PUBLISHED and version.based_on == "template:early_intervention"
    # A draft of version 2 waits beside it, so the draft page's what-if has a year of requests to judge.
    assert PolicyVersion.objects.for_agency(riverside).drafts().get().based_on == "version:1"
    assert list(Acknowledgement.objects.values_list("user__email", flat=True)) == ["supervisor@riverside.example"]
    assert not PolicyVersion.objects.for_agency(hilltop).exists()
    pat = User.objects.get(email="practitioner@riverside.example")
    from policies.services import awaiting_acknowledgement
    assert awaiting_acknowledgement(pat.memberships.get(agency=riverside)) == version


@pytest.mark.parametrize("persona", ["supervisor", "admin"])
def test_supervisors_and_admins_reach_the_policy_and_the_client_statement_from_the_navigation(request, client_for,
                                                                                              persona, published):
    client = client_for(request.getfixturevalue(persona))
    nav = client.get(reverse("home")).content.decode().split('id="main-nav"')[1].split("</nav>")[0]
    assert f'href="{reverse("policies:read")}">Policy in force</a>' in nav
    assert f'href="{reverse("policies:statement")}">Client statement</a>' in nav
    statement = client.get(reverse("policies:statement")).content.decode()
    nav = statement.split('id="main-nav"')[1].split("</nav>")[0]
    assert nav.count('aria-current="page"') == 1  # /policy/statement/ is not also the policy page
    assert f'href="{reverse("policies:statement")}" aria-current="page">Client statement' in nav
