"""The request page and both lists render in a fixed number of queries, whatever the rows."""

import datetime as dt

import pytest
from django.urls import reverse

from scenarios import services
from scenarios.views import WAITING_CAP

# Session, user and membership (middleware), then the page's own: count, rows, follow-ups.
LIST_QUERIES = 3 + 3
# The rows waiting for me and the rest (one query each, no COUNT) and the number waiting (capped);
# the practitioners for the filter are read once per change to the staff (boundaries/filter_forms.py).
REVIEW_QUERIES = 3 + 3
# The request and the audit event for the view: the chain head locked, the event inserted, the head
# moved (it was 8 before issue 14: two savepoints and a get_or_create around it). Once an option is
# chosen, the records of its steps too: before, there is no walk-through to show them in.
DETAIL_QUERIES = 3 + 1 + 3
WALK_QUERIES = DETAIL_QUERIES + 1


def _log_many(log_request, count: int, membership=None) -> list:
    requests = [log_request(membership, client_reference=f"RB-{n}") for n in range(count)]
    for contact_request in requests[2::3]:
        services.request_choose_option(contact_request=contact_request, actor=contact_request.practitioner,
                                       option="discuss")
        services.request_save_step(contact_request=contact_request, actor=contact_request.practitioner,
                                   step_key="next_session_date", value=dt.date(2026, 3, 13))
    services.request_choose_option(contact_request=requests[1], actor=requests[1].practitioner, option="decline")
    services.request_close(contact_request=requests[1], actor=requests[1].practitioner, outcome="withdrawn")
    return requests


@pytest.mark.parametrize("count", [3, 30])
def test_my_requests_list_is_a_fixed_number_of_queries(client_for, practitioner, log_request,
                                                         django_assert_num_queries, count):
    _log_many(log_request, count)
    client = client_for(practitioner)
    for show in ("open", "conversation", "closed"):
        with django_assert_num_queries(LIST_QUERIES):
            assert client.get(reverse("scenarios:list"), {"show": show}).status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_review_list_is_a_fixed_number_of_queries(client_for, supervisor, log_request,
                                                       django_assert_num_queries, count):
    _log_many(log_request, count)
    client = client_for(supervisor)
    client.get(reverse("scenarios:review"))  # the first page reads the staff list
    with django_assert_num_queries(REVIEW_QUERIES) as queries:
        assert client.get(reverse("scenarios:review"), {"status": "awaiting_conversation"}).status_code == 200
    # No exact count of the agency's rows and no OFFSET: the one count is of the waiting set, capped.
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 1 and f"LIMIT {WAITING_CAP + 1}" in counts[0]
    assert not any("OFFSET" in query["sql"].upper() for query in queries.captured_queries)


@pytest.mark.parametrize("count", [3, 30])
def test_the_request_page_is_a_fixed_number_of_queries(client_for, practitioner, log_request,
                                                        django_assert_num_queries, count):
    requests = _log_many(log_request, count)
    client = client_for(practitioner)
    with django_assert_num_queries(DETAIL_QUERIES):  # before choosing
        assert client.get(reverse("scenarios:detail", args=[requests[0].pk])).status_code == 200
    with django_assert_num_queries(WALK_QUERIES):  # during the walk-through: the saved step is shown
        response = client.get(reverse("scenarios:detail", args=[requests[2].pk]))
    assert 'value="2026-03-13"' in response.content.decode()
