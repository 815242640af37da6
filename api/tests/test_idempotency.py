import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.db import connection

from api.models import IdempotentResponse
from scenarios import services
from scenarios.models import ContactRequest

LOG = {"kind": "friend_request", "platform": "facebook", "relationship": "current_client",
       "received_at": "2026-03-02T10:00:00-05:00", "client_reference": "AB12"}
KEY = {"Idempotency-Key": "6f1c2a3e-0d5b-4c1e-9b7a-1f2e3d4c5b6a"}


@pytest.mark.django_db
def test_the_same_key_and_body_replays_the_first_response_and_creates_nothing(practitioner_api):
    first = practitioner_api.post("/api/v1/requests", LOG, headers=KEY)
    again = practitioner_api.post("/api/v1/requests", LOG, headers=KEY)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert ContactRequest.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused(practitioner_api):
    practitioner_api.post("/api/v1/requests", LOG, headers=KEY)
    response = practitioner_api.post("/api/v1/requests", {**LOG, "client_reference": "CD34"}, headers=KEY)
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert "different request" in response.json()["detail"]
    assert ContactRequest.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_post_can_be_retried_with_its_key(practitioner_api):
    assert practitioner_api.post("/api/v1/requests", {**LOG, "client_reference": "Jane Smith"}, headers=KEY).status_code == 400
    assert not IdempotentResponse.objects.exists()
    assert practitioner_api.post("/api/v1/requests", LOG, headers=KEY).status_code == 201


@pytest.mark.django_db
def test_a_key_is_remembered_for_24_hours(practitioner_api):
    practitioner_api.post("/api/v1/requests", LOG, headers=KEY)
    IdempotentResponse.objects.update(created_at=IdempotentResponse.objects.get().created_at - dt.timedelta(hours=24))
    assert practitioner_api.post("/api/v1/requests", LOG, headers=KEY).status_code == 201
    assert ContactRequest.objects.count() == 2


@pytest.mark.django_db
def test_keys_belong_to_their_token(practitioner, practitioner_api, api_for):
    other = api_for(practitioner)
    practitioner_api.post("/api/v1/requests", LOG, headers=KEY)
    other.post("/api/v1/requests", LOG, headers=KEY)
    assert ContactRequest.objects.count() == 2


@pytest.mark.django_db
def test_a_malformed_key_is_a_field_error(practitioner_api):
    response = practitioner_api.post("/api/v1/requests", LOG, headers={"Idempotency-Key": "x" * 201})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_one_key_create_one_request(practitioner_api):
    log = services.request_log

    def slow_log(**kwargs):
        time.sleep(0.5)  # the first holds its claim on the key while the second arrives
        return log(**kwargs)

    barrier, results = threading.Barrier(2), []

    def post():
        try:
            barrier.wait()
            response = practitioner_api.__class__(practitioner_api.secret).post("/api/v1/requests", LOG, headers=KEY)
            results.append((response.status_code, response.json()["id"]))
        finally:
            connection.close()

    with mock.patch.object(services, "request_log", slow_log):
        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert [status for status, _ in results] == [201, 201]
    assert results[0][1] == results[1][1]
    assert ContactRequest.objects.count() == 1 and IdempotentResponse.objects.count() == 1
