"""The lists' own queries, as the views send them, each read through an index that leads with the agency.

PostgreSQL only: the planner is asked (EXPLAIN) about the SQL the page really ran, over thousands of
rows in two agencies with fresh statistics, so it picks the index it would pick in production.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from scenarios.models import ContactRequest, RequestStatus
from scenarios.views import PAGE_SIZE, REST
from tests.factories import MembershipFactory

pytestmark = pytest.mark.postgresql

ROWS_PER_AGENCY = 4000
TABLE = ContactRequest._meta.db_table
MEDIUMS = [value for value, _ in ContactRequest._meta.get_field("medium").flatchoices]
RELATIONSHIPS = [value for value, _ in ContactRequest._meta.get_field("relationship").flatchoices]
# Mostly finished requests, a few still open, one in a hundred waiting for a supervisor.
STATES = [RequestStatus.CLOSED] * 80 + [RequestStatus.IN_PROGRESS] * 10 + [RequestStatus.OPEN] * 5 + \
    [RequestStatus.AWAITING_CONVERSATION] * 4 + [RequestStatus.AWAITING_APPROVAL]


def _row(agency, practitioner, n: int, now: dt.datetime) -> ContactRequest:
    status = STATES[n % len(STATES)]
    closed = status == RequestStatus.CLOSED
    return ContactRequest(
        agency=agency, practitioner=practitioner, kind="friend_request", medium=MEDIUMS[n % len(MEDIUMS)],
        relationship=RELATIONSHIPS[n % len(RELATIONSHIPS)], received_at=now - dt.timedelta(minutes=n),
        status=status, chosen_option="" if status == RequestStatus.OPEN else "decline",
        outcome="declined" if closed else "", closed_at=now if closed else None,
        needs_review=n % 97 == 0,
    )


@pytest.fixture
def crowd(agency_a, agency_b, practitioner, supervisor):
    """Thousands of requests in each agency, from ten practitioners, then ANALYZE."""
    now = timezone.now()
    staff_a = [practitioner.user] + [MembershipFactory(agency=agency_a, role=Role.PRACTITIONER).user
                                     for _ in range(9)]
    staff_b = [MembershipFactory(agency=agency_b, role=Role.PRACTITIONER).user for _ in range(10)]
    rows = [_row(agency, staff[n % len(staff)], n, now)
            for agency, staff in ((agency_a, staff_a), (agency_b, staff_b)) for n in range(ROWS_PER_AGENCY)]
    # Pat has a long career: thousands of requests, hundreds of them still open.
    rows += [_row(agency_a, practitioner.user, n, now - dt.timedelta(days=30)) for n in range(ROWS_PER_AGENCY)]
    ContactRequest.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return staff_a


def _plans(client, url: str, params: dict, *, with_sql: bool = False) -> list:
    """The plan of every query the page sent to the requests table (with its SQL if asked)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if f'FROM "{TABLE}"' in query["sql"] and not query["sql"].startswith(("SAVEPOINT", "RELEASE")):
                cursor.execute("EXPLAIN " + query["sql"])
                plan = "\n".join(line for (line,) in cursor.fetchall())
                plans.append((query["sql"], plan) if with_sql else plan)
    return plans


def _reads(plan: str, index: str) -> bool:
    """The plan scans that index (plain, index-only or bitmap), and never the whole requests table."""
    scans = [line for line in plan.splitlines() if "Index" in line and "Scan" in line]
    return any(f" {index} " in f"{line} " for line in scans) and f"Seq Scan on {TABLE}" not in plan


def test_the_first_review_page_reads_the_waiting_set_and_the_newest_rows_by_index(client_for, supervisor, crowd):
    waiting_part, rest_part, waiting_count = _plans(client_for(supervisor), reverse("scenarios:review"), {})
    assert _reads(waiting_part, "request_agency_waiting_idx"), waiting_part
    assert _reads(rest_part, "request_agency_received_idx"), rest_part
    # The count of what waits for someone else is answered by the waiting set's index by practitioner.
    assert _reads(waiting_count, "request_agency_waiting_by_idx"), waiting_count
    assert "Sort" not in waiting_count, "a capped count needs no order"
    assert "Sort" not in rest_part, "the index gives the order: nothing is sorted"


@pytest.mark.parametrize("field, value, index", [
    ("medium", MEDIUMS[3], "request_agency_medium_idx"),
    ("relationship", RELATIONSHIPS[1], "request_agency_rel_idx"),
    ("status", RequestStatus.CLOSED, "request_agency_status_idx"),
])
def test_each_common_filter_has_an_index_in_the_lists_order(client_for, supervisor, crowd, field, value, index):
    _, rest_part, _ = _plans(client_for(supervisor), reverse("scenarios:review"), {field: value})
    assert _reads(rest_part, index), rest_part
    assert "Sort" not in rest_part


