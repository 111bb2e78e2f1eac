"""Repeated failed admin logins lock that username out from that address for a while."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from tests.admin.conftest import PASSWORD

LOGIN = reverse("admin:login")


def _login(client, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def test_the_right_password_logs_a_curator_in(client, curator):
    response = _login(client, curator.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_repeated_failures_lock_out_that_username_from_that_address(client, curator, editor):
    limit = settings.AXES_FAILURE_LIMIT
    assert 3 <= limit <= 10
    for _ in range(limit - 1):
        page = _login(client, curator.username, "wrong password")
        assert page.status_code == 200
        assert "Please enter the correct username and password" in page.content.decode()
    locked = _login(client, curator.username, "wrong password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed logins" in page
    assert "Health Policy Archive: curators" in page  # not "Django administration"
    assert "paused for an hour" in page  # not "for 1:00:00"
    assert 'href="/admin/login/"' in page
    # Now even the right password is refused, and the admin stays closed.
    assert _login(client, curator.username, PASSWORD).status_code == 429
    assert client.get("/admin/").status_code == 302
    # The lock is on the username *and* the address: others carry on working.
    assert _login(client, editor.username, PASSWORD).status_code == 302
    client.logout()
    assert _login(client, curator.username, PASSWORD, ip="198.51.100.4").status_code == 302


def test_a_successful_login_resets_the_count(client, curator):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        _login(client, curator.username, "wrong password")
    assert _login(client, curator.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(limit - 1):
        assert _login(client, curator.username, "wrong password").status_code == 200
    assert _login(client, curator.username, PASSWORD).status_code == 302


def test_the_test_clients_login_helper_still_works(client, curator):
    # Logins without a request (test helpers, scripts) are not throttled, and do not crash.
    assert client.login(username=curator.username, password=PASSWORD)
    assert client.get("/admin/").status_code == 200
