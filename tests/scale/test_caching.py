"""HTTP caching: public pages revalidate with ETag (304) and suit a CDN; personal ones never."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.http import quote_etag

from archive.middleware import CacheHeadersMiddleware
from archive.models import Quote
from tests.factories import make_quote


@pytest.fixture
def archive_page(db):
    """A public page with a record on it."""
    quote = make_quote(text="We will back commissioners who take difficult decisions.")
    return quote.get_absolute_url()


def test_public_page_is_cacheable_by_a_cdn(client, archive_page, settings):
    response = client.get(archive_page)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control
    assert f"max-age={settings.PUBLIC_CACHE_MAX_AGE}" in cache_control
    assert "stale-while-revalidate" in cache_control
    assert "Cookie" in response["Vary"]
    assert response.has_header("ETag")


def test_a_head_request_gets_the_etag_its_get_would(client, archive_page):
    # Link checkers and caches ask HEAD first; without the ETag they must fetch the body.
    head = client.head(archive_page)
    assert head.status_code == 200
    assert head["ETag"] == client.get(archive_page)["ETag"]


def _wsgi(method: str, path: str) -> tuple[dict, bytes]:
    """The response as a WSGI server (gunicorn) gets it: Django's test client drops a HEAD
    response's body itself, which would hide one sent."""
    from wsgiref.util import setup_testing_defaults

    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": ""}
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(headers, status=status)

    # As Django's test client does: the test's database connection stays open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = WSGIHandler()(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return started, body


@pytest.mark.parametrize("path", ["page", "/quotes/export.csv", "/api/quotes/"])
def test_a_head_request_is_sent_no_body(archive_page, path):
    path = archive_page if path == "page" else path
    head, head_body = _wsgi("HEAD", path)
    get, get_body = _wsgi("GET", path)
    assert head["status"].startswith("200")
    assert head_body == b""
    assert get_body
    if "Content-Length" in get:
        assert head["Content-Length"] == get["Content-Length"]


def test_repeat_visit_with_the_etag_gets_304_and_no_body(client, archive_page):
    etag = client.get(archive_page)["ETag"]
    again = client.get(archive_page, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("path", ["page", "/api/quotes/", "/feeds/quotes/"])
def test_a_head_request_with_a_current_etag_gets_304(client, archive_page, path):
    # A cache or link checker revalidating with HEAD got a 200 and the full headers.
    path = archive_page if path == "page" else path
    etag = client.get(path)["ETag"]
    again = client.head(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert "Content-Length" not in again  # none, rather than a length that is not the 200's
    changed = client.head(path, headers={"if-none-match": '"not-the-current-one"'})
    assert changed.status_code == 200


def test_the_etag_is_the_body_s_digest_so_a_change_gives_a_new_one(client, archive_page):
    first = client.get(archive_page)
    assert first["ETag"] == quote_etag(hashlib.sha256(first.content).hexdigest()[:32])
    quote = Quote.objects.get()
    quote.text = "We will back commissioners who take hard decisions."
    quote.save()
    changed = client.get(archive_page)
    assert changed["ETag"] != first["ETag"]
    stale = client.get(archive_page, headers={"if-none-match": first["ETag"]})
    assert stale.status_code == 200
    assert b"hard decisions" in stale.content


def test_changed_page_gets_a_full_response(client, archive_page):
    again = client.get(archive_page, headers={"if-none-match": '"not-the-current-etag"'})
    assert again.status_code == 200


def test_admin_is_never_publicly_cacheable(client, db):
    response = client.get("/admin/login/")
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_signed_in_users_get_private_pages(client, archive_page):
    user = get_user_model().objects.create_user("curator", password="a long passphrase 42")
    client.force_login(user)
    response = client.get(archive_page)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_response_that_sets_a_cookie_is_not_shared():
    def view(request):
        response = HttpResponse("hello")
        response.set_cookie("choice", "1")
        return response

    request = RequestFactory().get("/quotes/")
    response = CacheHeadersMiddleware(view)(request)
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_errors_are_not_marked_public():
    request = RequestFactory().get("/quotes/")
    response = CacheHeadersMiddleware(lambda r: HttpResponse("gone", status=404))(request)
    assert "public" not in response.get("Cache-Control", "")
