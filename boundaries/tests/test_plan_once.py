"""Statements PostgreSQL plans once per connection (boundaries/prepared.py `execute`, `plan_once`)."""

import pytest
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from boundaries.prepared import Prepared, execute, statement_of
from scenarios.models import ContactRequest
from scenarios.tests.factories import ContactRequestFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.postgresql

LOOKUP = "SELECT client_reference FROM scenarios_contactrequest WHERE id = %s AND client_reference LIKE '%%-1%%'"


def _held() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def _run(sql: str, params: list) -> tuple[list, str]:
    with CaptureQueriesContext(connection) as queries, connection.cursor() as cursor:
        execute(cursor, sql, params)
        rows = cursor.fetchall()
    (sent,) = [query["sql"] for query in queries.captured_queries]
    return rows, sent


@pytest.fixture
def rows(agency_a):
    membership = MembershipFactory(agency=agency_a)
    return [ContactRequestFactory(membership=membership, client_reference=f"RB-{n}") for n in (1, 2, 10)]


def test_the_first_run_prepares_in_the_same_round_trip_and_later_runs_only_send_values(rows):
    first, sent_first = _run(LOOKUP, [rows[0].pk])
    assert first == [("RB-1",)]
    assert sent_first.startswith("PREPARE ") and "; EXECUTE " in sent_first
    name = sent_first.split()[1]
    assert "$1" in _held()[name] and "LIKE '%-1%'" in _held()[name]  # the driver's %% reached the server as %

    again, sent_again = _run(LOOKUP, [rows[2].pk])
    assert again == [("RB-10",)]
    assert sent_again == f"EXECUTE {name}({rows[2].pk})"
    assert _run(LOOKUP, [rows[1].pk])[0] == []  # RB-2 has no "-1" in it
    assert statement_of(sent_first) == statement_of(sent_again) == LOOKUP


def test_each_connection_prepares_for_itself(rows):
    sql = "SELECT %s::integer + 1"
    assert _run(sql, [1])[0] == [(2,)]
    # Another connection (as after CONN_MAX_AGE, or a restarted database) holds none of this one's.
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with CaptureQueriesContext(other) as queries, other.cursor() as cursor:
            execute(cursor, sql, [41])
            assert cursor.fetchall() == [(42,)]
            execute(cursor, sql, [1])
            assert cursor.fetchall() == [(2,)]
    finally:
        other.close()
    sent = [query["sql"] for query in queries.captured_queries]
    assert sent[0].startswith("PREPARE ") and sent[1].startswith("EXECUTE ")


def test_a_statement_prepared_in_a_rolled_back_transaction_is_still_there(rows):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        _run(LOOKUP, [rows[0].pk])
        raise ZeroDivisionError  # rolled back: PostgreSQL keeps the prepared statement all the same
    found, sent = _run(LOOKUP, [rows[0].pk])
    assert found == [("RB-1",)] and sent.startswith("EXECUTE ")


def test_a_refused_prepare_is_tried_again_not_assumed(rows):
    sql = "SELECT count(*) FROM plan_once_later WHERE id = %s"
    with pytest.raises(DatabaseError), transaction.atomic():
        _run(sql, [1])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE plan_once_later (id integer)")
        cursor.execute("INSERT INTO plan_once_later VALUES (1), (1), (2)")
    found, sent = _run(sql, [1])
    assert found == [(2,)] and sent.startswith("PREPARE ")


def test_a_first_run_that_failed_after_its_prepare_was_taken_does_not_block_the_next(rows):
    sql = "SELECT 12 / %s::integer"
    with pytest.raises(DatabaseError), transaction.atomic():
        _run(sql, [0])  # PREPARE taken, then division by zero: the statement stays on the server
    found, sent = _run(sql, [4])  # a name of its own, not "already exists"
    assert found == [(3,)] and sent.startswith("PREPARE ")
    assert _run(sql, [6])[0] == [(2,)]
    assert statement_of(sent) == sql


def test_turned_off_it_sends_the_plain_statement(rows, settings):
    settings.DATABASE_PLAN_ONCE = False
    held = _held()
    found, sent = _run(LOOKUP, [rows[0].pk])
    assert found == [("RB-1",)] and sent.startswith("SELECT ")
    assert _held() == held  # nothing prepared on the server


def test_a_query_planned_once_returns_what_the_queryset_returns(rows, agency_a):
    query = Prepared(lambda *, agency, pk: ContactRequest.objects.select_related("practitioner")
                     .filter(agency=agency, pk=pk), plan_once=True)
    for row in rows + rows:  # the second round runs the prepared statement
        (found,) = query.run(agency=agency_a.pk, pk=row.pk)
        expected = ContactRequest.objects.select_related("practitioner").get(pk=row.pk)
        assert (found.client_reference, found.received_at, found.guidance, found.practitioner.full_name) == (
            expected.client_reference, expected.received_at, expected.guidance, expected.practitioner.full_name)
    assert query.run(agency=agency_a.pk + 1, pk=rows[0].pk) == []  # another agency's key finds nothing
