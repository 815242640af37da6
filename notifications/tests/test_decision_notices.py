"""A practitioner hears of a supervisor's decision, and a supervisor of a request waiting, in the app and by mail."""

import re

from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from notifications.models import Delivery, Notification, NoticeKind, Preference
from scenarios import services
from scenarios.models import ReviewDecision
from tests.factories import MembershipFactory

from .conftest import CLIENT_REFERENCE


def test_a_supervisor_is_mailed_at_once_when_a_request_waits(awaiting_approval, supervisor, admin, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contact_request = awaiting_approval()
    assert [mail.to for mail in mailoutbox] == [[supervisor.user.email]]
    mail = mailoutbox[0]
    assert mail.subject == f"Request {contact_request.pk} waits for your decision"
    link = f"http://127.0.0.1:8000/requests/{contact_request.pk}/"
    assert link in mail.body
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.agency) == (supervisor.user, NoticeKind.WAITING, supervisor.agency)


def test_nothing_is_mailed_before_the_transaction_commits(awaiting_approval, supervisor, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        awaiting_approval()
    assert mailoutbox == [] and len(callbacks) == 1


def test_a_supervisor_who_chose_a_daily_digest_gets_a_notice_but_no_mail_now(
        awaiting_approval, supervisor, mailoutbox, django_capture_on_commit_callbacks):
    Preference.objects.create(agency=supervisor.agency, user=supervisor.user, waiting_delivery=Delivery.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        contact_request = awaiting_approval()
    assert mailoutbox == []
    assert Notification.objects.get().request == contact_request


def test_approving_tells_the_practitioner_in_the_app_and_by_mail(
        awaiting_approval, client_for, practitioner, supervisor, mailoutbox, django_capture_on_commit_callbacks):
    contact_request = awaiting_approval()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(supervisor).post(reverse("scenarios:review_decide", args=[contact_request.pk]),
                                               {"decision": "approved"})
    assert response.status_code == 302
    assert [mail.to for mail in mailoutbox] == [[practitioner.user.email]]
    mail = mailoutbox[0]
    assert mail.subject == f"Your supervisor decided on request {contact_request.pk}"
    assert "approved what you chose" in mail.body
    assert f"/requests/{contact_request.pk}/" in mail.body

    client = client_for(practitioner)
    assert "1<span class=\"visually-hidden\"> unread</span>" in client.get(reverse("notifications:bell")).content.decode()
    page = client.get(reverse("notifications:list")).content.decode()
    assert f"Your supervisor approved what you chose for request {contact_request.pk}." in page
    assert f'href="/requests/{contact_request.pk}/"' in page
    client.post(reverse("notifications:read"))
    assert "unread" not in client.get(reverse("notifications:bell")).content.decode()
    assert Notification.objects.filter(recipient=practitioner.user, read_at__isnull=True).count() == 0


def test_not_approving_says_so_and_points_to_the_note(awaiting_approval, practitioner, supervisor, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    contact_request = awaiting_approval()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_review(contact_request=contact_request, actor=supervisor.user,
                                decision=ReviewDecision.NOT_APPROVED, note="Talk to me first.")
    assert "did not approve what you chose" in mailoutbox[-1].body
    assert "Talk to me first" not in mailoutbox[-1].body  # the note stays in the app, behind sign-in


def test_mails_and_notices_never_carry_the_client_reference_or_context(
        log_request, practitioner, supervisor, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contact_request = log_request()
        services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="ignore",
                                       reason="Waiting to see whether it is repeated.")
        services.request_review(contact_request=contact_request, actor=supervisor.user,
                                decision=ReviewDecision.APPROVED)
    assert len(mailoutbox) == 2
    texts = [mail.subject + mail.body for mail in mailoutbox]
    texts += list(Notification.objects.values_list("message", flat=True))
    for text in texts:
        assert CLIENT_REFERENCE not in text and "hospital" not in text and "repeated" not in text


def test_a_refused_decision_sends_and_stores_nothing(awaiting_approval, supervisor, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    contact_request = awaiting_approval()
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_post_decision(supervisor, contact_request, {"decision": "not_approved", "note": ""})
    assert response.status_code == 400
    assert mailoutbox == [] and Notification.objects.count() == before


def client_post_decision(membership, contact_request, data):
    from django.test import Client

    client = Client()
    client.force_login(membership.user)
    return client.post(reverse("scenarios:review_decide", args=[contact_request.pk]), data)


def test_a_request_already_waiting_is_not_announced_twice(log_request, practitioner, supervisor,
                                                          django_capture_on_commit_callbacks):
    contact_request = log_request()
    services.request_choose_option(contact_request=contact_request, actor=practitioner.user, option="ignore",
                                   reason="Waiting to see whether it is repeated.")
    services.request_close(contact_request=contact_request, actor=practitioner.user, outcome="already_accepted",
                           note="I had accepted before I saw who it was.")
    assert Notification.objects.filter(kind=NoticeKind.WAITING).count() == 1


def test_a_supervisor_who_logs_a_request_is_not_told_about_their_own(log_request, supervisor, agency_a):
    other = MembershipFactory(agency=agency_a, role=Role.SUPERVISOR)
    contact_request = log_request(membership=supervisor)
    services.request_choose_option(contact_request=contact_request, actor=supervisor.user, option="ignore",
                                   reason="Waiting to see whether it is repeated.")
    assert list(Notification.objects.values_list("recipient", flat=True)) == [other.user.pk]


def test_notices_of_another_agency_are_never_shown_or_counted(awaiting_approval, supervisor, agency_b, client_for):
    awaiting_approval()
    elsewhere = MembershipFactory(agency=agency_b, role=Role.SUPERVISOR, user=supervisor.user)
    notice = Notification.objects.get()
    client = client_for(supervisor)
    assert "1<span class=\"visually-hidden\"> unread" in client.get(reverse("notifications:bell")).content.decode()
    client.post(reverse("agency_switch"), {"agency": elsewhere.agency.pk})
    assert "unread" not in client.get(reverse("notifications:bell")).content.decode()
    assert notice.message not in client.get(reverse("notifications:list")).content.decode()


def test_a_supervisor_chooses_the_daily_digest_on_their_account_page(client_for, supervisor):
    client = client_for(supervisor)
    page = client.get(reverse("account")).content.decode()
    assert "When a request waits for your decision, email me" in page
    client.post(reverse("notifications:preference"), {"waiting_delivery": "daily"})
    assert Preference.objects.get(agency=supervisor.agency, user=supervisor.user).waiting_delivery == Delivery.DAILY
    assert re.search(r'value="daily"[^>]*checked', client.get(reverse("account")).content.decode())


def test_a_practitioner_is_not_offered_the_choice(client_for, practitioner):
    client = client_for(practitioner)
    assert "When a request waits" not in client.get(reverse("account")).content.decode()
    assert client.post(reverse("notifications:preference"), {"waiting_delivery": "daily"}).status_code == 403
    assert not Preference.objects.exists()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=st.one_of(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), st.sampled_from(["", "weekly", "daily\x00", "AT_ONCE"])))
def test_any_other_delivery_choice_is_refused_with_a_message_and_no_row(client_for, supervisor, value):
    client = client_for(supervisor)
    before = Preference.objects.count()
    response = client.post(reverse("notifications:preference"), {"waiting_delivery": value}, follow=True)
    assert response.status_code == 200
    if value in Delivery.values:
        assert Preference.objects.count() == before + (0 if before else 1)
        Preference.objects.all().delete()
    else:
        assert "Choose one of the two ways" in response.content.decode()
        assert Preference.objects.count() == before == 0


def test_the_bell_never_redirects_so_htmx_never_swaps_a_page_into_the_navigation(client, client_for, supervisor,
                                                                                awaiting_approval):
    awaiting_approval()
    anonymous = client.get(reverse("notifications:bell"))
    assert anonymous.status_code == 200 and "unread" not in anonymous.content.decode()
    supervisor.agency.require_two_factor = True
    supervisor.agency.save(update_fields=["require_two_factor"])
    waiting_for_setup = client_for(supervisor).get(reverse("notifications:bell"), headers={"HX-Request": "true"})
    assert waiting_for_setup.status_code == 200 and "HX-Redirect" not in waiting_for_setup.headers
    assert waiting_for_setup.content.decode().strip().startswith('<a class="nav-link')
    assert "unread" not in waiting_for_setup.content.decode()


def test_the_count_stops_at_99_plus_so_it_always_fits_its_slot(client_for, supervisor, awaiting_approval):
    contact_request = awaiting_approval()
    client = client_for(supervisor)
    Notification.objects.all().delete()
    notices = [Notification(agency=supervisor.agency, recipient=supervisor.user, kind=NoticeKind.WAITING,
                            request=contact_request, message="Waiting.", created_at=timezone.now())
               for _ in range(100)]
    Notification.objects.bulk_create(notices[:99])
    assert '>99<span class="visually-hidden"> unread</span>' in client.get(reverse("notifications:bell")).content.decode()
    Notification.objects.bulk_create(notices[99:])
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert '>99+<span class="visually-hidden"> unread</span>' in bell
    assert '<span class="nav-count">' in bell