def test_a_status_filter_reads_only_that_status_of_the_waiting_set(client_for, supervisor, crowd):
    waiting_part, _, _ = _plans(client_for(supervisor), reverse("scenarios:review"), {"status": RequestStatus.CLOSED})
    assert _reads(waiting_part, "request_agency_waiting_st_idx"), waiting_part
    seek = next(line for line in waiting_part.splitlines() if "Index Cond" in line)
    assert "status" in seek, waiting_part


def test_platform_and_relationship_together_seek_the_waiting_set_on_both(client_for, supervisor, crowd):
    params = {"medium": MEDIUMS[3], "relationship": RELATIONSHIPS[1]}
    waiting_part, _, _ = _plans(client_for(supervisor), reverse("scenarios:review"), params)
    assert _reads(waiting_part, "request_agency_waiting_mr_idx"), waiting_part
    seek = next(line for line in waiting_part.splitlines() if "Index Cond" in line)
    assert "medium" in seek and "relationship" in seek, waiting_part


def test_platform_relationship_and_status_together_seek_the_waiting_set_on_all_three(client_for, supervisor,
                                                                                     crowd):
    params = {"status": RequestStatus.CLOSED, "medium": MEDIUMS[3], "relationship": RELATIONSHIPS[1]}
    waiting_part, _, _ = _plans(client_for(supervisor), reverse("scenarios:review"), params)
    assert _reads(waiting_part, "request_agency_waiting_mrs_idx"), waiting_part
    seek = next(line for line in waiting_part.splitlines() if "Index Cond" in line)
    assert "medium" in seek and "relationship" in seek and "status" in seek, waiting_part


def test_the_practitioner_filter_has_an_index_in_the_lists_order(client_for, supervisor, crowd):
    _, rest_part, _ = _plans(client_for(supervisor), reverse("scenarios:review"), {"practitioner": crowd[3].pk})
    assert _reads(rest_part, "request_agency_by_idx"), rest_part


def test_a_deep_review_page_seeks_to_its_place_instead_of_skipping_rows(client_for, supervisor, crowd):
    client = client_for(supervisor)
    url = reverse("scenarios:review")
    older, pages_into_the_rest = client.get(url).context["page"].older, 0
    while pages_into_the_rest < 3:  # through what waits, then three pages into the rest
        page = client.get(url, {"before": str(older)}).context["page"]
        assert len(page.object_list) == PAGE_SIZE
        older = page.older
        pages_into_the_rest += older.part == REST
    (rest_part,) = _plans(client, url, {"before": str(older)})[:-1]  # the waiting count is the last
    assert _reads(rest_part, "request_agency_received_idx"), rest_part
    seek = next(line for line in rest_part.splitlines() if "Index Cond" in line)
    assert "received_at <=" in seek, rest_part


def test_my_open_requests_are_read_in_order_from_their_own_index(client_for, practitioner, crowd):
    plans = _plans(client_for(practitioner), reverse("scenarios:list"), {"show": "open"}, with_sql=True)
    (count,) = [plan for sql, plan in plans if "COUNT(*)" in sql]
    (rows,) = [plan for sql, plan in plans if "ORDER BY" in sql and "follow_up_on" not in sql.split("ORDER BY")[1]]
    (follow_ups,) = [plan for sql, plan in plans if "ORDER BY" in sql and "follow_up_on" in sql.split("ORDER BY")[1]]
    assert _reads(rows, "request_agency_open_idx"), rows
    assert "Sort" not in rows, "status IN (...) no longer defeats the index order"
    assert _reads(count, "request_agency_open_idx"), count
    assert _reads(follow_ups, "request_agency_follow_up_idx"), follow_ups
    assert "Sort" not in follow_ups


def test_the_waiting_index_covers_only_what_waits(crowd, agency_a):
    waiting = ContactRequest.objects.for_agency(agency_a).needing_review().count()
    assert 0 < waiting < ROWS_PER_AGENCY / 20


def test_the_home_pages_tasks_read_the_open_and_the_lately_reviewed_requests_by_index(client_for, practitioner,
                                                                                  crowd):
    """Pat has thousands of closed requests: the tasks read the open ones and those reviewed lately, each
    half of the condition from its own index, instead of every request Pat ever logged."""
    (tasks,) = [plan for sql, plan in _plans(client_for(practitioner), reverse("home"), {}, with_sql=True)
                if "CASE WHEN" in sql]
    assert _reads(tasks, "request_agency_owner_idx"), tasks
    assert _reads(tasks, "request_agency_reviewed_idx"), tasks
