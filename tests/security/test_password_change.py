"""The admin's password change: a wrong old password counts as a failed login.

Without it, whoever holds a curator's session could try old passwords there without limit.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.security.conftest import PASSWORD, signed_in

CHANGE = reverse("admin:password_change")
LOGIN = reverse("admin:login")
NEW = "a-different-long-password-42"


def _change(client: Client, old: str, address: str = "192.0.2.10"):
    return client.post(
        CHANGE,
        {"old_password": old, "new_password1": NEW, "new_password2": NEW},
        REMOTE_ADDR=address,
    )


def _login(username: str, password: str, address: str):
    return Client().post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def test_the_right_old_password_changes_it(curator):
    response = _change(signed_in(curator), PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:password_change_done")
    curator.refresh_from_db()
    assert curator.check_password(NEW)


def test_a_wrong_old_password_is_said_and_changes_nothing(curator):
    response = _change(signed_in(curator), "a guess")
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    curator.refresh_from_db()
    assert curator.check_password(PASSWORD)


def test_wrong_old_passwords_lock_the_account_out_from_that_address(settings, curator):
    client = signed_in(curator)
    for guess in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _change(client, f"guess {guess}").status_code == 200
    locked = _change(client, "one more guess")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()

    # Now even the right password is not checked, here or on the login page.
    refused = _change(client, PASSWORD)
    assert refused.status_code == 200
    assert "entered wrongly too many times" in refused.content.decode()
    assert _login(curator.username, PASSWORD, "192.0.2.10").status_code == 429
    curator.refresh_from_db()
    assert curator.check_password(PASSWORD)
    # The curator, from elsewhere, still signs in.
    assert _login(curator.username, PASSWORD, "198.51.100.20").status_code == 302


@pytest.mark.django_db
def test_the_admin_site_is_still_djangos_with_the_archives_models(client):
    from django.contrib import admin

    from archive.admin_site import ArchiveAdminSite

    assert isinstance(admin.site, ArchiveAdminSite)
    assert admin.site.is_registered(User)
    assert any(model._meta.app_label == "archive" for model in admin.site._registry)


def test_the_right_old_password_starts_the_count_again(settings, curator):
    client = signed_in(curator)
    for guess in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _change(client, f"guess {guess}").status_code == 200
    assert _change(client, PASSWORD).status_code == 302
    # One slip after proving the password is one failure, not the limit.
    assert _login(curator.username, "a wrong one", "192.0.2.10").status_code == 200
    assert _login(curator.username, NEW, "192.0.2.10").status_code == 302
