"""The locked door: CSRF on every form that posts, no way up from curator, login throttling.

(Every admin URL refusing anonymous visitors is proved in ``tests/admin/test_access.py``.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import Quote, Speech, Status
from tests.admin.html_forms import form_values
from tests.factories import make_quote, make_speech
from tests.security.conftest import PASSWORD, signed_in

LOGIN = reverse("admin:login")
IMPORT = "/admin/archive/speech/import/"


def _csrf_client(user: User | None = None) -> Client:
    """A browser that, like a real one, only gets past CSRF with the form's token."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


# --- CSRF: a form posted from another site is refused ----------------------------------


def test_the_login_form_needs_its_csrf_token(curator):
    client = _csrf_client()
    credentials = {"username": curator.username, "password": PASSWORD, "next": "/admin/"}
    refused = client.post(LOGIN, credentials)
    assert refused.status_code == 403
    # In the site's design, saying what to do, not Django's debugging page.
    html = refused.content.decode()
    assert "<h1>The form could not be sent</h1>" in html and "reload the page" in html
    assert '<html lang="en-GB">' in html and "CSRF" not in html
    form = form_values(client.get(LOGIN).content.decode())
    assert client.post(LOGIN, {**form, **credentials}).status_code == 302


def test_the_change_form_needs_its_csrf_token(curator):
    quote = make_quote("We will help.", speech=make_speech(text="He said: ‘We will help.’"))
    url = reverse("admin:archive_quote_change", args=[quote.pk])
    client = _csrf_client(curator)
    form = form_values(client.get(url).content.decode())
    forged = {k: v for k, v in form.items() if k != "csrfmiddlewaretoken"}
    assert client.post(url, {**forged, "attribution": "forged", "_save": "Save"}).status_code == 403
    quote.refresh_from_db()
    assert quote.attribution != "forged"
    assert (
        client.post(url, {**form, "attribution": "Mr Lansley", "_save": "Save"}).status_code == 302
    )


def test_the_import_form_needs_its_csrf_token(curator):
    client = _csrf_client(curator)
    article = "Mr Lansley said: ‘We will help.’"
    response = client.post(IMPORT, {"text": article, "_preview": "Preview"})
    assert response.status_code == 403
    form = form_values(client.get(IMPORT).content.decode())
    response = client.post(IMPORT, {**form, "text": article, "_preview": "Preview"})
    assert response.status_code == 200
    assert 'id="preview"' in response.content.decode()
    assert not Speech.objects.exists()


