"""/healthz: answers from the database, says so plainly, and is never cached."""

import pytest
from django.db import OperationalError, connection


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection refused")


@pytest.mark.django_db
def test_healthz_is_ok_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("ETag")


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(client):
    # execute_wrapper is Django's hook around every query: here it stands in for a
    # database server that has gone away.
    with connection.execute_wrapper(refuse_every_query):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
