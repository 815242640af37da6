"""Publishing puts in force exactly the text the supervisor reviewed (issue 8, item 2)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from policies.models import PolicyStatus, PolicyVersion
from policies.services import ReviewOutdated, policy_publish, policy_save_draft
from policies.document import STARTER_TEMPLATES
from tests.factories import MembershipFactory

from .support import form_data, hidden_fields, row_counts

PUBLISH = reverse("policies:publish", args=[1])
EDIT = reverse("policies:edit", args=[1])


def since_review(body: str) -> str:
    return body.split("What changed since you reviewed it")[1].split("</section>")[0]


def test_a_publish_after_another_save_is_refused_and_shows_what_changed(client_for, agency_a, supervisor, draft):
    sam = client_for(supervisor)
    sky = client_for(MembershipFactory(agency=agency_a, role="supervisor", user__full_name="Sky Second"))
    reviewed = hidden_fields(sam.get(PUBLISH).content.decode())
    assert reviewed["lock_version"] == "0" and reviewed["reviewed"]
    assert sky.post(EDIT, form_data(draft, title="Sky's text", discharge_amount="2")).status_code == 302
    before = row_counts()
    today = timezone.localdate().isoformat()

    response = sam.post(PUBLISH, {**reviewed, "effective_from": today})

    body = response.content.decode()
    saved_at = timezone.localtime(PolicyVersion.objects.get().updated_at).strftime("%H:%M")
    assert response.status_code == 409
    assert f"Sky Second saved this draft at {saved_at}, after you opened this page, so it was not published." in body
    changed = since_review(body)
    assert "Early intervention social media policy" in changed and "Sky&#x27;s text" in changed
    assert "After discharge" in changed and "5 years" in changed and "2 years" in changed
    assert "Working days" not in changed and "Current client" not in changed  # only what Sky changed
    assert f'value="{today}"' in body  # the date typed is kept
    assert PolicyVersion.objects.get().status == PolicyStatus.DRAFT and row_counts() == before

    again = sam.post(PUBLISH, {**hidden_fields(body), "effective_from": today})
    assert again.status_code == 302
    version = PolicyVersion.objects.get()
    assert (version.status, version.title) == (PolicyStatus.PUBLISHED, "Sky's text")
    assert AuditEvent.objects.filter(action=AuditAction.POLICY_PUBLISHED).count() == 1


def test_an_altered_record_of_the_review_still_refuses_and_asks_to_read_the_changes_again(client_for, supervisor,
                                                                                         draft):
    reviewed = hidden_fields(client_for(supervisor).get(PUBLISH).content.decode())
    policy_save_draft(version=draft, actor=supervisor.user, policy=STARTER_TEMPLATES["strict"].policy,
                      expected_lock_version=0)
    response = client_for(supervisor).post(PUBLISH, {**reviewed, "reviewed": "forged",
                                                     "effective_from": timezone.localdate().isoformat()})
    body = response.content.decode()
    assert response.status_code == 409
    assert "We can't show exactly what changed" in body
    assert PolicyVersion.objects.get().status == PolicyStatus.DRAFT


def test_a_publish_without_the_record_of_the_review_is_refused(client_for, supervisor, draft):
    response = client_for(supervisor).post(PUBLISH, {"effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "did not say which saved version of the draft you reviewed" in response.content.decode()
    assert PolicyVersion.objects.get().status == PolicyStatus.DRAFT


def test_the_service_refuses_a_stale_review_and_writes_nothing(agency_a, supervisor, draft):
    policy_save_draft(version=draft, actor=supervisor.user, policy=STARTER_TEMPLATES["strict"].policy,
                      expected_lock_version=0)
    before = row_counts()
    today = timezone.localdate()
    with pytest.raises(ReviewOutdated) as outdated:
        policy_publish(version=draft, actor=supervisor.user, effective_from=today, expected_lock_version=0)
    assert outdated.value.lock_version == 1 and row_counts() == before
    policy_publish(version=draft, actor=supervisor.user, effective_from=today, expected_lock_version=1)
    assert PolicyVersion.objects.get().status == PolicyStatus.PUBLISHED