def test_publishing_deleting_and_signing_out_need_the_csrf_token(editor):
    speech = make_speech(status=Status.DRAFT)
    client = _csrf_client(editor)
    changelist = reverse("admin:archive_speech_changelist")
    action = {"action": "publish_selected", "_selected_action": [speech.pk], "index": 0}
    assert client.post(changelist, action).status_code == 403
    delete = reverse("admin:archive_speech_delete", args=[speech.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:logout")).status_code == 403
    speech.refresh_from_db()
    assert speech.status == Status.DRAFT
    assert client.get(reverse("admin:index")).status_code == 200  # still signed in


@pytest.mark.parametrize(
    "url", ["/", "/quotes/", "/search/?q=nhs", "/api/quotes/", "/feeds/quotes/", "/healthz"]
)
def test_the_public_site_takes_no_posts(seed, url):
    response = _csrf_client().post(url, {"q": "x"})
    assert response.status_code in (403, 405), url


def test_every_form_that_posts_carries_the_csrf_token():
    templates = Path(settings.BASE_DIR) / "templates"
    posting, missing = [], []
    for template in sorted(templates.rglob("*.html")):
        text = template.read_text("utf-8")
        for form in re.finditer(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I):
            if re.search(r"method=\"post\"", form.group(0), re.I):
                posting.append(template.name)
                if "{% csrf_token %}" not in form.group(0):
                    missing.append(str(template.relative_to(templates)))
    assert "import.html" in posting  # the scan does see the curators' forms
    assert missing == []


# --- no way up from a curator's account --------------------------------------------------


def test_a_curator_cannot_make_users_or_make_themselves_an_admin(curator):
    client = signed_in(curator)
    add = client.post(
        reverse("admin:auth_user_add"),
        {"username": "mallory", "password1": "pw-m-12345678", "password2": "pw-m-12345678"},
    )
    assert add.status_code == 403
    own = reverse("admin:auth_user_change", args=[curator.pk])
    assert client.get(own).status_code == 403
    assert client.post(own, {"username": curator.username, "is_superuser": "on"}).status_code == 403
    other = User.objects.create_user("root", password="pw-root-12345678", is_superuser=True)
    password = reverse("admin:auth_user_password_change", args=[other.pk])
    assert client.post(password, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 403
    group = reverse("admin:auth_group_change", args=[curator.groups.get().pk])
    assert client.post(group, {"name": "Curators", "permissions": []}).status_code == 403
    curator.refresh_from_db()
    assert not curator.is_superuser
    assert not User.objects.filter(username="mallory").exists()
    assert other.check_password("pw-root-12345678")


def test_a_curator_cannot_delete_or_publish(curator):
    speech = make_speech(status=Status.DRAFT)
    quote = make_quote(speech=speech)
    client = signed_in(curator)
    assert (
        client.post(reverse("admin:archive_speech_delete", args=[speech.pk]), {"post": "yes"})
    ).status_code == 403
    assert (
        client.post(reverse("admin:archive_quote_delete", args=[quote.pk]), {"post": "yes"})
    ).status_code == 403
    client.post(
        reverse("admin:archive_speech_changelist"),
        {"action": "publish_selected", "_selected_action": [speech.pk]},
    )
    speech.refresh_from_db()
    assert speech.status == Status.DRAFT
    assert Quote.objects.filter(pk=quote.pk).exists()


# --- failed-login throttling behind the load balancer -------------------------------------


def _login(client: Client, username: str, password: str, forwarded_for: str):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.2",  # the load balancer
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_with_no_proxy_configured_a_forwarded_for_header_is_not_believed(settings, client, curator):
    # The default (make serve, no proxy in front): the connection's address is the client's.
    assert settings.TRUSTED_PROXY_COUNT == 0
    for guess in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, curator.username, f"guess {guess}", f"198.51.100.{guess}")
    assert response.status_code == 429
    assert _login(client, curator.username, PASSWORD, "192.0.2.99").status_code == 429


def test_a_login_without_a_usable_next_goes_to_the_admin_not_a_missing_page(client, curator):
    for target in ("https://evil.example/", "//evil.example/", ""):
        response = client.post(
            LOGIN + (f"?next={target}" if target else ""),
            {"username": curator.username, "password": PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
        client.logout()


def test_logging_out_never_sends_a_curator_to_another_site(client, curator):
    client.force_login(curator)
    response = client.post("/admin/logout/")
    assert response.status_code == 200
    assert "Logged out" in response.content.decode()
    client.force_login(curator)
    response = client.post("/admin/logout/?next=https://evil.example/")
    assert "evil.example" not in response.get("Location", "")


def test_behind_a_proxy_a_forged_forwarded_for_does_not_dodge_the_lockout(
    settings, client, curator
):
    settings.TRUSTED_PROXY_COUNT = 1
    # The attacker writes a fresh address into X-Forwarded-For for every guess; the load
    # balancer appends the address it really saw (203.0.113.7).
    for guess in range(settings.AXES_FAILURE_LIMIT):
        response = _login(
            client, curator.username, f"guess {guess}", f"198.51.100.{guess}, 203.0.113.7"
        )
    assert response.status_code == 429
    assert _login(client, curator.username, PASSWORD, "192.0.2.99, 203.0.113.7").status_code == 429
    # Someone else (another real address) still signs in.
    assert _login(Client(), curator.username, PASSWORD, "198.51.100.20").status_code == 302


@pytest.mark.parametrize("url", ["/", "/quotes/", "/search/?q=nhs", "/api/quotes/", "/healthz"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_a_readers_page_is_not_allowed(db, url, method):
    # Readers' pages are read-only: a 405 naming what they take, not a CSRF refusal.
    response = getattr(_csrf_client(), method)(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"  # as an OPTIONS request is answered
    # It says why: in JSON, as the API's other errors do, or in plain text.
    if url.startswith("/api/"):
        assert response["Content-Type"] == "application/json"
        assert "can only be read" in response.json()["detail"]
    else:
        assert response["Content-Type"].startswith("text/plain")
        assert "can only be read" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/quotes/", "/quotes/export.csv", "/feeds/quotes/"])
def test_options_on_a_readers_page_says_what_it_takes_without_building_it(db, url):
    with CaptureQueriesContext(connection) as queries:
        response = Client().options(url)
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.content == b""
    assert len(queries) == 0  # no page (or whole CSV) built for a question about methods


def test_options_on_the_api_is_the_apis_own_description(db):
    response = Client().options("/api/quotes/")
    assert response.status_code == 200
    assert response.json()["name"]


def test_the_admin_still_takes_its_forms(curator):
    client = _csrf_client()
    form = form_values(client.get(LOGIN).content.decode())
    credentials = {"username": curator.username, "password": PASSWORD, "next": "/admin/"}
    assert client.post(LOGIN, {**form, **credentials}).status_code == 302


def test_an_address_trying_many_usernames_is_paused_too(settings, curator, second_curator):
    # One password tried against every likely username: each pair stays under its limit.
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    settings.TRUSTED_PROXY_COUNT = 1  # each client's address, as the load balancer saw it
    names = [f"guess-{n}" for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT)]
    for name in names:
        assert _login(Client(), name, "Summer2026!", "10.0.0.9").status_code == 200
    paused = _login(Client(), curator.username, PASSWORD, "10.0.0.9")
    assert paused.status_code == 429
    page = paused.content.decode()
    assert "Logins from your address have failed 6 times, whatever the" in page
    assert "axes_reset_ip" in page
    # Another address, and the same people elsewhere, are not held up.
    assert _login(Client(), second_curator.username, PASSWORD, "10.0.0.10").status_code == 302


def test_colleagues_mistyping_behind_one_address_stay_under_the_cap(
    settings, curator, second_curator
):
    # The default cap is well above one person's limit: two people's slips do not reach it.
    settings.TRUSTED_PROXY_COUNT = 1
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT > 2 * settings.AXES_FAILURE_LIMIT
    for user in (curator, second_curator):
        for slip in range(settings.AXES_FAILURE_LIMIT - 1):
            assert _login(Client(), user.username, f"slip {slip}", "10.0.0.11").status_code == 200
    assert _login(Client(), curator.username, PASSWORD, "10.0.0.11").status_code == 302
